"""Maintenance Patterns: how the system logs, is monitored, raises alerts and is debugged,
from the code's logging calls, the libraries it imports (by knowledge category), its debug
settings, and the repository's alerting and dependency-update configuration."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import ClassVar

from syspatterns.analysers.base import new_section
from syspatterns.analysers.text import code, names, plural
from syspatterns.evidence import Evidence, Finding, Section
from syspatterns.extract.facts import CallFact
from syspatterns.model import SystemModel
from syspatterns.model.modules import Module
from syspatterns.model.names import bound_names, qualified

LOGGING_SETUP = ("logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig",
                 "structlog.configure")
LOGGER_FACTORIES = ("logging.getLogger", "structlog.get_logger", "structlog.getLogger")
DEPENDENCY_BOTS = (".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json",
                   ".github/renovate.json", ".renovaterc", ".renovaterc.json")
ALERT_RULE = re.compile(r"^\s*-?\s*alert:\s*\S", re.M)
ALERT_FILE_LIMIT = 500_000
DEBUG_CONSTANTS = ("DEBUG", "TEMPLATE_DEBUG")


class MaintenanceAnalyser:
    key: ClassVar[str] = "maintenance"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        section.findings.extend(self._logging(model))
        section.findings.extend(self._libraries(model, "Monitoring", ("metrics", "tracing"),
                                                "metrics or tracing library"))
        section.findings.extend(self._alerting(model))
        section.findings.extend(self._debugging(model))
        return section

    @staticmethod
    def _code_modules(model: SystemModel) -> list[str]:
        return sorted(
            name for name, module in model.modules.items()
            if module.path in model.facts
            and model.component_by_name[model.component_of[name]].is_code
        )

    def _logging(self, model: SystemModel) -> list[Finding]:
        per_module: list[Evidence] = []
        other_loggers: list[Evidence] = []
        setups: list[Finding] = []
        calls: list[tuple[Module, CallFact, str]] = []
        for name in self._code_modules(model):
            module = model.modules[name]
            facts = model.facts[module.path]
            bound = bound_names(facts, module)
            local = {f.name for f in facts.functions}
            calls.extend((module, call, qualified(call.callee, module, bound, local))
                         for call in facts.calls)
        # The repository's own helpers that wrap a logger factory are factories too.
        factories = set(LOGGER_FACTORIES) | {
            f"{module.name}.{call.scope}" for module, call, callee in calls
            if callee in LOGGER_FACTORIES and call.scope and "." not in call.scope
        }
        wrappers = factories - set(LOGGER_FACTORIES)
        for module, call, callee in calls:
            where = Evidence(module.path, call.line)
            if callee in LOGGING_SETUP:
                setups.append(Finding("Logging", f"Logging is configured with "
                                      f"`{call.callee}()`.", (where,)))
            elif callee in factories and f"{module.name}.{call.scope}" not in wrappers:
                if call.args[:1] == ("__name__",):
                    per_module.append(where)
                else:
                    other_loggers.append(where)
        findings = list(setups)
        code_count = len(self._code_modules(model))
        if per_module:
            per_module.sort()
            findings.append(Finding(
                "Logging",
                f"Logger per module: {plural(len(per_module), 'module')} of {code_count:,} "
                "create their logger named after `__name__`.", tuple(per_module[:3])))
        if other_loggers:
            other_loggers.sort()
            findings.append(Finding(
                "Logging", f"{plural(len(other_loggers), 'logger')} created under another "
                "name.", tuple(other_loggers[:3])))
        findings.extend(self._libraries(model, "Logging", ("logging",), "logging library",
                                        quiet=True))
        if not findings:
            findings.append(Finding(
                "Logging",
                "No logging found: looked for `logging.getLogger`, `structlog.get_logger`, "
                "`logging.basicConfig`, `logging.config.dictConfig`/`fileConfig`, "
                "`structlog.configure` and imports of logging libraries."))
        return findings

    @staticmethod
    def _libraries(model: SystemModel, aspect: str, categories: tuple[str, ...], noun: str,
                   quiet: bool = False) -> list[Finding]:
        """One finding per imported distribution of the given knowledge categories."""
        places: dict[str, list[Evidence]] = defaultdict(list)
        for external in model.externals:
            if external.is_stdlib:
                continue
            library = model.knowledge.library_for_import(external.top)
            if library is None or library.category not in categories:
                continue
            places[library.name].append(Evidence(model.modules[external.importer].path,
                                                 external.line))
        findings = []
        for name in sorted(places):
            found = sorted(set(places[name]))
            library = model.knowledge.library_for_distribution(name)
            title = model.knowledge.categories[library.category].title if library else noun
            findings.append(Finding(
                aspect, f"{code(name)} ({title.lower()}) is imported at "
                f"{plural(len(found), 'place')}.", tuple(found[:3])))
        if not findings and not quiet:
            wanted = [c.title.lower() for key, c in sorted(model.knowledge.categories.items())
                      if key in categories]
            findings.append(Finding(
                aspect, f"None found: no imported library is a {' or '.join(wanted)} library "
                "in the knowledge tables."))
        return findings

    def _alerting(self, model: SystemModel) -> list[Finding]:
        findings = self._libraries(model, "Alerting", ("error-tracking",),
                                   "error tracking library", quiet=True)
        for path in model.files_of_kind("config", "kubernetes", "deployment"):
            if not path.endswith((".yml", ".yaml")):
                continue
            size = next((f.size for f in model.scan.files if f.path == path), 0)
            if size > ALERT_FILE_LIMIT:
                continue
            text = model.read_text(path) or ""
            rules = list(ALERT_RULE.finditer(text))
            if rules:
                line = text.count("\n", 0, rules[0].start()) + 1
                findings.append(Finding(
                    "Alerting", f"{plural(len(rules), 'alert rule')} in `{path}`.",
                    (Evidence(path, line),)))
        if not findings:
            findings.append(Finding(
                "Alerting",
                "None found: looked for imported error-tracking libraries (which alert on "
                "errors) and alert rules (`alert:` entries in YAML files)."))
        return findings

    def _debugging(self, model: SystemModel) -> list[Finding]:
        findings: list[Finding] = []
        deprecations: list[Evidence] = []
        breakpoints: list[Evidence] = []
        for name in self._code_modules(model):
            module = model.modules[name]
            facts = model.facts[module.path]
            for constant in facts.constants:
                if constant.name in DEBUG_CONSTANTS:
                    value = constant.value or "a value computed at run time"
                    findings.append(Finding(
                        "Debugging", f"`{constant.name}` is set to {value} in "
                        f"`{module.path}`.", (Evidence(module.path, constant.line),)))
            for call in facts.calls:
                if call.callee in ("warnings.warn", "warn") and any(
                        a.endswith("DeprecationWarning") for a in call.args):
                    deprecations.append(Evidence(module.path, call.line))
            for imported in facts.imports:
                if imported.target.partition(".")[0] in ("pdb", "ipdb", "pudb"):
                    breakpoints.append(Evidence(module.path, imported.line))
        if deprecations:
            deprecations.sort()
            findings.append(Finding(
                "Debugging", f"Deprecation policy: {plural(len(deprecations), 'call')} warn "
                "with `DeprecationWarning`.", tuple(deprecations[:3])))
        if breakpoints:
            breakpoints.sort()
            findings.append(Finding(
                "Debugging", f"A debugger is imported in code (not tests) at "
                f"{plural(len(breakpoints), 'place')}.", tuple(breakpoints[:3])))
        findings.extend(self._libraries(model, "Debugging", ("linting",), "linter",
                                        quiet=True))
        bots = [p for p in DEPENDENCY_BOTS if any(f.path == p for f in model.scan.files)]
        if bots:
            findings.append(Finding(
                "Debugging", f"Dependency updates are automated ({names(bots)}).",
                tuple(Evidence(p, 1) for p in bots)))
        if not findings:
            findings.append(Finding(
                "Debugging",
                "None found: looked for `DEBUG` settings, `DeprecationWarning` warnings, "
                "debugger imports (`pdb`, `ipdb`, `pudb`) and dependency-update configuration "
                "(Dependabot, Renovate)."))
        return findings
