"""What a check looks at: the mesh (as reports read it) and its facts, indexed once (as rules read them)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from ..manifest import Mesh
from .facts import FactIndex, ManifestFacts, extract
from .relation_cache import RelationCache
from .sql_relations import Tables


class CheckContext:
    def __init__(self, manifest, project_root: Path | None = None, cache_dir: Path | None = None,
                 facts: ManifestFacts | None = None):
        """`manifest`: a Mesh, or what a Mesh is made of (None when `facts` were read from the cache instead);
        `cache_dir`: where facts derived from it are kept across runs (None: nowhere)."""
        self.mesh = manifest if manifest is None or isinstance(manifest, Mesh) else Mesh(manifest)
        self.project_root = project_root
        self.relation_cache = RelationCache(cache_dir)
        self._facts = facts

    @cached_property
    def facts(self) -> FactIndex:
        """The rules' view: every node's facts (see facts.py)."""
        return FactIndex(self._facts or extract(self.mesh))

    @property
    def domains(self):
        return self.facts.domains

    def tables_read(self, statements: dict[bytes, str], dialect: str) -> dict[bytes, Tables]:
        """The tables each compiled SQL statement (`{sql_key: sql}`) reads, cached in cache_dir."""
        return self.relation_cache.tables_read(statements, dialect)

    def label(self, unique_id: str) -> str:
        return self.facts.label(unique_id)
