"""Singleton: one shared instance of a class for the whole process.

Rules (any of them):

- ``__new__`` returns a class attribute (``return cls._instance``): the instance is cached on
  the class.
- A metaclass (a subclass of ``type``) whose ``__call__`` returns a cached attribute
  (``cls._instances[cls]``), and the classes that use it.
- A function that declares a module variable ``global``, returns it, and that variable is
  initialised to ``None`` at module level (lazy creation).
- A zero-argument function cached with ``functools.lru_cache``/``functools.cache`` whose
  return creates an object (a class, a third-party callable such as ``create_engine``, or a
  module-level function that returns one of these): every caller gets the object the first
  call created.
- A module-level instance of one of the repository's classes that other modules import by
  name, while that class is instantiated nowhere else at module level (``UPPER_CASE``
  names are constants, left out).

Not a singleton: a cached function with parameters (one object per argument), a cached
function that computes a value (a standard-library function such as ``os.getcwd``, a helper
that returns a method's result), a module-level instance that no other module imports.
"""

from __future__ import annotations

from collections import Counter

from syspatterns.analysis.text import code, plural
from syspatterns.extract.facts import RETURNS_GLOBAL
from syspatterns.model.imports import STDLIB
from syspatterns.patterns.context import FunctionInfo, PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Singleton"


def _caches_on_class(returns: tuple[str, ...], owner: str, attributes: set[str]) -> bool:
    """A ``return`` of ``owner.X`` or ``owner.X[...]`` where ``X`` is a class attribute."""
    for value in returns:
        head, _, rest = value.rstrip("[]").partition(".")
        if head == owner and rest in attributes:
            return True
    return False


def _creates(context: PatternContext, function: FunctionInfo, callee: str,
             depth: int = 2) -> bool:
    """Whether calling ``callee`` from ``function`` creates an object: a class (of the
    repository, or imported), a third-party callable (``create_engine``, ``boto3.client``),
    or one of the repository's functions that returns such a call. A standard-library
    function (``os.getcwd``, ``platform.system``) gives a value, not an instance, and so does
    a method of a local value."""
    resolved = context.resolve(function.owner, callee)
    if resolved in context.classes:
        return True
    own = context.functions.get(resolved)
    if own is not None:
        return depth > 0 and bool(own.fact.returns) and all(
            r.endswith("()") and _creates(context, own, r[:-2], depth - 1)
            for r in own.fact.returns)
    if resolved == callee:
        return False  # not imported: a local value's method
    if resolved.partition(".")[0] in STDLIB:
        return any(part[:1].isupper() for part in resolved.split("."))
    return True


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    for info in context.classes.values():
        new = info.methods.get("__new__")
        if new and new.params and _caches_on_class(new.returns, new.params[0][0],
                                                   set(info.attributes)):
            found.append(Instance(Site(info.name, info.method_at("__new__")), context.component(
                info.owner), f"`{info.name}.__new__` returns the instance cached on the class",
                0.9, defines=info.qualname))
    metaclass_base = names("singleton", "metaclass_base")
    for meta in context.classes.values():
        call = meta.methods.get("__call__")
        if not (call and call.params and context.derives(meta, metaclass_base)
                and _caches_on_class(call.returns, call.params[0][0], set(meta.attributes))):
            continue
        users = [c for c in context.classes.values() if context.metaclass(c) == meta.qualname]
        for user in users:
            found.append(Instance(Site(user.name, user.at), context.component(user.owner),
                          f"`{user.name}` uses the metaclass `{meta.name}`, whose `__call__` "
                          "returns the cached instance", 0.9, defines=user.qualname))
    cache_decorators = names("singleton", "cache_decorators")
    for function in context.functions.values():
        fact = function.fact
        if function.cls is not None:
            continue
        if fact.traits & RETURNS_GLOBAL:
            variables = {v.name: v.value for v in function.owner.facts.variables}
            created = [r for r in fact.returns if variables.get(r) == "None"]
            if created:
                found.append(Instance(
                    Site(fact.name, function.at), context.component(function.owner),
                    f"`{fact.name}()` creates the module variable `{created[0]}` on "
                              "first use and returns it afterwards", 0.85,
                              defines=function.qualname))
        elif (not fact.params and fact.returns and all(
                r.endswith("()") and _creates(context, function, r[:-2]) for r in fact.returns)
              and any(context.resolve(function.owner, d) in cache_decorators
                      for d in fact.decorators)):
            made = " or ".join(code(r) for r in fact.returns)
            found.append(Instance(Site(fact.name, function.at), context.component(function.owner),
                          f"`{fact.name}()` is cached and takes no arguments: every call returns "
                          f"the first call's {made}", 0.75,
                          defines=function.qualname))
    found.extend(_module_instances(context))
    return assemble(PATTERN, "One shared instance for the whole process", found, context)


def _module_instances(context: PatternContext) -> list[Instance]:
    instances = [i for i in context.module_instances
                 if i[2] in context.classes and not i[1].isupper()]
    per_class = Counter(callee for _, _, callee, _ in instances)
    found = []
    for owner, target, callee, line in instances:
        if per_class[callee] != 1:
            continue
        qualname = f"{owner.module.name}.{target}"
        users = {module for module in context.importers.get(qualname, ())
                 if module != owner.module.name}
        if users:
            found.append(Instance(Site(target, owner.at(line)), context.component(owner),
                          f"`{target} = {context.classes[callee].name}(...)` is created once at "
                          f"module level and imported by {plural(len(users), 'module')}", 0.7,
                          len(users), qualname))
    return found


DETECTOR = Detector(
    PATTERN,
    "`__new__` returning a cached class attribute, metaclasses caching instances, lazily "
    "created `global` instances, zero-argument `lru_cache` accessors and module-level "
    "instances imported by other modules",
    detect)
