"""Where the system starts: console scripts, ``__main__`` modules, main guards, ``manage.py``
and web application objects (``app = FastAPI()``)."""

from __future__ import annotations

from typing import NamedTuple

from syspatterns.evidence import Evidence
from syspatterns.extract.facts import FileFacts
from syspatterns.knowledge import Knowledge
from syspatterns.model.imports import absolute_target
from syspatterns.model.manifests import Script
from syspatterns.model.modules import Module


class EntryPoint(NamedTuple):
    """One way the system is started."""

    kind: str  # "console script", "python -m", "main guard", "manage.py", "ASGI application", ...
    name: str  # what a user types or a server loads
    target: str  # the module (and object) that runs
    evidence: Evidence


def bound_names(facts: FileFacts, module: Module) -> dict[str, str]:
    """Local name -> absolute dotted name, from the module's import statements."""
    names: dict[str, str] = {}
    for fact in facts.imports:
        if fact.alias is None:
            continue
        target = absolute_target(module, fact)
        if target is None:
            continue
        if fact.is_from or fact.alias != target.partition(".")[0]:
            names[fact.alias] = target
        else:
            names[fact.alias] = fact.alias  # ``import a.b`` binds ``a``
    return names


def qualify(callee: str, names: dict[str, str]) -> str:
    """``web.Application`` -> ``aiohttp.web.Application`` given ``from aiohttp import web``."""
    head, dot, rest = callee.partition(".")
    base = names.get(head)
    if base is None:
        return callee
    return f"{base}{dot}{rest}"


def find_entry_points(modules: dict[str, Module], facts: dict[str, FileFacts],
                      scripts: list[Script], knowledge: Knowledge) -> list[EntryPoint]:
    found: list[EntryPoint] = [
        EntryPoint("console script", s.name, s.target, s.evidence) for s in scripts
    ]
    factories = {a.callable: a for a in knowledge.applications}
    for module in modules.values():
        if module.is_test:
            continue
        file_facts = facts.get(module.path)
        if file_facts is None:
            continue
        stem = module.path.rpartition("/")[2]
        if stem == "__main__.py":
            package = module.name.rpartition(".")[0]
            line = file_facts.main_block_line or 1
            found.append(EntryPoint("python -m", f"python -m {package}" if package else module.path,
                                    module.name, Evidence(module.path, line)))
        elif stem == "manage.py" and file_facts.main_block_line:
            found.append(EntryPoint("manage.py", f"python {module.path}", module.name,
                                    Evidence(module.path, file_facts.main_block_line)))
        elif file_facts.main_block_line:
            found.append(EntryPoint("main guard", f"python {module.path}", module.name,
                                    Evidence(module.path, file_facts.main_block_line)))
        if file_facts.assignments:
            names = bound_names(file_facts, module)
            for assignment in file_facts.assignments:
                factory = factories.get(qualify(assignment.callee, names))
                if factory is None:
                    continue
                evidence = Evidence(module.path, assignment.line)
                if assignment.scope:
                    found.append(EntryPoint(
                        f"{factory.interface} application factory ({factory.framework})",
                        f"{module.name}:{assignment.scope}()",
                        f"{module.name}.{assignment.scope}", evidence))
                    continue
                for target in assignment.targets:
                    found.append(EntryPoint(
                        f"{factory.interface} application ({factory.framework})",
                        f"{module.name}:{target}", f"{module.name}.{target}", evidence))
    return sorted(found, key=lambda e: (e.evidence, e.kind, e.name))
