"""Component Relationships: each component's responsibility, dependencies, dependents and
interfaces, all from the import graph and the code's own docstrings."""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import code, first_sentence, names, plural, times
from syspatterns.core.evidence import Evidence, Finding, Section, Subsection
from syspatterns.model import Dependency, SystemModel
from syspatterns.model.components import MAX_COMPONENTS, SPLIT_MIN_MODULES, Component
from syspatterns.model.rules import rule_findings

INTERFACE_LIMIT = 12
MODULE_DOCSTRINGS = 3  # docstrings of a scripts component quoted as its responsibility

GROUPING_RULE = (
    "Components are top-level packages and folders of loose scripts; a component holding more "
    f"than an eighth of the code's modules (and over {SPLIT_MIN_MODULES}) is split into its "
    f"subpackages, or its modules, while there are at most {MAX_COMPONENTS} components besides "
    "tests. Counts are import statements."
)


class ComponentsAnalyser:
    key: ClassVar[str] = "components"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        if not model.components:
            section.summary.append(Finding(
                "Overview", "No components: the repository has no Python modules to group."))
            return section
        section.summary.append(Finding("Overview", GROUPING_RULE))
        section.findings.extend(rule_findings(model))
        ordered = sorted(model.components, key=lambda c: (not c.is_code, c.name))
        interfaces = self._interfaces(model)
        for number, component in enumerate(ordered, 1):
            title = f"Component {number}: {component.name}"
            if not component.is_code:
                title += f" ({component.role})"
            section.subsections.append(Subsection(title, [
                *self._responsibility(model, component),
                *self._dependencies(model, component),
                *self._dependents(model, component),
                *interfaces.get(component.name, [self._no_interface(model, component)]),
            ]))
        return section

    def _responsibility(self, model: SystemModel, component: Component) -> list[Finding]:
        findings = []
        main_module = model.modules.get(component.name)
        facts = model.facts.get(main_module.path) if main_module else None
        if main_module and facts and facts.docstring:
            findings.append(Finding(
                "Responsibility", f"\"{first_sentence(facts.docstring)}\" (its docstring)",
                (Evidence(main_module.path, facts.docstring_line),)))
        elif main_module is None:  # scripts or a package's own modules: theirs, a few
            findings.extend(self._module_docstrings(model, component))
        classes = []
        for module_name in component.modules:
            module = model.modules[module_name]
            module_facts = model.facts.get(module.path)
            if module_facts is None or (module.is_test and component.is_code):
                continue  # (a code component's stray test modules do not say what it is)
            for cls in module_facts.classes:
                if not cls.name.startswith("_"):
                    classes.append((-len(cls.methods), cls.name, Evidence(module.path, cls.line)))
        classes.sort()
        holds = (f"Holds {plural(len(component.modules), 'module')} in "
                 f"{code(component.location)}")
        if classes:
            largest = list(dict.fromkeys(c[1] for c in classes))[:5]  # one name once
            holds += f"; its largest classes are {names(largest)}"
        if not findings:
            holds = "No docstring states it. " + holds
        findings.append(Finding("Responsibility", holds + ".", tuple(c[2] for c in classes[:5])))
        return findings

    @staticmethod
    def _module_docstrings(model: SystemModel, component: Component) -> list[Finding]:
        """The first sentences of the docstrings of a component without a package of its
        own (loose scripts), for its first modules that have one."""
        said = []
        for module_name in sorted(component.modules, key=lambda m: model.modules[m].path):
            module = model.modules[module_name]
            facts = model.facts.get(module.path)
            if facts and facts.docstring:
                said.append((module.path, first_sentence(facts.docstring),
                             Evidence(module.path, facts.docstring_line)))
        if not said:
            return []
        return [Finding("Responsibility", "Its modules' docstrings: " + "; ".join(
            f"{code(path)}: \"{text}\"" for path, text, _ in said[:MODULE_DOCSTRINGS])
            + (f"; and {len(said) - MODULE_DOCSTRINGS} more" if len(said) > MODULE_DOCSTRINGS
               else "") + ".", tuple(e for _, _, e in said[:MODULE_DOCSTRINGS]))]

    def _dependencies(self, model: SystemModel, component: Component) -> list[Finding]:
        internal = model.component_dependencies.get(component.name, [])
        external = model.external_dependencies.get(component.name, [])
        if not internal and not external:
            return [Finding("Dependencies",
                            "None: it imports no other component and no third-party code.")]
        return [
            *(self._dependency("Dependencies", d, "component") for d in internal),
            *(self._dependency("Dependencies", d, "third-party") for d in external),
        ]

    def _dependents(self, model: SystemModel, component: Component) -> list[Finding]:
        users = model.component_dependents.get(component.name, [])
        if not users:
            return [Finding("Dependents", "None: no other component imports it.")]
        return [self._dependency("Dependents", d, "component") for d in users]

    @staticmethod
    def _dependency(aspect: str, dependency: Dependency, kind: str) -> Finding:
        return Finding(aspect, f"{code(dependency.name)} ({kind}): "
                       f"{plural(dependency.imports, 'import')}", dependency.evidence[:1])

    def _interfaces(self, model: SystemModel) -> dict[str, list[Finding]]:
        """Names other components import from each component, most imported first, plus
        ``__all__`` of its packages."""
        users: dict[tuple[str, str], set[str]] = defaultdict(set)
        places: dict[tuple[str, str], set[Evidence]] = defaultdict(set)
        component_of = model.component_of
        for edge in model.edges:
            owner = component_of[edge.imported]
            importer = component_of[edge.importer]
            if owner == importer:
                continue
            users[owner, edge.target].add(importer)
            places[owner, edge.target].add(Evidence(model.modules[edge.importer].path, edge.line))
        result: dict[str, list[Finding]] = defaultdict(list)
        ranked = sorted(users, key=lambda k: (k[0], -len(places[k]), k[1]))
        shown: dict[str, int] = defaultdict(int)
        for owner, target in ranked:
            if shown[owner] == INTERFACE_LIMIT:
                continue
            shown[owner] += 1
            evidence = sorted(places[owner, target])
            result[owner].append(Finding(
                "Interfaces",
                f"{code(target)}: imported {times(len(evidence))} by "
                f"{names(sorted(users[owner, target]), limit=4)}",
                (evidence[0],)))
        for owner in result:
            total = sum(1 for o, _ in users if o == owner)
            if total > INTERFACE_LIMIT:
                result[owner].append(Finding(
                    "Interfaces", f"and {total - INTERFACE_LIMIT} more imported names."))
        for component in model.components:
            for module_name in component.modules:
                module = model.modules[module_name]
                facts = model.facts.get(module.path)
                if module.is_package and facts and facts.all_names is not None:
                    result[component.name].append(Finding(
                        "Interfaces",
                        f"{code(module.name)} declares `__all__` with "
                        f"{plural(len(facts.all_names), 'name')}: "
                        f"{names(list(facts.all_names), limit=10)}",
                        (Evidence(module.path, facts.all_line),)))
        return result

    @staticmethod
    def _no_interface(model: SystemModel, component: Component) -> Finding:
        return Finding("Interfaces", "None used: no other component imports from it, and its "
                       "packages declare no `__all__`.")
