"""`mesh diff` reports: text for the terminal, JSON, and markdown fit for a pull-request comment."""

from __future__ import annotations

import json
from collections import defaultdict

from .compare import Change

HOW_TO_VERSION = (
    "A breaking change ships as a new version: in the product's YAML add `- v: 2` under `versions:` with the "
    "change (e.g. `columns: [{include: all, exclude: [old_column]}]`) and its SQL in `<product>_v2.sql`, keep "
    "v1 as it was with a `deprecation_date`, and keep `latest_version` on 1 until the consumers have moved "
    "(they pin `ref('<product>', v=2)` to try it).")
HOW_TO_NARROW = (
    "Narrowed access is not fixed by a new version: keep the product public until the consumers outside its "
    "domain named above have moved off it (tell their owners when), or hand those consumers over to its domain "
    "(`mesh handover`); then narrow it.")


def advice(breaking: list[Change]) -> list[str]:
    """What to do about the breaking changes: a new version for a contract break, a plan for narrowed access."""
    return [text for text, needed in ((HOW_TO_VERSION, any(not change.access for change in breaking)),
                                      (HOW_TO_NARROW, any(change.access for change in breaking))) if needed]


def to_text(changes: list[Change], base: str) -> str:
    breaking = [change for change in changes if change.breaking]
    lines = [f"Data products compared with {base}: {len(breaking)} breaking, "
             f"{len(changes) - len(breaking)} non-breaking change(s)."]
    for change in changes:
        lines.append(f"{'BREAKING' if change.breaking else 'ok      '}  {change.label} "
                     f"({change.domain or 'no domain'}): {change.what}")
        for domain, consumers in _by_domain(change).items():
            lines.append(f"            hits {domain} ({consumers[0].owner or 'no owner'}): "
                         + ", ".join(_consumer(consumer) for consumer in consumers))
    for text in advice(breaking):
        lines += ["", text]
    return "\n".join(lines)


def to_markdown(changes: list[Change], base: str) -> str:
    breaking = [change for change in changes if change.breaking]
    title = "Breaking contract changes" if breaking else "No breaking contract change"
    lines = [f"### {title}", "", f"Data products compared with `{base}`: **{len(breaking)} breaking**, "
             f"{len(changes) - len(breaking)} non-breaking.", ""]
    if breaking:
        lines += ["| Product | Domain | Breaking change | Consumers hit |", "|---|---|---|---|"]
        for change in breaking:
            hit = "<br>".join(f"**{domain}** ({consumers[0].owner or 'no owner'}): "
                              + ", ".join(f"`{c.name}`" + (" (names the column)" if c.mentions else "")
                                          for c in consumers)
                              for domain, consumers in _by_domain(change).items()) or "none"
            lines.append(f"| `{change.label}` | {change.domain} | {change.what} | {hit} |")
        for text in advice(breaking):
            lines += ["", text]
    others = [change for change in changes if not change.breaking]
    if others:
        lines += ["", "<details><summary>Non-breaking changes</summary>", ""]
        lines += [f"- `{change.label}` ({change.domain}): {change.what}" for change in others]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def to_json(changes: list[Change], base: str) -> str:
    return json.dumps({"base": base, "breaking": sum(change.breaking for change in changes), "changes": [
        {"product": change.product, "version": change.version, "domain": change.domain, "path": change.path,
         "breaking": change.breaking, "change": change.what, "column": change.column,
         "consumers": [consumer.__dict__ for consumer in change.consumers]} for change in changes]}, indent=2)


def _by_domain(change: Change) -> dict:
    grouped = defaultdict(list)
    for consumer in change.consumers:
        grouped[consumer.domain].append(consumer)
    return dict(grouped)


def _consumer(consumer) -> str:
    return f"{consumer.kind} {consumer.name}" + (" (names the column)" if consumer.mentions else "")
