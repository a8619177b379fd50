"""A data product version's contract as the consumers see it, read from a manifest dict."""

from __future__ import annotations

from dataclasses import dataclass

from ..check.facts import access


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


def product_versions(manifest: dict, graph) -> dict[tuple[str, str | None], ProductVersion]:
    """Every version of every model that is public in this manifest, by (name, version)."""
    found = {}
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model":
            continue
        version = None if node.get("version") is None else str(node["version"])
        found[(node["name"], version)] = ProductVersion(
            unique_id=uid, name=node["name"], version=version,
            latest_version=None if node.get("latest_version") is None else str(node["latest_version"]),
            domain=graph.domain_of(uid), access=access(node),
            enforced=bool(((node.get("config") or {}).get("contract") or {}).get("enforced")),
            columns={name: ColumnContract(" ".join(str(column.get("data_type") or "").lower().split()),
                                          frozenset(_constraint(c) for c in column.get("constraints") or []),
                                          " ".join(str(column.get("description") or "").split()))
                     for name, column in (node.get("columns") or {}).items()},
            constraints=frozenset(_constraint(c) for c in node.get("constraints") or []),
            description=" ".join(str(node.get("description") or "").split()),
            deprecation_date=None if node.get("deprecation_date") is None else str(node["deprecation_date"]),
            path=node.get("original_file_path", ""))
    return found


def _constraint(constraint: dict) -> str:
    kind = constraint.get("type") or ""
    columns = constraint.get("columns") or []
    expression = constraint.get("expression")
    detail = ", ".join(columns) if columns else (str(expression) if expression else "")
    return f"{kind}({detail})" if detail else str(kind)
