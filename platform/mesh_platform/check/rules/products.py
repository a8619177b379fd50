"""Products: a public model is a data product, so it carries a contract, a tested key, docs, a version and an SLA."""

from __future__ import annotations

from ..context import CheckContext, meta
from ..registry import Violation, rule


def _products(ctx: CheckContext):
    return [node for node in ctx.models if ctx.is_public(node)]


def _violation(ctx: CheckContext, code: str, node: dict, problem: str) -> Violation:
    uid = node["unique_id"]
    return Violation(code, uid, f"data product {ctx.label(uid)} {problem}", ctx.domain_of[uid],
                     node.get("original_file_path"))


@rule("PRD001")
def product_contract_enforced(ctx: CheckContext):
    """A public model has an enforced contract.

    Rationale: consumers build on the product's schema; only an enforced contract stops a change that
    breaks them from being published.
    Anti-pattern: `access: public` with no `contract: {enforced: true}`.
    Best practice: enforce the contract and declare every column with its data type.
    """
    for node in _products(ctx):
        if not ((node.get("config") or {}).get("contract") or {}).get("enforced"):
            yield _violation(ctx, "PRD001", node, "has no enforced contract; set config.contract.enforced: true")


@rule("PRD002")
def product_columns_typed_and_described(ctx: CheckContext):
    """Every column of a public model is declared with a data type and a description.

    Rationale: the contract is the consumer's documentation; an undocumented column is a guess.
    Anti-pattern: `columns:` listing names only, or a product with no columns declared.
    Best practice: `- name: ..., data_type: ..., description: ...` for each column.
    """
    for node in _products(ctx):
        columns = (node.get("columns") or {}).values()
        if not columns:
            yield _violation(ctx, "PRD002", node, "declares no columns; list each with data_type and description")
            continue
        untyped = [c["name"] for c in columns if not c.get("data_type")]
        undescribed = [c["name"] for c in columns if not (c.get("description") or "").strip()]
        if untyped:
            yield _violation(ctx, "PRD002", node, f"has columns without data_type: {', '.join(untyped)}")
        if undescribed:
            yield _violation(ctx, "PRD002", node, f"has columns without description: {', '.join(undescribed)}")


def primary_key(node: dict) -> list[str]:
    """The primary-key columns a model declares, as a column or a model constraint."""
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "primary_key":
            return list(constraint.get("columns") or [])
    return [column["name"] for column in (node.get("columns") or {}).values()
            if any(c.get("type") == "primary_key" for c in column.get("constraints") or [])]


def _tested(ctx: CheckContext, node: dict, key: list[str]) -> bool:
    kinds = {}
    for test in ctx.tests_of.get(node["unique_id"], []):
        metadata = test.get("test_metadata") or {}
        kinds.setdefault(metadata.get("name"), set()).add((metadata.get("kwargs") or {}).get("column_name"))
    if len(key) == 1:
        return key[0] in kinds.get("unique", set()) and key[0] in kinds.get("not_null", set())
    return any("unique_combination" in (name or "") for name in kinds)


@rule("PRD003")
def product_primary_key_tested(ctx: CheckContext):
    """A public model declares a primary key and tests it (unique and not_null).

    Rationale: consumers join on the key; a duplicate silently multiplies their numbers.
    Anti-pattern: no primary_key constraint, or a key nobody tests on the built data.
    Best practice: a `primary_key` constraint on the key column and `data_tests: [unique, not_null]`.
    """
    for node in _products(ctx):
        key = primary_key(node)
        if not key:
            yield _violation(ctx, "PRD003", node, "declares no primary key; add a primary_key constraint")
        elif not _tested(ctx, node, key):
            yield _violation(ctx, "PRD003", node, f"does not test its key {', '.join(key)} with unique and not_null")


@rule("PRD004")
def product_versioned(ctx: CheckContext):
    """A public model declares a version.

    Rationale: a breaking change must ship as a new version beside the old one, so consumers can move.
    Anti-pattern: an unversioned public model, where every change lands on every consumer at once.
    Best practice: `latest_version: 1` and `versions: [{v: 1}]` from the first release.
    """
    for node in _products(ctx):
        if node.get("version") is None:
            yield _violation(ctx, "PRD004", node, "has no version; add latest_version and versions: [{v: 1}]")


@rule("PRD005")
def product_described(ctx: CheckContext):
    """A public model has a description.

    Rationale: the catalog is where consumers decide whether to use a product.
    Anti-pattern: a product known only by its table name.
    Best practice: say what one row is, where the data comes from and what it is for.
    """
    for node in _products(ctx):
        if not (node.get("description") or "").strip():
            yield _violation(ctx, "PRD005", node, "has no description")


@rule("PRD006")
def product_sla_declared(ctx: CheckContext):
    """A public model declares its SLA in `meta.sla`, with `max_staleness_hours`.

    Rationale: consumers must know how fresh the data is promised to be, and the platform must know
    when to alert.
    Anti-pattern: a product that is refreshed "when the job runs".
    Best practice: `config: {meta: {sla: {refresh: daily, available_by: "06:00 UTC", max_staleness_hours: 24}}}`.
    """
    for node in _products(ctx):
        sla = meta(node).get("sla")
        hours = sla.get("max_staleness_hours") if isinstance(sla, dict) else None
        if not isinstance(hours, (int, float)) or isinstance(hours, bool) or hours <= 0:
            yield _violation(ctx, "PRD006", node, "declares no SLA; set config.meta.sla.max_staleness_hours")
