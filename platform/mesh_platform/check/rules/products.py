"""Products: a public model is a data product, so it carries a contract, a tested key, docs, a version and an SLA."""

from __future__ import annotations

from ..context import CheckContext
from ..facts import NodeFacts
from ..registry import Violation, rule


def _violation(code: str, node: NodeFacts, problem: str) -> Violation:
    return Violation(code, node.unique_id, f"data product {node.label} {problem}", node.domain, node.path)


@rule("PRD001")
def product_contract_enforced(ctx: CheckContext):
    """A public model has an enforced contract.

    Rationale: consumers build on the product's schema; only an enforced contract stops a change that
    breaks them from being published.
    Anti-pattern: `access: public` with no `contract: {enforced: true}`.
    Best practice: enforce the contract and declare every column with its data type.
    """
    for node in ctx.facts.products:
        if not node.contract_enforced:
            yield _violation("PRD001", node, "has no enforced contract; set config.contract.enforced: true")


@rule("PRD002")
def product_columns_typed_and_described(ctx: CheckContext):
    """Every column of a public model is declared with a data type and a description.

    Rationale: the contract is the consumer's documentation; an undocumented column is a guess.
    Anti-pattern: `columns:` listing names only, or a product with no columns declared.
    Best practice: `- name: ..., data_type: ..., description: ...` for each column.
    """
    for node in ctx.facts.products:
        if not node.columns:
            yield _violation("PRD002", node, "declares no columns; list each with data_type and description")
            continue
        if node.untyped:
            yield _violation("PRD002", node, f"has columns without data_type: {', '.join(node.untyped)}")
        if node.undescribed:
            yield _violation("PRD002", node, f"has columns without description: {', '.join(node.undescribed)}")


def _tested(ctx: CheckContext, node: NodeFacts, key: tuple[str, ...]) -> bool:
    tests = ctx.facts.tests_of.get(node.unique_id, ())
    if len(key) == 1:
        return {"unique", "not_null"} <= {test.test_name for test in tests if test.test_column == key[0]}
    return any("unique_combination" in (test.test_name or "") for test in tests)


@rule("PRD003")
def product_primary_key_tested(ctx: CheckContext):
    """A public model declares a primary key and tests it (unique and not_null).

    Rationale: consumers join on the key; a duplicate silently multiplies their numbers.
    Anti-pattern: no primary_key constraint, or a key nobody tests on the built data.
    Best practice: a `primary_key` constraint on the key column and `data_tests: [unique, not_null]`.
    """
    for node in ctx.facts.products:
        key = node.primary_key
        if not key:
            yield _violation("PRD003", node, "declares no primary key; add a primary_key constraint")
        elif not _tested(ctx, node, key):
            yield _violation("PRD003", node, f"does not test its key {', '.join(key)} with unique and not_null")


@rule("PRD004")
def product_versioned(ctx: CheckContext):
    """A public model declares a version.

    Rationale: a breaking change must ship as a new version beside the old one, so consumers can move.
    Anti-pattern: an unversioned public model, where every change lands on every consumer at once.
    Best practice: `latest_version: 1` and `versions: [{v: 1}]` from the first release.
    """
    for node in ctx.facts.products:
        if node.version is None:
            yield _violation("PRD004", node, "has no version; add latest_version and versions: [{v: 1}]")


@rule("PRD005")
def product_described(ctx: CheckContext):
    """A public model has a description.

    Rationale: the catalog is where consumers decide whether to use a product.
    Anti-pattern: a product known only by its table name.
    Best practice: say what one row is, where the data comes from and what it is for.
    """
    for node in ctx.facts.products:
        if not node.described:
            yield _violation("PRD005", node, "has no description")


@rule("PRD006")
def product_sla_declared(ctx: CheckContext):
    """A public model declares its SLA in `meta.sla`, with `max_staleness_hours`.

    Rationale: consumers must know how fresh the data is promised to be, and the platform must know
    when to alert.
    Anti-pattern: a product that is refreshed "when the job runs".
    Best practice: `config: {meta: {sla: {refresh: daily, available_by: "06:00 UTC", max_staleness_hours: 24}}}`.
    """
    for node in ctx.facts.products:
        hours = node.sla.get("max_staleness_hours") if isinstance(node.sla, dict) else None
        if not isinstance(hours, (int, float)) or isinstance(hours, bool) or hours <= 0:
            yield _violation("PRD006", node, "declares no SLA; set config.meta.sla.max_staleness_hours")
