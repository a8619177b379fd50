"""The domain graph laid out in layers, left to right, by grandalf's Sugiyama layout (pure Python, no Graphviz):
the ranks, the order within each layer (fewer crossings) and the placement are the library's. Each connected part
of the mesh gets its own band; domains that read and are read by none go in rows below.

Edges are routed around the boxes: an edge leaves its box on the side facing where it goes, crosses each gap
between two layers as a curve, and passes each layer in between through the slot the layout keeps for it (a
dummy vertex), so it never runs behind a box it does not start or end at. A cycle's closing edge runs backwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

NODE_W, NODE_H = 200, 54
LAYER_GAP, ROW_GAP, BAND_GAP, MARGIN = 90, 22, 40, 16
SLOT = 12  # the room across a layer that an edge passing through it takes
PORT_GAP = 9  # between edges leaving or entering one side of a box
ARROW = 2.0  # an edge ends this far before its box: the arrow head's tip
ISOLATED_PER_ROW = 4

Point = tuple[float, float]
Segment = tuple[Point, Point, Point, Point]  # a cubic Bézier curve: start, two control points, end


@dataclass(frozen=True)
class Layout:
    positions: dict[str, tuple[float, float]]  # top-left corner of each box
    routes: dict[tuple[str, str], list[Segment]]  # each edge (upstream, downstream): its path
    width: float
    height: float


@dataclass
class _Band:
    """One connected part laid out: box centres across its layers, and each edge's chain of slots."""

    rank: dict[str, int]
    across: dict[str, float]  # the centre of each box across its layer (y in the drawing)
    chains: dict[tuple[str, str], list[float]]  # each edge: the across position of every slot it passes
    size: float  # extent across the layers
    layers: int


def layout(names: Iterable[str], edges: Iterable[tuple[str, str]]) -> Layout:
    """Place each name and route each edge between two placed names (loops and repeats left out)."""
    names = sorted(set(names))
    pairs = sorted({(up, down) for up, down in edges if up != down and up in names and down in names})
    parts = _parts(names, pairs)
    connected = sorted((part for part in parts if len(part) > 1), key=lambda part: (-len(part), part[0]))
    isolated = sorted(name for part in parts if len(part) == 1 for name in part)
    positions: dict[str, tuple[float, float]] = {}
    routes: dict[tuple[str, str], list[Segment]] = {}
    top, width = float(MARGIN), float(MARGIN * 2 + NODE_W)
    for part in connected:
        members = set(part)
        band = _sugiyama(part, [pair for pair in pairs if pair[0] in members])
        for name in part:
            positions[name] = (MARGIN + _layer_x(band.rank[name]), top + band.across[name] - NODE_H / 2)
        routes.update(_routes(band, top))
        top += band.size + BAND_GAP
        width = max(width, MARGIN * 2 + _layer_x(band.layers) - LAYER_GAP)
    for index, name in enumerate(isolated):
        row, column = divmod(index, ISOLATED_PER_ROW)
        positions[name] = (MARGIN + column * (NODE_W + ROW_GAP), top + row * (NODE_H + ROW_GAP))
    if isolated:
        rows = -(-len(isolated) // ISOLATED_PER_ROW)
        top += rows * (NODE_H + ROW_GAP) - ROW_GAP + BAND_GAP
        width = max(width, MARGIN * 2 + min(len(isolated), ISOLATED_PER_ROW) * (NODE_W + ROW_GAP) - ROW_GAP)
    return Layout(positions, routes, width, max(top - BAND_GAP + MARGIN, MARGIN * 2))


def _layer_x(rank: int) -> float:
    return rank * (NODE_W + LAYER_GAP)


def _parts(names: list[str], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """The connected parts of the graph (edges taken both ways)."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for up, down in pairs:
        neighbours[up].add(down)
        neighbours[down].add(up)
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
            for other in neighbours[name] - seen:
                seen.add(other)
                stack.append(other)
        parts.append(sorted(part))
    return parts


def _sugiyama(part: list[str], pairs: list[tuple[str, str]]) -> _Band:
    """grandalf's layered layout of one connected part, its layers running down (turned left to right here)."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout, VertexViewer

    vertices = {name: Vertex(name) for name in part}
    for vertex in vertices.values():
        vertex.view = VertexViewer(w=NODE_H, h=NODE_W)  # grandalf's width is across a layer: the box's height
    links = {pair: Edge(vertices[pair[0]], vertices[pair[1]]) for pair in pairs}
    graph = Graph(list(vertices.values()), list(links.values()))
    sugiyama = SugiyamaLayout(graph.C[0])
    sugiyama.xspace, sugiyama.yspace = ROW_GAP, LAYER_GAP
    sugiyama.init_all()
    for vertex in sugiyama.grx:
        if sugiyama.grx[vertex].dummy:
            vertex.view.w = SLOT
    sugiyama.draw()
    slots = [vertex for vertex in sugiyama.grx if sugiyama.grx[vertex].dummy]
    low = min(v.view.xy[0] - v.view.w / 2 for v in [*vertices.values(), *slots])
    high = max(v.view.xy[0] + v.view.w / 2 for v in [*vertices.values(), *slots])
    rank = {name: sugiyama.grx[vertex].rank for name, vertex in vertices.items()}
    across = {name: vertex.view.xy[0] - low for name, vertex in vertices.items()}
    chains = {}
    for pair, link in links.items():
        controls = sugiyama.ctrls.get(link, {})
        step = 1 if rank[pair[1]] > rank[pair[0]] else -1
        between = range(rank[pair[0]] + step, rank[pair[1]], step)
        chains[pair] = [across[pair[0]], *(controls[r].view.xy[0] - low for r in between), across[pair[1]]]
    return _Band(rank, across, chains, high - low, max(rank.values()) + 1)


def _routes(band: _Band, top: float) -> dict[tuple[str, str], list[Segment]]:
    """Each edge's path: out of the side of its box facing the way it goes, through its slots, into its target."""
    ports = _ports(band)
    routes = {}
    for (up, down), chain in band.chains.items():
        step = 1 if band.rank[down] > band.rank[up] else -1
        ranks = range(band.rank[up], band.rank[down] + step, step)
        stops: list[Point] = []
        for index, (rank, across) in enumerate(zip(ranks, chain, strict=True)):
            left, right = MARGIN + _layer_x(rank), MARGIN + _layer_x(rank) + NODE_W
            enter, leave = (left, right) if step == 1 else (right, left)
            if index == 0:
                stops.append((leave, top + ports[(up, down, "out")]))
            elif index == len(chain) - 1:
                stops.append((enter - step * ARROW, top + ports[(up, down, "in")]))
            else:
                stops += [(enter, top + across), (leave, top + across)]
        routes[(up, down)] = [_curve(stops[i], stops[i + 1]) if i % 2 == 0 else _line(stops[i], stops[i + 1])
                              for i in range(len(stops) - 1)]
    return routes


def _ports(band: _Band) -> dict[tuple[str, str, str], float]:
    """Where each edge leaves and enters its boxes (across): spread along the side, in the order of where the
    edge comes from or goes to, so that edges meeting a box do not overlap."""
    sides: dict[tuple[str, int], list[tuple[float, tuple[str, str, str]]]] = defaultdict(list)
    for (up, down), chain in band.chains.items():
        step = 1 if band.rank[down] > band.rank[up] else -1
        sides[(up, step)].append((chain[1], (up, down, "out")))
        sides[(down, -step)].append((chain[-2], (up, down, "in")))
    ports = {}
    for (name, _), ends in sides.items():
        ends.sort()
        gap = min(PORT_GAP, (NODE_H - 16) / max(len(ends) - 1, 1))
        for index, (_, key) in enumerate(ends):
            ports[key] = band.across[name] + (index - (len(ends) - 1) / 2) * gap
    return ports


def _curve(start: Point, end: Point) -> Segment:
    """Across a gap between layers: leaves and arrives level, and stays within the gap."""
    middle = (start[0] + end[0]) / 2
    return start, (middle, start[1]), (middle, end[1]), end


def _line(start: Point, end: Point) -> Segment:
    return start, start, end, end


def path_data(segments: list[Segment]) -> str:
    """An SVG path's `d` for a route."""
    if not segments:
        return ""
    parts = [f"M{segments[0][0][0]:.1f},{segments[0][0][1]:.1f}"]
    for _, (ax, ay), (bx, by), (x, y) in segments:
        parts.append(f"C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {x:.1f},{y:.1f}")
    return " ".join(parts)
