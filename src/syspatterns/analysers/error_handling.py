"""Error Handling: the repository's exception hierarchy with where each class is raised and
caught, global handlers, retries, timeouts and exit codes, and broad or swallowed excepts as
risks. Names are resolved through each module's imports, so ``errors.NotFound`` and
``NotFound`` (imported from ``app.errors``) are the same class."""

from __future__ import annotations

import builtins
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from syspatterns.analysers.architecture import mermaid_label
from syspatterns.analysers.base import new_section
from syspatterns.analysers.text import code, names, plural
from syspatterns.evidence import Diagram, Evidence, Finding, Section
from syspatterns.extract.facts import FileFacts
from syspatterns.model import SystemModel
from syspatterns.model.modules import Module
from syspatterns.model.names import bound_names, qualified

BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
BROAD = frozenset({"Exception", "BaseException"})
# An imported base class is taken as an exception when PEP 8's naming says so.
EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning")
CLASS_LIMIT = 40
RISK_LIMIT = 10


@cache
def _table() -> dict[str, Any]:
    path = Path(__file__).parent.parent / "knowledge" / "error_handling.toml"
    return tomllib.loads(path.read_text("utf-8"))


@dataclass
class _Usage:
    """Where one exception class is defined, raised and caught."""

    definition: Evidence | None = None
    parent: str = ""
    raised: list[Evidence] = field(default_factory=list)
    caught: list[Evidence] = field(default_factory=list)


def _short(name: str) -> str:
    return name.rpartition(".")[2]


class ErrorHandlingAnalyser:
    key: ClassVar[str] = "error-handling"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        modules = [
            (module, model.facts[module.path]) for module in model.modules.values()
            if module.path in model.facts
            and model.component_by_name[model.component_of[module.name]].is_code
        ]
        resolved = [(module, facts, *self._resolver(module, facts)) for module, facts in modules]
        usage = self._hierarchy(resolved)
        section.findings.extend(self._strategy(resolved))
        section.findings.extend(self._types(usage, resolved, section))
        section.findings.extend(self._recovery(resolved))
        section.findings.extend(self._risks(resolved))
        return section

    @staticmethod
    def _resolver(module: Module, facts: FileFacts) -> tuple[dict[str, str], set[str]]:
        local = {c.name for c in facts.classes} | {f.name for f in facts.functions}
        return bound_names(facts, module), local

    # -- error types --------------------------------------------------------------------

    def _hierarchy(self, resolved: list[Any]) -> dict[str, _Usage]:
        """Exception classes of the repository (by qualified name) with their usage."""
        classes: dict[str, tuple[list[str], Evidence]] = {}
        for module, facts, bound, local in resolved:
            for cls in facts.classes:
                bases = [qualified(b, module, bound, local) for b in cls.bases]
                classes[f"{module.name}.{cls.name}"] = (bases, Evidence(module.path, cls.line))
        usage: dict[str, _Usage] = {}
        changed = True
        while changed:  # a class is an exception when one of its bases is
            changed = False
            for name, (bases, evidence) in classes.items():
                if name in usage:
                    continue
                parent = next((b for b in bases if self._is_exception(b, classes, usage)), None)
                if parent is not None:
                    usage[name] = _Usage(definition=evidence, parent=parent)
                    changed = True
        for module, facts, bound, local in resolved:
            for raised in facts.raises:
                target = qualified(raised.exception, module, bound, local)
                if target in usage:
                    usage[target].raised.append(Evidence(module.path, raised.line))
            for handler in facts.handlers:
                for caught in handler.types:
                    target = qualified(caught, module, bound, local)
                    if target in usage:
                        usage[target].caught.append(Evidence(module.path, handler.line))
        return usage

    @staticmethod
    def _is_exception(base: str, classes: dict[str, Any], known: dict[str, _Usage]) -> bool:
        if base in known or base in BUILTIN_EXCEPTIONS:
            return True
        if base.startswith("builtins.") and base[9:] in BUILTIN_EXCEPTIONS:
            return True
        return base not in classes and "." in base and base.endswith(EXCEPTION_SUFFIXES)

    def _types(self, usage: dict[str, _Usage], resolved: list[Any],
               section: Section) -> list[Finding]:
        findings: list[Finding] = []
        if not usage:
            findings.append(Finding(
                "Error types",
                "No exception class is defined in the code: looked for classes whose bases are "
                "built-in exceptions, other exception classes of the repository, or imported "
                "classes named `*Error`, `*Exception` or `*Warning`."))
        else:
            children: dict[str, list[str]] = defaultdict(list)
            for name, item in usage.items():
                children[item.parent].append(name)
            roots = sorted(n for n in usage if usage[n].parent not in usage)
            ordered: list[str] = []  # depth first, so subclasses follow their base
            pending = list(reversed(roots))
            while pending:
                name = pending.pop()
                ordered.append(name)
                pending.extend(sorted(children[name], reverse=True))
            findings.append(Finding(
                "Error types",
                f"{plural(len(usage), 'exception class', 'exception classes')} defined in the "
                f"code, under {plural(len(roots), 'root')}: {names([_short(r) for r in roots])}."))
            for name in ordered[:CLASS_LIMIT]:
                item = usage[name]
                evidence = [item.definition] if item.definition else []
                evidence += sorted(item.raised)[:1] + sorted(item.caught)[:1]
                findings.append(Finding(
                    "Error types",
                    f"{code(_short(name))} in `{name.rpartition('.')[0]}`, subclass "
                    f"of {code(_short(item.parent))}: raised at "
                    f"{plural(len(item.raised), 'place')}, caught at "
                    f"{plural(len(item.caught), 'place')}.",
                    tuple(evidence)))
            if len(ordered) > CLASS_LIMIT:
                findings.append(Finding(
                    "Error types", f"And {len(ordered) - CLASS_LIMIT} more exception classes."))
            if 2 <= len(usage) <= CLASS_LIMIT:
                section.diagrams.append(self._diagram(usage))
        findings.extend(self._builtin_raises(resolved))
        return findings

    @staticmethod
    def _diagram(usage: dict[str, _Usage]) -> Diagram:
        ids = {name: f"e{i}" for i, name in enumerate(sorted(usage))}
        lines = ["flowchart BT"]
        outside: dict[str, str] = {}
        for name in sorted(usage):
            lines.append(f'  {ids[name]}["{mermaid_label(_short(name))}"]')
        for name in sorted(usage):
            parent = usage[name].parent
            if parent not in ids:
                if parent not in outside:
                    outside[parent] = f"x{len(outside)}"
                    lines.append(f'  {outside[parent]}(["{mermaid_label(_short(parent))}"])')
                lines.append(f"  {ids[name]} --> {outside[parent]}")
            else:
                lines.append(f"  {ids[name]} --> {ids[parent]}")
        return Diagram("The exception hierarchy (arrow: subclass to base; rounded: a built-in "
                       "or imported base).", "\n".join(lines))

    @staticmethod
    def _builtin_raises(resolved: list[Any]) -> list[Finding]:
        places: dict[str, list[Evidence]] = defaultdict(list)
        for module, facts, _, _ in resolved:
            for raised in facts.raises:
                if raised.exception in BUILTIN_EXCEPTIONS:
                    places[raised.exception].append(Evidence(module.path, raised.line))
        if not places:
            return []
        top = sorted(places, key=lambda n: (-len(places[n]), n))[:5]
        return [Finding(
            "Error types",
            "Built-in exceptions raised most: "
            + ", ".join(f"{code(n)} at {plural(len(places[n]), 'place')}" for n in top) + ".",
            tuple(min(places[n]) for n in top))]

    # -- strategy -------------------------------------------------------------------------

    def _strategy(self, resolved: list[Any]) -> list[Finding]:
        table = _table()["handlers"]
        findings = []
        for module, facts, _, _ in resolved:
            functions = [*((f, "") for f in facts.functions),
                         *((m, f"{c.name}.") for c in facts.classes for m in c.methods)]
            for function, owner in functions:
                for decorator in function.decorators:
                    if _short(decorator) in table["decorators"]:
                        findings.append(Finding(
                            "Strategy",
                            f"Global exception handler {code(owner + function.name)} registered "
                            f"with `@{decorator}`.", (Evidence(module.path, function.line),)))
            for call in facts.calls:
                # On ``self``/``cls`` it is a framework's own implementation, not a use of it.
                own = call.callee.partition(".")[0] in ("self", "cls")
                if _short(call.callee) in table["calls"] and not own:
                    arguments = ", ".join(a or "..." for a in call.args)
                    findings.append(Finding(
                        "Strategy",
                        f"Global exception handler registered with `{call.callee}({arguments})`.",
                        (Evidence(module.path, call.line),)))
        if not findings:
            findings.append(Finding(
                "Strategy",
                "No global exception handler found: looked for functions decorated with "
                + ", ".join(f"`@*.{d}`" for d in table["decorators"]) + " and calls of "
                + ", ".join(f"`*.{c}()`" for c in table["calls"]) + "."))
        raises = sum(len(facts.raises) for _, facts, _, _ in resolved)
        raising = sum(bool(facts.raises) for _, facts, _, _ in resolved)
        handlers = [h for _, facts, _, _ in resolved for h in facts.handlers]
        actions = {a: sum(h.action == a for h in handlers) for a in ("reraise", "handle",
                                                                       "swallow")}
        findings.append(Finding(
            "Strategy",
            f"{plural(raises, 'raise statement')} in {plural(raising, 'module')}; "
            f"{plural(len(handlers), 'except clause')}, of which {actions['reraise']:,} raise "
            f"again, {actions['handle']:,} handle the error and {actions['swallow']:,} pass "
            "over it silently."))
        return findings

    # -- recovery -------------------------------------------------------------------------

    def _recovery(self, resolved: list[Any]) -> list[Finding]:
        table = _table()
        retry = table["retry"]
        findings: list[Finding] = []
        timeouts: list[Evidence] = []
        exits: dict[str, list[Evidence]] = defaultdict(list)
        for module, facts, bound, local in resolved:
            functions = [*((f, "") for f in facts.functions),
                         *((m, f"{c.name}.") for c in facts.classes for m in c.methods)]
            for function, owner in functions:
                for decorator in function.decorators:
                    if qualified(decorator, module, bound, local) in retry["decorators"]:
                        findings.append(Finding(
                            "Recovery mechanisms",
                            f"{code(owner + function.name)} is retried by `@{decorator}`.",
                            (Evidence(module.path, function.line),)))
            for call in facts.calls:
                where = Evidence(module.path, call.line)
                callee = qualified(call.callee, module, bound, local)
                keywords = dict(call.keywords)
                if callee in retry["calls"]:
                    settings = ", ".join(f"{k}={v or '...'}" for k, v in call.keywords)
                    findings.append(Finding(
                        "Recovery mechanisms",
                        f"Retry policy `{call.callee}({settings})`.", (where,)))
                elif any(k in keywords for k in retry["keywords"]):
                    settings = ", ".join(f"{k}={keywords[k] or '...'}" for k in retry["keywords"]
                                         if k in keywords)
                    findings.append(Finding(
                        "Recovery mechanisms", f"Retries configured on `{call.callee}` "
                        f"({settings}).", (where,)))
                if "timeout" in keywords:
                    timeouts.append(where)
                if callee in table["exit"]["calls"] and call.args and call.args[0]:
                    exits[call.args[0]].append(where)
            for raised in facts.raises:
                if _short(raised.exception) == "SystemExit":
                    exits["SystemExit"].append(Evidence(module.path, raised.line))
        if timeouts:
            timeouts.sort()
            findings.append(Finding(
                "Recovery mechanisms",
                f"{plural(len(timeouts), 'call')} set an explicit `timeout=`.",
                tuple(timeouts[:3])))
        if exits:
            statuses = sorted(s for s in exits if s != "SystemExit")
            places = sorted(e for s in exits for e in exits[s])
            text = (f"exit statuses {', '.join(code(s) for s in statuses)}" if statuses
                    else "`SystemExit`")
            findings.append(Finding(
                "Recovery mechanisms",
                f"The process ends with {text} at {plural(len(places), 'place')}.",
                tuple(places[:3])))
        if not findings:
            findings.append(Finding(
                "Recovery mechanisms",
                "None found: looked for retry decorators ("
                + ", ".join(f"`{d}`" for d in retry["decorators"][:4])
                + ", ...), retry policies, Celery-style `autoretry_for`, calls with `timeout=`, "
                "and exit statuses."))
        return findings

    # -- risks ----------------------------------------------------------------------------

    @staticmethod
    def _risks(resolved: list[Any]) -> list[Finding]:
        swallowed: list[tuple[Evidence, str, str]] = []
        broad_handled: list[Evidence] = []
        for module, facts, _, _ in resolved:
            for handler in facts.handlers:
                broad = not handler.types or any(_short(t) in BROAD for t in handler.types)
                if not broad:
                    continue
                where = Evidence(module.path, handler.line)
                if handler.action == "swallow":
                    clause = ("bare `except:`" if not handler.types
                              else f"`except {', '.join(handler.types)}`")
                    swallowed.append((where, clause, handler.scope))
                elif handler.action == "handle":
                    broad_handled.append(where)
        findings = []
        for where, clause, scope in sorted(swallowed)[:RISK_LIMIT]:
            inside = f" in {code(scope)}" if scope else " at module level"
            findings.append(Finding("Risks", f"A {clause}{inside} passes over every error "
                                    "silently.", (where,)))
        if len(swallowed) > RISK_LIMIT:
            findings.append(Finding(
                "Risks", f"And {len(swallowed) - RISK_LIMIT} more broad excepts that pass "
                "silently."))
        if broad_handled:
            broad_handled.sort()
            findings.append(Finding(
                "Risks",
                f"{plural(len(broad_handled), 'broad except clause')} (`except Exception` or "
                "bare) handle every error alike.", tuple(broad_handled[:3])))
        if not findings:
            findings.append(Finding(
                "Risks", "No broad (`except Exception`, `except BaseException`, bare) except "
                "clause that passes silently was found."))
        return findings
