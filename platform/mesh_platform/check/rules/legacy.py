"""Legacy containment: the monolith only shrinks."""

from __future__ import annotations

from ..context import CheckContext, parents
from ..registry import Violation, rule

LEGACY_DOMAIN = "legacy"
LEGACY_RULE = "LEG001"


@rule(LEGACY_RULE)
def no_new_dependency_on_legacy(ctx: CheckContext):
    """Other domains do not depend on legacy models; the ones recorded in the baseline may only go away.

    Rationale: every new dependency on the monolith makes decommissioning it longer.
    Anti-pattern: a new analytics model reading `legacy_loan_book` because it is already there.
    Best practice: use (or ask for) the owning domain's data product; existing dependencies are
    recorded with `mesh check --write-baseline` and each handover removes some.
    """
    if LEGACY_DOMAIN not in ctx.domains:
        return
    for node in ctx.consumers:
        uid, domain = node["unique_id"], ctx.domain_of[node["unique_id"]]
        if domain in (None, LEGACY_DOMAIN):
            continue
        for parent in parents(node):
            if parent.startswith("model.") and ctx.domain_of.get(parent) == LEGACY_DOMAIN:
                yield Violation(LEGACY_RULE, uid, f"{ctx.label(uid)} ({domain}) depends on legacy model "
                                f"{ctx.label(parent)}; use the owning domain's product",
                                domain, node.get("original_file_path"), parent)
