"""What a name in a module's code refers to, through the module's import statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

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


def is_dotted_name(text: str) -> bool:
    """Whether ``text`` is written as a (dotted) name: ``db.Model``, not ``3`` or ``f()``."""
    return bool(text) and text.replace(".", "").replace("_", "").isalnum() and (
        not text[0].isdigit())


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


def aliases(bound: Iterable[dict[str, str]]) -> dict[str, set[str]]:
    """The last segment of an imported name -> the other names modules import it under
    (``Redis`` -> ``{"R"}`` for ``from redis import Redis as R``), from their bound names."""
    found: dict[str, set[str]] = defaultdict(set)
    for names in bound:
        for alias, target in names.items():
            last = target.rpartition(".")[2]
            if last != alias:
                found[last].add(alias)
    return found


def spellings(names: Iterable[str], imported: dict[str, set[str]]) -> frozenset[str]:
    """The last segments of ``names`` and the names they are imported under (``imported``,
    see :func:`aliases`), through imports of imports: how a name may be written where it
    resolves to one of ``names``."""
    spelled = {name.rpartition(".")[2] for name in names}
    pending = list(spelled)
    while pending:
        for alias in imported.get(pending.pop(), ()):
            if alias not in spelled:
                spelled.add(alias)
                pending.append(alias)
    return frozenset(spelled)
