"""Personal data followed through the mesh, column by column: a column is PII when any column it is computed
from is PII, renamed or transformed, until it passes through a masking function.

It starts from the columns tagged `meta.pii` (and not `masked`) on sources and models, and follows the models in
dependency order with column lineage (lineage.trace), tracing only the models that read personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from .lineage import Schema, Traced, trace


@dataclass(frozen=True)
class LineageNode:
    """What following personal data needs to know of one node (a model or a source)."""

    unique_id: str
    relation: str | None  # `schema.table`, lower-cased (relation_key)
    parents: tuple[str, ...] = ()
    sql: str | None = None  # compiled SQL (models); None for sources, or when not compiled
    columns: tuple[str, ...] = ()  # declared columns, lower-cased
    tagged: tuple[str, ...] = ()  # columns tagged pii and not masked, lower-cased


@dataclass(frozen=True)
class Leak:
    """A PII column of a node, with the upstream PII column(s) it carries."""

    column: str
    carries: tuple[tuple[str, str], ...]  # (unique id, column) of upstream personal data; empty when tagged here


@dataclass
class PiiFlow:
    pii: dict[str, dict[str, Leak]] = field(default_factory=dict)  # node -> its PII columns
    unresolved: dict[str, list[str]] = field(default_factory=dict)  # node reading PII -> what was not followed
    traced: dict[str, Traced] = field(default_factory=dict)  # node -> its columns' lineage (the nodes traced)

    def columns(self, uid: str) -> set[str]:
        return set(self.pii.get(uid, {}))


Tracer = Callable[[str, Schema], Traced]
LINEAGE_KINDS = ("model", "source", "seed", "snapshot")  # what holds data other nodes read


def lineage_node(uid: str, relation: str | None, parents: Iterable[str], sql: str | None, columns: Iterable[str],
                 pii: Iterable[str], masked: Iterable[str]) -> LineageNode:
    """A node as follow_pii reads it: `pii`, `masked`: the columns tagged so (lower-cased); a column tagged both
    is published masked, so it carries no personal data on."""
    published_masked = set(masked)
    return LineageNode(uid, relation, tuple(parents), sql, tuple(column.lower() for column in columns),
                       tuple(column for column in pii if column not in published_masked))


def mesh_lineage_nodes(mesh) -> list[LineageNode]:
    """The lineage nodes of a Mesh (the compiled SQL its manifests carry)."""
    from .nodes import column_flags, is_pii, relation_key

    found = []
    for uid, node in (*mesh.nodes.items(), *mesh.sources.items()):
        if node.resource_type not in LINEAGE_KINDS:
            continue
        columns = node.columns.values()
        found.append(lineage_node(uid, relation_key(node.relation_name), node.depends_on.nodes,
                                  node.compiled_code if node.resource_type in ("model", "snapshot") else None,
                                  (column.name for column in columns),
                                  (column.name.lower() for column in columns if is_pii(column)),
                                  (column.name.lower() for column in columns if column_flags(column).get("masked"))))
    return found


def follow_pii(nodes: Iterable[LineageNode], dialect: str, warehouse: Schema | None,
               masking: Collection[str], tracer: Tracer | None = None) -> PiiFlow:
    """Where personal data goes. `nodes` in any order (sources included); `warehouse`: the columns of the built
    relations, for `select *` (None: only what is declared or traced); `tracer`: lineage.trace with the
    dialect and masking bound (a cache may stand in)."""
    tracer = tracer or (lambda sql, schema: trace(sql, dialect, schema, masking))
    by_id = {node.unique_id: node for node in nodes}
    owner = {node.relation: node.unique_id for node in by_id.values() if node.relation}
    flow = PiiFlow()
    for node in by_id.values():
        if node.tagged:
            flow.pii[node.unique_id] = {column: Leak(column, ()) for column in node.tagged}
    known: dict[str, dict[str, str]] = {key: dict(columns) for key, columns in (warehouse or {}).items()}
    for node in _in_dependency_order(by_id):
        if node.sql is None or not _reads_personal_data(node, flow, by_id, owner):
            if node.sql is None and node.parents and any(flow.pii.get(parent) for parent in node.parents):
                flow.unresolved[node.unique_id] = ["no compiled SQL to follow (run `mesh check`, which compiles)"]
            continue
        traced = tracer(node.sql, _schema(node, by_id, known))
        flow.traced[node.unique_id] = traced
        if traced.problem:
            flow.unresolved[node.unique_id] = [traced.problem]
            continue
        if node.relation and node.relation not in known:
            known[node.relation] = dict.fromkeys(traced.columns, "")
        leaks = _leaks(traced, flow, owner)
        leaks.update({column: Leak(column, ()) for column in node.tagged if column not in leaks})
        if leaks:
            flow.pii[node.unique_id] = leaks
        unknown = sorted({reason for origin in traced.columns.values() for reason in origin.unknown})
        if unknown:
            flow.unresolved[node.unique_id] = unknown
    return flow


def _reads_personal_data(node: LineageNode, flow: PiiFlow, by_id: Mapping[str, LineageNode],
                         owner: Mapping[str, str]) -> bool:
    """Whether a parent carries PII, or the SQL names a relation that does (read by name, not by ref)."""
    if any(flow.pii.get(parent) for parent in node.parents):
        return True
    text = (node.sql or "").lower()
    return any(uid in flow.pii and relation.rsplit(".", 1)[-1] in text for relation, uid in owner.items())


def _schema(node: LineageNode, by_id: Mapping[str, LineageNode], known: Mapping[str, Mapping[str, str]]) -> Schema:
    """The complete column lists known of what a node may read: the warehouse's, or upstream models' traced
    outputs. (Declared columns may be a few of many: a `*` over such a relation is followed by name instead.)"""
    return known


def _leaks(traced: Traced, flow: PiiFlow, owner: Mapping[str, str]) -> dict[str, Leak]:
    leaks = {}
    for column, origin in traced.columns.items():
        carried = tuple(sorted((owner[relation], name) for relation, name in origin.reads
                               if relation in owner and name in flow.pii.get(owner[relation], {})))
        if carried:
            leaks[column] = Leak(column, carried)
    return leaks


def _in_dependency_order(by_id: Mapping[str, LineageNode]) -> list[LineageNode]:
    """Every node after the nodes it reads (a cycle, not valid dbt, is broken where it is found)."""
    order: list[LineageNode] = []
    state: dict[str, bool] = {}  # False: being visited; True: done
    for start in sorted(by_id):
        stack = [(start, iter(by_id[start].parents))]
        state.setdefault(start, False)
        if state[start]:
            continue
        while stack:
            uid, parents = stack[-1]
            parent = next((p for p in parents if p in by_id and p not in state), None)
            if parent is not None:
                state[parent] = False
                stack.append((parent, iter(by_id[parent].parents)))
                continue
            stack.pop()
            state[uid] = True
            order.append(by_id[uid])
    return order


