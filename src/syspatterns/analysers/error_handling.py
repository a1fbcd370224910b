"""Error Handling: the repository's exception hierarchy with where each class is raised and
caught, global handlers (framework exception handlers, event-loop exception handlers, signal
handlers), retries, timeouts and exit codes, and broad or swallowed excepts as risks. Names
are resolved through each module's imports, so ``errors.NotFound`` and ``NotFound``
(imported from ``app.errors``) are the same class."""

from __future__ import annotations

import builtins
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.source import (
    CodeModule,
    call_text,
    code_modules,
    setting_findings,
)
from syspatterns.analysis.source import short as _short
from syspatterns.analysis.text import code, mermaid_label, names, plural
from syspatterns.core.evidence import Diagram, Evidence, Finding, Section
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel

BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
BROAD = frozenset({"Exception", "BaseException"})
# An imported base class is taken as an exception when PEP 8's naming says so.
EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning")
CLASS_LIMIT = 40
RISK_LIMIT = 10


_STATUS = re.compile(r"(?:HTTP_)?([1-5]\d\d)(?:_|$)")


def _status(value: str) -> str:
    """``404`` from ``404`` or ``status.HTTP_404_NOT_FOUND``; ``?`` when the status is not
    written as a number."""
    match = _STATUS.search(value.rpartition(".")[2]) if value else None
    return match.group(1) if match else "?"


REEXPORT_STEPS = 4  # re-exports followed from where a name is imported to its class


def _table() -> dict[str, Any]:
    return read_table("error_handling.toml")


def _merged(findings: list[Finding]) -> list[Finding]:
    """Findings of one claim made at several places (five tasks retried alike) as one, with
    the number of places, in the order of their first."""
    same: dict[str, list[Finding]] = {}
    for finding in findings:
        same.setdefault(finding.claim, []).append(finding)
    merged = []
    for claim, group in same.items():
        if len(group) == 1:
            merged.append(group[0])
            continue
        where = sorted({e for finding in group for e in finding.evidence})
        merged.append(Finding(group[0].aspect, f"{claim[:-1]} ({plural(len(where), 'place')}).",
                              tuple(where[:3])))
    return merged


def _own_retries(modules: list[CodeModule]) -> set[str]:
    """The repository's retry decorators: functions named for retrying whose code (their
    wrappers' included) waits between attempts (``time.sleep``, ``asyncio.sleep``); a
    function merely named ``retry`` is not one."""
    return {f"{item.module.name}.{function.name}" for item in modules
            for function in item.facts.functions
            if "retry" in function.name.lower()
            and any(callee.rpartition(".")[2] == "sleep" for callee, _ in function.calls)}


def _literal_status(text: str) -> bool:
    """Whether an exit status is written as a literal (``2``, ``'failed'``, ``None``)."""
    return text.lstrip("-").isdigit() or text[:1] in "'\"" or text in ("True", "False", "None")


def _expiry(written: str, resolved: str, words: tuple[str, ...]) -> bool:
    """Whether a call's ``timeout=`` is how long a value is kept (a cache's), not a wait."""
    parts = {*written.lower().split("."), *resolved.lower().split(".")}
    return any(word in part for part in parts for word in words)


@dataclass
class _Usage:
    """Where one exception class is defined, raised and caught."""

    definition: Evidence | None = None
    parent: str = ""
    raised: list[Evidence] = field(default_factory=list)
    caught: list[Evidence] = field(default_factory=list)


class ErrorHandlingAnalyser:
    key: ClassVar[str] = "error-handling"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        modules = code_modules(model)
        usage = self._hierarchy(modules)
        section.findings.extend(self._strategy(modules))
        section.findings.extend(self._types(usage, modules, section))
        section.findings.extend(_merged(self._recovery(modules)))
        section.findings.extend(self._risks(modules))
        return section

    # -- error types --------------------------------------------------------------------

    def _hierarchy(self, resolved: list[CodeModule]) -> dict[str, _Usage]:
        """Exception classes of the repository (by qualified name) with their usage."""
        classes: dict[str, tuple[list[str], Evidence]] = {}
        for item in resolved:
            for cls in item.facts.classes:
                bases = [item.resolve(b) for b in cls.bases]
                classes[f"{item.module.name}.{cls.name}"] = (bases, item.at(cls.line))
        usage: dict[str, _Usage] = {}
        decided: set[str] = set()

        def is_exception(base: str) -> bool:
            """A class is an exception when one of its bases is (its parent: the first)."""
            if base not in classes:
                return self._is_exception(base)
            if base not in decided:
                decided.add(base)  # a cycle of names is no exception
                bases, evidence = classes[base]
                parent = next((b for b in bases if is_exception(b)), None)
                if parent is not None:
                    usage[base] = _Usage(definition=evidence, parent=parent)
            return base in usage

        for name in classes:
            is_exception(name)
        exported = {item.module.name: item.bound for item in resolved}

        def defined(name: str) -> str:
            """``name`` followed through re-exports (``pkg.Error`` that ``pkg/__init__.py``
            imports from ``pkg.errors``) to where it is defined, a few steps at most."""
            for _ in range(REEXPORT_STEPS):
                if name in usage:
                    break
                module, _, short_name = name.rpartition(".")
                target = exported.get(module, {}).get(short_name)
                if target is None or target == name:
                    break
                name = target
            return name

        for item in resolved:
            for raised in item.facts.raises:
                target = defined(item.resolve(raised.exception))
                if target in usage:
                    usage[target].raised.append(item.at(raised.line))
            for handler in item.facts.handlers:
                for caught in handler.types:
                    target = defined(item.resolve(caught))
                    if target in usage:
                        usage[target].caught.append(item.at(handler.line))
        return usage

    @staticmethod
    def _is_exception(base: str) -> bool:
        """Whether a class defined outside the repository is an exception, by its name."""
        if base in BUILTIN_EXCEPTIONS:
            return True
        if base.startswith("builtins.") and base[9:] in BUILTIN_EXCEPTIONS:
            return True
        return "." in base and base.endswith(EXCEPTION_SUFFIXES)

    def _types(self, usage: dict[str, _Usage], resolved: list[CodeModule],
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
    def _builtin_raises(resolved: list[CodeModule]) -> list[Finding]:
        places: dict[str, list[Evidence]] = defaultdict(list)
        for item in resolved:
            for raised in item.facts.raises:
                if raised.exception in BUILTIN_EXCEPTIONS:
                    places[raised.exception].append(item.at(raised.line))
        if not places:
            return []
        top = sorted(places, key=lambda n: (-len(places[n]), n))[:5]
        return [Finding(
            "Error types",
            "Built-in exceptions raised most: "
            + ", ".join(f"{code(n)} at {plural(len(places[n]), 'place')}" for n in top) + ".",
            tuple(min(places[n]) for n in top))]

    # -- strategy -------------------------------------------------------------------------

    def _strategy(self, resolved: list[CodeModule]) -> list[Finding]:
        table = _table()["handlers"]
        decorators, calls = set(table["decorators"]), set(table["calls"])
        keywords = set(table["keywords"])
        findings = []
        for item in resolved:
            for name, function in item.functions():
                for decorator in function.decorators:
                    if _short(decorator) in decorators:
                        findings.append(Finding(
                            "Strategy",
                            f"Global exception handler {code(name)} registered "
                            f"with `@{decorator}`.", (item.at(function.line),)))
            for call in item.facts.calls:
                # On ``self``/``cls`` it is a framework's own implementation, not a use of it.
                own = call.callee.partition(".")[0] in ("self", "cls")
                if _short(call.callee) in calls and not own:
                    arguments = ", ".join(a or "..." for a in call.args)
                    findings.append(Finding(
                        "Strategy",
                        f"Global exception handler registered with `{call.callee}({arguments})`.",
                        (item.at(call.line),)))
                for keyword, value in call.keywords:
                    if keyword in keywords:
                        findings.append(Finding(
                            "Strategy", f"Global exception handlers passed to "
                            f"`{call.callee}({keyword}={value or '...'})`.",
                            (item.at(call.line),)))
        findings.extend(self._loop_and_signal_handlers(resolved))
        findings.extend(self._exception_hooks(resolved))
        error_views = set(_table()["django"]["handlers"])
        findings.extend(
            Finding("Strategy", f"Error view `{constant.name}` is "
                    f"{constant.value or 'set at run time'}.", (item.at(constant.line),))
            for item in resolved for constant in item.facts.constants
            if constant.name in error_views)
        findings.extend(setting_findings(resolved, _table()["setting_item"]))
        if not findings:
            findings.append(Finding(
                "Strategy",
                "No global exception handler found: looked for functions decorated with "
                + ", ".join(f"`@*.{d}`" for d in table["decorators"]) + " and calls of "
                + ", ".join(f"`*.{c}()`" for c in (*table["calls"], *table["loop_calls"]))
                + ", `signal.signal()` and `*.add_signal_handler()`."))
        findings.extend(self._http_errors(resolved))
        raises = sum(len(item.facts.raises) for item in resolved)
        raising = sum(bool(item.facts.raises) for item in resolved)
        handlers = [h for item in resolved for h in item.facts.handlers]
        actions = {a: sum(h.action == a for h in handlers) for a in ("reraise", "handle",
                                                                       "swallow")}
        findings.append(Finding(
            "Strategy",
            f"{plural(raises, 'raise statement')} in {plural(raising, 'module')}; "
            f"{plural(len(handlers), 'except clause')}, of which {actions['reraise']:,} raise "
            f"again, {actions['handle']:,} handle the error and {actions['swallow']:,} pass "
            "over it silently."))
        return findings

    @staticmethod
    def _exception_hooks(resolved: list[CodeModule]) -> list[Finding]:
        """``sys.excepthook = report`` and the like: the function the interpreter hands the
        exceptions nothing else handles."""
        hooks = _table()["hooks"]
        findings = []
        for item in resolved:
            for assigned in item.facts.attribute_sets:
                receives = hooks.get(item.resolve(assigned.target))
                if receives is None:
                    continue
                handler = code(assigned.value) if assigned.value else "a value computed at run time"
                inside = f" in {code(assigned.scope)}" if assigned.scope else ""
                findings.append(Finding("Strategy", (
                    f"{code(item.resolve(assigned.target))} is set to {handler}{inside}: it "
                    f"receives the {receives}."), (item.at(assigned.line),)))
        return findings

    @staticmethod
    def _loop_and_signal_handlers(resolved: list[CodeModule]) -> list[Finding]:
        """Event-loop exception handlers, and the handlers installed for signals."""
        table = _table()
        loop_calls, signals = table["handlers"]["loop_calls"], table["signals"]
        findings = []
        handled: dict[str, list[Evidence]] = defaultdict(list)
        wanted = {*loop_calls, *signals["loop_calls"], *(_short(c) for c in signals["calls"])}
        for item in resolved:
            for site in item.calls_named(wanted):
                where = item.at(site.line)
                call = call_text(site.fact) if site.fact else f"{site.callee}(...)"
                inside = f" in {code(site.scope)}" if site.scope else ""
                if _short(site.callee) in loop_calls:
                    findings.append(Finding(
                        "Strategy", f"The event loop's handler for exceptions no task handles "
                        f"is set with `{call}`{inside}.", (where,)))
                elif _short(site.callee) in signals["loop_calls"]:
                    findings.append(Finding(
                        "Strategy", f"A signal handler is installed on the event loop with "
                        f"`{call}`{inside}.", (where,)))
                elif item.resolve(site.callee) in signals["calls"] and site.fact and \
                        len(site.fact.args) == 2:
                    signal, handler = site.fact.args
                    action = signals["actions"].get(item.resolve_value(handler)) or (
                        f"is handled by {code(handler)}" if handler
                        else "is handled by a function chosen at run time")
                    shown = code(_short(signal)) if signal else "chosen at run time"
                    handled[f"Signal {shown} {action}"].append(where)
        for text in sorted(handled):
            places = sorted(handled[text])
            findings.append(Finding("Strategy", f"{text} (`signal.signal`, "
                                    f"{plural(len(places), 'place')}).", tuple(places[:3])))
        return findings

    @staticmethod
    def _http_errors(resolved: list[CodeModule]) -> list[Finding]:
        """``HTTPException(status_code=404)``, ``abort(403)``, ``raise Http404``: which statuses
        the code answers errors with, and where."""
        table = _table()["http_errors"]
        calls = set(table["calls"])
        statuses: dict[str, list[Evidence]] = defaultdict(list)
        for item in resolved:
            for call in item.facts.calls:
                callee = item.resolve(call.callee)
                if callee not in calls:
                    continue
                keywords = dict(call.keywords)
                value = next((keywords[k] for k in table["status_keywords"] if k in keywords),
                             call.args[0] if call.args else "")
                status = table["fixed"].get(callee) or _status(value)
                statuses[status].append(item.at(call.line))
        if not statuses:
            return []
        ordered = sorted(statuses, key=lambda s: (s == "?", s))
        text = ", ".join(f"{s if s != '?' else 'a status computed at run time'} "
                         f"({plural(len(statuses[s]), 'place')})" for s in ordered)
        places = sorted(e for s in ordered for e in statuses[s])
        return [Finding("Strategy", f"Errors become HTTP responses with status {text}.",
                        tuple(places[:3]))]

    # -- recovery -------------------------------------------------------------------------

    def _recovery(self, resolved: list[CodeModule]) -> list[Finding]:
        table = _table()
        retry = table["retry"]
        findings: list[Finding] = []
        timeouts: list[Evidence] = []
        exits: dict[str, list[Evidence]] = defaultdict(list)
        retry_decorators, retry_calls = set(retry["decorators"]), set(retry["calls"])
        exit_calls = set(table["exit"]["calls"])
        expiry_words = tuple(table["timeout"]["expiry_words"])
        timeout_calls = set(table["timeout"]["calls"])
        own = _own_retries(resolved)
        for item in resolved:
            for name, function in item.functions():
                for decorator in function.decorators:
                    resolved_decorator = item.resolve(decorator)
                    if resolved_decorator in retry_decorators or resolved_decorator in own:
                        whose = " (the repository's own)" if resolved_decorator in own else ""
                        findings.append(Finding(
                            "Recovery mechanisms",
                            f"{code(name)} is retried by `@{decorator}`{whose}.",
                            (item.at(function.line),)))
            for call in item.facts.calls:
                callee = item.resolve(call.callee)
                keywords = dict(call.keywords)
                if callee in retry_calls:
                    settings = ", ".join(f"{k}={v or '...'}" for k, v in call.keywords)
                    findings.append(Finding(
                        "Recovery mechanisms",
                        f"Retry policy `{call.callee}({settings})`.", (item.at(call.line),)))
                elif any(k in keywords for k in retry["keywords"]):
                    settings = ", ".join(f"{k}={keywords[k] or '...'}" for k in retry["keywords"]
                                         if k in keywords)
                    findings.append(Finding(
                        "Recovery mechanisms", f"Retries configured on `{call.callee}` "
                        f"({settings}).", (item.at(call.line),)))
                # (``timeout=None``: no bound; ``timeout=timeout``: the caller's, passed on)
                if (keywords.get("timeout", "None") not in ("None", "0", "timeout") and not
                        _expiry(call.callee, callee, expiry_words)) or callee in timeout_calls:
                    timeouts.append(item.at(call.line))
                if callee in exit_calls and call.args and call.args[0]:
                    exits[call.args[0]].append(item.at(call.line))
            for raised in item.facts.raises:
                if _short(raised.exception) == "SystemExit":
                    exits["SystemExit"].append(item.at(raised.line))
        if timeouts:
            timeouts.sort()
            findings.append(Finding(
                "Recovery mechanisms",
                f"{plural(len(timeouts), 'call')} set an explicit timeout (`timeout=`, "
                "`asyncio.timeout()`, ...).",
                tuple(timeouts[:3])))
        if exits:
            written = [s for s in exits if s != "SystemExit"]
            # literal statuses by value; a call's or a variable's result is computed
            statuses = sorted(s for s in written if _literal_status(s))
            computed = len(written) - len(statuses)
            places = sorted(e for s in exits for e in exits[s])
            parts = []
            if statuses:
                parts.append(f"exit status{'es' if len(statuses) > 1 else ''} "
                             + ", ".join(code(s) for s in statuses))
            if computed:
                parts.append(f"{plural(computed, 'exit status', 'exit statuses')} computed "
                             "at run time")
            text = " and ".join(parts) if parts else "`SystemExit`"
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
    def _risks(resolved: list[CodeModule]) -> list[Finding]:
        swallowed: list[tuple[Evidence, str, str]] = []
        broad_handled: list[Evidence] = []
        for item in resolved:
            for handler in item.facts.handlers:
                broad = not handler.types or any(_short(t) in BROAD for t in handler.types)
                if not broad:
                    continue
                where = item.at(handler.line)
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
                f"bare) {'handles' if len(broad_handled) == 1 else 'handle'} every error alike.",
                tuple(broad_handled[:3])))
        if not findings:
            findings.append(Finding(
                "Risks", "No broad (`except Exception`, `except BaseException`, bare) except "
                "clause that passes silently was found."))
        return findings
