"""Context Manager: set-up and tear-down bound to a ``with`` block, so resources are released
and transactions ended even when the block raises.

Rules: generator functions decorated with ``contextlib.contextmanager`` or
``asynccontextmanager``, and classes that define ``__enter__`` and ``__exit__`` (or
``__aenter__`` and ``__aexit__``).

Not a context manager: a class with only one of the two methods.
"""

from __future__ import annotations

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

PATTERN = "Context Manager"


def detect(context: PatternContext) -> Detection | None:
    decorators = names("context_manager", "decorators")
    protocols: list[list[str]] = value("context_manager", "protocols")
    found: list[Instance] = []
    for function in context.functions.values():
        if not function.fact.decorators:
            continue
        used = next((d for d in function.fact.decorators
                     if context.resolve(function.owner, d) in decorators), None)
        if used is not None:
            found.append(Instance(Site(function.display, function.at),
                                  context.component(function.owner),
                                  f"`{function.display}` is a generator made a context manager "
                                  f"by `@{used}`", 0.9, defines=function.qualname))
    found.extend(protocol_classes(context, protocols, 0.9))
    return assemble(PATTERN, "Set-up and tear-down bound to `with` blocks", found, context)


DETECTOR = Detector(
    PATTERN,
    "`@contextmanager`/`@asynccontextmanager` functions and classes defining "
    "`__enter__`/`__exit__` or `__aenter__`/`__aexit__`",
    detect)
