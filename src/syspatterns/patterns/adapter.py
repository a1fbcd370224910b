"""Adapter: a class that implements one of the repository's interfaces on top of an outside
library, so the code behind the interface never sees the library.

Rule: a class implements an interface of the repository (it subclasses a ``Protocol``, an
abstract base class or a base class with ``NotImplementedError`` hooks and defines one of its
hooks, or it defines every method of a ``Protocol``) and wraps a third-party object: its
``__init__`` takes a parameter annotated with a third-party (or database) type (strongest), or
its module imports a library of the outside world (a database driver, cache, HTTP client,
template engine, ...: the knowledge categories of ``[adapter]``) that the interface's module
does not, and its own methods call it.

Not an adapter: an implementation built only from the repository's own classes and the
standard library; a class that uses a library without implementing an interface.
"""

from __future__ import annotations

from collections import defaultdict

from syspatterns.analysis.text import code
from syspatterns.extract.facts import IN_TYPE_CHECKING
from syspatterns.model.imports import STDLIB
from syspatterns.patterns.context import ClassInfo, Interface, PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Adapter"


def wrapped_types(context: PatternContext, info: ClassInfo) -> list[str]:
    """The outside types (third-party, or known database handles) that ``__init__`` takes."""
    sessions = names("repository", "session_types")
    tops = context.memo("top-level-names",
                        lambda: {m.partition(".")[0] for m in context.model.modules})
    found = []
    for _, annotation in info.init_params:
        if not annotation:
            continue
        resolved = context.resolve(info.owner, annotation)
        top = resolved.partition(".")[0]
        if resolved in sessions or ("." in resolved and top not in tops and top not in STDLIB):
            found.append(resolved)
    return found


def outside_libraries(context: PatternContext) -> dict[str, set[str]]:
    """Module -> the distributions of the outside world it imports at run time (by their
    knowledge category, see ``[adapter]`` in ``knowledge/patterns.toml``)."""
    categories = names("adapter", "categories")
    found: dict[str, set[str]] = defaultdict(set)
    for external in context.model.externals:
        library = context.model.knowledge.library_for_import(external.top)
        if (library is not None and library.category in categories
                and not external.flags & IN_TYPE_CHECKING):
            found[external.importer].add(library.name)
    return found


def detect(context: PatternContext) -> Detection | None:
    imports = outside_libraries(context)
    found: list[Instance] = []
    seen: set[str] = set()
    for interface in context.interfaces.values():
        for info in context.implementers(interface):
            if info.qualname in seen or context.wrapped_interface(info) is not None:
                continue
            instance = _adapter(context, interface, info, imports)
            if instance is not None:
                seen.add(info.qualname)
                found.append(instance)
    return assemble(PATTERN, "Puts outside libraries behind the repository's own "
                             "interfaces", found, context)


def _adapter(context: PatternContext, interface: Interface, info: ClassInfo,
             imports: dict[str, set[str]]) -> Instance | None:
    site = Site(info.name, info.at)
    component = context.component(info.owner)
    implements = f"{code(info.name)} implements {code(interface.info.name)}"
    wrapped = wrapped_types(context, info)
    if wrapped:
        return Instance(site, component, f"{implements} over `{wrapped[0]}`", 0.8,
                        defines=info.qualname)
    own = imports.get(info.owner.module.name, set()) & _called_libraries(context, info)
    libraries = sorted(own - imports.get(interface.info.owner.module.name, set()))
    if libraries:
        return Instance(site, component, f"{implements} with `{libraries[0]}`", 0.65,
                        defines=info.qualname)
    return None


def _called_libraries(context: PatternContext, info: ClassInfo) -> set[str]:
    """The distributions whose names the class's own methods call (``jwt.decode``,
    ``redis.Redis``): a library its module imports for another class is not this one's."""
    knowledge = context.model.knowledge
    found = set()
    for method in info.fact.methods:
        for callee, _ in method.calls:
            top = context.resolve(info.owner, callee).partition(".")[0]
            library = knowledge.library_for_import(top)
            if library is not None:
                found.add(library.name)
    return found


DETECTOR = Detector(
    PATTERN,
    "implementations of the repository's interfaces that take a third-party object in "
    "`__init__` or import a third-party library",
    detect)
