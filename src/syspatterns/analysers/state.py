"""Where a system keeps its state, for Scalability Considerations: module-level containers
that functions change (each process has its own copy), clients of shared stores, where
sessions and cache entries live, and object storage for files (``knowledge/performance.toml``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from syspatterns.analysis.source import (
    CodeModule,
    setting_value,
    short,
    unquoted,
)
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.extract.facts import FunctionFact
from syspatterns.knowledge import read_table

STATE_LIMIT = 8


def _table() -> dict[str, Any]:
    return read_table("performance.toml")


# -- state kept in process --------------------------------------------------------------------


def _module_names(modules: list[CodeModule]) -> dict[str, tuple[str, bool, Evidence]]:
    """Qualified name -> (kind, holds a container, where) of each module-level variable; the
    kind is the container's ("dict", "defaultdict", ...) or "variable"."""
    kinds = set(_table()["state"]["containers"])
    found = {}
    for item in modules:
        for variable in (*item.facts.variables, *item.facts.constants):
            value = item.resolve_value(variable.value)
            if value in kinds:
                kind = {"{}": "dict", "[]": "list"}.get(value) or short(value.removesuffix("()"))
            else:
                kind = "variable"
            found[f"{item.module.name}.{variable.name}"] = (
                kind, value in kinds, item.at(variable.line))
    return found


def _changed(function: FunctionFact, mutators: frozenset[str],
             mutating: set[str]) -> list[tuple[str, int, bool]]:
    """``(target, line, through a global)`` for what a function changes, as written: the
    containers its calls change (``cache.update``, ``state.cache.update``; not those named
    by a parameter or a recorded assignment), the containers whose items it assigns,
    augments or deletes (``_SESSIONS[token] = user``), and the names it declares ``global``
    and augments (``counter += 1``); the facts leave out the writes to names the function
    binds itself. ``mutating`` holds the callees of the function's module that end with
    one of the ``mutators``."""
    changed: dict[tuple[str, bool], int] = {}
    own: set[str] | None = None
    for callee, line in function.calls:
        if callee not in mutating:
            continue
        owner, _, method = callee.rpartition(".")
        if method not in mutators or not owner or (owner, False) in changed:
            continue
        if own is None:
            own = {name for name, _ in function.params} | {t for t, _, _ in function.assigned}
        if owner.partition(".")[0] not in own:
            changed[(owner, False)] = line
    for target, line in function.writes:
        key = (target[:-2], False) if target.endswith("[]") else (target, True)
        changed[key] = min(line, changed.get(key, line))
    return [(owner, line, through_global) for (owner, through_global), line in changed.items()]


def _at_import(name: str, function: FunctionFact, called_at_import: set[str]) -> bool:
    """Whether the function runs at import time, filling its containers once and alike in
    every process: it returns one of its parameters (a registering decorator), or its
    module calls it at module level (``called_at_import``: a script's helper, a set-up
    step)."""
    return name in called_at_import or any(
        param in function.returns for param, _ in function.params)


def process_state(modules: list[CodeModule]) -> list[Finding]:
    """Module-level containers that functions change, and module-level variables they
    augment through ``global``: state each process keeps apart."""
    variables = _module_names(modules)
    writers: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
    mutators = frozenset(_table()["state"]["mutators"])
    for item in modules:
        called_at_import = {call.callee for call in item.facts.calls if not call.scope}
        mutating = item.callees_named(mutators)
        for name, function in item.functions():
            changed = _changed(function, mutators, mutating)
            if not changed or _at_import(name, function, called_at_import):
                continue
            for owner, line, through_global in changed:
                if through_global:  # ``global`` names a variable of the function's module
                    candidates = [f"{item.module.name}.{owner}"]
                else:
                    candidates = [item.resolve(owner), f"{item.module.name}.{owner}"]
                for qualified in candidates:
                    found = variables.get(qualified)
                    if found and (through_global or found[1]):
                        writers[qualified].append((item.at(line), name))
                        break
    ordered = sorted(writers, key=lambda q: variables[q][2])
    findings = []
    for qualified in ordered[:STATE_LIMIT]:
        kind, _, where = variables[qualified]
        changes = sorted(set(writers[qualified]))
        functions = sorted({name for _, name in changes})
        findings.append(Finding(
            "Horizontal scaling",
            f"State kept in process: the module-level {kind} {code(short(qualified))} "
            f"(`{where.path}`) is changed by {names(functions, limit=4)}; each process has "
            "its own copy, which other processes and hosts do not see.",
            (where, *[e for e, _ in changes[:2]])))
    if len(ordered) > STATE_LIMIT:
        findings.append(Finding("Horizontal scaling", f"And {len(ordered) - STATE_LIMIT} more "
                                "module-level variables changed by functions."))
    return findings


# -- shared stores, sessions and caches ---------------------------------------------------------


def shared_stores(modules: list[CodeModule]) -> list[Finding]:
    """Clients of stores that every process and host shares (Redis, memcached)."""
    stores = {call: row["store"] for row in _table()["shared_store"] for call in row["calls"]}
    places: dict[str, list[Evidence]] = defaultdict(list)
    callees: dict[str, set[str]] = defaultdict(set)
    for item in modules:
        for site in item.calls_to(stores):
            store = stores[item.resolve(site.callee)]
            places[store].append(item.at(site.line))
            callees[store].add(site.callee)
    return [Finding("Horizontal scaling",
                    f"Shared store: {store} clients are created with "
                    f"{names(sorted(f'{c}()' for c in callees[store]), limit=4)} "
                    f"({plural(len(places[store]), 'place')}); every process and host that "
                    "connects sees the same data.", tuple(sorted(places[store])[:3]))
            for store in sorted(places)]


def sessions(modules: list[CodeModule]) -> list[Finding]:
    """Where sessions are kept, from the settings that choose it."""
    rows = {(row["setting"], row["value"]): row["where"] for row in _table()["session_store"]}
    return [Finding("Horizontal scaling", f"Sessions are kept {where} (`{constant.name}` is "
                    f"{constant.value}).", (item.at(constant.line),))
            for item in modules for constant in item.facts.constants
            for where in [rows.get((constant.name, unquoted(constant.value) or ""))] if where]


def _backend_place(backend: str) -> str:
    """Where a cache backend keeps entries, from its name; "" when unknown."""
    key = backend.partition("://")[0].rpartition(".")[2].lower()
    return next((row["where"] for row in _table()["cache_backend"] if key in row["names"]), "")


def cache_backends(modules: list[CodeModule]) -> list[Finding]:
    """The cache backends the settings choose, and where each keeps its entries."""
    table = _table()["caching"]
    findings = []
    for item in modules:
        for constant in item.facts.constants:
            where = item.at(constant.line)
            value = unquoted(constant.value)
            if constant.name in table["settings"]:
                place = _backend_place(value) if value else ""
                shown = constant.value or "computed at run time"
                findings.append(Finding("Caching", f"`{constant.name}` is {shown}"
                                        + (f": {place}." if place else "."), (where,)))
            elif constant.name in table["redis"]:
                findings.append(Finding("Caching", f"`{constant.name}` points the cache at "
                                        "Redis, shared by every process.", (where,)))
            elif constant.name in table["nested"]:
                findings.extend(Finding("Caching", claim, (where,)) for claim in _backend_claims(
                    constant.name, setting_value(constant)))
    return findings


def _backend_claims(setting: str, value: object) -> list[str]:
    """What a ``CACHES``-like setting says of each alias's BACKEND."""
    if not isinstance(value, dict) or not value:
        return [f"`{setting}` configures the cache; its value is computed at run time."]
    claims = []
    for alias, entry in value.items():
        backend = entry.get("BACKEND") if isinstance(entry, dict) else None
        if not isinstance(backend, str):
            claims.append(f"`{setting}` '{alias}': its backend is computed at run time.")
            continue
        place = _backend_place(backend)
        claims.append(f"`{setting}` '{alias}' uses `{backend}`" + (f": {place}." if place
                                                                    else "."))
    return claims


# -- object storage -----------------------------------------------------------------------------


def object_storage(modules: list[CodeModule]) -> list[Finding]:
    """Object-storage clients, storage backends in settings, and classes that extend them."""
    table = _table()
    services = {call: row["service"] for row in table["object_storage"] for call in row["calls"]}
    factories = table["object_storage_factories"]
    places: dict[str, list[Evidence]] = defaultdict(list)
    findings = []
    for item in modules:
        sites = {*item.calls_to(services), *item.calls_named(factories["calls"])}
        for site in sorted(sites, key=lambda s: (s.line, s.callee, s.scope)):
            service = services.get(item.resolve(site.callee))
            if service is None and site.fact and short(site.callee) in factories["calls"]:
                named = dict(site.fact.keywords).get(factories["keyword"]) or (
                    site.fact.args[0] if site.fact.args else "")
                service = factories["services"].get(unquoted(named) or "")
            if service:
                places[f"{service}: `{site.callee}()`"].append(item.at(site.line))
        findings.extend(_storage_settings(item))
        for cls in item.facts.classes:
            for base in cls.bases:
                service = _storage_service(item.resolve(base))
                if service:
                    findings.append(Finding(
                        "Storage", f"{code(cls.name)} extends {code(base)}: files are kept in "
                        f"{service}.", (item.at(cls.line),)))
    return [*(Finding("Storage", f"Files are kept in object storage, {label} "
                      f"({plural(len(places[label]), 'place')}).", tuple(sorted(places[label])[:3]))
              for label in sorted(places)), *findings]


def _storage_service(backend: str) -> str:
    return next((row["service"] for row in _table()["storage_backend"]
                 if backend.startswith(row["prefix"])), "")


def _storage_settings(item: CodeModule) -> list[Finding]:
    """Storage backends named by settings, directly or as the BACKEND of each entry."""
    table = _table()["storage_settings"]
    findings = []
    for constant in item.facts.constants:
        backends: list[tuple[str, str]] = []
        if constant.name in table["settings"]:
            backends.append((f"`{constant.name}`", unquoted(constant.value) or ""))
        elif constant.name in table["nested"]:
            value = setting_value(constant)
            for alias, entry in value.items() if isinstance(value, dict) else ():
                backend = entry.get("BACKEND") if isinstance(entry, dict) else None
                backends.append((f"`{constant.name}` '{alias}'",
                                 backend if isinstance(backend, str) else ""))
        for label, backend in backends:
            service = _storage_service(backend)
            if service:
                findings.append(Finding("Storage", f"Files are kept in {service}: {label} "
                                        f"uses `{backend}`.", (item.at(constant.line),)))
    return findings
