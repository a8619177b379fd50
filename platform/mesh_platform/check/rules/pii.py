"""PII: personal data leaves a domain only masked, followed column by column through every transformation."""

from __future__ import annotations

from ...manifest.nodes import MASKING_MACRO
from ..context import CheckContext
from ..registry import Violation, rule


@rule("PII001")
def pii_masked_in_products(ctx: CheckContext):
    """A public model publishes no personal data unmasked, whatever it is renamed or computed into.

    Rationale: a data product is read by everyone; personal data must not travel with it.
    Anti-pattern: publishing `email` as is, or as `upper(email) as contact`, `phone || '' as dial`, or through
    an untagged intermediate model that renames it.
    Best practice: `{{ mask_pii('email') }} as email_hash`, tagged `meta: {pii: true, masked: true}`.
    Scope: with compiled SQL, each column's lineage (manifest.lineage) from the columns tagged `meta.pii`; a
    parse alone has no SQL, so then only tagged columns and same-named columns of the model's parents count.
    """
    facts = ctx.facts
    if not ctx.compiled:
        yield from _by_name(ctx)
        return
    flow = ctx.pii_flow
    for node in facts.products:
        for column, leak in sorted(flow.pii.get(node.unique_id, {}).items()):
            carried = ", ".join(f"{name} of {facts.label(uid)}" for uid, name in leak.carries) or "tagged pii"
            yield Violation("PII001", node.unique_id,
                            f"data product {node.label} publishes personal data unmasked in column {column} "
                            f"({carried}); select {{{{ {MASKING_MACRO}(...) }}}} for it, or make the model private",
                            node.domain, node.path, column)


@rule("PII002", severity="warn", needs_compiled_sql=True)
def pii_lineage_followed(ctx: CheckContext):
    """Where a model reads personal data, the lineage of every column can be followed.

    Rationale: a column whose origin is unknown may carry personal data unseen into a product.
    Anti-pattern: `select *` over a relation whose columns are not known (the warehouse not built yet), SQL
    the parser cannot read, a column name that two joined relations both have, left unqualified.
    Best practice: build first (`mesh build`: the warehouse gives every relation's columns), name the
    columns, qualify them with their table.
    """
    facts = ctx.facts
    if not ctx.compiled:  # the engine does not run it then (needs_compiled_sql); called directly, it finds nothing
        return
    for uid, reasons in sorted(ctx.pii_flow.unresolved.items()):
        node = facts.nodes.get(uid)
        if node is None or node.resource_type != "model":
            continue
        shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
        yield Violation("PII002", uid, f"{node.label} reads personal data, but the lineage of some of its columns "
                        f"cannot be followed: {shown}", node.domain, node.path)


def _by_name(ctx: CheckContext):
    """Without compiled SQL: tagged columns, and columns named as a parent's PII column, unless masked."""
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
