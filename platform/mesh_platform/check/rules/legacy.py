"""Legacy containment: the monolith only shrinks."""

from __future__ import annotations

from ..context import CheckContext
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
    facts = ctx.facts
    if LEGACY_DOMAIN not in facts.domains:
        return
    for node in facts.consumers:
        if node.domain in (None, LEGACY_DOMAIN):
            continue
        for parent in node.foreign_parents:
            if parent.startswith("model.") and facts.domain_of(parent) == LEGACY_DOMAIN:
                yield Violation(LEGACY_RULE, node.unique_id, f"{node.label} ({node.domain}) depends on legacy model "
                                f"{facts.label(parent)}; use the owning domain's product",
                                node.domain, node.path, parent)
