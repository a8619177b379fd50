"""`mesh product new`: a public data product over a model of the same domain, its contract read from the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..changeset import Changeset
from ..dbt_session import DbtSession, describe_failure
from ..errors import MeshError
from ..manifest import Mesh, load_manifest
from ..manifest.nodes import relation_key
from ..manifest.pii import PiiFlow, follow_pii, mesh_lineage_nodes
from ..masking import MASKING_FUNCTION
from ..names import PLAIN_COLUMN, check_name, check_text
from ..quality.suites import DEFAULT_SUITE, SUITE_SUFFIX
from ..writers.yaml import dump_dbt_yaml
from .render import render

DEFAULT_SLA = {"refresh": "daily", "available_by": "06:00 UTC", "max_staleness_hours": 24}


@dataclass(frozen=True)
class ProductColumn:
    name: str
    data_type: str
    description: str
    source_column: str
    pii: bool = False

    @property
    def expression(self) -> str:
        return f"{{{{ mask_pii('{self.source_column}') }}}} as {self.name}" if self.pii else self.name


@dataclass(frozen=True)
class NewProduct:
    domain: str
    name: str
    source_model: str
    key: str
    description: str
    columns: tuple[ProductColumn, ...]


def validate_product(session: DbtSession, domain: str, name: str, from_model: str, key: str,
                     description: str) -> NewProduct:
    """Check every input against the parsed project and the warehouse; else one MeshError."""
    mesh = session.mesh()
    check_new_product(mesh, domain, name)
    description = check_text("description", description)
    models = mesh.models()
    candidates = [model for model in models if model.name == from_model]
    if not candidates:
        own = ", ".join(sorted({m.name for m in mesh.models(domain)})[:12]) or "none"
        raise MeshError(f"unknown model '{from_model}'; models of domain {domain}: {own}")
    node = candidates[-1]  # the latest version of a versioned model
    owner = mesh.domain_of(node.unique_id)
    if owner != domain:
        raise MeshError(f"'{from_model}' belongs to domain {owner}; a product of {domain} selects from "
                        f"one of {domain}'s own models")
    described, compiled = _warehouse_columns(session, node.unique_id, domain)
    if key not in described:
        raise MeshError(f"column '{key}' is not in {from_model}; its columns are: {', '.join(described)}")
    lineage = _lineage(session, compiled)
    personal = lineage.columns(node.unique_id)
    columns = tuple(_product_column(column, data_type, column.lower() in personal,
                                    _description(compiled, node.unique_id, column, lineage), from_model, key)
                    for column, data_type in described.items())
    return NewProduct(domain, name, from_model, key, description, columns)


def check_new_product(mesh, domain: str, name: str) -> None:
    """The domain exists, the name is allowed and no model has it yet; else one MeshError."""
    mesh.require_domain(domain)
    check_name("product", name)
    clash = next((model for model in mesh.models() if model.name == name), None)
    if clash:
        raise MeshError(f"a model named '{name}' already exists in domain {mesh.domain_of(clash.unique_id)} "
                        f"({clash.original_file_path}); choose another product name")


def _warehouse_columns(session: DbtSession, unique_id: str, domain: str) -> tuple[dict[str, str], Mesh]:
    """Column -> data type of the model's compiled query, as the warehouse describes it; and the mesh with the
    compiled SQL of the model and everything upstream of it (for its lineage)."""
    name = unique_id.split(".")[2]
    compiled = session.invoke(["compile", "--select", f"+{name}", "--quiet"])
    node = next((r.node for r in (compiled.result.results if compiled.result else []) if r.node.unique_id == unique_id),
                None)
    if not compiled.success or node is None:
        raise MeshError(f"could not compile {name}: {describe_failure(compiled, session.project)}")
    shown = session.invoke(["show", "--inline", "{% raw %}describe " + node.compiled_code + "{% endraw %}",
                            "--limit", "10000"])
    if not shown.success:
        raise MeshError(f"could not read the columns of {name} from the warehouse; build its domain first "
                        f"(`mesh build --domain {domain}`): {describe_failure(shown, session.project)}")
    table = shown.result.results[0].agate_table
    return ({row["column_name"]: str(row["column_type"]).lower() for row in table.rows},
            Mesh(load_manifest(session.project.target_dir / "manifest.json")))


def _lineage(session: DbtSession, compiled: Mesh) -> PiiFlow:
    """Where personal data goes in the compiled part of the mesh, `select *` expanded from the warehouse."""
    from ..warehouse import warehouse_columns

    return follow_pii(mesh_lineage_nodes(compiled), compiled.dialect,
                      warehouse_columns(session.project, session.target), {MASKING_FUNCTION})


def _description(compiled: Mesh, unique_id: str, column: str, lineage: PiiFlow) -> str:
    """The column's own description, else that of the one upstream column it is a copy of; else none (so that
    `mesh check` asks the owner for one, PRD002), never a placeholder."""
    own = compiled.nodes[unique_id].columns.get(column)
    if own is not None and (own.description or "").strip():
        return (own.description or "").strip()
    traced = lineage.traced.get(unique_id)
    origin = traced.columns.get(column.lower()) if traced else None
    owners = {relation_key(node.relation_name): uid for uid, node in (*compiled.nodes.items(),
                                                                        *compiled.sources.items())}
    if origin is None or len(origin.reads | origin.masked) != 1:
        return ""
    relation, name = next(iter(origin.reads | origin.masked))
    upstream = compiled.node(owners.get(relation, ""))
    documented = next((c for c in (upstream.columns.values() if upstream else ()) if c.name.lower() == name), None)
    return (documented.description or "").strip() if documented is not None else ""


def _product_column(column: str, data_type: str, personal: bool, description: str, from_model: str,
                    key: str) -> ProductColumn:
    if not PLAIN_COLUMN.fullmatch(column):
        raise MeshError(f"column '{column}' of {from_model} is not a plain lowercase name; rename it there first")
    if personal:
        if column == key:
            raise MeshError(f"key column '{key}' is personal data; a product's key must not be PII")
        masked = f"{description} Masked with mask_pii." if description else "Masked with mask_pii."
        return ProductColumn(f"{column}_hash", "varchar", masked, column, pii=True)
    return ProductColumn(column, data_type, description, column)


def plan_product(session: DbtSession, product: NewProduct) -> Changeset:
    changes = Changeset(session.project.root)
    base = f"models/{product.domain}/marts/{product.name}"
    changes.create(f"{base}.sql", render("product.sql", columns=product.columns, source_model=product.source_model))
    columns = []
    for column in product.columns:
        entry: dict[str, Any] = {"name": column.name, "data_type": column.data_type}
        if column.description:
            entry["description"] = column.description
        if column.name == product.key:
            entry.update(constraints=[{"type": "primary_key"}], data_tests=["unique", "not_null"])
        if column.pii:
            entry.update(config={"meta": {"pii": True, "masked": True}}, data_tests=["pii_masked"])
        columns.append(entry)
    changes.create(f"{base}.yml", product_yaml(product.name, product.description, columns))
    changes.create(f"{base}{SUITE_SUFFIX}", DEFAULT_SUITE.format(name=product.name))
    return changes


def product_yaml(name: str, description: str, columns: list[dict], version: int = 1, sla: dict | None = None,
                 meta: dict | None = None) -> str:
    """NAME.yml of a data product: public, versioned, contract enforced, its SLA (default: DEFAULT_SLA). Plain
    text in: dump_dbt_yaml writes what dbt would render as Jinja (descriptions, meta) as a literal."""
    return dump_dbt_yaml({"models": [{
        "name": name,
        "description": description,
        "access": "public",
        "latest_version": version,
        "config": {"contract": {"enforced": True}, "meta": {**(meta or {}), "sla": dict(sla or DEFAULT_SLA)}},
        "columns": columns,
        "versions": [{"v": version}],
    }]})
