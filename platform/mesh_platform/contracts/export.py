"""A data product's ODCS v3 contract, built from the parsed manifest (no warehouse)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import MeshError
from ..manifest import Domain, Mesh, Node
from ..manifest.nodes import column_flags, meta, primary_key, version_text
from ..quality.suites import ExpectationSpec, suite_entries, suite_path
from ..writers.yaml import dump_yaml
from . import odcs
from .runnable_rules import runnable
from .servers import Target
from .validation import schema_problem


def export_contracts(mesh: Mesh, root: Path, names: list[str], target: Target | None = None) -> dict[str, dict]:
    """The ODCS document of each named data product (latest version); a MeshError for an unknown product.
    With `target`, the profile's target the products are built in, each names it in `servers`."""
    products = mesh.latest_products()
    unknown = next((name for name in names if name not in products), None)
    if unknown is not None:
        raise MeshError(f"unknown data product '{unknown}'; the data products are: "
                        f"{', '.join(sorted(products)) or 'none'}")
    unique_tested = _unique_tested_columns(mesh)
    return {name: _contract(mesh, root, products[name], unique_tested.get(products[name].unique_id, set()), target)
            for name in names}


def export_contract(mesh: Mesh, root: Path, name: str, target: Target | None = None) -> dict:
    """One data product's ODCS document (see export_contracts)."""
    return export_contracts(mesh, root, [name], target)[name]


def _contract(mesh: Mesh, root: Path, node: Node, unique_tested: set[str], target: Target | None) -> dict:
    name, version = node.name, version_text(node)
    if version is None:
        raise MeshError(f"data product {name} has no version ({node.original_file_path}); add latest_version and "
                        f"versions: [{{v: 1}}]")
    domain = mesh.owner(mesh.domain_of(node.unique_id))
    settings = meta(node)
    description = (node.description or "").strip()
    document: dict[str, Any] = {"apiVersion": odcs.API_VERSION, "kind": odcs.KIND, "id": node.unique_id, "name": name,
                "version": version,
                "status": str(settings.get("status") or (domain.status if domain else "") or "active")}
    if domain:
        document["domain"] = domain.name
    document["dataProduct"] = name
    if description:
        document["description"] = {"purpose": description}
    servers = target.servers(str(node.schema)) if target else []
    if servers:
        document["servers"] = servers
    document["schema"] = [_schema_object(root, node, description, unique_tested)]
    if domain and domain.owner_name:
        document["team"] = _team(domain)
    sla = _sla_properties(name, settings.get("sla"))
    if sla:
        document["slaProperties"] = sla
    problem = schema_problem(document)
    if problem:  # a platform bug, not the user's: say so plainly
        raise MeshError(f"the exported contract of {name} is not valid ODCS ({problem}); please report this")
    return document


def to_yaml(document: dict) -> str:
    """The document as YAML, under a comment saying what it is."""
    owner = f" (domain {document['domain']})" if document.get("domain") else ""
    return (f"# ODCS {document['apiVersion']} contract of the data product {document['name']} v{document['version']}"
            f"{owner}, exported by `mesh contract export`.\n" + dump_yaml(document))


def _schema_object(root: Path, node: Node, description: str, unique_tested: set[str]) -> dict:
    # the table as tools name it: bare, inside the server's schema (the product's)
    table = node.alias or node.name
    # what the consumer queries: an incremental model (or a snapshot) is a table like any other
    materialized = node.config.materialized or "table"
    entry: dict[str, Any] = {"name": node.name, "physicalType": "view" if materialized == "view" else "table",
             "physicalName": table, "logicalType": "object"}
    if description:
        entry["description"] = description
    key = primary_key(node)
    properties = [_property(column, key, unique_tested) for column in node.columns.values()]
    entry["properties"] = properties
    quality = _suite_rules(suite_path(root, node), root, {entry["name"]: entry for entry in properties})
    if quality:
        entry["quality"] = quality
    return entry


def _property(column: Any, key: list[str], unique_tested: set[str]) -> dict:
    name = column["name"]
    kinds = [constraint.get("type") for constraint in column.get("constraints") or []]
    entry: dict[str, Any] = {"name": name}
    data_type = column.get("data_type")
    if data_type:
        entry.update(physicalType=data_type, logicalType=odcs.exported_logical_type(data_type))
    description = (column.get("description") or "").strip()
    if description:
        entry["description"] = description
    if name in key or "not_null" in kinds:
        entry["required"] = True
    if name in key or "unique" in kinds or name in unique_tested:
        entry["unique"] = True
    if name in key:
        entry.update(primaryKey=True, primaryKeyPosition=key.index(name) + 1)
    flags = column_flags(column)
    custom = [{"property": flag, "value": flags[flag]} for flag in odcs.PII_FLAGS if flag in flags]
    if custom:
        entry["customProperties"] = custom
    checks = [{"type": "sql", "description": odcs.CHECK_DESCRIPTION,
               "query": odcs.CHECK_QUERY.format(expression=constraint["expression"]), "mustBe": 0}
              for constraint in column.get("constraints") or [] if constraint.get("type") == "check"]
    if checks:
        entry["quality"] = checks
    return entry


def _unique_tested_columns(mesh: Mesh) -> dict[str, set[str]]:
    """Model -> its columns with an unconditional `unique` data test."""
    columns: dict[str, set[str]] = {}
    for node in mesh.nodes.values():
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") == "unique" and node.get("attached_node") \
                and not (node.get("config") or {}).get("where"):
            column = (metadata.get("kwargs") or {}).get("column_name")
            if column:
                columns.setdefault(node["attached_node"], set()).add(column)
    return columns


def _team(domain: Domain) -> dict:
    team: dict[str, Any] = {"name": domain.owner_name}
    if domain.description:
        team["description"] = domain.description
    members = [{"username": email.strip(), "name": domain.owner_name, "role": "owner"}
               for email in domain.owner_email.split(",") if email.strip()]
    if members:
        team["members"] = members
    if domain.team_handle:
        team["customProperties"] = [{"property": odcs.TEAM_HANDLE, "value": domain.team_handle}]
    return team


def _sla_properties(name: str, sla) -> list[dict]:
    entries = []
    for key, value in (sla or {}).items() if isinstance(sla, dict) else ():
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise MeshError(f"meta.sla.{key} of {name} is not a plain value; ODCS SLA values are text or numbers")
        entry: dict[str, Any] = {"property": odcs.SLA_PROPERTIES.get(key, key), "value": value}
        if key == "max_staleness_hours":
            entry["unit"] = "h"
        entries.append(entry)
    return entries


def _suite_rules(path: Path, root: Path, properties: dict[str, dict]) -> list[dict]:
    """The product's quality suite as ODCS custom rules of engine greatExpectations (none without a suite),
    followed by the table's rules other tools run; a column's go onto its property (see runnable_rules)."""
    rules, derived = [], []
    for expectation in suite_entries(path, root):
        rule: dict[str, Any] = {"type": "custom", "engine": odcs.GX_ENGINE}
        notes = str(expectation["notes"] or "")
        if notes:
            rule["description"] = notes
        rule["implementation"] = {"type": expectation["type"], "kwargs": expectation["kwargs"]}
        rules.append(rule)
        found = runnable(expectation["type"], expectation["kwargs"],
                         notes or ExpectationSpec(expectation["type"], expectation["kwargs"]).label())
        if found is None:
            continue
        if found.column is None:
            derived += found.rules
        elif found.column in properties:
            properties[found.column].setdefault("quality", []).extend(found.rules)
    return rules + derived


def tool_skipped_rules(document: dict) -> list[str]:
    """The contract's Great Expectations rules no other tool runs (no rule derived from them): their types."""
    table = document["schema"][0]
    columns = {entry["name"] for entry in table.get("properties") or []}
    skipped = []
    for rule in table.get("quality") or []:
        if rule.get("engine") == odcs.GX_ENGINE:
            implementation = rule["implementation"]
            found = runnable(implementation["type"], implementation["kwargs"])
            if found is None or (found.column is not None and found.column not in columns):
                skipped.append(implementation["type"])
    return skipped
