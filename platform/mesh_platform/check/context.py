"""What a check looks at: the manifest (as reports read it) and its facts, indexed once (as rules read them)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from ..graph import MeshGraph
from .facts import FactIndex, ManifestFacts, access, extract
from .relation_cache import RelationCache


class CheckContext:
    def __init__(self, manifest, project_root: Path | None = None, cache_dir: Path | None = None,
                 facts: ManifestFacts | None = None):
        """`manifest`: dicts or manifest_file structs (None when `facts` were read from the cache instead);
        `cache_dir`: where facts derived from it are kept across runs (None: nowhere)."""
        self.manifest = manifest
        self.project_root = project_root
        self.relation_cache = RelationCache(cache_dir)
        self._facts = facts

    @cached_property
    def facts(self) -> FactIndex:
        """The rules' view: every node's facts (see facts.py)."""
        return FactIndex(self._facts or extract(self.manifest))

    @cached_property
    def graph(self) -> MeshGraph:
        return MeshGraph(self.manifest)

    @cached_property
    def domains(self):
        return self.graph.domains if self.manifest is not None else self.facts.domains

    @cached_property
    def nodes(self) -> dict[str, dict]:
        return self.manifest.get("nodes", {})

    @cached_property
    def sources(self) -> dict[str, dict]:
        return self.manifest.get("sources", {})

    @cached_property
    def domain_of(self) -> dict[str, str | None]:
        return {uid: node.domain for uid, node in (*self.facts.nodes.items(), *self.facts.sources.items())}

    @cached_property
    def models(self) -> list[dict]:
        return [node for node in self.nodes.values() if node.get("resource_type") == "model"]

    @cached_property
    def tests_of(self) -> dict[str, list[dict]]:
        """The test nodes per model they test (see FactIndex.tests_of)."""
        return {target: [self.nodes[test.unique_id] for test in tests]
                for target, tests in self.facts.tests_of.items()}

    def tables_read(self, statements: dict[bytes, str], dialect: str) -> dict[bytes, frozenset[str]]:
        """The tables each compiled SQL statement (`{sql_key: sql}`) reads, cached in cache_dir."""
        return self.relation_cache.tables_read(statements, dialect)

    def is_public(self, node: dict) -> bool:
        return access(node) == "public"

    def label(self, unique_id: str) -> str:
        return self.facts.label(unique_id)
