"""Which raw tables a handover takes along. A domain reads only the sources declared in its own folder (ACC003),
so the tables of a source entry that only moving nodes read move with them; when the entry also has tables that
nodes staying behind read, it is split by table: the moving tables go into an entry of the same source name in
the destination's folder (dbt accepts one source declared across several YAML files, so no `source()` call
changes), the rest stay. A table read both by what moves and by what stays cannot be in two domains: it is
shared, a blocker unless `--shared move` takes its staying readers along too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..manifest import CONSUMER_KINDS, Mesh
from ..manifest.domains import placement
from ..manifest.nodes import parents


@dataclass(frozen=True)
class Shared:
    """A table read both by what moves and by what stays (unique ids)."""

    moving: tuple[str, ...]
    staying: tuple[str, ...]


@dataclass(frozen=True)
class SourceSplit:
    path: str  # the YAML file declaring the entry
    name: str  # the source's name
    moving: tuple[str, ...]  # tables only moving nodes (or the destination's) read
    staying: tuple[str, ...]  # tables no moving node reads
    read_staying: tuple[str, ...] = ()  # ... of which those a staying node reads
    shared: dict[str, Shared] = field(default_factory=dict)  # table -> who reads it

    @property
    def whole(self) -> bool:
        """Nothing staying reads a table of it: the entry moves as it is (its unread tables too)."""
        return not self.shared and not self.read_staying


def source_splits(mesh: Mesh, moving: set[str], to: str) -> list[SourceSplit]:
    """The source entries, declared outside `to`'s folder, of which a node in `moving` (models and the tests
    that follow them) reads a table; what reads a table from inside `to` counts as moving."""
    readers: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for uid, source in mesh.sources.items():
        path = source["original_file_path"]
        readers[(path, source["source_name"])][source["name"]] = {
            child for child in mesh.children(uid) if child in mesh.nodes
            and mesh.nodes[child].resource_type in CONSUMER_KINDS and not _own_test(mesh, child, path)}
    found = []
    for (path, name), tables in sorted(readers.items()):
        if placement(path).folder == to:
            continue
        going = {table: (read & moving, {uid for uid in read - moving if mesh.domain_of(uid) != to})
                 for table, read in tables.items() if read & moving}
        if not going:
            continue
        staying = tuple(table for table in tables if table not in going)
        found.append(SourceSplit(
            path, name, tuple(table for table, (_, others) in going.items() if not others), staying,
            tuple(table for table in staying if tables[table]),
            {table: Shared(tuple(sorted(ours)), tuple(sorted(others)))
             for table, (ours, others) in going.items() if others}))
    return found


def _own_test(mesh: Mesh, uid: str, path: str) -> bool:
    """A test declared in the source's entry that reads sources only: it moves with its table."""
    node = mesh.nodes[uid]
    return node.resource_type == "test" and node.original_file_path == path \
        and all(parent.startswith("source.") for parent in parents(node))
