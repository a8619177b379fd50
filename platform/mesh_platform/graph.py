"""The mesh as the platform sees it: domains (dbt groups), their models and data products.

Built from a dbt manifest as a plain dict (`manifest.json`, or the in-memory manifest written out), so
rules and reports can be tested on small fixture manifests without running dbt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import MeshError

DOMAIN_ROOTS = ("models", "seeds", "tests", "analyses", "snapshots")


@dataclass(frozen=True)
class Domain:
    """A business domain: one dbt group, one folder `models/<name>/`, one owner."""

    name: str
    owner_name: str
    owner_email: str
    team_handle: str
    description: str
    status: str


@dataclass(frozen=True)
class Model:
    unique_id: str
    name: str
    version: str | None
    domain: str | None
    access: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.name}.v{self.version}" if self.version is not None else self.name


class MeshGraph:
    """Read-only view over a manifest dict: which domain owns each node, and what each domain publishes."""

    def __init__(self, manifest):
        """`manifest`: a manifest dict, or the typed manifest of manifest_file.load_manifest."""
        self.manifest = manifest
        self.nodes: dict[str, dict] = manifest.get("nodes", {})
        self.domains: dict[str, Domain] = dict(
            sorted((group["name"], domain_from_group(group)) for group in manifest.get("groups", {}).values())
        )

    @classmethod
    def from_file(cls, path: Path) -> MeshGraph:
        from .manifest_file import load_manifest

        return cls(load_manifest(path))

    def domain_of(self, unique_id: str) -> str | None:
        """The domain owning a node: its group; for a test, the group of the node it tests; else its folder."""
        node = self.nodes.get(unique_id) or self.manifest.get("sources", {}).get(unique_id) \
            or self.manifest.get("exposures", {}).get(unique_id)
        if node is None:
            return None
        group = node.get("group") or node.get("config", {}).get("group")
        if group:
            return group
        attached = node.get("attached_node")
        if attached and attached in self.nodes:
            return self.domain_of(attached)
        return domain_from_path(node.get("original_file_path", ""), self.domains)

    def models(self, domain: str | None = None) -> list[Model]:
        found = []
        for unique_id, node in self.nodes.items():
            if node.get("resource_type") != "model":
                continue
            model = Model(
                unique_id=unique_id,
                name=node["name"],
                version=None if node.get("version") is None else str(node["version"]),
                domain=self.domain_of(unique_id),
                access=node.get("access") or node.get("config", {}).get("access") or "protected",
                path=node.get("original_file_path", ""),
            )
            if domain is None or model.domain == domain:
                found.append(model)
        return sorted(found, key=lambda m: (m.domain or "", m.name, m.version or ""))

    def products(self, domain: str | None = None) -> list[Model]:
        """Public models, the domains' data products (every version)."""
        return [model for model in self.models(domain) if model.access == "public"]

    def require_domain(self, name: str) -> Domain:
        if name not in self.domains:
            known = ", ".join(self.domains) or "none"
            raise MeshError(f"unknown domain '{name}'; the domains are: {known}")
        return self.domains[name]


def domain_from_path(path: str, domains) -> str | None:
    """The declared domain whose folder holds the file (`models/<domain>/...`, `tests/<domain>/...`, ...)."""
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) > 2 and parts[0] in DOMAIN_ROOTS and parts[1] in domains else None


def domain_from_group(group) -> Domain:
    """A Domain from a group (a manifest entry or the YAML declaring it)."""
    owner = group.get("owner") or {}
    meta = (group.get("config") or {}).get("meta") or {}
    email = owner.get("email") or ""
    return Domain(
        name=group["name"],
        owner_name=owner.get("name") or "",
        owner_email=", ".join(email) if isinstance(email, list) else email,
        team_handle=owner.get("team_handle") or "",
        description=" ".join((group.get("description") or "").split()),
        status=str(meta.get("status", "")),
    )
