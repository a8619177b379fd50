"""What a check looks at: the mesh (as reports read it) and its facts, indexed once (as rules read them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from functools import cached_property
from pathlib import Path

from ..manifest import Mesh
from ..manifest.lineage import Schema
from ..manifest.pii import LINEAGE_KINDS, LineageNode, PiiFlow, follow_pii, lineage_node
from ..masking import MASKING_FUNCTION
from .facts import FactIndex, ManifestFacts, NodeFacts, extract
from .relation_cache import RelationCache
from .sql_relations import Tables


class CheckContext:
    def __init__(self, manifest, project_root: Path | None = None, cache_dir: Path | None = None,
                 facts: ManifestFacts | None = None, warehouse: Callable[[], Schema | None] | None = None):
        """`manifest`: a Mesh, or what a Mesh is made of (None when `facts` were read from the cache instead);
        `cache_dir`: where facts derived from it are kept across runs (None: nowhere); `warehouse`: gives the
        columns of the built relations (for `select *` in column lineage), None when there is no warehouse."""
        self.mesh = manifest if manifest is None or isinstance(manifest, Mesh) else Mesh(manifest)
        self.project_root = project_root
        self.relation_cache = RelationCache(cache_dir)
        self.warehouse = warehouse
        self.masking: Collection[str] = {MASKING_FUNCTION}  # mesh.yml may declare more (check_context)
        self.left_out: dict = {}  # domains a quarantined parse left out: {name: Domain}, for whole-mesh rules
        self.projects: list = []  # a mesh of projects: every project (projects.config.MeshProject), root first
        self._facts = facts

    def agreements(self):
        """Every project's access agreements (paths relative to the root), and the files that could not be read."""
        from ..access import load_agreements

        if self.project_root is None:
            return [], []
        filed, unreadable = load_agreements(self.project_root)
        for member in self.projects[1:]:
            prefix = member.root.relative_to(self.project_root).as_posix()
            theirs, bad = load_agreements(member.root)
            filed += [dataclasses.replace(entry, path=f"{prefix}/{entry.path}") for entry in theirs]
            unreadable += [dataclasses.replace(entry, path=f"{prefix}/{entry.path}") for entry in bad]
        return filed, unreadable

    @property
    def project_folders(self) -> dict[str, str]:
        """{graduated domain: its project's folder, relative to the root}; empty for a single project."""
        from ..projects.config import graduated_folders

        if self.project_root is None or not self.projects:
            return {}
        return graduated_folders(self.project_root, self.projects)

    @cached_property
    def facts(self) -> FactIndex:
        """The rules' view: every node's facts (see facts.py)."""
        return FactIndex(self._facts or extract(self.mesh))

    @property
    def domains(self):
        return self.facts.domains

    @property
    def compiled(self) -> bool:
        """Whether the models carry compiled SQL (a parse alone gives none)."""
        return any(node.sql for node in self.facts.models)

    @cached_property
    def pii_flow(self) -> PiiFlow:
        """Where personal data goes, column by column (manifest.pii), from the compiled SQL."""
        facts = self.facts
        nodes = [_lineage_node(node) for node in (*facts.nodes.values(), *facts.sources.values())
                 if node.resource_type in LINEAGE_KINDS]
        return follow_pii(nodes, facts.dialect, self.warehouse() if self.warehouse else None, self.masking)

    def tables_read(self, statements: dict[bytes, str], dialect: str) -> dict[bytes, Tables]:
        """The tables each compiled SQL statement (`{sql_key: sql}`) reads, cached in cache_dir."""
        return self.relation_cache.tables_read(statements, dialect)

    def label(self, unique_id: str) -> str:
        return self.facts.label(unique_id)


def _lineage_node(node: NodeFacts) -> LineageNode:
    return lineage_node(node.unique_id, node.relation, node.parents, node.sql, node.columns, node.pii,
                        node.masked_tags)
