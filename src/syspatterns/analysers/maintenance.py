"""Maintenance Patterns: how the system logs, is monitored, raises alerts and is debugged,
from the code's logging calls, its structured logging (JSON formatters and renderers,
formatter classes that write JSON, ``extra=`` context; ``knowledge/maintenance.toml``), the
libraries it imports (by knowledge category), its debug settings, and the repository's
alerting and dependency-update configuration."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from syspatterns.analysis.base import new_section
from syspatterns.analysis.source import (
    CodeModule,
    code_modules,
    library_findings,
    setting_value,
    short,
)
from syspatterns.analysis.text import code, names, plural, value_phrase
from syspatterns.core.evidence import Evidence, Finding, Section
from syspatterns.extract.facts import CallFact, ConstantFact, FunctionFact
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel
from syspatterns.model.modules import Module

LOGGING_SETUP = ("logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig",
                 "structlog.configure")
LOGGER_FACTORIES = ("logging.getLogger", "structlog.get_logger", "structlog.getLogger")
DEPENDENCY_BOTS = (".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json",
                   ".github/renovate.json", ".renovaterc", ".renovaterc.json")
ALERT_RULE = re.compile(r"^\s*-?\s*alert:\s*\S", re.M)
ALERT_FILE_LIMIT = 500_000
DEBUG_CONSTANTS = ("DEBUG", "TEMPLATE_DEBUG")


def _table() -> dict[str, Any]:
    table: dict[str, Any] = read_table("maintenance.toml")["structured_logging"]
    return table


def _structured_logging(model: SystemModel, modules: list[CodeModule]) -> list[Finding]:
    """JSON formatters and renderers created or configured, formatter classes that write
    JSON, and logging calls that attach context with ``extra=``."""
    table = _table()
    json_classes = _json_formatter_classes(modules)
    formatters = set(table["json_formatters"]) | set(json_classes)
    created: dict[str, list[Evidence]] = defaultdict(list)
    context: list[Evidence] = []
    configured: list[Finding] = []
    for item in modules:
        for site in item.calls_to(formatters):
            created[site.callee].append(item.at(site.line))
        for call in item.facts.calls:
            if short(call.callee) in table["log_methods"] and any(
                    k == table["context_keyword"] for k, _ in call.keywords):
                context.append(item.at(call.line))
        configured.extend(_configured_formatters(item, formatters))
    findings = [Finding("Logging", text, (where, *extra)) for text, where, extra in
                sorted(json_classes.values(), key=lambda found: found[1])]
    findings.extend(configured)
    for callee in sorted(created):
        places = sorted(created[callee])
        findings.append(Finding(
            "Logging", f"Structured logging: `{callee}()` writes log records as JSON "
            f"({plural(len(places), 'place')}).", tuple(places[:3])))
    if context:
        context.sort()
        findings.append(Finding(
            "Logging", f"Structured context: logging calls pass `extra=` at "
            f"{plural(len(context), 'place')}.", tuple(context[:3])))
    return findings


def _json_formatter_classes(modules: list[CodeModule]
                            ) -> dict[str, tuple[str, Evidence, tuple[Evidence, ...]]]:
    """Qualified name -> (claim, where, more evidence) of the repository's formatter classes
    that write JSON: those extending a JSON formatter, and ``logging.Formatter`` subclasses
    whose format method calls ``json.dumps`` (or alike)."""
    table = _table()
    found: dict[str, tuple[str, Evidence, tuple[Evidence, ...]]] = {}
    for item in modules:
        for cls in item.facts.classes:
            where = item.at(cls.line)
            for base in cls.bases:
                resolved = item.resolve(base)
                if resolved in table["json_formatters"]:
                    found[f"{item.module.name}.{cls.name}"] = (
                        f"Structured logging: {code(cls.name)} extends {code(base)}, which "
                        "writes log records as JSON.", where, ())
                elif resolved == table["formatter_base"]:
                    for method in cls.methods:
                        dumps = [(c, line) for c, line in method.calls
                                 if item.resolve(c) in table["json_calls"]]
                        if method.name == table["format_method"] and dumps:
                            found[f"{item.module.name}.{cls.name}"] = (
                                f"Structured logging: {code(cls.name)} formats log records as "
                                f"JSON (its `{method.name}` calls `{dumps[0][0]}`).", where,
                                (item.at(dumps[0][1]),))
    return found


def _config_entries(item: CodeModule, section: str
                    ) -> Iterator[tuple[ConstantFact, str, dict[str, object]]]:
    """``(dictionary, name, entry)`` for each entry of ``section`` (``formatters``,
    ``handlers``) in the logging configuration dictionaries of a module: its ``LOGGING``
    setting and the module-level dictionaries it passes to ``dictConfig``."""
    table = _table()
    passed = {call.args[0] for call in item.facts.calls if call.args
              and item.resolve(call.callee) in table["config_calls"]}
    for constant in (*item.facts.constants, *item.facts.variables):
        if constant.name not in table["config_settings"] and constant.name not in passed:
            continue
        config = setting_value(constant)
        entries = config.get(section) if isinstance(config, dict) else None
        for name, entry in entries.items() if isinstance(entries, dict) else ():
            if isinstance(entry, dict):
                yield constant, name, entry


def _configured_formatters(item: CodeModule, formatters: set[str]) -> list[Finding]:
    """JSON formatters named in the logging configuration dictionaries of a module."""
    findings = []
    for constant, name, entry in _config_entries(item, "formatters"):
        for key in _table()["class_keys"]:
            value = entry.get(key)
            if isinstance(value, str) and value in formatters:
                findings.append(Finding(
                    "Logging", f"Structured logging: formatter '{name}' of "
                    f"`{constant.name}` is `{value}`, which writes log records as JSON.",
                    (item.at(constant.line),)))
    return findings


class Handler(NamedTuple):
    """A log handler class the code uses: where it sends records ("" when it is the
    repository's own and writes them in its own ``emit``), the known class it is or extends,
    and the places that create or configure it (its definition when none do)."""

    qualname: str
    destination: str
    known: str
    places: list[Evidence]
    used: bool
    levels: set[str]

    @property
    def own(self) -> bool:
        return self.qualname != self.known

    def name(self) -> str:
        """``RotatingFileHandler`` or ``the repository's own X, which extends Y``."""
        short = self.qualname.rpartition(".")[2]
        if not self.own:
            return code(short)
        return f"the repository's own {code(short)}, which extends " \
            f"{code(self.known.rpartition('.')[2])}"

    def counted(self) -> str:
        """`` (3 places, level ERROR)``, or nothing for a class only defined."""
        if not self.used:
            return ""
        level = f", level {names(sorted(self.levels))}" if self.levels else ""
        return f" ({plural(len(self.places), 'place')}{level})"

    def claim(self) -> str:
        if not self.destination:
            return f"Log records go where {self.name()}, sends them in its own `emit`" \
                f"{self.counted()}."
        return f"Log records go to {self.destination} through {self.name()}{self.counted()}."


def log_handlers(modules: list[CodeModule]) -> list[Handler]:
    """The log handlers of the code (see ``[log_handlers]`` in ``knowledge/maintenance.toml``):
    known handler classes created in the code or named as a handler's class in a logging
    configuration dictionary, and the repository's own subclasses of them and of the base
    handler class (those only when they write records in their own ``emit``)."""
    table = read_table("maintenance.toml")["log_handlers"]
    destinations: dict[str, str] = table["destinations"]
    base_class, emit = table["base_class"], table["emit_method"]
    known: dict[str, str] = {name: name for name in destinations}  # class -> known class
    emitting: set[str] = set()  # own classes with their own ``emit``, and their subclasses
    defined: dict[str, Evidence] = {}
    grew = True
    while grew:  # subclasses of subclasses
        grew = False
        for item in modules:
            for cls in item.facts.classes:
                qualname = f"{item.module.name}.{cls.name}"
                if qualname in known:
                    continue
                own_emit = any(m.name == emit for m in cls.methods)
                for base in map(item.resolve, cls.bases):
                    if base in known or (base == base_class and own_emit):
                        known[qualname] = known.get(base, base)
                        defined[qualname], grew = item.at(cls.line), True
                        if own_emit or base in emitting:
                            emitting.add(qualname)
                        break
    places: dict[str, list[Evidence]] = defaultdict(list)
    levels: dict[str, set[str]] = defaultdict(set)
    for item in modules:
        for site in item.calls_to(known):
            places[item.resolve(site.callee)].append(item.at(site.line))
        for constant, _, entry in _config_entries(item, table["config_section"]):
            kind = next((v for k in _table()["class_keys"]
                         if isinstance(v := entry.get(k), str) and v in known), None)
            if kind:
                places[kind].append(item.at(constant.line))
                level = entry.get(table["level_key"])
                if isinstance(level, str):
                    levels[kind].add(level)
    return [Handler(name, "" if name in emitting else destinations[known[name]], known[name],
                    sorted(set(places.get(name, ()))) or [defined[name]], name in places,
                    levels.get(name, set()))
            for name in sorted(known) if name in places or name in defined]


def _returns_logger(item: CodeModule, function: FunctionFact) -> bool:
    """Whether ``function`` returns what a logger factory gives (``return getLogger(n)``, or
    a name assigned from one): a helper such as ``get_logger(name)``, not a ``main()`` that
    happens to create a logger."""
    made = {target for target, _, value in function.assigned
            if value.endswith("()") and item.resolve(value[:-2]) in LOGGER_FACTORIES}
    return any(item.resolve(value[:-2]) in LOGGER_FACTORIES if value.endswith("()")
               else value in made for value in function.returns)


class MaintenanceAnalyser:
    key: ClassVar[str] = "maintenance"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        handlers = log_handlers(code_modules(model))
        section.findings.extend(self._logging(model, handlers))
        section.findings.extend(library_findings(model, "Monitoring", ("metrics", "tracing")) or [
            Finding("Monitoring", "None found: no imported library is a metrics or tracing "
                    "library in the knowledge tables.")])
        section.findings.extend(self._alerting(model, handlers))
        section.findings.extend(self._debugging(model))
        return section

    def _logging(self, model: SystemModel, handlers: list[Handler]) -> list[Finding]:
        per_module: list[Evidence] = []
        other_loggers: list[Evidence] = []
        setups: list[Finding] = []
        configured: dict[str, list[Evidence]] = defaultdict(list)  # call as written -> places
        modules = code_modules(model)
        calls: list[tuple[Module, CallFact, str]] = [
            (item.module, call, item.resolve(call.callee))
            for item in modules for call in item.facts.calls
        ]
        # The repository's own helpers that return a logger factory's logger are factories.
        helpers = {f"{item.module.name}.{function.name}": item.at(function.line)
                   for item in modules for function in item.facts.functions
                   if _returns_logger(item, function)}
        wrappers = set(helpers)
        factories = set(LOGGER_FACTORIES) | wrappers
        for module, call, callee in calls:
            where = Evidence(module.path, call.line)
            if callee in LOGGING_SETUP:
                configured[call.callee].append(where)
            elif callee in factories and f"{module.name}.{call.scope}" not in wrappers:
                if call.args[:1] == ("__name__",):
                    per_module.append(where)
                else:
                    other_loggers.append(where)
        for written, places in configured.items():  # (the branches of one set-up, one line)
            count = f" ({plural(len(places), 'place')})" if len(places) > 1 else ""
            setups.append(Finding("Logging", f"Logging is configured with `{written}()`{count}.",
                                  tuple(sorted(places)[:3])))
        # Django configures logging from the ``LOGGING`` setting (a dictConfig dictionary).
        applied = (" that Django applies at start-up" if any(
            x.top == "django" for x in model.externals) else "")
        setups += [Finding("Logging", "Logging is configured by the `LOGGING` setting (a "
                           f"`dictConfig` dictionary{applied}).", (item.at(constant.line),))
                   for item in modules for constant in item.facts.constants
                   if constant.name == "LOGGING" and constant.value == "dict"]
        findings = list(setups)
        if helpers:
            findings.append(Finding(
                "Logging", f"Loggers are made by the repository's own "
                f"{names([h.rpartition('.')[2] for h in sorted(helpers)], 4)} (they return "
                "what a logger factory gives).", tuple(helpers[h] for h in sorted(helpers)[:3])))
        code_count = len(modules)
        if per_module:
            per_module.sort()
            findings.append(Finding(
                "Logging",
                f"Logger per module: {plural(len({e.path for e in per_module}), 'module')} of "
                f"{code_count:,} "
                "create their logger named after `__name__`.", tuple(per_module[:3])))
        if other_loggers:
            other_loggers.sort()
            findings.append(Finding(
                "Logging", f"{plural(len(other_loggers), 'logger')} created under another "
                "name.", tuple(other_loggers[:3])))
        findings.extend(Finding(
            "Logging", h.claim(), tuple(h.places[:3])) for h in handlers)
        findings.extend(_structured_logging(model, modules))
        findings.extend(library_findings(model, "Logging", ("logging",)))
        if not findings:
            findings.append(Finding(
                "Logging",
                "No logging found: looked for `logging.getLogger`, `structlog.get_logger`, "
                "`logging.basicConfig`, `logging.config.dictConfig`/`fileConfig`, "
                "`structlog.configure`, a `LOGGING` setting and imports of logging libraries."))
        return findings

    def _alerting(self, model: SystemModel, handlers: list[Handler]) -> list[Finding]:
        alerting = read_table("maintenance.toml")["log_handlers"]["alerting"]
        findings = [Finding("Alerting", f"{h.name()} {alerting[h.known]}{h.counted()}.",
                            tuple(h.places[:3]))
                    for h in handlers if h.known in alerting and h.destination]
        findings.extend(library_findings(model, "Alerting", ("error-tracking",)))
        for path in model.files_of_kind("config", "kubernetes", "deployment"):
            if not path.endswith((".yml", ".yaml")):
                continue
            if model.size_of(path) > ALERT_FILE_LIMIT:
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
                "errors), log handlers that e-mail records or send them to an error tracker "
                "(such as `SMTPHandler` and Django's `AdminEmailHandler`) and alert rules "
                "(`alert:` entries in YAML files)."))
        return findings

    def _debugging(self, model: SystemModel) -> list[Finding]:
        findings: list[Finding] = []
        deprecations: list[Evidence] = []
        breakpoints: list[Evidence] = []
        for item in code_modules(model):
            module, facts = item.module, item.facts
            for constant in facts.constants:
                if constant.name in DEBUG_CONSTANTS:
                    findings.append(Finding(
                        "Debugging", f"`{constant.name}` is set to "
                        f"{value_phrase(constant.value)} in "
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
        findings.extend(library_findings(model, "Debugging", ("linting",)))
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
