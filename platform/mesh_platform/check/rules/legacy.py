"""Legacy containment: the monolith only shrinks."""

from __future__ import annotations

from ...manifest import dependents_on, legacy_domain_name
from ..context import CheckContext
from ..registry import Violation, rule

LEGACY_RULE = "LEG001"


@rule(LEGACY_RULE)
def no_new_dependency_on_legacy(ctx: CheckContext):
    """Other domains do not depend on legacy models; the ones recorded in the baseline may only go away.

    Rationale: every new dependency on the monolith makes decommissioning it longer.
    Anti-pattern: a new analytics model reading `legacy_loan_book` because it is already there.
    Best practice: use (or ask for) the owning domain's data product; existing dependencies are
    recorded with `mesh check --write-baseline` and each handover removes some.
    Scope: models, tests, analyses and snapshots of other domains or of none, as `mesh legacy status` counts.
    """
    facts = ctx.facts
    legacy = legacy_domain_name(facts.domains)
    if legacy is None:
        return
    consumers = ((node.unique_id, node.domain, node.foreign_parents) for node in facts.consumers)
    for uid, used in dependents_on(legacy, consumers, facts.domain_of).items():
        node = facts.nodes[uid]
        where = node.domain or "no domain"
        for parent in used:
            yield Violation(LEGACY_RULE, uid, f"{node.label} ({where}) depends on {legacy} model "
                            f"{facts.label(parent)}; use the owning domain's product", node.domain, node.path, parent)
