"""What the rules look at: each node's facts, read out of the manifest once.

The manifest (dicts, or the typed structs of manifest_file) is read into compact structs: per node the few
values the rules use, with what follows from the node alone (its domain, folder, layer, access, relation,
columns without a type or a description, PII and masked columns, primary key) worked out once. They are
plain data, so they can be kept on disk (see manifest_cache) and read back far faster than the manifest.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import msgspec

from ..graph import Domain, MeshGraph
from .relation_cache import sql_key
from .sql_relations import relation_key

LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}
CONSUMERS = ("model", "test", "analysis", "snapshot")
MASKING_MACRO = "mask_pii"
MASKED = re.compile(MASKING_MACRO + r"\s*\((?:[^()]|\([^()]*\))*\)\s*}}\s*as\s+\"?(\w+)", re.IGNORECASE)
MENTIONS_MASKING = re.compile(MASKING_MACRO, re.IGNORECASE)


class _Facts(msgspec.Struct, frozen=True, gc=False, array_like=True, omit_defaults=True):
    """Immutable, untracked by the garbage collector (no cycles), stored as arrays."""


class NodeFacts(_Facts):
    unique_id: str
    resource_type: str
    name: str
    path: str | None
    domain: str | None
    parents: tuple[str, ...] = ()
    folder: str | None = None  # <domain> of models/<domain>/...
    layer: str | None = None  # staging, intermediate or marts of models/<domain>/<layer>/...
    access: str = "protected"
    group: str | None = None
    relation: str | None = None  # schema.table, as relation_key gives it
    sql: str | None = None  # compiled SQL written by hand (not a generic test's): what ACC002 parses
    sql_key: bytes | None = None  # its key in the relation cache (relation_cache.sql_key)
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

    @property
    def is_public(self) -> bool:
        return self.access == "public"

    @property
    def label(self) -> str:
        return format_label(self.resource_type, self.name, self.version, self.source_name)


class GroupFacts(_Facts):
    unique_id: str
    name: str
    path: str | None


class ManifestFacts(_Facts):
    dialect: str
    domains: dict[str, Domain]
    groups: tuple[GroupFacts, ...]
    nodes: dict[str, NodeFacts]
    sources: dict[str, NodeFacts]


class FactIndex:
    """The facts indexed for the rules: models, products, consumers, and the tests of each model."""

    def __init__(self, facts: ManifestFacts):
        self.dialect, self.domains, self.groups = facts.dialect, facts.domains, facts.groups
        self.nodes, self.sources = facts.nodes, facts.sources

    @cached_property
    def models(self) -> list[NodeFacts]:
        return [node for node in self.nodes.values() if node.resource_type == "model"]

    @cached_property
    def products(self) -> list[NodeFacts]:
        """Public models: the domains' data products."""
        return [node for node in self.models if node.is_public]

    @cached_property
    def consumers(self) -> list[NodeFacts]:
        """Nodes whose dependencies the access rules govern: models, tests, analyses and snapshots."""
        return [node for node in self.nodes.values() if node.resource_type in CONSUMERS]

    @cached_property
    def tests_of(self) -> dict[str, list[NodeFacts]]:
        """Tests per model they test (a generic test's attached node; a singular test's model parents)."""
        tested = defaultdict(list)
        for node in self.nodes.values():
            if node.resource_type == "test":
                for target in [node.attached_node] if node.attached_node else node.parents:
                    tested[target].append(node)
        return tested

    def node(self, unique_id: str) -> NodeFacts | None:
        return self.nodes.get(unique_id) or self.sources.get(unique_id)

    def domain_of(self, unique_id: str) -> str | None:
        node = self.node(unique_id)
        return node.domain if node else None

    def label(self, unique_id: str) -> str:
        node = self.node(unique_id)
        return node.label if node else unique_id


def extract(manifest: Mapping) -> ManifestFacts:
    """The facts of every node, source and group of a manifest (dicts or manifest_file structs)."""
    graph = MeshGraph(manifest)
    dialect = (manifest.get("metadata") or {}).get("adapter_type") or "duckdb"
    return ManifestFacts(
        dialect=dialect, domains=graph.domains,
        groups=tuple(GroupFacts(group.get("unique_id", uid), group["name"], group.get("original_file_path"))
                     for uid, group in manifest.get("groups", {}).items()),
        nodes={uid: node_facts(uid, node, graph, dialect) for uid, node in graph.nodes.items()},
        sources={uid: node_facts(uid, node, graph, dialect) for uid, node in manifest.get("sources", {}).items()})


def node_facts(uid: str, node, graph: MeshGraph, dialect: str) -> NodeFacts:
    config = node.get("config") or {}
    kind = node.get("resource_type")
    metadata = node.get("test_metadata") or {}
    sql = (node.get("compiled_code") or None) if kind in CONSUMERS and not metadata else None
    columns = node.get("columns") or {}
    raw_code = node.get("raw_code") or ""
    folder, layer = folders(node.get("original_file_path") or "")
    return NodeFacts(
        unique_id=uid, resource_type=kind, name=node.get("name", uid), path=node.get("original_file_path"),
        domain=graph.domain_of(uid), parents=tuple(parents(node)), folder=folder, layer=layer, access=access(node),
        group=node.get("group") or config.get("group"), relation=relation_key(node.get("relation_name")),
        sql=sql, sql_key=sql_key(dialect, sql) if sql else None,
        attached_node=node.get("attached_node"), test_name=metadata.get("name"),
        test_column=(metadata.get("kwargs") or {}).get("column_name"), version=node.get("version"),
        source_name=node.get("source_name"), described=described(node), columns=tuple(columns),
        untyped=tuple(column["name"] for column in columns.values() if not column.get("data_type")),
        undescribed=tuple(column["name"] for column in columns.values() if not described(column)),
        pii=tuple(column["name"].lower() for column in columns.values() if is_pii(column)),
        primary_key=tuple(primary_key(node)), contract_enforced=bool((config.get("contract") or {}).get("enforced")),
        sla=meta(node).get("sla"),
        masked=tuple(sorted(masked_columns(raw_code))) if MENTIONS_MASKING.search(raw_code) else ())


def is_pii(column) -> bool:
    """Tagged `meta: {pii: true}`, under config (which wins) or at the top of the column."""
    tags = (column.get("config") or {}).get("meta") or {}
    return bool(tags["pii"] if "pii" in tags else (column.get("meta") or {}).get("pii"))


def described(node_or_column) -> bool:
    return bool((node_or_column.get("description") or "").strip())


def format_label(resource_type: str | None, name: str, version, source_name: str | None) -> str:
    """How a node is named in messages: `name`, `name.v2`, or `source system.table`."""
    if resource_type == "source":
        return f"source {source_name}.{name}"
    return name + (f".v{version}" if version is not None else "")


def parents(node) -> list[str]:
    return list((node.get("depends_on") or {}).get("nodes") or [])


def access(node) -> str:
    return node.get("access") or (node.get("config") or {}).get("access") or "protected"


def meta(node) -> dict:
    return (node.get("config") or {}).get("meta") or node.get("meta") or {}


def primary_key(node) -> list[str]:
    """The primary-key columns a model declares, as a column or a model constraint."""
    for constraint in node.get("constraints") or []:
        if constraint.get("type") == "primary_key":
            return list(constraint.get("columns") or [])
    return [column["name"] for column in (node.get("columns") or {}).values()
            if any(c.get("type") == "primary_key" for c in column.get("constraints") or [])]


def masked_columns(raw_code: str) -> set[str]:
    """Columns a model computes as `{{ mask_pii(...) }} as <column>`."""
    return {name.lower() for name in MASKED.findall(raw_code or "")}


def folders(path: str) -> tuple[str | None, str | None]:
    """(`<domain>`, `<layer>`) of `models/<domain>/<layer>/...`: None outside a domain folder or a layer."""
    parts = [] if path.startswith("/") else [part for part in path.split("/") if part not in ("", ".")]
    if len(parts) <= 2 or parts[0] != "models":
        return None, None
    return parts[1], (parts[2] if len(parts) > 3 and parts[2] in LAYERS else None)
