"""Layered architecture: components stacked so that each imports only the layers below it.

Rule: three or more code components whose run-time import graph has no cycle and spans three
or more layers (``TYPE_CHECKING`` imports left out). The places are one import from each
layer into the layer below.

Not layered: any import cycle between components (the layers are then not strict).
"""

from __future__ import annotations

from syspatterns.analysis.text import names
from syspatterns.model.graph import layers, strongly_connected
from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import Detection, Detector, Site, sites

PATTERN = "Layered Architecture"
MINIMUM_LAYERS = 3


def detect(context: PatternContext) -> Detection | None:
    model = context.model
    code_names = {c.name for c in model.components if c.is_code}
    graph = {n: model.runtime_component_graph.get(n, set()) & code_names for n in code_names}
    if len(code_names) < MINIMUM_LAYERS or any(
            len(c) > 1 for c in strongly_connected(graph, graph)):
        return None
    grouped = layers(graph, graph)
    if len(grouped) < MINIMUM_LAYERS:
        return None
    level = {name: number for number, members in enumerate(grouped) for name in members}
    located: list[Site] = []
    for number in range(len(grouped) - 1, 0, -1):
        edge = min(
            (e for e in model.edges
             if level.get(model.component_of[e.importer]) == number
             and level.get(model.component_of[e.imported]) == number - 1),
            key=lambda e: (e.importer, e.line), default=None)
        if edge is not None:
            located.append(Site(f"{model.component_of[edge.importer]} -> "
                                f"{model.component_of[edge.imported]}",
                                context.by_module[edge.importer].at(edge.line)))
    stack = "; ".join(f"{number + 1}: {names(members, limit=4)}"
                      for number, members in reversed(list(enumerate(grouped))))
    return Detection(
        PATTERN,
        f"Each component depends only on the layers below it, top to bottom ({stack}).",
        f"The run-time imports between the {len(code_names)} code components form no cycle and "
        f"stack into {len(grouped)} layers.",
        sites(located),
        len(grouped),
        0.7)


DETECTOR = Detector(
    PATTERN,
    f"an acyclic run-time import graph between components with {MINIMUM_LAYERS} or more layers",
    detect)
