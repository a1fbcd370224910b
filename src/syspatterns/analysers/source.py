"""What several analysers share: the code modules (not tests, examples, docs or benchmarks)
with name resolution through their imports, and findings about imported libraries by
knowledge category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from syspatterns.analysers.text import code, plural
from syspatterns.evidence import Evidence, Finding
from syspatterns.extract.facts import FileFacts, FunctionFact
from syspatterns.model import SystemModel
from syspatterns.model.modules import Module
from syspatterns.model.names import bound_names, qualified


@dataclass
class CodeModule:
    """A module of a code component, its facts, and what its names refer to."""

    module: Module
    facts: FileFacts
    bound: dict[str, str]
    local: set[str]

    def resolve(self, name: str) -> str:
        """``name`` as a fully qualified name (through imports, or as a local definition)."""
        return qualified(name, self.module, self.bound, self.local)

    def at(self, line: int) -> Evidence:
        return Evidence(self.module.path, line)

    def functions(self) -> Iterator[tuple[str, FunctionFact]]:
        """Top-level functions and methods, with their display names."""
        for function in self.facts.functions:
            yield function.name, function
        for cls in self.facts.classes:
            for method in cls.methods:
                yield f"{cls.name}.{method.name}", method


def code_modules(model: SystemModel) -> list[CodeModule]:
    """The modules of code components, sorted by path (computed once per model)."""
    return model.memo("code-modules", _code_modules)


def _code_modules(model: SystemModel) -> list[CodeModule]:
    found = []
    for module in model.modules.values():
        facts = model.facts.get(module.path)
        if facts is None or not model.component_by_name[model.component_of[module.name]].is_code:
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
        if external.is_stdlib:
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


def short(name: str) -> str:
    """The last segment of a dotted name."""
    return name.rpartition(".")[2]


def setting_findings(modules: list[CodeModule], rows: list[dict[str, str]]) -> list[Finding]:
    """Findings from the strings inside settings (``ConstantFact.items``) that ``rows``
    (``setting``, ``match``, ``aspect``, ``meaning``; see ``knowledge/security.toml``) give a
    meaning to: one finding per meaning and value, with where each setting says it."""
    places: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for item in modules:
        for constant in item.facts.constants:
            for row in rows:
                if constant.name != row["setting"]:
                    continue
                match = row["match"]
                for entry in constant.items:
                    if match.endswith("="):
                        if not entry.startswith(match):
                            continue
                        value = entry[len(match):]
                    elif match and short(entry) != match:
                        continue
                    else:
                        value = entry
                    claim = row["meaning"].format(value=value)
                    text = f"`{constant.name}`: {claim}."
                    places[row["aspect"], text].append(item.at(constant.line))
    return [Finding(aspect, text, tuple(sorted(set(places[aspect, text]))[:3]))
            for aspect, text in sorted(places)]

