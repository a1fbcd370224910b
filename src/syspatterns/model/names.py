"""What a name in a module's code refers to, through the module's import statements."""

from __future__ import annotations

from syspatterns.extract.facts import FileFacts
from syspatterns.model.imports import absolute_target
from syspatterns.model.modules import Module


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


def qualified(name: str, module: Module, names: dict[str, str], local: set[str]) -> str:
    """``name`` made absolute: through the imports, else as a definition of ``module`` when
    ``local`` (the module's own top-level names) has it, else as written."""
    head = name.partition(".")[0]
    if head in names:
        return qualify(name, names)
    if head in local:
        return f"{module.name}.{name}"
    return name
