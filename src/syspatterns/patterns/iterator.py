"""Iterator and generator pipelines: values produced lazily, one at a time, and stages that
consume one iterable and yield another.

Rules:

- Pipeline stages: generator functions (they ``yield``) that loop over one of their own
  parameters (``for x in items: ... yield``, or ``yield from items``).
- Iterator classes: classes that define ``__iter__`` and ``__next__`` (or the asynchronous
  pair).
- Generators: three or more generator functions (weaker on their own).

Not a pipeline: one or two generators on their own, generators made into context managers
(``@contextmanager``, see Context Manager), generators that yield once (no ``yield`` in a
loop, one ``yield`` statement: a fixture, a dependency with clean-up, a lifespan hook), a
loop over a parameter that yields nothing.
"""

from __future__ import annotations

from syspatterns.extract.facts import LOOPS_OVER_PARAMETER, YIELDS_REPEATEDLY
from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
    protocol_classes,
)
from syspatterns.patterns.knowledge import names, value

PATTERN = "Iterator / Generator Pipeline"
MINIMUM_GENERATORS = 3


def detect(context: PatternContext) -> Detection | None:
    managers = names("context_manager", "decorators")
    found: list[Instance] = []
    generators: list[Instance] = []
    for function in context.functions.values():
        fact = function.fact
        if not fact.traits & YIELDS_REPEATEDLY or any(
                context.resolve(function.owner, d) in managers for d in fact.decorators):
            continue
        site = Site(function.display, function.at)
        component = context.component(function.owner)
        if fact.traits & LOOPS_OVER_PARAMETER:
            found.append(Instance(site, component, f"`{function.display}` consumes an iterable "
                                  "parameter and yields as it goes (a pipeline stage)", 0.8,
                                  defines=function.qualname))
        else:
            generators.append(Instance(site, component,
                                       f"`{function.display}` yields its results lazily", 0.6,
                                       defines=function.qualname))
    protocols = [value("iterator", "protocol"), value("iterator", "async_protocol")]
    found.extend(protocol_classes(context, protocols, 0.8))
    if found or len(generators) >= MINIMUM_GENERATORS:
        found.extend(generators)
    return assemble(PATTERN, "Values are produced lazily, one at a time, and passed from stage to "
                             "stage", found, context)


DETECTOR = Detector(
    PATTERN,
    f"generators that consume an iterable parameter, iterator classes (`__iter__` and "
    f"`__next__`) and {MINIMUM_GENERATORS} or more generator functions",
    detect)
