"""Strategy: interchangeable implementations of one interface, chosen at run time.

Rule: one of the repository's interfaces (a ``Protocol``, an abstract base class, or a base
class whose hooks raise ``NotImplementedError``) has two or more implementations, and the
choice is made at run time: a function outside the hierarchy returns one or another of them
(strongest), or a function or constructor takes a parameter annotated with the interface, so
any implementation can be passed in.

Not a strategy: an interface with a single implementation, implementations that nothing
chooses between, or a tree of objects whose own methods build other members of the tree (an
expression's ``resolve_expression`` returning other expressions is a composite).
"""

from __future__ import annotations

from syspatterns.analysis.text import code, names, plural
from syspatterns.patterns.context import Interface, PatternContext, class_labels
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.factory import products

PATTERN = "Strategy"


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    for interface in context.interfaces.values():
        implementations = context.implementers(interface)
        if len(implementations) < 2:
            continue
        instance = _strategy(context, interface, class_labels(implementations))
        if instance is not None:
            found.append(instance)
    return assemble(PATTERN, "Interchangeable implementations of one interface, chosen at run "
                             "time", found, context)


def _strategy(context: PatternContext, interface: Interface,
              implementations: dict[str, str]) -> Instance | None:
    info = interface.info
    choosers = [f.display for f, made in products(context).items()
                if (f.cls is None or f.cls.qualname not in implementations)
                and len(implementations.keys() & made.keys()) >= 2]
    takers = [f.display for f in context.takers.get(info.qualname, ())]
    if not choosers and not takers:
        return None
    ordered = sorted(implementations.values())
    text = (f"{code(info.name)} ({interface.kind}) has {plural(len(ordered), 'implementation')}"
            f" ({names(ordered, limit=4)})")
    if choosers:
        text += f", chosen in {names([c + '()' for c in choosers], limit=3)}"
    if takers:
        text += (f"; {names(takers, limit=3)} "
                 f"{'accept' if len(takers) > 1 else 'accepts'} any of them")
    return Instance(Site(info.name, info.at), context.component(info.owner), text,
                    0.85 if choosers else 0.75, len(ordered), info.qualname)


DETECTOR = Detector(
    PATTERN,
    "interfaces with two or more implementations that a function chooses between or that "
    "parameters annotated with the interface accept",
    detect)
