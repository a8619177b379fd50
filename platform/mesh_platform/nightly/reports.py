"""A nightly run's reports: summary.json, junit.xml (a suite per domain), summary.md, and a note per failing domain."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from ..files import write_text_atomically
from ..project import Project
from .results import DBT_KINDS, FAILED, HELD_UP, PASSED, PROJECT, SKIPPED, WARNED, DomainResult, Item, NightlyRun

MD_ITEMS_PER_DOMAIN = 10  # summary.md stays short enough for a chat message
NOTE_ITEMS = 50


def write_reports(run: NightlyRun, folder: Path, project: Project, notify_dir: Path | None = None) -> list[Path]:
    """Write the run's reports into `folder` (and notes into `notify_dir`); the paths written."""
    written = {folder / "summary.json": json.dumps(run.to_dict(), indent=2) + "\n",
               folder / "junit.xml": to_junit(run),
               folder / "summary.md": to_markdown(run, project.relative(folder), project)}
    if notify_dir is not None:
        for domain in notified(run):
            written[notify_dir / f"{domain.name}.md"] = to_note(run, domain, project.relative(folder), project)
    for path, text in written.items():
        write_text_atomically(path, text)
    if notify_dir is not None:
        clear_stale_notes(run, notify_dir, set(written))
    return list(written)


def clear_stale_notes(run: NightlyRun, notify_dir: Path, kept: set[Path]) -> None:
    """Remove an earlier night's note to a domain that has nothing to hear of tonight (a passing --resume
    clears them); only files that are the nightly's own notes (their subject says so) are touched."""
    for name in run.domains:
        path = notify_dir / f"{name}.md"
        if path in kept or not path.is_file():
            continue
        head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:2]
        if len(head) == 2 and head[0].startswith("To: ") and head[1].startswith("Subject: mesh nightly "):
            path.unlink()


def to_junit(run: NightlyRun) -> str:
    suites = ET.Element("testsuites", name=f"mesh nightly {run.run_id}", time=f"{run.wall_seconds:.2f}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    broken = [step for step in run.steps if step.status == "error"]
    if broken:
        suite = _suite(suites, "(nightly steps)", len(broken), errors=len(broken))
        for step in broken:
            case = ET.SubElement(suite, "testcase", classname="nightly.step", name=step.name, time=f"{step.seconds}")
            ET.SubElement(case, "error", message=step.detail, type="step").text = step.detail
        totals["tests"] += len(broken)
        totals["errors"] += len(broken)
    for domain in run.domains.values():
        counts = {"tests": len(domain.items), "failures": len(domain.of(FAILED)), "skipped": len(domain.of(SKIPPED))}
        suite = _suite(suites, domain.name, counts["tests"], failures=counts["failures"], skipped=counts["skipped"],
                       seconds=sum(item.seconds or 0 for item in domain.items))
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="owner", value=domain.owner)
        for item in domain.items:
            _case(suite, domain.name, item)
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _suite(parent: ET.Element, name: str, tests: int, failures: int = 0, errors: int = 0, skipped: int = 0,
           seconds: float = 0.0) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=name, tests=str(tests), failures=str(failures),
                         errors=str(errors), skipped=str(skipped), time=f"{seconds:.2f}")


def _case(suite: ET.Element, domain: str, item: Item) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"{domain}.{item.kind}", name=item.name,
                         time=f"{item.seconds or 0:.2f}")
    if item.path:
        case.set("file", item.path)
    if item.status == FAILED:
        lines = [item.message, *item.details, f"file: {item.path}" if item.path else "",
                 "skipped because of it: " + ", ".join(item.related) if item.related else ""]
        detail = "\n".join(line for line in lines if line)
        ET.SubElement(case, "failure", message=item.message[:500], type=item.kind).text = detail
    elif item.status == SKIPPED:
        ET.SubElement(case, "skipped", message=item.message[:500])
    elif item.status == WARNED:
        ET.SubElement(case, "system-out").text = f"warning: {item.message}"


def to_markdown(run: NightlyRun, folder: str, project: Project) -> str:
    statuses = [domain.status for name, domain in run.domains.items() if name != PROJECT]
    headline = f"{statuses.count('failed')} of {len(statuses)} domains failed"
    if statuses.count("blocked"):
        headline += f", {statuses.count('blocked')} blocked by failures upstream"
    if statuses.count(HELD_UP):
        headline += f", {statuses.count(HELD_UP)} with tests held up by failures upstream"
    resumed = f" · resumed from {run.resumed_from}" if run.resumed_from else ""
    lines = [f"## mesh nightly {run.run_id}: {run.status.upper()}", "",
             f"Target {run.target} · {run.wall_seconds:.1f} s · {headline}{resumed}", "",
             "| Domain | Owner | Status | dbt ok / failed / skipped | Check errors | Lint | Quality |",
             "|---|---|---|---|---|---|---|"]
    for domain in run.domains.values():
        lines.append(f"| {domain.name} | {domain.team_handle or domain.owner_name or '-'} | {domain.status} | "
                     f"{dbt_counts(domain)} | {domain.counts('check')[FAILED]} | "
                     f"{lint_counts(domain)} | {quality_counts(domain)} |")
    for step in run.steps:
        if step.status == "error":
            lines += ["", f"**{step.name} could not run**: {step.detail}"]
    for domain in run.domains.values():
        if domain.status == "passed":
            continue
        lines += ["", f"### {domain.name}: {domain.status} · {domain.owner}"]
        lines += failure_lines(domain, MD_ITEMS_PER_DOMAIN, folder)
    lines += ["", "Steps: " + " · ".join(f"{step.name} {step.seconds:.1f} s {step.status}" for step in run.steps),
              f"Reports: `{folder}/` (summary.json, junit.xml) · dbt log: `{project.relative(project.log_file)}`"]
    return "\n".join(lines) + "\n"


def notified(run: NightlyRun) -> list[DomainResult]:
    """The domains whose owners hear of the night: those that failed or were blocked, and those whose upstream
    products failed, were late or were not built (the consumers hit)."""
    return [domain for name, domain in run.domains.items()
            if domain.status != "passed" or run.consumers_hit.get(name)]


def upstream_lines(run: NightlyRun, name: str) -> list[str]:
    """What reaches a consuming domain from upstream: each product's problem and the domain's own it holds up."""
    return [f"- {impact.upstream} {impact.reason}; yours affected: {', '.join(impact.affected)}"
            for impact in run.consumers_hit.get(name, [])]


def to_note(run: NightlyRun, domain: DomainResult, folder: str, project: Project) -> str:
    """A note to a domain's owner: what failed, what it held up, what upstream problems reach it, where to look,
    what to run."""
    subject = domain.status if domain.status != "passed" else "upstream products you use are affected"
    lines = [f"To: {domain.owner}", f"Subject: mesh nightly {run.run_id}: {domain.name} {subject}", "",
             f"Hello {domain.owner_name or domain.name + ' owners'},", ""]
    own = failure_lines(domain, NOTE_ITEMS, folder)
    if own:
        lines += [f"The nightly run {run.run_id} (target {run.target}) found problems in the {domain.name} domain:",
                  "", *own]
    upstream = upstream_lines(run, domain.name)
    if upstream:
        lines += [*([""] if own else []),
                  f"Products of other domains that {domain.name} reads were failing or late in run {run.run_id} "
                  f"(target {run.target}):", "", *upstream]
    lines += ["", "Where to look:",
              "- the files named above;",
              f"- dbt's log for the failing nodes: `{project.relative(project.log_file)}`;",
              f"- the whole run: `{folder}/summary.md`, `{folder}/summary.json`, `{folder}/junit.xml`.", "",
              "Once fixed, `mesh nightly --resume` re-runs only what failed or was skipped."]
    return "\n".join(lines) + "\n"


def failure_lines(domain: DomainResult, limit: int, folder: str) -> list[str]:
    failed = domain.of(FAILED)
    shown = failed[:limit]
    lines = []
    for item in shown:
        where = f" (`{item.path}`)" if item.path and item.path != item.name else ""
        lines.append(f"- {item.kind} `{item.name}` failed{where}: {item.message or 'no message'}")
        lines += [f"  - {detail}" for detail in item.details]
        if item.related:
            lines.append(f"  - skipped because of it: {_skipped_because(item.related)}")
    if len(failed) > limit:
        lines.append(f"- ... and {len(failed) - limit} more failure(s): see `{folder}/summary.json`")
    skipped = domain.of(SKIPPED)
    lines += [f"- {item.message}" for item in skipped if item.kind == "parse"]  # left out with the domain it reads
    skipped = [item for item in skipped if item.kind != "parse"]
    if skipped:
        names = ", ".join(f"{item.kind} {item.name}" for item in skipped[:limit])
        more = f" and {len(skipped) - limit} more" if len(skipped) > limit else ""
        lines.append(f"- skipped ({len(skipped)}), because something upstream failed: {names}{more}")
    return lines


def _skipped_because(related: tuple[str, ...], shown: int = 8) -> str:
    """The models a failure skipped, by name, and how many of its tests: short enough to read."""
    models = [label.removeprefix("model ") for label in related if label.startswith("model ")]
    others = len(related) - len(models)
    text = ", ".join(models[:shown]) + (f" and {len(models) - shown} more model(s)" if len(models) > shown else "")
    if others:
        text += f"{'; ' if models else ''}{others} test(s) or other node(s)"
    return text


def dbt_counts(domain: DomainResult) -> str:
    ok = failed = skipped = 0
    for kind in DBT_KINDS:
        counts = domain.counts(kind)
        ok, failed, skipped = ok + counts[PASSED] + counts[WARNED], failed + counts[FAILED], skipped + counts[SKIPPED]
    return f"{ok} / {failed} / {skipped}"


def lint_counts(domain: DomainResult) -> str:
    counts = domain.counts("lint")
    total = sum(counts.values())
    return f"{counts[FAILED]} of {total} files" if counts[FAILED] else (f"{total} files clean" if total else "-")


def quality_counts(domain: DomainResult) -> str:
    counts = domain.counts("quality")
    ran = counts[PASSED] + counts[FAILED]
    text = f"{counts[PASSED]}/{ran} passed" if ran else "-"
    return text + (f", {counts[SKIPPED]} product(s) skipped" if counts[SKIPPED] else "")
