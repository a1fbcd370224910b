"""Architecture rules declared in ``pyproject.toml``, checked on the import graph.

Each ``[[tool.syspatterns.rules]]`` table is one rule (a contract, as import-linter calls
them); ``type`` says which:

- ``layers``: ``layers = ["app.api", "app.services | app.workers", "app.domain"]``, highest
  first. A layer may import the layers below it, never those above. Siblings joined by ``|``
  must not import each other either; siblings joined by ``:`` may.
- ``forbidden``: modules in ``from`` must not import those in ``to``. An entry of ``to`` that
  is no module of the repository names a library (``sqlalchemy``).
- ``independence``: none of ``modules`` imports another.
- ``external``: the ``libraries`` may be imported only by modules in ``allowed-in``.

An entry names a module or package (with every module under it) or a component. Optional
keys: ``name``, and ``ignore-type-checking`` (leave out imports under ``if TYPE_CHECKING:``).
Layers, forbidden and independence rules follow indirect imports too: a chain through other
modules is a violation, reported with the chain; library rules look at direct imports.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from syspatterns.core.evidence import Evidence, Finding
from syspatterns.core.problems import Problem
from syspatterns.extract.facts import IN_TYPE_CHECKING
from syspatterns.knowledge import normalize
from syspatterns.model import SystemModel

CONFIG = "pyproject.toml"
CHAIN_LIMIT = 10  # violations reported per rule and pair before "and N more"
_KEYS = {
    "layers": {"layers"},
    "forbidden": {"from", "to"},
    "independence": {"modules"},
    "external": {"libraries", "allowed-in"},
}
_OPTIONAL = {"type", "name", "ignore-type-checking"}


class RulesError(Exception):
    """The declared rules cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    line: int  # line of its [[tool.syspatterns.rules]] header in pyproject.toml
    fields: dict[str, tuple[str, ...]]
    ignore_type_checking: bool = False


def load_rules(root: Path) -> list[Rule]:
    """The rules declared in ``root/pyproject.toml`` (none when there is no such file or
    table). Raises :class:`RulesError` for a malformed declaration."""
    path = root / CONFIG
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    if "tool.syspatterns" not in text:
        return []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{CONFIG}: not valid TOML: {error}") from None
    table = data.get("tool", {}).get("syspatterns", {})
    declared = table.get("rules", []) if isinstance(table, dict) else None
    if not isinstance(declared, list) or not all(isinstance(r, dict) for r in declared):
        raise RulesError(f"{CONFIG}: [tool.syspatterns] rules must be an array of tables "
                         "([[tool.syspatterns.rules]])")
    lines = [number for number, line in enumerate(text.splitlines(), 1)
             if re.match(r"^\s*\[\[\s*tool\s*\.\s*syspatterns\s*\.\s*rules\s*\]\]", line)]
    return [_rule(raw, lines[i] if i < len(lines) else 1, i + 1)
            for i, raw in enumerate(declared)]


def _rule(raw: dict[str, object], line: int, number: int) -> Rule:
    where = f"{CONFIG}:{line}: rule {number}"
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise RulesError(f"{where}: type must be one of {', '.join(sorted(_KEYS))}, "
                         f"not {kind!r}")
    unknown = set(raw) - _KEYS[kind] - _OPTIONAL
    if unknown:
        raise RulesError(f"{where}: unknown key {', '.join(sorted(unknown))} for a {kind} rule")
    fields: dict[str, tuple[str, ...]] = {}
    for key in sorted(_KEYS[kind]):
        value = raw.get(key)
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v.strip() for v in value)):
            raise RulesError(f"{where}: {key} must be a non-empty list of module names")
        fields[key] = tuple(v.strip() for v in value)
    name = raw.get("name", "")
    ignore = raw.get("ignore-type-checking", False)
    if not isinstance(name, str) or not isinstance(ignore, bool):
        raise RulesError(f"{where}: name must be a string and ignore-type-checking a boolean")
    return Rule(name or f"{kind} rule {number}", kind, line, fields, ignore)


class _Graph:
    """The module import graph a rule is checked on, with the line of each import."""

    def __init__(self, model: SystemModel, ignore_type_checking: bool) -> None:
        self.model = model
        self.imports: dict[str, set[str]] = defaultdict(set)
        self.line: dict[tuple[str, str], int] = {}
        for edge in model.edges:
            if ignore_type_checking and edge.flags & IN_TYPE_CHECKING:
                continue
            if edge.importer == edge.imported:
                continue
            self.imports[edge.importer].add(edge.imported)
            key = (edge.importer, edge.imported)
            self.line[key] = min(self.line.get(key, edge.line), edge.line)

    def select(self, entry: str) -> set[str]:
        """The modules an entry names: a module with its submodules, or a component."""
        component = self.model.component_by_name.get(entry) or self.model.component_by_name.get(
            entry.rstrip("/") + "/")
        if component is not None:
            return set(component.modules)
        return {m for m in self.model.modules if m == entry or m.startswith(entry + ".")}

    def place(self, importer: str, imported: str) -> Evidence:
        return Evidence(self.model.modules[importer].path, self.line[importer, imported])

    def chains(self, sources: set[str], targets: set[str],
               avoid: set[str]) -> list[list[str]]:
        """Direct imports from ``sources`` into ``targets``, then (when there is none) the
        shortest chain through modules outside ``avoid``."""
        direct = sorted([s, t] for s in sources for t in self.imports.get(s, ()) if t in targets)
        if direct:
            return direct
        parent: dict[str, str | None] = {s: None for s in sorted(sources)}
        queue = deque(sorted(sources))
        while queue:
            module = queue.popleft()
            for imported in sorted(self.imports.get(module, ())):
                if imported in parent:
                    continue
                if imported in targets:
                    chain = [imported, module]
                    while parent[chain[-1]] is not None:
                        chain.append(parent[chain[-1]])  # type: ignore[arg-type]
                    return [chain[::-1]]
                if imported in avoid:
                    continue
                parent[imported] = module
                queue.append(imported)
        return []

    def describe(self, chain: list[str]) -> tuple[str, ...]:
        return tuple(f"{a} -> {b} ({self.place(a, b)})" for a, b in pairwise(chain))


def _layers(rule: Rule) -> list[list[tuple[str, ...]]]:
    """Each layer as groups of siblings: ``a | b`` -> [("a",), ("b",)] (independent),
    ``a : b`` -> [("a", "b")] (free to import each other)."""
    layers: list[list[tuple[str, ...]]] = []
    for layer in rule.fields["layers"]:
        if "|" in layer:
            layers.append([(part.strip(),) for part in layer.split("|") if part.strip()])
        else:
            layers.append([tuple(p.strip() for p in layer.split(":") if p.strip())])
    return layers


def _pairs(rule: Rule) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(importers, imported) entry groups that ``rule`` forbids to meet."""
    if rule.type == "layers":
        layers = _layers(rule)
        for high, upper in enumerate(layers):
            for lower in layers[high + 1:]:
                for low_group in lower:
                    for high_group in upper:
                        yield low_group, high_group
            for a in upper:
                for b in upper:
                    if a != b and len(upper) > 1:
                        yield a, b
    elif rule.type == "independence":
        modules = rule.fields["modules"]
        for first in modules:
            for second in modules:
                if first != second:
                    yield (first,), (second,)
    elif rule.type == "forbidden":
        yield rule.fields["from"], rule.fields["to"]


def _entries(rule: Rule) -> list[str]:
    if rule.type == "layers":
        return [e for layer in _layers(rule) for group in layer for e in group]
    if rule.type == "external":
        return list(rule.fields["allowed-in"])
    return [e for key in sorted(rule.fields) for e in rule.fields[key]]


def check_rules(model: SystemModel, rules: list[Rule]) -> list[Problem]:
    """Every violation of every rule, each at the importing line, with the chain."""
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(_check(model, rule))
    return problems


def _external_entry(model: SystemModel, entry: str) -> bool:
    """Whether an entry that matches no module names a library."""
    tops = {x.top for x in model.externals}
    return (entry in tops or model.knowledge.library_for_import(entry) is not None
            or model.knowledge.library_for_distribution(entry) is not None)


def _check(model: SystemModel, rule: Rule) -> list[Problem]:
    graph = _Graph(model, rule.ignore_type_checking)
    title = f"rule `{rule.name}` ({CONFIG}:{rule.line})"
    problems: list[Problem] = []
    selected: dict[str, set[str]] = {}
    libraries: list[str] = list(rule.fields.get("libraries", ()))
    for entry in _entries(rule):
        selected[entry] = graph.select(entry)
        if selected[entry]:
            continue
        if rule.type == "forbidden" and entry in rule.fields["to"] and _external_entry(
                model, entry):
            libraries.append(entry)
            continue
        problems.append(Problem(CONFIG, rule.line, "rule",
                                f"{title}: `{entry}` matches no module of the repository"))
    avoid = set().union(*selected.values()) if selected else set()
    for importers, imported in _pairs(rule):
        sources = set().union(*(selected[e] for e in importers))
        targets = set().union(*(selected[e] for e in imported))
        chains = graph.chains(sources - targets, targets, avoid)
        for chain in chains[:CHAIN_LIMIT]:
            place = graph.place(chain[0], chain[1])
            what = "imports" if len(chain) == 2 else "imports, through other modules,"
            problems.append(Problem(
                place.path, place.line, "rule",
                f"{title}: `{chain[0]}` {what} `{chain[-1]}`; "
                f"{_names(importers)} must not import {_names(imported)}",
                detail=graph.describe(chain)))
        if len(chains) > CHAIN_LIMIT:
            first = graph.place(chains[0][0], chains[0][1])
            problems.append(Problem(first.path, first.line, "rule",
                                    f"{title}: and {len(chains) - CHAIN_LIMIT} more imports "
                                    f"from {_names(importers)} into {_names(imported)}"))
    if libraries:
        problems.extend(_check_libraries(model, rule, title, libraries, selected))
    return problems


def _check_libraries(model: SystemModel, rule: Rule, title: str, libraries: list[str],
                     selected: dict[str, set[str]]) -> list[Problem]:
    wanted = {normalize(name) for name in libraries}
    if rule.type == "external":
        allowed = set().union(*(selected[e] for e in rule.fields["allowed-in"]))
        applies = {m for m in model.modules if m not in allowed}
        rule_text = f"{_names(tuple(libraries))} may be imported only in " \
                    f"{_names(rule.fields['allowed-in'])}"
    else:
        applies = set().union(*(selected[e] for e in rule.fields["from"]))
        rule_text = f"{_names(rule.fields['from'])} must not import {_names(tuple(libraries))}"
    problems: list[Problem] = []
    for external in model.externals:
        if external.importer not in applies or external.is_stdlib:
            continue
        if rule.ignore_type_checking and external.flags & IN_TYPE_CHECKING:
            continue
        names = {normalize(external.top), normalize(model.distribution_of(external.top))}
        if names & wanted:
            path = model.modules[external.importer].path
            problems.append(Problem(path, external.line, "rule",
                                    f"{title}: `{external.importer}` imports "
                                    f"`{external.top}`; {rule_text}"))
    return problems[:CHAIN_LIMIT] + ([Problem(
        problems[0].path, problems[0].line, "rule",
        f"{title}: and {len(problems) - CHAIN_LIMIT} more such imports")]
        if len(problems) > CHAIN_LIMIT else [])


def _names(entries: Iterable[str]) -> str:
    items = [f"`{e}`" for e in entries]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def rule_findings(model: SystemModel) -> list[Finding]:
    """The declared rules as findings for the Component Relationships section: what each
    rule says and whether the code keeps it, with the place it is declared."""
    try:
        rules = load_rules(model.scan.root)
    except RulesError as error:
        return [Finding("Rules", f"The declared rules cannot be read: {error}.",
                        (Evidence(CONFIG, 1),))]
    findings = []
    for rule in rules:
        broken = _check(model, rule)
        state = ("kept: no import breaks it" if not broken else
                 f"broken: {len(broken)} violation{'s' if len(broken) != 1 else ''}, "
                 f"first at {broken[0].path}:{broken[0].line}")
        findings.append(Finding("Rules", f"{_statement(rule)} ({rule.name}); {state}.",
                                (Evidence(CONFIG, rule.line),)))
    return findings


def _statement(rule: Rule) -> str:
    if rule.type == "layers":
        return "Layers, highest first: " + " > ".join(f"`{layer}`"
                                                      for layer in rule.fields["layers"])
    if rule.type == "forbidden":
        return f"{_names(rule.fields['from'])} must not import {_names(rule.fields['to'])}"
    if rule.type == "independence":
        return f"{_names(rule.fields['modules'])} are independent of each other"
    return (f"{_names(rule.fields['libraries'])} may be imported only in "
            f"{_names(rule.fields['allowed-in'])}")
