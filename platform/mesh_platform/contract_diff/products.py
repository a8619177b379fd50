"""A data product version's contract as the consumers see it, read from the mesh."""

from __future__ import annotations

from dataclasses import dataclass

from ..manifest import Mesh
from ..manifest.nodes import access, text, version_text


@dataclass(frozen=True)
class ColumnContract:
    data_type: str
    constraints: frozenset[str]
    description: str


@dataclass(frozen=True)
class ProductVersion:
    unique_id: str
    name: str
    version: str | None
    latest_version: str | None
    domain: str | None
    access: str
    enforced: bool
    columns: dict[str, ColumnContract]
    constraints: frozenset[str]  # model-level constraints, e.g. "primary_key(a, b)"
    description: str
    deprecation_date: str | None
    path: str

    @property
    def label(self) -> str:
        return self.name if self.version is None else f"{self.name} v{self.version}"


def product_versions(mesh: Mesh) -> dict[tuple[str, str | None], ProductVersion]:
    """Every version of every model of the mesh (public or not: access changes are contract changes), by
    (name, version)."""
    found = {}
    for node in mesh.models():
        found[(node.name, version_text(node))] = ProductVersion(
            unique_id=node.unique_id, name=node.name, version=version_text(node),
            latest_version=None if node.latest_version is None else str(node.latest_version),
            domain=mesh.domain_of(node.unique_id), access=access(node), enforced=node.config.contract.enforced,
            columns={name: ColumnContract(text(column.data_type).lower(),
                                          frozenset(_constraint(c) for c in column.constraints),
                                          text(column.description))
                     for name, column in node.columns.items()},
            constraints=frozenset(_constraint(c) for c in node.constraints),
            description=text(node.description),
            deprecation_date=None if node.deprecation_date is None else str(node.deprecation_date),
            path=node.original_file_path)
    return found


def _constraint(constraint) -> str:
    kind = constraint.type or ""
    columns = constraint.columns or []
    expression = constraint.expression
    detail = ", ".join(columns) if columns else (str(expression) if expression else "")
    return f"{kind}({detail})" if detail else str(kind)
