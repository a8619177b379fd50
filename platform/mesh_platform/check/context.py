"""What the rules look at: the manifest, indexed once (domains, layers, parents, tests) so each rule is O(n)."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from pathlib import Path, PurePosixPath

from ..graph import MeshGraph

LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}
CONSUMERS = ("model", "test", "analysis", "snapshot")


class CheckContext:
    def __init__(self, manifest: dict, project_root: Path | None = None):
        self.manifest = manifest
        self.graph = MeshGraph(manifest)
        self.project_root = project_root
        self.nodes: dict[str, dict] = manifest.get("nodes", {})
        self.sources: dict[str, dict] = manifest.get("sources", {})
        self.domains = self.graph.domains
        self.domain_of = {uid: self.graph.domain_of(uid) for uid in (*self.nodes, *self.sources)}

    @cached_property
    def models(self) -> list[dict]:
        return [node for node in self.nodes.values() if node.get("resource_type") == "model"]

    @cached_property
    def consumers(self) -> list[dict]:
        """Nodes whose dependencies the access rules govern: models, tests, analyses and snapshots."""
        return [node for node in self.nodes.values() if node.get("resource_type") in CONSUMERS]

    @cached_property
    def tests_of(self) -> dict[str, list[dict]]:
        """Tests per model they test (a generic test's attached node; a singular test's model parents)."""
        tested = defaultdict(list)
        for node in self.nodes.values():
            if node.get("resource_type") != "test":
                continue
            targets = [node["attached_node"]] if node.get("attached_node") else parents(node)
            for target in targets:
                tested[target].append(node)
        return tested

    def folder_domain(self, node: dict) -> str | None:
        """The `<domain>` of `models/<domain>/...` (declared or not); None outside a domain folder."""
        parts = PurePosixPath(node.get("original_file_path", "")).parts
        return parts[1] if len(parts) > 2 and parts[0] == "models" else None

    def layer(self, node: dict) -> str | None:
        """`staging`, `intermediate` or `marts` from `models/<domain>/<layer>/...`; None elsewhere."""
        parts = PurePosixPath(node.get("original_file_path", "")).parts
        return parts[2] if len(parts) > 3 and parts[0] == "models" and parts[2] in LAYERS else None

    def is_public(self, node: dict) -> bool:
        return access(node) == "public"

    def label(self, unique_id: str) -> str:
        node = self.nodes.get(unique_id) or self.sources.get(unique_id) or {}
        if node.get("resource_type") == "source":
            return f"source {node['source_name']}.{node['name']}"
        version = node.get("version")
        return f"{node.get('name', unique_id)}" + (f".v{version}" if version is not None else "")


def parents(node: dict) -> list[str]:
    return list((node.get("depends_on") or {}).get("nodes") or [])


def access(node: dict) -> str:
    return node.get("access") or (node.get("config") or {}).get("access") or "protected"


def meta(node: dict) -> dict:
    return (node.get("config") or {}).get("meta") or node.get("meta") or {}
