"""What several analysers and pattern detectors share: the code modules (not tests, examples, docs
or benchmarks) with name resolution through their imports and the calls they make, findings
about imported libraries by knowledge category, the values of nested settings, and the lines of
web-server configurations."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from syspatterns.analysis.text import code, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.extract.facts import (
    IN_TYPE_CHECKING,
    CallFact,
    ConstantFact,
    FileFacts,
    FunctionFact,
)
from syspatterns.model import SystemModel
from syspatterns.model.deployment import read_deployment
from syspatterns.model.modules import Module
from syspatterns.model.names import aliases, bound_names, qualified, spellings


class CallSite(NamedTuple):
    """A call a module makes: the callee as written, its line, the enclosing function ("" at
    module level), and the recorded call with its arguments when there is one (module-level
    calls, calls on lines that mention a watched word, and client factories such as
    ``boto3.client``; see ``extract.facts``)."""

    callee: str
    line: int
    scope: str
    fact: CallFact | None


@dataclass
class CodeModule:
    """A module of a code component, its facts, and what its names refer to."""

    module: Module
    facts: FileFacts
    bound: dict[str, str]
    local: set[str]
    # Names resolved so far: every analyser resolves the same callees.
    _resolved: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def resolve(self, name: str) -> str:
        """``name`` as a fully qualified name (through imports, or as a local definition)."""
        found = self._resolved.get(name)
        if found is None:
            found = self._resolved[name] = qualified(name, self.module, self.bound, self.local)
        return found

    def at(self, line: int) -> Evidence:
        return Evidence(self.module.path, line)

    def functions(self) -> Iterator[tuple[str, FunctionFact]]:
        """Top-level functions and methods, with their display names."""
        return iter(self._functions)

    @cached_property
    def _functions(self) -> list[tuple[str, FunctionFact]]:
        found = [(function.name, function) for function in self.facts.functions]
        found.extend((f"{cls.name}.{method.name}", method)
                     for cls in self.facts.classes for method in cls.methods)
        return found

    def callees_named(self, names: Collection[str]) -> set[str]:
        """The callees, as written, of the call sites whose callee ends with one of
        ``names`` (see :meth:`calls_named`)."""
        index = self._sites
        return {entry[1] for name in names for entry in index.get(name, ())}

    def calls_to(self, targets: Collection[str]) -> list[CallSite]:
        """The call sites whose callee resolves to one of ``targets`` (qualified names such
        as ``redis.Redis``), in :meth:`calls_named` order. Resolving keeps a callee's last
        segment, except for a name imported under another (``from redis import Redis as
        R``), which is looked up by its alias."""
        names = self.spellings(targets)
        return [site for site in self.calls_named(names) if self.resolve(site.callee) in targets]

    def spellings(self, targets: Collection[str]) -> frozenset[str]:
        """The last segments a callee written in this module ends with when it resolves to
        one of ``targets``: theirs, and the names they are imported under (see
        :meth:`calls_to`)."""
        last = _last_segments(frozenset(targets))
        imported = self._aliases
        return spellings(last, imported) if imported else last

    @cached_property
    def _aliases(self) -> dict[str, set[str]]:
        """The names imported under another name, by the last segment of what they name
        (``Redis`` -> ``{"R"}`` for ``from redis import Redis as R``)."""
        return aliases([self.bound])

    def calls_named(self, names: Collection[str]) -> list[CallSite]:
        """The call sites whose callee, as written, ends with one of ``names`` (``delay``
        for ``send.delay``): the recorded calls (with their arguments) first, then each
        other callee of a function body at its first line. Of the recorded calls of one
        callee on one line the innermost is kept: ``f(x)(y)`` is recorded as two calls of
        ``f``, the outer one with ``y``."""
        index = self._sites
        found = sorted(entry for name in set(names) for entry in index.get(name, ()))
        return [CallSite(callee, line, scope, fact) for _, callee, line, scope, fact in found]

    def recorded_calls(self) -> list[CallFact]:
        """The recorded calls (module level, decorators' arguments aside, and lines that
        mention a watched word), the innermost of one callee on one line."""
        return list(self._innermost.values())

    @cached_property
    def _innermost(self) -> dict[tuple[str, int, str], CallFact]:
        return {(call.callee, call.line, call.scope): call for call in self.facts.calls}

    @cached_property
    def _sites(self) -> dict[str, list[tuple[int, str, int, str, CallFact | None]]]:
        """Call sites by the last segment of their callee, with their order."""
        index: dict[str, list[tuple[int, str, int, str, CallFact | None]]] = defaultdict(list)
        order = 0
        recorded: dict[str, set[str]] = defaultdict(set)
        for (callee, line, scope), call in self._innermost.items():
            index[callee.rpartition(".")[2]].append((order, callee, line, scope, call))
            order += 1
            recorded[scope].add(callee)
        for name, function in self.functions():
            done = recorded.get(name, ())
            for callee, line in function.calls:
                if callee not in done:
                    index[callee.rpartition(".")[2]].append((order, callee, line, name, None))
                    order += 1
        return index

    def resolve_value(self, text: str) -> str:
        """An argument's text with a callee or dotted name resolved (``select_autoescape()``
        -> ``jinja2.select_autoescape()``); literals as they are."""
        if text.endswith("()"):
            return f"{self.resolve(text[:-2])}()"
        if text[:1].isidentifier():
            return self.resolve(text)
        return text


def code_modules(model: SystemModel) -> list[CodeModule]:
    """The modules of code components, sorted by path (computed once per model), without
    the test modules such a component may hold (``pkg/tests/``): what the system does, not
    how it is tested."""
    return model.memo("code-modules", _code_modules)


def _code_modules(model: SystemModel) -> list[CodeModule]:
    found = []
    for module in model.modules.values():
        facts = model.facts.get(module.path)
        if facts is None or module.is_test or not model.component_by_name[
                model.component_of[module.name]].is_code:
            continue
        local = {c.name for c in facts.classes} | {f.name for f in facts.functions}
        found.append(CodeModule(module, facts, bound_names(facts, module), local))
    return sorted(found, key=lambda m: m.module.path)


def library_findings(model: SystemModel, aspect: str, categories: tuple[str, ...],
                     only: set[str] | None = None) -> list[Finding]:
    """One finding per third-party distribution of these knowledge categories (and, with
    ``only``, of those names) that code components import, with where."""
    places: dict[str, set[Evidence]] = defaultdict(set)
    for external in model.externals:
        if external.is_stdlib or external.flags & IN_TYPE_CHECKING:  # annotations only
            continue
        library = model.knowledge.library_for_import(external.top)
        if library is None or library.category not in categories:
            continue
        if only is not None and library.name not in only:
            continue
        importer = model.modules[external.importer]
        if model.component_by_name[model.component_of[importer.name]].is_code:
            places[library.name].add(Evidence(importer.path, external.line))
    findings = []
    for name in sorted(places):
        library = model.knowledge.library_for_distribution(name)
        title = model.knowledge.categories[library.category].title if library else ""
        found = sorted(places[name])
        findings.append(Finding(aspect, f"{code(name)} ({title.lower()}) is imported at "
                                f"{plural(len(found), 'place')}.", tuple(found[:3])))
    return findings


@lru_cache(maxsize=256)
def _last_segments(targets: frozenset[str]) -> frozenset[str]:
    return frozenset(short(t) for t in targets)


def short(name: str) -> str:
    """The last segment of a dotted name."""
    return name.rpartition(".")[2]


def setting_findings(modules: list[CodeModule], rows: list[dict[str, str]]) -> list[Finding]:
    """Findings from the strings inside settings (``ConstantFact.items``) that ``rows``
    (``setting``, ``match``, ``aspect``, ``meaning``; see ``knowledge/security.toml``) give a
    meaning to: one finding per meaning and value, with where each setting says it."""
    places: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for item in modules:
        for constant in [*item.facts.constants, *_added_items(item.facts.calls)]:
            for row in rows:
                if constant.name != row["setting"]:
                    continue
                match = row["match"]
                for entry in constant.items:
                    if match.endswith("="):
                        if not entry.startswith(match):
                            continue
                        value = entry[len(match):]
                    elif match and (entry != match if "." in match else short(entry) != match):
                        continue
                    else:
                        value = entry
                    claim = row["meaning"].format(value=value)
                    text = f"`{constant.name}`: {claim}."
                    places[row["aspect"], text].append(item.at(constant.line))
    return [Finding(aspect, text, tuple(sorted(set(places[aspect, text]))[:3]))
            for aspect, text in sorted(places)]


def _added_items(calls: tuple[CallFact, ...]) -> list[ConstantFact]:
    """Strings a module adds to a setting's list at its top level, as constants of one item:
    ``MIDDLEWARE.insert(0, "x.Middleware")``, ``INSTALLED_APPS.append("app")``."""
    added = []
    for call in calls:
        setting, _, method = call.callee.rpartition(".")
        if call.scope or method not in ("append", "insert") or not setting.isupper() \
                or not call.args:
            continue
        text = call.args[-1]
        if text[:1] in "'\"" and text[-1:] == text[:1] and len(text) > 1:
            added.append(ConstantFact(setting, "list", call.line, (text[1:-1],)))
    return added


def call_text(call: CallFact) -> str:
    """``callee(arg, key=value)`` with "..." for what was not recorded as text."""
    arguments = [a or "..." for a in call.args] + [f"{k}={v or '...'}" for k, v in call.keywords]
    return f"{call.callee}({', '.join(arguments)})"


def unquoted(value: str) -> str | None:
    """The string a literal's text (``'x'``) stands for; ``None`` for any other value."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return None


def setting_value(constant: ConstantFact) -> object:
    """The value of a module-level dict, or list or tuple of containers, rebuilt from its
    :attr:`~syspatterns.extract.facts.ConstantFact.entries`: dicts (string keys) and lists
    (from lists and tuples) at any depth, literals as their values, anything computed as
    ``None``; ``None`` for any other value. Empty containers are left out."""
    tree: dict[str | int, object] = {}
    for path, value in constant.entries:
        node = tree
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[path[-1]] = value
    return _rebuilt(tree) if tree else None


def _rebuilt(node: object) -> object:
    """Nested dicts with the positions of lists as integer keys, as dicts and lists."""
    if not isinstance(node, dict):
        return node
    if all(isinstance(key, int) for key in node):
        return [_rebuilt(node.get(index)) for index in range(max(node) + 1)]
    return {key: _rebuilt(value) for key, value in node.items() if isinstance(key, str)}


# What separates the statements of an nginx line: ``location / { limit_req zone=a; }``.
_STATEMENT_END = re.compile(r"[{};]")


def server_config_lines(model: SystemModel) -> list[tuple[Evidence, str]]:
    """The lines of the web-server and proxy configurations that the deployment model reads
    (nginx, Apache httpd, Traefik; not those in test folders or Python packages), stripped,
    with comments and blank lines left out."""
    return model.memo("server-config-lines", _server_config_lines)


def _server_config_lines(model: SystemModel) -> list[tuple[Evidence, str]]:
    found = []
    for path in sorted({proxy.path for proxy in read_deployment(model).proxies}):
        for number, line in enumerate((model.read_text(path) or "").splitlines(), 1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                found.append((Evidence(path, number), stripped))
    return found


def directive_findings(model: SystemModel, aspect: str, rows: list[dict[str, str]]
                       ) -> list[Finding]:
    """One finding per row (``directive``: how a configuration statement starts, in any case;
    ``meaning``) and configuration file, quoting the first matching line. A directive set to
    ``off`` (``proxy_cache off;``) turns its feature off and does not count."""
    places: dict[tuple[str, str], list[tuple[Evidence, str]]] = defaultdict(list)
    for where, line in server_config_lines(model):
        statements = [s.strip().lower() for s in _STATEMENT_END.split(line)]
        for row in rows:
            directive = row["directive"].lower()
            if any(s.startswith(directive) and s[len(directive):len(directive) + 1] in
                   (" ", "\t", ":", "") and s[len(directive):].strip(" \t:") != "off"
                   for s in statements):
                places[where.path, row["meaning"]].append((where, line))
    findings = []
    for path, meaning in sorted(places):
        lines = places[path, meaning]
        count = f" ({plural(len(lines), 'line')})" if len(lines) > 1 else ""
        findings.append(Finding(aspect, f"`{lines[0][1][:80]}` in `{path}` {meaning}{count}.",
                                tuple(where for where, _ in lines[:3])))
    return findings
