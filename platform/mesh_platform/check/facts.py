"""What the rules look at: each node's facts, read out of the manifest once.

The mesh (the manifest model's index, see mesh_platform.manifest) is read into compact structs: per node the few
values the rules use, with what follows from the node and its parents (its domain, folder, layer, access,
relation, columns without a type or a description, PII and masked columns, primary key, parents in other
domains, the relations its SQL may read) worked out once. They are plain data, so they can be kept on disk
(see manifest_cache) and read back far faster than the manifest.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any, NamedTuple

import msgspec

from ..manifest import CONSUMER_KINDS, Domain, Mesh, Node, placement
from ..manifest.nodes import (
    DEFAULT_ACCESS,
    column_flags,
    format_label,
    jinja_queries,
    masked_columns,
    pii_columns,
    relation_key,
)
from .relation_cache import sql_key


class _Facts(msgspec.Struct, frozen=True, gc=False, array_like=True, omit_defaults=True):
    """Immutable, untracked by the garbage collector (no cycles), stored as arrays."""


class NodeFacts(_Facts, frozen=True):
    unique_id: str
    resource_type: str
    name: str
    path: str | None
    domain: str | None
    parents: tuple[str, ...] = ()
    foreign_parents: tuple[str, ...] = ()  # ... of which those of another domain, or of none
    folder: str | None = None  # <domain> of models/<domain>/...
    layer: str | None = None  # staging, intermediate or marts of models/<domain>/<layer>/...
    access: str = "protected"
    group: str | None = None
    relation: str | None = None  # schema.table, as relation_key gives it
    sql: str | None = None  # compiled SQL written by hand (not a generic test's): what ACC002 parses
    sql_key: bytes | None = None  # its key in the relation cache (relation_cache.sql_key)
    readable: tuple[str | None, ...] = ()  # the relations that SQL may read: its own and its parents'
    attached_node: str | None = None
    test_name: str | None = None  # a generic test's kind (unique, not_null, ...)
    test_column: Any = None
    version: Any = None
    source_name: str | None = None
    described: bool = False
    columns: tuple[str, ...] = ()  # the columns declared
    untyped: tuple[str, ...] = ()  # ... of which those without a data_type
    undescribed: tuple[str, ...] = ()  # ... and those without a description
    pii: tuple[str, ...] = ()  # columns tagged meta.pii (config's meta over the column's own), lower-cased
    primary_key: tuple[str, ...] = ()
    contract_enforced: bool = False
    sla: Any = None  # meta.sla
    masked: tuple[str, ...] = ()  # columns computed as {{ mask_pii(...) }} as <column>, lower-cased
    masked_tags: tuple[str, ...] = ()  # columns tagged meta.masked (published masked), lower-cased
    jinja_queries: tuple[str, ...] = ()  # how its Jinja runs SQL of its own while compiling (run_query, ...)
    jinja_sql: tuple[str, ...] = ()  # ... the SQL of those given as a plain string (checked by ACC002)
    grants: Any = None  # dbt's grants config ({privilege: [grantee, ...]}), when it has one
    project: str | None = None  # the dbt project it comes from (a mesh of projects has several)

    @property
    def is_public(self) -> bool:
        return self.access == "public"

    @property
    def label(self) -> str:
        return format_label(self.resource_type, self.name, self.version, self.source_name)


class GroupFacts(_Facts, frozen=True):
    unique_id: str
    name: str
    path: str | None


class ManifestFacts(_Facts, frozen=True):
    dialect: str
    domains: dict[str, Domain]
    groups: tuple[GroupFacts, ...]
    nodes: dict[str, NodeFacts]
    sources: dict[str, NodeFacts]


class FactIndex:
    """The facts indexed for the rules: models, products, consumers (models, tests, analyses and snapshots:
    nodes whose dependencies the access rules govern), and the tests of each node."""

    def __init__(self, facts: ManifestFacts):
        self.dialect, self.domains, self.groups = facts.dialect, facts.domains, facts.groups
        self.nodes, self.sources = facts.nodes, facts.sources
        self.models: list[NodeFacts] = []
        self.consumers: list[NodeFacts] = []
        self.tests_of: dict[str, list[NodeFacts]] = defaultdict(list)  # by a generic test's attached node,
        for node in self.nodes.values():  # or a singular test's parents
            kind = node.resource_type
            if kind in CONSUMER_KINDS:
                self.consumers.append(node)
            if kind == "model":
                self.models.append(node)
            elif kind == "test":
                for target in (node.attached_node,) if node.attached_node else node.parents:
                    self.tests_of[target].append(node)

    @cached_property
    def products(self) -> list[NodeFacts]:
        """Public models: the domains' data products."""
        return [node for node in self.models if node.is_public]

    @cached_property
    def guarded_models(self) -> dict[str, str]:
        """The domain of each model that is not public (models in no domain left out)."""
        return {node.unique_id: node.domain for node in self.models if not node.is_public and node.domain is not None}

    @cached_property
    def domain_sources(self) -> dict[str, str]:
        """The domain of each source declared in a domain's folder."""
        return {uid: source.folder for uid, source in self.sources.items() if source.folder in self.domains}

    @cached_property
    def pii_of(self) -> dict[str, tuple[str, ...]]:
        """The PII columns of each node or source that has any."""
        return {node.unique_id: node.pii for node in (*self.nodes.values(), *self.sources.values()) if node.pii}

    def node(self, unique_id: str) -> NodeFacts | None:
        return self.nodes.get(unique_id) or self.sources.get(unique_id)

    def domain_of(self, unique_id: str) -> str | None:
        node = self.node(unique_id)
        return node.domain if node else None

    def label(self, unique_id: str) -> str:
        node = self.node(unique_id)
        return node.label if node else unique_id


def extract(manifest) -> ManifestFacts:
    """The facts of every node, source and group of a manifest (a Mesh, a manifest's structs, or dicts)."""
    mesh = manifest if isinstance(manifest, Mesh) else Mesh(manifest)
    dialect = mesh.dialect
    everything = {**mesh.nodes, **mesh.sources}
    neighbours = Neighbourhood({uid: mesh.domain_of(uid) for uid in everything},
                               {uid: relation_key(node.relation_name) for uid, node in everything.items()})
    return ManifestFacts(
        dialect=dialect, domains=mesh.domains,
        groups=tuple(GroupFacts(group.unique_id, group.name, group.original_file_path or None)
                     for group in mesh.groups.values()),
        nodes={uid: node_facts(node, neighbours, dialect, mesh.project_of.get(uid)) for uid, node in mesh.nodes.items()
               if not mesh.is_package_node(uid)},
        sources={uid: node_facts(node, neighbours, dialect, mesh.project_of.get(uid))
                 for uid, node in mesh.sources.items() if not mesh.is_package_node(uid)})


class Neighbourhood(NamedTuple):
    """What a node's facts need to know of the others: the domain and the relation of each."""

    domain_of: dict[str, str | None]
    relation_of: dict[str, str | None]


def node_facts(node: Node, neighbours: Neighbourhood, dialect: str, project: str | None = None) -> NodeFacts:
    """A node's facts, from its typed struct (attributes, not `.get`: this runs for every node of the mesh)."""
    config, kind, metadata = node.config, node.resource_type, node.test_metadata
    sql = (node.compiled_code or None) if kind in CONSUMER_KINDS and metadata is None else None
    domain, relation = neighbours.domain_of[node.unique_id], neighbours.relation_of[node.unique_id]
    parents = node.depends_on.nodes
    path = node.original_file_path or None
    where = placement(node.original_file_path)
    folder, layer = (where.folder, where.layer) if where.root == "models" else (None, None)
    untyped, undescribed, keyed = [], [], []
    for column in node.columns.values():
        if not column.data_type:
            untyped.append(column.name)
        if not (column.description or "").strip():
            undescribed.append(column.name)
        if any(constraint.type == "primary_key" for constraint in column.constraints):
            keyed.append(column.name)
    key = next((constraint.columns or [] for constraint in node.constraints if constraint.type == "primary_key"),
               keyed)
    queries, literals = jinja_queries(node.raw_code or "") if kind in CONSUMER_KINDS else ((), ())
    return NodeFacts(
        unique_id=node.unique_id, resource_type=kind, name=node.name, path=path, domain=domain,
        parents=tuple(parents),
        foreign_parents=tuple(uid for uid in parents if neighbours.domain_of.get(uid) != domain),
        folder=folder, layer=layer, access=node.access or config.access or DEFAULT_ACCESS,
        group=node.group or config.group, relation=relation, sql=sql, sql_key=sql_key(dialect, sql) if sql else None,
        readable=(relation, *map(neighbours.relation_of.get, parents)) if sql else (),
        attached_node=node.attached_node, test_name=metadata.name if metadata else None,
        test_column=metadata.kwargs.get("column_name") if metadata else None, version=node.version,
        source_name=node.source_name, described=bool((node.description or "").strip()), columns=tuple(node.columns),
        untyped=tuple(untyped), undescribed=tuple(undescribed), pii=pii_columns(node), primary_key=tuple(key),
        contract_enforced=bool(config.contract.enforced), sla=(config.meta or node.meta).get("sla"),
        masked=tuple(sorted(masked_columns(node.raw_code or ""))),
        masked_tags=tuple(column.name.lower() for column in node.columns.values()
                          if column_flags(column).get("masked")),
        jinja_queries=queries, jinja_sql=literals, grants=dict(config.grants) or None, project=project)


