"""Service layer: classes that carry out the application's operations by coordinating
repositories, gateways and other collaborators, called by the outer layers (web routes, CLI,
workers).

Rules:

- Service classes: a class whose ``__init__`` takes two or more collaborators annotated with
  the repository's declared interfaces (``Protocol``, abstract base class: repositories,
  gateways, notifiers), that has two or more public methods, and that modules of another
  component import.
- Service modules: a module named as holding services (``services``, ``user_service``; see
  ``knowledge/patterns.toml``) two or more of whose functions or methods the handlers of the
  entry points (routes, commands, task consumers) in other modules call directly.

Not a service: a class built from plain values or concrete classes (a context object), or
one used only inside its own component; a ``services`` module that no entry point's handler
calls, or whose one operation it calls.
"""

from __future__ import annotations

from collections import defaultdict

from syspatterns.analysers.data_flow.entries import call_graph, find_entry_points
from syspatterns.analysis.text import code, names, plural
from syspatterns.patterns.context import ClassInfo, PatternContext, is_declared, is_public, unique
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names as known
from syspatterns.patterns.knowledge import value

PATTERN = "Service Layer"


def collaborators(context: PatternContext, info: ClassInfo) -> list[str]:
    """The constructor's parameters typed with the repository's declared interfaces."""
    return [annotation.rpartition(".")[2] for _, annotation in info.init_params
            if is_declared(context.interface_of(info.owner, annotation))]


def detect(context: PatternContext) -> Detection | None:
    minimum = int(value("service_layer", "minimum_collaborators"))
    found: list[Instance] = []
    for info in context.classes.values():
        if info.qualname in context.interfaces:
            continue
        used = collaborators(context, info)
        if len(used) < minimum:
            continue
        operations = unique(m.name for m in info.fact.methods if is_public(m.name))
        if len(operations) < 2:
            continue
        component = context.component(info.owner)
        callers = sorted({context.model.component_of[module]
                          for module in context.importers.get(info.qualname, ())}
                         - {component})
        if not callers:
            continue
        found.append(Instance(
            Site(info.name, info.at), component,
            f"{code(info.name)} offers {names(operations, limit=4)}, coordinating "
            f"{names(used, limit=4)}; {names(callers, limit=3)} "
            f"{'call' if len(callers) > 1 else 'calls'} it",
            0.8, len(callers), info.qualname))
    found.extend(_service_modules(context))
    return assemble(PATTERN, "The application's operations live in services between the "
                    "outer layers and storage", found, context)


def _service_module_names(context: PatternContext) -> set[str]:
    """The code modules named as holding services."""
    named = known("service_layer", "module_names")
    suffixes = tuple(value("service_layer", "module_suffixes"))
    return {item.module.name for item in context.modules
            if any(part in named or part.endswith(suffixes)
                   for part in item.module.name.split("."))}


def _service_modules(context: PatternContext) -> list[Instance]:
    """Service modules (see the module's rules), one instance each."""
    modules = _service_module_names(context)
    if not modules:
        return []
    skipped = known("service_layer", "not_operations")
    services = {qualname: function for qualname, function in context.functions.items()
                if function.owner.module.name in modules and function.fact.name not in skipped}
    if not services:
        return []
    graph = call_graph(context.model)
    calling: dict[str, set[str]] = defaultdict(set)  # service function -> entry points
    for entry in find_entry_points(context.model):
        for handler in entry.handlers:
            function = graph.functions.get(handler)
            if function is None:
                continue
            for callee, _ in function.fact.calls:
                target = graph.resolve(function, callee)
                called = services.get(target.name) if target.kind == "function" else None
                if called is not None and not target.attribute and (
                        called.owner.module.name != function.module.name):
                    calling[target.name].add(entry.name)
    by_module: dict[str, list[str]] = defaultdict(list)
    for qualname in sorted(calling, key=lambda q: services[q].at):
        by_module[services[qualname].owner.module.name].append(qualname)
    minimum = int(value("service_layer", "minimum_operations"))
    found: list[Instance] = []
    for operations in by_module.values():
        if len(operations) < minimum:
            continue
        first = services[operations[0]]
        entries = sorted(set().union(*(calling[q] for q in operations)))
        found.append(Instance(
            Site(first.owner.module.name, first.at), context.component(first.owner),
            f"{code(first.owner.module.name)} offers "
            f"{names([services[q].display for q in operations], limit=4)}, which "
            f"{plural(len(entries), 'entry point')} ({names(entries, limit=3)}) call", 0.7,
            len(entries)))
    return found


DETECTOR = Detector(
    PATTERN,
    "classes taking two or more collaborators typed with `Protocol`s or abstract base "
    "classes, with two or more public methods, imported by another component; modules named "
    "as services two or more of whose functions the entry points' handlers call",
    detect)
