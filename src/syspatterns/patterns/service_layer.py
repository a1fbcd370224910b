"""Service layer: classes that carry out the application's operations by coordinating
repositories, gateways and other collaborators, called by the outer layers (web routes, CLI,
workers).

Rule: a class whose ``__init__`` takes two or more collaborators annotated with the
repository's declared interfaces (``Protocol``, abstract base class: repositories, gateways,
notifiers), that has two or more public methods, and that modules of another component
import.

Not a service: a class built from plain values or concrete classes (a context object), or
one used only inside its own component.
"""

from __future__ import annotations

from syspatterns.analysis.text import code, names
from syspatterns.patterns.context import ClassInfo, PatternContext, is_declared, is_public, unique
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
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
    return assemble(PATTERN, "The application's operations live in service classes between "
                    "the outer layers and storage", found, context)


DETECTOR = Detector(
    PATTERN,
    "classes taking two or more collaborators typed with `Protocol`s or abstract base "
    "classes, with two or more public methods, imported by another component",
    detect)
