"""Domain-level lineage: which domain reads which, from the manifest's dependencies, drawn as an SVG.

An edge runs from the domain whose data is read to the domain that reads it, and says through what: public
data products (the mesh's contract), another domain's raw data (sources; the monolith still does this), or a
model that is not public (a breach the check reports). `lineage_drawing` gives the boxes and paths (laid out
by `layout`) that `templates/lineage.svg` draws.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .facts import READER_KINDS, CatalogIndex
from .layout import NODE_H, NODE_W, layout, path_data

NAME_CHARS, OWNER_CHARS = 24, 28


@dataclass(frozen=True)
class DomainEdge:
    upstream: str
    downstream: str
    products: tuple[str, ...] = ()  # public products read
    raw: tuple[str, ...] = ()  # another domain's sources read
    private: tuple[str, ...] = ()  # models read that are not public

    @property
    def kind(self) -> str:
        return "private" if self.private else "raw" if self.raw and not self.products else "product"

    @property
    def weight(self) -> int:
        return len(self.products) + len(self.raw) + len(self.private)

    def describe(self) -> str:
        parts = [f"{label}: {', '.join(items)}" for label, items in (
            ("products", self.products), ("raw data", self.raw), ("models that are not public", self.private))
            if items]
        return f"{self.downstream} reads {self.upstream}, " + "; ".join(parts)


def domain_edges(index: CatalogIndex) -> list[DomainEdge]:
    """Every pair of domains where one's models, snapshots, analyses or exposures read the other's nodes."""
    reads: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for uid in (*index.nodes, *index.exposures):
        node = index.nodes.get(uid) or index.exposures[uid]
        reader = index.domain_of(uid)
        if reader is None or node.resource_type not in READER_KINDS:
            continue
        for parent in node.depends_on.nodes:
            owner = index.domain_of(parent)
            if owner is None or owner == reader:
                continue
            kind = ("raw" if parent in index.sources or parent.startswith("seed.")
                    else "products" if index.is_product(parent) else "private")
            reads[(owner, reader)][kind].add(index.link(parent).label)
    return [DomainEdge(up, down, *(tuple(sorted(kinds.get(k, ()))) for k in ("products", "raw", "private")))
            for (up, down), kinds in sorted(reads.items())]


STATUS_CLASSES = frozenset({"active", "incubating", "deprecated", "decommissioning"})  # others: status-other


@dataclass(frozen=True)
class NodeBox:
    name: str
    label: str  # the name, cut to fit the box
    subtitle: str  # the owner, cut to fit
    title: str  # the tooltip: name and owner in full
    href: str
    css: str  # CSS classes: node, the status's class, node-current
    x: float
    y: float


@dataclass(frozen=True)
class EdgeLine:
    upstream: str
    downstream: str
    kind: str  # product, raw or private
    path: str  # the SVG path's d attribute
    width: float
    title: str


@dataclass(frozen=True)
class Drawing:
    """The lineage graph as `templates/lineage.svg` draws it (autoescaped, like every page)."""

    ident: str  # unique in its page: the ids of its title, description and arrow head
    title: str
    description: str
    width: float
    height: float
    nodes: list[NodeBox]
    edges: list[EdgeLine]
    node_w: float = NODE_W
    node_h: float = NODE_H


def status_class(status: str) -> str:
    """The CSS class of a domain's status: one of the known ones, else `status-other` (the text is shown)."""
    return f"status-{status}" if status in STATUS_CLASSES else "status-other"


def lineage_drawing(names: Iterable[str], edges: list[DomainEdge], href: Callable[[str], str],
                    subtitle: Callable[[str], str], status: Callable[[str], str], title: str, ident: str,
                    highlight: str | None = None) -> Drawing:
    """The graph laid out: each domain a link to its page; each edge with its reads as a tooltip."""
    names = sorted(set(names))
    placed = layout(names, [(e.upstream, e.downstream) for e in edges])
    lines = [EdgeLine(edge.upstream, edge.downstream, edge.kind, path_data(placed.routes[key]),
                      min(1.5 + edge.weight * 0.5, 5), edge.describe())
             for edge in edges if (key := (edge.upstream, edge.downstream)) in placed.routes]
    boxes = []
    for name in names:
        x, y = placed.positions[name]
        css = f"node {status_class(status(name))}" + (" node-current" if name == highlight else "")
        boxes.append(NodeBox(name, _cut(name, NAME_CHARS), _cut(subtitle(name), OWNER_CHARS),
                             f"{name}: {subtitle(name)}", href(name), css, x, y))
    return Drawing(ident, title, _description(names, edges), placed.width, placed.height, boxes, lines)


def _description(names: list[str], edges: list[DomainEdge]) -> str:
    if not edges:
        return f"{len(names)} domain(s); none reads another's data."
    if len(edges) > 12:  # the page lists every edge in a table beside the drawing
        return f"{len(names)} domains and {len(edges)} dependencies between them; each is listed in the table."
    return " ".join(edge.describe() + "." for edge in edges)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
