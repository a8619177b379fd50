"""Tests: every model is tested at least once."""

from __future__ import annotations

from ..context import CheckContext
from ..registry import Violation, rule


@rule("TST001")
def model_has_a_test(ctx: CheckContext):
    """Every model has at least one data test.

    Rationale: an untested model breaks silently, and its consumers find out first.
    Anti-pattern: a model with no `data_tests:` and no singular test reading it.
    Best practice: at least a unique and not_null test on the model's grain.
    """
    facts = ctx.facts
    for node in facts.models:
        if not facts.tests_of.get(node.unique_id):
            yield Violation("TST001", node.unique_id, f"{node.label} has no test", node.domain, node.path)
