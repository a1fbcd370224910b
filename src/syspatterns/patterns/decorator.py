"""Decorator: behaviour added around functions or classes without changing them.

Rules:

- A function with a nested function decorated with ``functools.wraps`` (at any depth, so
  decorator factories count), or returning ``functools.update_wrapper(...)``: it wraps the
  function it is given. Where the repository
  applies it (``@name``) is counted.
- A function of the repository applied as a decorator to one of the repository's classes.

Not a decorator here: a closure without ``functools.wraps`` (it may be a plain callback
factory); decorators imported from libraries (they are the libraries' pattern, not this
repository's).
"""

from __future__ import annotations

from syspatterns.analysis.source import CodeModule, short
from syspatterns.analysis.text import code, plural
from syspatterns.patterns.context import PatternContext, is_dunder
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Decorator"


def detect(context: PatternContext) -> Detection | None:
    wraps = names("decorator", "wraps")
    spelled = context.spellings(wraps)
    called = tuple(f"{name}()" for name in spelled)  # returns that may call one

    def is_wraps(owner: CodeModule, name: str) -> bool:
        return short(name) in spelled and context.resolve(owner, name) in wraps

    found: list[Instance] = []
    uses = context.decorator_uses
    for function in context.functions.values():
        fact = function.fact
        applied = uses.get(function.qualname, [])
        if not (fact.nested or fact.returns or applied) or is_dunder(fact.name):
            continue
        # a nested function decorated with ``functools.wraps``, or a return of
        # ``functools.update_wrapper(...)``
        owner = function.owner
        if (fact.nested and any(is_wraps(owner, d) for _, decorators in fact.nested
                                for d in decorators)) or any(
                r.endswith(called) and is_wraps(owner, r[:-2]) for r in fact.returns):
            where = f", applied to {plural(len(applied), 'function')}" if applied else ""
            site = Site(function.display, function.at)
            component = context.component(owner)
            found.append(Instance(site, component, f"`{function.display}` wraps the function it "
                                  f"is given with `functools.wraps`{where}", 0.9,
                                  len(applied), function.qualname))
        elif function.cls is None and any(use.is_class for use in applied):
            classes = [use.target for use in applied if use.is_class]
            site = Site(function.display, function.at)
            component = context.component(function.owner)
            found.append(Instance(site, component, f"`@{function.display}` is applied to "
                                  f"{plural(len(classes), 'class', 'classes')} such as "
                                  f"{code(classes[0])}", 0.75, len(applied), function.qualname))
    return assemble(PATTERN, "Adds behaviour around functions and classes without changing "
                             "them", found, context)


DETECTOR = Detector(
    PATTERN,
    "functions whose nested wrapper uses `functools.wraps`, and the repository's functions "
    "applied as class decorators",
    detect)
