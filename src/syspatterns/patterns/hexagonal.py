"""Hexagonal architecture (ports and adapters): the core defines interfaces (ports) that
outer components implement (adapters), and the core does not import those components.

Rule: one component defines two or more interfaces (``Protocol``, abstract base class, base
class with ``NotImplementedError`` hooks) that classes of other components implement and
that its own code takes as annotated parameters (it depends on the port, not on an
implementation), and it imports none of the implementing components at run time.

Not hexagonal: interfaces implemented inside their own component, extension points the core
never takes as parameters (a framework's base classes for plug-ins), or a core that imports
its adapters.
"""

from __future__ import annotations

from collections import defaultdict

from syspatterns.analysis.text import code, names, plural
from syspatterns.patterns.context import Interface, PatternContext
from syspatterns.patterns.detection import Detection, Detector, Site, sites

PATTERN = "Hexagonal Architecture (Ports and Adapters)"
MINIMUM_PORTS = 2


def detect(context: PatternContext) -> Detection | None:
    used = _used_by_own_component(context)
    ports: dict[str, list[tuple[Interface, set[str]]]] = defaultdict(list)
    for interface in context.interfaces.values():
        core = context.component(interface.info.owner)
        outer = {context.component(i.owner) for i in context.implementers(interface)} - {core}
        if outer and interface.info.qualname in used:
            ports[core].append((interface, outer))
    graph = context.model.runtime_component_graph
    best: tuple[str, list[tuple[Interface, set[str]]], set[str]] | None = None
    for core, found in sorted(ports.items()):
        adapters = set().union(*(outer for _, outer in found))
        if len(found) < MINIMUM_PORTS or graph.get(core, set()) & adapters:
            continue
        if best is None or len(found) > len(best[1]):
            best = (core, found, adapters)
    if best is None:
        return None
    core, found, adapters = best
    port_names = [i.info.name for i, _ in found]
    return Detection(
        PATTERN,
        f"Keeps {code(core)} independent of storage and outside services: it states what it "
        f"needs as {plural(len(found), 'interface')}, and {names(sorted(adapters), limit=4)} "
        "supply them.",
        f"{code(core)} defines {names(port_names, limit=6)}; classes in "
        f"{names(sorted(adapters), limit=4)} implement them; {code(core)} imports none of "
        "those components.",
        sites([Site(i.info.name, i.info.at) for i, _ in found]),
        len(found),
        0.85)


def _used_by_own_component(context: PatternContext) -> set[str]:
    """Interfaces that a parameter annotation in their own component names (the core
    depends on the port, not on an implementation)."""
    return {qualname for qualname, functions in context.takers.items()
            if context.component(context.interfaces[qualname].info.owner)
            in {context.component(function.owner) for function in functions}}


DETECTOR = Detector(
    PATTERN,
    f"a component defining {MINIMUM_PORTS} or more interfaces that its own code takes as "
    "parameters and that other components, which it does not import, implement",
    detect)
