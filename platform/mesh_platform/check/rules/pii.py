"""PII: personal data leaves a domain only masked."""

from __future__ import annotations

import re

from ..context import CheckContext, parents
from ..registry import Violation, rule

MASKING_MACRO = "mask_pii"


def pii_columns(node: dict) -> set[str]:
    """Columns tagged `meta: {pii: true}` (under config or at the top of the column)."""
    found = set()
    for column in (node.get("columns") or {}).values():
        tags = {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}
        if tags.get("pii"):
            found.add(column["name"].lower())
    return found


def masked_columns(raw_code: str) -> set[str]:
    """Columns a model computes as `{{ mask_pii(...) }} as <column>`."""
    pattern = re.compile(MASKING_MACRO + r"\s*\((?:[^()]|\([^()]*\))*\)\s*}}\s*as\s+\"?(\w+)", re.IGNORECASE)
    return {name.lower() for name in pattern.findall(raw_code or "")}


@rule("PII001")
def pii_masked_in_products(ctx: CheckContext):
    """A public model exposes a PII column only masked with mask_pii(), or it is not public.

    Rationale: a data product is read by everyone; personal data must not travel with it.
    Anti-pattern: publishing `email` as is, or a PII column from upstream under the same name.
    Best practice: `{{ mask_pii('email') }} as email_hash`, tagged `meta: {pii: true, masked: true}`.
    """
    for node in ctx.models:
        if not ctx.is_public(node):
            continue
        upstream = set()
        for parent in parents(node):
            upstream |= pii_columns(ctx.nodes.get(parent) or ctx.sources.get(parent) or {})
        declared = {column.lower() for column in node.get("columns") or {}}
        exposed = pii_columns(node) | (upstream & declared)
        for column in sorted(exposed - masked_columns(node.get("raw_code", ""))):
            uid = node["unique_id"]
            yield Violation("PII001", uid,
                            f"data product {ctx.label(uid)} exposes PII column {column} unmasked; select "
                            f"{{{{ {MASKING_MACRO}('{column}') }}}} as {column}_hash, or make the model private",
                            ctx.domain_of[uid], node.get("original_file_path"), column)
