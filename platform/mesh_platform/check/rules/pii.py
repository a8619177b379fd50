"""PII: personal data leaves a domain only masked."""

from __future__ import annotations

from ...manifest.nodes import MASKING_MACRO
from ..context import CheckContext
from ..registry import Violation, rule


@rule("PII001")
def pii_masked_in_products(ctx: CheckContext):
    """A public model exposes a PII column only masked with mask_pii(), or it is not public.

    Rationale: a data product is read by everyone; personal data must not travel with it.
    Anti-pattern: publishing `email` as is, or a PII column from upstream under the same name.
    Best practice: `{{ mask_pii('email') }} as email_hash`, tagged `meta: {pii: true, masked: true}`.
    """
    facts = ctx.facts
    pii_of = facts.pii_of
    for node in facts.products:
        upstream = [column for parent in node.parents if parent in pii_of for column in pii_of[parent]]
        if not (node.pii or upstream):
            continue
        exposed = set(node.pii) | (set(upstream) & {column.lower() for column in node.columns})
        for column in sorted(exposed - set(node.masked)):
            yield Violation("PII001", node.unique_id,
                            f"data product {node.label} exposes PII column {column} unmasked; select "
                            f"{{{{ {MASKING_MACRO}('{column}') }}}} as {column}_hash, or make the model private",
                            node.domain, node.path, column)
