"""Facade: one simple entry point in front of a package's many modules.

Rule: a package's ``__init__`` re-exports six or more names from three or more of its own
submodules (module-level ``from .sub import Name``), and other modules of the repository
import it or those names through it, or its ``__all__`` lists them, or it is a top-level
package (the import surface of a library) whose own code does not call six of those names
and that imports none of them inside ``try``.

Not a facade: an ``__init__`` importing one or two helpers, or names nobody uses through it;
a top-level package importing its models for their side effect (in a ``try``), or the names
its own ``create_app`` calls.
"""

from __future__ import annotations

from syspatterns.analysis.source import CodeModule
from syspatterns.analysis.text import code, names, plural
from syspatterns.extract.facts import IN_FUNCTION, IN_TRY, IN_TYPE_CHECKING
from syspatterns.model.imports import absolute_target
from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)

PATTERN = "Facade"
MINIMUM_NAMES = 6
MINIMUM_MODULES = 3


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    for owner in context.modules:
        module = owner.module
        if not module.is_package:
            continue
        exported: dict[str, str] = {}  # name -> submodule
        tried = False  # an import inside ``try``: there for its side effect, or optional
        first_line = 0
        for fact in owner.facts.imports:
            if not fact.is_from or fact.alias is None or fact.flags & (
                    IN_FUNCTION | IN_TYPE_CHECKING):
                continue
            target = absolute_target(module, fact)
            if target is None or not target.startswith(module.name + "."):
                continue
            submodule = target.rpartition(".")[0]
            if submodule in context.by_module and submodule != module.name:
                exported[fact.alias] = submodule[len(module.name) + 1:]
                tried = tried or bool(fact.flags & IN_TRY)
                first_line = first_line or fact.line
        submodules = sorted(set(exported.values()))
        if len(exported) < MINIMUM_NAMES or len(submodules) < MINIMUM_MODULES:
            continue
        users = {importer for name in [*exported, ""]
                 for importer in context.importers.get(
                     f"{module.name}.{name}".rstrip("."), ())
                 if not importer.startswith(module.name + ".") and importer != module.name}
        listed = set(owner.facts.all_names or ()) & exported.keys()
        surface = "." not in module.name and not tried and len(
            exported.keys() - _used_inside(owner)) >= MINIMUM_NAMES
        if not users and not listed and not surface:
            continue
        used = (f"; {plural(len(users), 'other module')} "
                f"{'imports' if len(users) == 1 else 'import'} them through it" if users
                else f"; `__all__` lists {len(listed)} of them" if listed
                else "; it is the top-level package, the import surface for users")
        found.append(Instance(
            Site(module.name, owner.at(first_line)), context.component(owner),
            f"{code(module.path)} re-exports {plural(len(exported), 'name')} from "
            f"{plural(len(submodules), 'submodule')} ({names(submodules, limit=5)}){used}",
            0.75 if users else 0.65))
    return assemble(PATTERN, "One import surface in front of a package's modules", found, context)


def _used_inside(owner: CodeModule) -> set[str]:
    """The names the module's own code calls (``create_app`` using what it imported)."""
    used = {callee.partition(".")[0] for _, f in owner.functions() for callee, _ in f.calls}
    return used | {call.callee.partition(".")[0] for call in owner.facts.calls}


DETECTOR = Detector(
    PATTERN,
    f"package `__init__` modules re-exporting {MINIMUM_NAMES} or more names from "
    f"{MINIMUM_MODULES} or more submodules that other modules import through the package",
    detect)
