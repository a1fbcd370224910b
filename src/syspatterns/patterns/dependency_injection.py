"""Dependency Injection: objects receive their collaborators from outside instead of creating
them.

Rules:

- Framework injection: ``Depends(provider)`` markers (FastAPI), injection decorators and
  declarative containers of DI libraries (see ``knowledge/patterns.toml``).
- Constructor injection: a class whose ``__init__`` takes parameters annotated with the
  repository's declared interfaces (``Protocol``, abstract base class), so callers decide
  which implementation it gets.

Not injection: a constructor taking plain values or concrete classes of the same module.
"""

from __future__ import annotations

from collections import defaultdict

from syspatterns.analysis.source import CodeModule
from syspatterns.analysis.text import names, plural
from syspatterns.extract.facts import CallFact
from syspatterns.patterns.context import PatternContext, is_declared
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names as known

PATTERN = "Dependency Injection"


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    providers: dict[str, list[tuple[CodeModule, CallFact]]] = defaultdict(list)
    for marker in sorted(known("injection", "markers")):
        for owner, call in context.calls.get(marker, ()):
            providers[call.args[0] if call.args and call.args[0] else "..."].append((owner, call))
    for provider, calls in sorted(providers.items()):
        owner, call = min(calls, key=lambda c: c[0].at(c[1].line))
        short = call.callee.rpartition(".")[2]
        found.append(Instance(Site(provider, owner.at(call.line)), context.component(owner),
                              f"`{short}({provider})` provides a dependency at "
                              f"{plural(len(calls), 'place')}", 0.9, len(calls)))
    decorators = known("injection", "decorators")
    for name in sorted(decorators):
        for use in context.decorator_uses.get(name, ()):
            found.append(Instance(Site(use.target, use.evidence), context.component(use.owner),
                                  f"`{use.target}` has its parameters filled in by "
                                  f"`@{name.rpartition('.')[2]}`", 0.85))
    containers = known("injection", "containers")
    for info in context.classes.values():
        if context.derives(info, containers):
            found.append(Instance(Site(info.name, info.at), context.component(info.owner),
                                  f"`{info.name}` is a container declaring how objects are "
                                  "built", 0.9))
        interfaces = [a for _, a in info.init_params if is_declared(context.interface_of(
            info.owner, a))]
        if interfaces:
            found.append(Instance(
                Site(f"{info.name}.__init__", info.method_at("__init__")),
                context.component(info.owner),
                f"`{info.name}` receives {names(interfaces, limit=4)} (interfaces) in its "
                "constructor", 0.8, len(interfaces)))
    return assemble(PATTERN, "Objects receive their collaborators from outside instead of creating "
                             "them", found, context)


DETECTOR = Detector(
    PATTERN,
    "`Depends(...)` providers, dependency-injection decorators and containers, and "
    "constructors taking the repository's interfaces",
    detect)
