"""The component graph of the HTML report as inline SVG, laid out here so that the page needs
no layout library.

Nodes are the code components, in layers of the run-time dependency order (lowest layer at
the bottom, as in the Markdown diagram). Within a layer, nodes are ordered by the mean
position of their neighbours in the adjacent layers (a few barycentre sweeps), or, in a layer
that holds an import cycle, by depth along the layer's own imports (importers first); a layer
wider than :data:`MAX_ROW_WIDTH` wraps onto several rows. A repository with more than
:data:`GROUPING_THRESHOLD` code components also gets a grouped view, in which the components
that share a package prefix (``billing_api``, ``billing_core`` -> ``billing_*``; ``app.api``,
``app.db`` -> ``app.*``) are collapsed into one node.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from syspatterns.model import SystemModel
from syspatterns.model.graph import layers

GROUPING_THRESHOLD = 40
MAX_ROW_WIDTH = 1400.0
CHAR_WIDTH = 7.3  # 12px monospace
NODE_PADDING = 22.0
NODE_HEIGHT = 30.0
NODE_GAP = 22.0
ROW_GAP = 24.0
LAYER_GAP = 52.0
LEFT_MARGIN = 96.0  # room for the layer labels
SWEEPS = 4

NodeSpec = tuple[str, str, tuple[str, ...]]  # node id, label, the components it stands for


class GraphNode(NamedTuple):
    id: str  # "c<n>" for a component, "g<n>" for a group
    label: str
    members: tuple[str, ...]  # the component names it stands for
    layer: int  # 1 = imports nothing else
    x: float
    y: float
    width: float


class GraphEdge(NamedTuple):
    source: str  # importer's node id
    target: str  # imported node id
    imports: int  # import statements
    type_only: bool  # every import is under ``if TYPE_CHECKING:``
    example: str  # ``path:line`` of one import


@dataclass
class GraphView:
    key: str  # "components" or "groups"
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    width: float
    height: float
    bands: list[tuple[int, float, float]]  # (layer, top, height)


def component_ids(model: SystemModel) -> dict[str, str]:
    """Code component name -> its node id."""
    code = sorted(c.name for c in model.components if c.is_code)
    return {name: f"c{index}" for index, name in enumerate(code)}


def group_key(name: str) -> str:
    """The package prefix a component is grouped under: the parent of a dotted name, else
    the part before the first underscore, else the name itself."""
    if "." in name:
        return name.rsplit(".", 1)[0] + ".*"
    if "_" in name.strip("_"):
        return name.strip("_").split("_", 1)[0] + "_*"
    return name


def groups_of(names: Iterable[str]) -> dict[str, list[str]]:
    """Group label -> members, for the prefixes shared by at least two components."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        grouped[group_key(name)].append(name)
    return {key: members for key, members in sorted(grouped.items()) if len(members) > 1}


def component_views(model: SystemModel) -> list[GraphView]:
    """The components view, and a grouped view when there are many components and some of
    them share a prefix."""
    ids = component_ids(model)
    if not ids:
        return []
    node_of = {name: name for name in ids}
    nodes: dict[str, NodeSpec] = {name: (node_id, name, (name,)) for name, node_id in ids.items()}
    views = [_view("components", model, ids, node_of, dict(nodes))]
    groups = groups_of(ids)
    if len(ids) > GROUPING_THRESHOLD and groups:
        for number, (label, members) in enumerate(groups.items()):
            for member in members:
                del nodes[member]
                node_of[member] = label
            nodes[label] = (f"g{number}", f"{label} ({len(members)})", tuple(members))
        views.append(_view("groups", model, ids, node_of, nodes))
    return views


def _view(view_key: str, model: SystemModel, ids: dict[str, str], node_of: dict[str, str],
          nodes: dict[str, NodeSpec]) -> GraphView:
    """Lay out ``nodes`` (key -> (id, label, members)); ``node_of`` maps each component to
    the key of the node that stands for it."""
    runtime_graph = model.runtime_component_graph
    runtime: dict[str, set[str]] = {node: set() for node in nodes}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    examples: dict[tuple[str, str], str] = {}
    for name in ids:
        source = node_of[name]
        for dep in model.component_dependencies.get(name, []):
            if dep.name not in ids or node_of[dep.name] == source:
                continue
            target = node_of[dep.name]
            counts[source, target] += dep.imports
            examples.setdefault((source, target), str(dep.evidence[0]))
            if dep.name in runtime_graph.get(name, ()):
                runtime[source].add(target)
    grouped = layers(nodes, runtime)
    layer_of = {member: level for level, group in enumerate(grouped, 1) for member in group}
    order = _ordered_layers(grouped, counts)
    widths = {node: NODE_PADDING + CHAR_WIDTH * len(nodes[node][1]) for node in nodes}
    rows = [_rows([node for depth in _by_depth(level_nodes, runtime) for node in depth], widths)
            for level_nodes in order]
    content_width = max(sum(widths[n] for n in row) + NODE_GAP * (len(row) - 1)
                        for level_rows in rows for row in level_rows)
    placed: list[GraphNode] = []
    bands: list[tuple[int, float, float]] = []
    top = 0.0
    for level in range(len(order), 0, -1):  # the highest layer at the top
        level_rows = rows[level - 1]
        band_height = len(level_rows) * NODE_HEIGHT + (len(level_rows) - 1) * ROW_GAP
        bands.append((level, top, band_height))
        for row_number, row in enumerate(level_rows):
            row_width = sum(widths[n] for n in row) + NODE_GAP * (len(row) - 1)
            x = LEFT_MARGIN + (content_width - row_width) / 2
            y = top + row_number * (NODE_HEIGHT + ROW_GAP)
            for node in row:
                node_id, label, members = nodes[node]
                placed.append(GraphNode(node_id, label, members, layer_of[node], round(x, 1),
                                        round(y, 1), round(widths[node], 1)))
                x += widths[node] + NODE_GAP
        top += band_height + LAYER_GAP
    edges = [
        GraphEdge(nodes[source][0], nodes[target][0], count, target not in runtime[source],
                  examples[source, target])
        for (source, target), count in sorted(counts.items())
    ]
    placed.sort(key=lambda n: (n.y, n.x))
    return GraphView(view_key, placed, edges, round(LEFT_MARGIN + content_width, 1),
                     round(top - LAYER_GAP, 1), bands)


def _ordered_layers(grouped: list[list[str]],
                    counts: dict[tuple[str, str], int]) -> list[list[str]]:
    """Each layer's nodes ordered to shorten edges: barycentre sweeps up and down."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for source, target in counts:
        neighbours[source].add(target)
        neighbours[target].add(source)
    order = [list(layer) for layer in grouped]
    position: dict[str, float] = {}

    def place(layer: list[str]) -> None:
        for rank, node in enumerate(layer):
            position[node] = rank - (len(layer) - 1) / 2

    for layer in order:
        place(layer)
    level_of = {node: level for level, layer in enumerate(order) for node in layer}
    for sweep in range(SWEEPS):
        upward = sweep % 2 == 0
        sequence = range(1, len(order)) if upward else range(len(order) - 2, -1, -1)
        for level in sequence:
            adjacent = level - 1 if upward else level + 1

            def barycentre(node: str, adjacent: int = adjacent) -> tuple[float, str]:
                near = [position[n] for n in neighbours[node] if level_of[n] == adjacent]
                return (sum(near) / len(near) if near else position[node], node)

            order[level].sort(key=barycentre)
            place(order[level])
    return order


def _by_depth(members: list[str], runtime: dict[str, set[str]]) -> list[list[str]]:
    """The nodes of one layer grouped by their depth along the imports inside the layer (a
    layer holds a cycle when they import each other), the imports that close a cycle left
    out; the importers first. Each group keeps the order of ``members``."""
    inside = set(members)
    kept: dict[str, list[str]] = {node: [] for node in members}
    state: dict[str, int] = {}  # 1: on the depth-first path, 2: finished
    finished: list[str] = []
    for start in sorted(members):
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(sorted(runtime[start] & inside)))]
        while stack:
            node, successors = stack[-1]
            successor = next(successors, None)
            if successor is None:
                state[node] = 2
                finished.append(node)
                stack.pop()
            elif state.get(successor) != 1:  # an import back up the path closes a cycle
                kept[node].append(successor)
                if successor not in state:
                    state[successor] = 1
                    stack.append((successor, iter(sorted(runtime[successor] & inside))))
    depth: dict[str, int] = {}
    for node in finished:  # every kept successor finishes first
        depth[node] = 1 + max((depth[s] for s in kept[node]), default=-1)
    return [[n for n in members if depth[n] == level]
            for level in range(max(depth.values()), -1, -1)]


def _rows(level_nodes: list[str], widths: dict[str, float]) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    used = 0.0
    for node in level_nodes:
        if rows[-1] and used + NODE_GAP + widths[node] > MAX_ROW_WIDTH:
            rows.append([])
            used = 0.0
        used += (NODE_GAP if rows[-1] else 0.0) + widths[node]
        rows[-1].append(node)
    return rows


def _sides(source: GraphNode, target: GraphNode) -> tuple[str, str]:
    """Where an edge leaves its importer and enters the imported node: downwards normally,
    upwards for an import of a higher layer, from bottom to bottom within one row."""
    if target.y > source.y:
        return "bottom", "top"
    if target.y < source.y:
        return "top", "bottom"
    return "bottom", "bottom"


def _ports(view: GraphView) -> dict[tuple[int, str], float]:
    """``(edge index, "source" or "target") -> x`` where the edge meets its node: the edges
    on one side of a node are spread along it in the order of their other ends."""
    by_id = {node.id: node for node in view.nodes}
    attached: dict[tuple[str, str], list[tuple[float, int, str]]] = defaultdict(list)
    for index, edge in enumerate(view.edges):
        source, target = by_id[edge.source], by_id[edge.target]
        source_side, target_side = _sides(source, target)
        attached[source.id, source_side].append((target.x + target.width / 2, index, "source"))
        attached[target.id, target_side].append((source.x + source.width / 2, index, "target"))
    ports: dict[tuple[int, str], float] = {}
    for (node_id, _side), ends in attached.items():
        node = by_id[node_id]
        ends.sort()
        usable = node.width * 0.7
        for rank, (_other, index, end) in enumerate(ends):
            offset = usable * (rank + 1) / (len(ends) + 1) - usable / 2
            ports[index, end] = node.x + node.width / 2 + offset
    return ports


def _edge_path(source: GraphNode, target: GraphNode, sx: float, tx: float) -> str:
    """A curve from ``sx`` on the importer to ``tx`` on the imported node (see
    :func:`_sides`); a dip below the row joins two nodes of one row."""
    source_side, target_side = _sides(source, target)
    y1 = source.y + (NODE_HEIGHT if source_side == "bottom" else 0.0)
    y2 = target.y + (NODE_HEIGHT if target_side == "bottom" else 0.0)
    if source_side == target_side:
        dip = y1 + 20.0 + min(40.0, abs(tx - sx) / 8)
        return f"M{sx:.1f},{y1:.1f} C{sx:.1f},{dip:.1f} {tx:.1f},{dip:.1f} {tx:.1f},{y2:.1f}"
    bend = max(24.0, abs(y2 - y1) / 2) * (1 if y2 > y1 else -1)
    return (f"M{sx:.1f},{y1:.1f} C{sx:.1f},{y1 + bend:.1f} {tx:.1f},{y2 - bend:.1f} "
            f"{tx:.1f},{y2:.1f}")


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def render_view(view: GraphView, hidden: bool) -> str:
    """One view as an SVG group (``display="none"`` when ``hidden``)."""
    by_id = {node.id: node for node in view.nodes}
    display = ' display="none"' if hidden else ""
    out = [f'<g class="view" data-view="{view.key}" data-width="{view.width}" '
           f'data-height="{view.height}"{display}>']
    out.append('<g class="bands">')
    for level, top, height in view.bands:
        out.append(f'<rect class="band" x="0" y="{top - 8:.1f}" width="{view.width + 8:.1f}" '
                   f'height="{height + 16:.1f}" rx="6"/>'
                   f'<text class="band-label" x="10" y="{top + NODE_HEIGHT / 2 + 4:.1f}">'
                   f"Layer {level}</text>")
    out.append("</g>")
    out.append('<g class="edges">')
    ports = _ports(view)
    for index, edge in enumerate(view.edges):
        source, target = by_id[edge.source], by_id[edge.target]
        path = _edge_path(source, target, ports[index, "source"], ports[index, "target"])
        kind = " type-only" if edge.type_only else ""
        width = 1.2 + min(2.4, math.log2(edge.imports) * 0.5)
        note = " (all under if TYPE_CHECKING:)" if edge.type_only else ""
        out.append(
            f'<path class="edge{kind}" data-source="{edge.source}" data-target="{edge.target}" '
            f'd="{path}" stroke-width="{width:.1f}">'
            f"<title>{escape(source.label)} imports {escape(target.label)}: "
            f"{_plural(edge.imports, 'import statement')}{note}, e.g. {escape(edge.example)}"
            "</title></path>")
    out.append("</g>")
    out.append('<g class="nodes">')
    for node in view.nodes:
        kind = "group" if node.id.startswith("g") else "component"
        what = (f"group of {_plural(len(node.members), 'component')}" if kind == "group"
                else "component")
        out.append(
            f'<g class="node {kind}" data-id="{node.id}" tabindex="0" role="button" '
            f'aria-label="{escape(node.label)}, {what}, layer {node.layer}" '
            f'transform="translate({node.x},{node.y})">'
            f'<rect width="{node.width}" height="{NODE_HEIGHT}" rx="6"/>'
            f'<text x="{node.width / 2:.1f}" y="{NODE_HEIGHT / 2 + 4:.1f}">'
            f"{escape(node.label)}</text></g>")
    out.append("</g></g>")
    return "".join(out)


def render_svg(views: list[GraphView], initial: str) -> str:
    """Every view in one SVG; only ``initial`` is displayed."""
    first = next(v for v in views if v.key == initial)
    return (
        f'<svg class="canvas" viewBox="-20 -20 {first.width + 40:.1f} {first.height + 40:.1f}" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" role="group" '
        'aria-label="Component graph">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        '<marker id="arrow-active" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>"
        + "".join(render_view(view, view.key != initial) for view in views)
        + "</svg>")
