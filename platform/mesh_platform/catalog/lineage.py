"""Domain-level lineage: which domain reads which, from the manifest's dependencies, drawn as an SVG.

An edge runs from the domain whose data is read to the domain that reads it, and says through what: public
data products (the mesh's contract), another domain's raw data (sources; the monolith still does this), or a
model that is not public (a breach the check reports). The drawing is layered left to right (longest path,
cycles tolerated), each connected part of the mesh on its own band, with crossings reduced by barycentres.
`lineage_drawing` gives the boxes and paths that `templates/lineage.svg` draws.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .facts import READER_KINDS, CatalogIndex

NODE_W, NODE_H = 200, 54
H_GAP, V_GAP, BAND_GAP, MARGIN = 90, 22, 40, 16
ISOLATED_PER_ROW = 4
SWEEPS = 4
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


@dataclass(frozen=True)
class Layout:
    positions: dict[str, tuple[float, float]]  # top-left corner of each node
    width: float
    height: float


def layout(names: Iterable[str], edges: Iterable[tuple[str, str]]) -> Layout:
    """Place each name: connected parts stacked top to bottom, layered left to right, isolated ones last."""
    names = sorted(set(names))
    successors: dict[str, set[str]] = defaultdict(set)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for up, down in edges:
        if up != down and up in names and down in names:
            successors[up].add(down)
            neighbours[up].add(down)
            neighbours[down].add(up)
    parts = _components(names, neighbours)
    connected = sorted((p for p in parts if len(p) > 1), key=lambda p: (-len(p), p[0]))
    isolated = sorted(name for p in parts if len(p) == 1 for name in p)
    positions: dict[str, tuple[float, float]] = {}
    top, width = float(MARGIN), float(MARGIN * 2 + NODE_W)
    for part in connected:
        placed, part_width, part_height = _layered(part, successors)
        positions.update({name: (MARGIN + x, top + y) for name, (x, y) in placed.items()})
        top += part_height + BAND_GAP
        width = max(width, MARGIN * 2 + part_width)
    for index, name in enumerate(isolated):
        row, column = divmod(index, ISOLATED_PER_ROW)
        positions[name] = (MARGIN + column * (NODE_W + V_GAP), top + row * (NODE_H + V_GAP))
    if isolated:
        rows = -(-len(isolated) // ISOLATED_PER_ROW)
        top += rows * (NODE_H + V_GAP) - V_GAP + BAND_GAP
        width = max(width, MARGIN * 2 + min(len(isolated), ISOLATED_PER_ROW) * (NODE_W + V_GAP) - V_GAP)
    return Layout(positions, width, max(top - BAND_GAP + MARGIN, MARGIN * 2))


def _components(names: list[str], neighbours: dict[str, set[str]]) -> list[list[str]]:
    seen: set[str] = set()
    parts = []
    for start in names:
        if start in seen:
            continue
        seen.add(start)
        stack, part = [start], []
        while stack:
            name = stack.pop()
            part.append(name)
            for other in neighbours.get(name, ()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        parts.append(sorted(part))
    return parts


def _layered(part: list[str], successors: dict[str, set[str]]) -> tuple[dict[str, tuple[float, float]], float, float]:
    rank = _ranks(part, successors)
    layers: dict[int, list[str]] = defaultdict(list)
    for name in part:
        layers[rank[name]].append(name)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for up in part:
        for down in successors.get(up, ()):
            predecessors[down].append(up)
    order = {name: i for names in layers.values() for i, name in enumerate(names)}
    depth = max(layers)
    for sweep in range(SWEEPS):  # barycentres: down the layers by predecessors, then up by successors
        downward = sweep % 2 == 0
        for level in (range(1, depth + 1) if downward else range(depth - 1, -1, -1)):
            neighbours = predecessors if downward else successors
            centres = {name: _centre(name, neighbours, order, rank, level) for name in layers[level]}
            layers[level].sort(key=lambda name: (centres[name], name))
            order.update({name: i for i, name in enumerate(layers[level])})
    tallest = max(len(names) for names in layers.values())
    height = float(tallest * (NODE_H + V_GAP) - V_GAP)
    placed: dict[str, tuple[float, float]] = {}
    for level, names in layers.items():
        offset = (height - (len(names) * (NODE_H + V_GAP) - V_GAP)) / 2
        for i, name in enumerate(names):
            placed[name] = (float(level * (NODE_W + H_GAP)), offset + i * (NODE_H + V_GAP))
    return placed, float((depth + 1) * (NODE_W + H_GAP) - H_GAP), height


def _centre(name: str, neighbours, order: dict[str, int], rank: dict[str, int], level: int) -> float:
    """The mean position of a node's neighbours on other layers (its own position when it has none)."""
    linked = [order[other] for other in neighbours.get(name, ()) if rank[other] != level]
    return sum(linked) / len(linked) if linked else order[name]


def _ranks(part: list[str], successors: dict[str, set[str]]) -> dict[str, int]:
    """Longest path from the part's sources; an edge closing a cycle (found depth first) is left out."""
    members = set(part)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    postorder: list[str] = []
    for start in part:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(sorted(successors.get(start, set()) & members)))]
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[name] = 2
                postorder.append(name)
                stack.pop()
            elif state.get(child) == 1:
                back.add((name, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(successors.get(child, set()) & members))))
    rank = dict.fromkeys(part, 0)
    for name in reversed(postorder):
        for child in successors.get(name, ()):
            if child in members and (name, child) not in back:
                rank[child] = max(rank[child], rank[name] + 1)
    return rank


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
    lines = []
    for edge in edges:
        if edge.upstream not in placed.positions or edge.downstream not in placed.positions:
            continue
        (x1, y1), (x2, y2) = placed.positions[edge.upstream], placed.positions[edge.downstream]
        start, end = (x1 + NODE_W, y1 + NODE_H / 2), (x2, y2 + NODE_H / 2)
        bend = max(40.0, abs(end[0] - start[0]) / 2)
        path = (f"M{start[0]:.1f},{start[1]:.1f} C{start[0] + bend:.1f},{start[1]:.1f} {end[0] - bend:.1f},"
                f"{end[1]:.1f} {end[0] - 2:.1f},{end[1]:.1f}")
        lines.append(EdgeLine(edge.upstream, edge.downstream, edge.kind, path, min(1.5 + edge.weight * 0.5, 5),
                              edge.describe()))
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
