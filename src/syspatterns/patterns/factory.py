"""Factory: code that decides which class to instantiate, so its callers do not.

Rules:

- A function or method whose ``return`` statements instantiate (or hand back) two or more
  different classes: it chooses the class (``return A(...)`` / ``return B(...)``, also in
  ``return A() if c else B()``). A class is one of the repository's classes or a capitalised
  name (PEP 8).
- A ``@classmethod`` that returns ``cls(...)``: an alternative constructor (factory method)
  that builds the object from other inputs than ``__init__`` takes.
- A method that returns ``self.X(...)`` where ``X`` is a class attribute holding a class
  (``config_class = Config``): the factory method instantiates whatever class a subclass or
  a caller put there.

Not a factory: a function that always returns the same class (a plain wrapper), whatever its
name; ``__new__``, ``__init__`` and other special methods; a view returning one of several
responses (``TemplateResponse`` or ``HttpResponseRedirect``: see ``[factory]`` in
``knowledge/patterns.toml``); a function returning a result type (``Ok(...)`` or
``Err(...)``); a capitalised name that is one of the repository's functions.
"""

from __future__ import annotations

import re
from functools import cache

from syspatterns.patterns.context import ClassInfo, FunctionInfo, PatternContext, is_dunder
from syspatterns.patterns.detection import Detection, Detector, Instance, Site, assemble
from syspatterns.patterns.knowledge import names
from syspatterns.patterns.wording import either

PATTERN = "Factory"
_DOTTED = re.compile(r"[A-Za-z_][\w.]*\Z")
_LITERALS = frozenset({"True", "False", "None"})


@cache
def _response_modules() -> tuple[str, ...]:
    return tuple(f"{m}." for m in names("factory", "response_modules"))


def _is_response(context: PatternContext, qualname: str) -> bool:
    modules = _response_modules()
    info = context.classes.get(qualname)
    if info is not None:
        return context.derives(info, names("factory", "response_bases"))
    return qualname.startswith(modules)


def products(context: PatternContext) -> dict[FunctionInfo, dict[str, str]]:
    """Function -> the classes its ``return`` statements instantiate or hand back
    (qualified name -> short name, in order; responses left out), for the functions that
    return two or more (computed once per context)."""
    return context.memo("factory-products", lambda: {
        function: made for function in context.functions.values()
        if len(function.fact.returns) >= 2
        for made in [_created(context, function)] if len(made) >= 2})


def _created(context: PatternContext, function: FunctionInfo) -> dict[str, str]:
    found: dict[str, str] = {}
    for returned in function.fact.returns:
        called = returned.endswith("()")
        name = returned[:-2] if called else returned
        if not name or name.startswith(("self", "cls", "super")) or name.endswith("[]"):
            continue
        resolved = context.resolve(function.owner, name)
        short = name.rpartition(".")[2]
        known = resolved in context.classes
        capitalised = called and short[:1].isupper() and resolved not in context.functions
        if (known or capitalised) and not _is_response(context, resolved) \
                and short not in names("factory", "result_types"):
            found.setdefault(resolved, short)
    return found


def _labels(made: dict[str, str]) -> list[str]:
    """Short names of the classes made, qualified where two share one (``trio.Event`` or
    ``asyncio.Event``)."""
    shorts = list(made.values())
    return [short if shorts.count(short) == 1 else qualname
            for qualname, short in made.items()]


def held_class(context: PatternContext, info: ClassInfo, name: str) -> str | None:
    """The short name of the class that the class attribute ``name`` holds, set in ``info``
    or one of its repository bases; ``None`` when none sets it to a class."""
    for qualname in [info.qualname, *context.ancestors(info)]:
        owner = context.classes.get(qualname)
        if owner is None or name not in owner.attributes:
            continue
        value = owner.attributes[name]
        short = value.rpartition(".")[2]
        if (_DOTTED.match(value) and short[:1].isupper() and short not in _LITERALS
                and not _is_response(context, context.resolve(owner.owner, value))):
            return short
    return None


def detect(context: PatternContext) -> Detection | None:
    classmethods = names("factory", "classmethod_decorators")
    found: list[Instance] = []

    def instance(function: FunctionInfo, text: str, confidence: float, defines: str) -> None:
        found.append(Instance(Site(function.display, function.at),
                              context.component(function.owner), text, confidence,
                              defines=defines))

    made = products(context)
    for function in context.functions.values():
        fact = function.fact
        if not fact.returns or is_dunder(fact.name):  # every rule reads the returns
            continue
        if function in made:
            instance(function, f"`{function.display}()` returns "
                     f"{either(_labels(made[function]))}", 0.85, function.qualname)
            continue
        if function.cls is None:
            continue
        if "cls()" in fact.returns and any(
                context.resolve(function.owner, d) in classmethods for d in fact.decorators):
            instance(function, f"the class method `{function.display}()` builds "
                     f"`{function.cls.name}` objects through `cls(...)`", 0.75,
                     function.cls.qualname)
            continue
        for returned in fact.returns:
            if not (returned.startswith("self.") and returned.endswith("()")):
                continue
            held = held_class(context, function.cls, returned[5:-2])
            if held:
                instance(function, f"`{function.display}()` instantiates the class held in "
                         f"`{returned[5:-2]}` (`{held}` unless replaced)", 0.8,
                         function.cls.qualname)
                break
    return assemble(PATTERN, "Creates objects so that their callers do not construct them",
                    found, context)


DETECTOR = Detector(
    PATTERN,
    "functions returning instances of two or more classes, class methods returning "
    "`cls(...)`, and methods instantiating a class held in a class attribute",
    detect)
