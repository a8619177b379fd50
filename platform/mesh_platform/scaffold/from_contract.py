"""`mesh product new --from-contract`: the files of a data product scaffolded from its ODCS contract.

The contract was read and checked by contracts.importer; here it becomes NAME.sql (a typed skeleton the team
replaces with the real query), NAME.yml (the contract, enforced exactly as agreed) and NAME.quality.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..changeset import Changeset
from ..contracts.importer import Contract, ContractColumn
from ..manifest import Domain
from ..quality.suites import DEFAULT_SUITE, SUITE_SUFFIX
from ..writers.yaml import dump_yaml
from .product import product_yaml
from .render import render

SUITE_HEADER = (
    "# Quality suite of the data product {name}, run by `mesh quality` (Great Expectations, in the warehouse).\n"
    "# The quality rules of its ODCS contract. The contract's promises (columns in order and their types, not-null\n"
    "# columns, the unique key) are checked without being listed.\n")


def plan_from_contract(root: Path, domain: Domain, name: str, contract: Contract) -> Changeset:
    """NAME.sql (typed skeleton), NAME.yml (the contract, enforced) and NAME.quality.yml (its quality rules)."""
    changes = Changeset(root)
    base = f"models/{domain.name}/marts/{name}"
    changes.create(f"{base}.sql", render("product_from_contract.sql", columns=contract.columns))
    meta = {"status": contract.status} if contract.status != (domain.status or "active") else {}
    changes.create(f"{base}.yml", product_yaml(name, contract.description, [_column_entry(c) for c in contract.columns],
                                               version=contract.version, sla=contract.sla, meta=meta))
    changes.create(f"{base}{SUITE_SUFFIX}", _suite(name, contract))
    return changes


def _column_entry(column: ContractColumn) -> dict:
    entry: dict[str, Any] = {"name": column.name, "data_type": column.data_type,
                             "description": column.description}
    constraints = [{"type": "primary_key"}] if column.primary_key else [{"type": "not_null"}] if column.required else []
    constraints += [{"type": "check", "expression": expression} for expression in column.checks]
    tests = ["unique", "not_null"] if column.primary_key else ["unique"] if column.unique else []
    if constraints:
        entry["constraints"] = constraints
    if column.pii:
        entry["config"] = {"meta": {"pii": True, "masked": True}}
        tests.append("pii_masked")
    if tests:
        entry["data_tests"] = tests
    return entry


def _suite(name: str, contract: Contract) -> str:
    if not contract.expectations:
        return DEFAULT_SUITE.format(name=name)
    entries = []
    for spec, notes in contract.expectations:
        entries.append({"type": spec.type, "kwargs": spec.kwargs, **({"notes": notes} if notes else {})})
    return SUITE_HEADER.format(name=name) + dump_yaml({"expectations": entries})
