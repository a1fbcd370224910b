"""Security Patterns: how clients authenticate, how access is checked, how data is protected,
and other measures and risks, from the code's libraries (by knowledge category), security
scheme objects, decorators, settings, calls, rate limiters, template autoescaping and
web-server rate limits. Every construct is matched by its fully qualified name after the
module's imports are resolved (``knowledge/security.toml``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.source import (
    CodeModule,
    call_text,
    code_modules,
    directive_findings,
    library_findings,
    setting_findings,
    setting_value,
)
from syspatterns.analysis.source import short as _short
from syspatterns.analysis.text import names, plural, value_phrase
from syspatterns.core.evidence import Evidence, Finding, Section
from syspatterns.extract.facts import CallFact
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel

RISK_LIMIT = 12


EMPTY_VALUES = frozenset({"[]", "()", "None", "{}"})  # class attributes that set nothing


def _table() -> dict[str, Any]:
    return read_table("security.toml")


def _grouped(aspect: str, found: list[tuple[Evidence, str]], limit: int) -> list[Finding]:
    """One finding per distinct claim, with its number of places when there are several."""
    places: dict[str, list[Evidence]] = defaultdict(list)
    for where, text in found:
        places[text].append(where)
    ordered = sorted(places, key=lambda t: min(places[t]))
    findings = []
    for text in ordered[:limit]:
        at = sorted(set(places[text]))  # (two calls on one line are one place)
        count = f" ({plural(len(at), 'place')})" if len(at) > 1 else ""
        findings.append(Finding(aspect, text[:-1] + count + ".", tuple(at[:3])))
    if len(ordered) > limit:
        findings.append(Finding(aspect, f"And {len(ordered) - limit} more."))
    return findings


def _template_options(modules: list[CodeModule]) -> list[tuple[Evidence, str, bool]]:
    """``(where, setting, on)`` for each template engine of a ``TEMPLATES``-like setting whose
    OPTIONS set autoescaping explicitly; ``setting`` names the setting and the engine."""
    table = _table()["template_settings"]
    found = []
    for item in modules:
        for constant in item.facts.constants:
            if constant.name not in table["settings"]:
                continue
            engines = setting_value(constant)
            for engine in engines if isinstance(engines, list) else ():
                if not isinstance(engine, dict):
                    continue
                options, backend = engine.get("OPTIONS"), engine.get("BACKEND")
                value = options.get(table["option"]) if isinstance(options, dict) else None
                if isinstance(value, bool):
                    shown = f" ({_short(backend)})" if isinstance(backend, str) else ""
                    found.append((item.at(constant.line), f"`{constant.name}`{shown}", value))
    return found


def _limiters(modules: list[CodeModule], table: dict[str, Any]
              ) -> tuple[list[Finding], set[str]]:
    """Findings for the limiter objects created, and the qualified names of those created at
    module level (whose decorators limit views)."""
    libraries = {row["callable"]: row["library"] for row in table["limiter"]}
    findings = []
    instances: set[str] = set()
    for item in modules:
        for assignment in item.facts.assignments:
            library = libraries.get(item.resolve(assignment.callee))
            if library is None:
                continue
            if not assignment.scope:
                instances.update(f"{item.module.name}.{t}" for t in assignment.targets)
            findings.append(Finding(
                "Other security measures", f"Rate limiting with {library}: "
                f"`{' = '.join(assignment.targets)} = {assignment.callee}(...)`.",
                (item.at(assignment.line),)))
    return findings, instances


def _limited_views(item: CodeModule, instances: set[str], table: dict[str, Any]
                   ) -> Iterator[tuple[str, Evidence, str]]:
    """``(label, where, view)`` for the views a limiter's decorator, a rate-limiting decorator
    (also inside ``method_decorator``) or a throttle class attribute limits."""
    for decoration in item.facts.decorations:
        callee = item.resolve(decoration.callee)
        owner, _, method = callee.rpartition(".")
        by_limiter = method in table["methods"] and (
            owner in instances or f"{item.module.name}.{owner}" in instances)
        wrapped = any(a.endswith("()") and item.resolve(a[:-2]) in table["decorators"]
                      for a in decoration.args)
        if by_limiter or wrapped or callee in table["decorators"]:
            yield f"@{call_text(decoration)}", item.at(decoration.line), decoration.scope
    for cls in item.facts.classes:
        for name, value, line in cls.attributes:
            if name in table["class_attributes"] and value not in EMPTY_VALUES:
                yield name, item.at(line), cls.name


def _in_repository(model: SystemModel, name: str) -> bool:
    """Whether the qualified ``name`` lies in one of the repository's modules."""
    parts = name.split(".")
    return any(".".join(parts[:end]) in model.modules for end in range(1, len(parts)))


def _of_callees(item: CodeModule, call: CallFact, row: dict[str, Any]) -> bool:
    """Whether ``call`` is one a keyword row speaks of: any, or one into its ``callees``."""
    prefixes = row.get("callees")
    return not prefixes or item.resolve(call.callee).startswith(tuple(prefixes))


def _own_guards(modules: list[CodeModule], table: dict[str, Any]) -> dict[str, Evidence]:
    """The repository's functions (qualified name -> definition) whose names say they guard
    access (see ``[authorization]`` ``subjects``, ``guards`` and ``guard_words`` in
    ``security.toml``)."""
    subjects, guards = tuple(table["subjects"]), tuple(table["guards"])
    words = tuple(table["guard_words"])
    found = {}
    for item in modules:
        for function in item.facts.functions:
            parts = function.name.lower().strip("_").split("_")
            if (len(parts) == 1 and parts[0].startswith(words)) or (
                    any(p.startswith(subjects) for p in parts)
                    and any(p.startswith(guards) for p in parts)):
                found[f"{item.module.name}.{function.name}"] = item.at(function.line)
    return found


class SecurityAnalyser:
    key: ClassVar[str] = "security"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        modules = code_modules(model)
        settings = setting_findings(modules, _table()["setting_item"])

        def said(aspect: str) -> list[Finding]:
            return [f for f in settings if f.aspect == aspect]

        section.findings.extend(self._authentication(model, modules, said("Authentication")))
        section.findings.extend(self._authorization(modules, said("Authorization")))
        section.findings.extend(self._data_protection(model, modules, said("Data protection")))
        section.findings.extend(self._other(model, modules, said("Other security measures")))
        section.findings.extend(self._risks(model, modules))
        return section

    def _authentication(self, model: SystemModel, modules: list[CodeModule],
                        settings: list[Finding]) -> list[Finding]:
        table = _table()
        schemes = {row["callable"]: row["mechanism"] for row in table["scheme"]}
        calls = {row["callee"]: row["meaning"] for row in table["auth_call"]}
        findings = []
        for item in modules:
            for assignment in item.facts.assignments:
                mechanism = schemes.get(item.resolve(assignment.callee))
                if mechanism:
                    findings.append(Finding(
                        "Authentication", f"{mechanism[0].upper()}{mechanism[1:]}: "
                        f"`{' = '.join(assignment.targets)} = {assignment.callee}(...)`.",
                        (item.at(assignment.line),)))
        seen: dict[str, list[Evidence]] = defaultdict(list)
        for item in modules:
            for call in item.facts.calls:
                meaning = calls.get(item.resolve(call.callee))
                if meaning:
                    seen[meaning].append(item.at(call.line))
        for meaning in sorted(seen):
            places = sorted(seen[meaning])
            findings.append(Finding("Authentication", f"The code {meaning} at "
                                    f"{plural(len(places), 'place')}.", tuple(places[:3])))
        findings.extend(library_findings(model, "Authentication", ("auth", "password-hashing")))
        findings.extend(settings)
        if not findings:
            findings.append(Finding(
                "Authentication",
                "None found: looked for security schemes (OAuth2, bearer tokens, API keys, "
                "login managers), JWT and password-hashing calls, and imports of "
                "authentication or password-hashing libraries."))
        return findings

    def _authorization(self, modules: list[CodeModule], settings: list[Finding]
                       ) -> list[Finding]:
        table = _table()["authorization"]
        guarded: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
        injected: dict[str, list[Evidence]] = defaultdict(list)
        own = _own_guards(modules, table)
        defined: dict[str, Evidence] = {}  # own guard decorator -> its definition
        # view decorator -> (place, decorated, permission) of the views it gives a permission
        permissions: dict[str, list[tuple[Evidence, str, str]]] = defaultdict(list)
        for item in modules:
            for name, function in item.functions():
                for decorator in function.decorators:
                    if _short(decorator) in table["decorators"]:
                        guarded[_short(decorator)].append((item.at(function.line), name))
                    elif (definition := own.get(item.resolve(decorator))) is not None:
                        defined[_short(decorator)] = definition
                        guarded[_short(decorator)].append((item.at(function.line), name))
            for decoration in item.facts.decorations:
                keyword = table["permission_keywords"].get(item.resolve(decoration.callee))
                value = next((v for k, v in decoration.keywords if k == keyword), None)
                if value and value not in EMPTY_VALUES:
                    permissions[_short(decoration.callee)].append(
                        (item.at(decoration.line), decoration.scope, value))
            for call in item.facts.calls:
                if _short(call.callee) in table["injectors"] and call.args and call.args[0]:
                    target = call.args[0]
                    if any(word in target.lower() for word in ("user", "auth", "permission",
                                                                "admin", "token", "role")):
                        injected[target].append(item.at(call.line))
        views: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
        mixed: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
        mixins = set(table["mixins"])
        for item in modules:
            for cls in item.facts.classes:
                for name, value, line in cls.attributes:
                    if name in table["class_attributes"] and value not in EMPTY_VALUES:
                        views[name].append((item.at(line), cls.name))
                for base in cls.bases:
                    if _short(base) in mixins:
                        mixed[_short(base)].append((item.at(cls.line), cls.name))
        findings = []
        for mixin in sorted(mixed):
            classes = sorted(mixed[mixin])
            findings.append(Finding(
                "Authorization", f"`{mixin}` guards {plural(len(classes), 'view')} "
                f"({names([n for _, n in classes], limit=5)}).", tuple(e for e, _ in classes[:3])))
        for attribute in sorted(views):
            classes = sorted(views[attribute])
            findings.append(Finding(
                "Authorization", f"`{attribute}` sets the permissions of "
                f"{plural(len(classes), 'view')} ({names([n for _, n in classes], limit=5)}).",
                tuple(e for e, _ in classes[:3])))
        for decorator in sorted(guarded):
            uses = sorted(guarded[decorator])
            where = defined.get(decorator)
            own_text = " (the repository's own)" if where else ""
            findings.append(Finding(
                "Authorization",
                f"`@{decorator}`{own_text} guards {plural(len(uses), 'function')} "
                f"({names([n for _, n in uses], limit=5)}).",
                (*([where] if where else []), *(e for e, _ in uses[:3]))))
        for decorator in sorted(permissions):
            given = sorted(permissions[decorator])
            required = sorted({permission for _, _, permission in given})
            decorated = sorted({name for _, name, _ in given})
            findings.append(Finding(
                "Authorization",
                f"`@{decorator}(permission=...)` makes {plural(len(decorated), 'view')} "
                f"({names(decorated, limit=5)}) require "
                f"{plural(len(required), 'permission')} ({names(required, limit=5)}).",
                tuple(e for e, _, _ in given[:3])))
        for target in sorted(injected):
            places = sorted(injected[target])
            findings.append(Finding(
                "Authorization", f"Routes require `{target}` through dependency injection at "
                f"{plural(len(places), 'place')}.", tuple(places[:3])))
        findings.extend(settings)
        if not findings:
            findings.append(Finding(
                "Authorization",
                "None found: looked for guard decorators ("
                + ", ".join(f"`@{d}`" for d in table["decorators"][:5])
                + ", ..., and the repository's own such as `@admins_only`), permission class "
                "attributes (`permission_classes`), permissions given to view decorators "
                "(`@view_config(permission=...)`) and injected user or permission dependencies "
                "(`Depends(...)`)."))
        return findings

    def _data_protection(self, model: SystemModel, modules: list[CodeModule],
                         settings: list[Finding]) -> list[Finding]:
        protection = set(_table()["settings"]["protection"])
        found: list[tuple[Evidence, str]] = []
        for item in modules:
            for constant in item.facts.constants:
                if constant.name in protection:
                    found.append((item.at(constant.line), f"`{constant.name}` is set to "
                                  f"{value_phrase(constant.value)}."))
            for call in item.facts.calls:
                # (a client's cookie jar, ``self.jar.set_cookie(cookie)``, sets no response's;
                # the repository's own ``set_cookie`` sets its flags inside, read there)
                if _short(call.callee) == "set_cookie" and "jar" not in call.callee.lower() \
                        and not _in_repository(model, item.resolve(call.callee)):
                    flags = dict(call.keywords)
                    if any(flags.get(k) == k for k in ("secure", "httponly", "samesite")):
                        continue  # ``secure=secure``: passing its caller's choice on
                    shown = ", ".join(f"{k}={flags[k] or '...'}" for k in
                                      ("secure", "httponly", "samesite") if k in flags)
                    found.append((item.at(call.line), "Cookies are set with "
                                  f"{shown or 'no secure, httponly or samesite flag'}."))
        found.extend(self._protective_keywords(modules))
        found.extend((where, f"{setting} turns template autoescaping on explicitly.")
                     for where, setting, on in _template_options(modules) if on)
        findings = _grouped("Data protection", found, 30)
        findings.extend(library_findings(model, "Data protection", ("crypto",)))
        findings.extend(settings)
        if not findings:
            findings.append(Finding(
                "Data protection",
                "None found: looked for security settings (`SECURE_*`, `SESSION_COOKIE_*`, "
                "`CSRF_COOKIE_*`, ...), cookie flags in `set_cookie` calls, template "
                "autoescaping turned on and imports of cryptography libraries."))
        return findings

    @staticmethod
    def _protective_keywords(modules: list[CodeModule]) -> list[tuple[Evidence, str]]:
        rows = _table()["protective_keyword"]
        found = []
        for item in modules:
            for call in item.facts.calls:
                for key, value in call.keywords:
                    for row in rows:
                        if key == row["keyword"] and item.resolve_value(value) in row["values"] \
                                and _of_callees(item, call, row):
                            found.append((item.at(call.line), f"{row['meaning']}: "
                                          f"`{call.callee}(..., {key}={value})`."))
        return found

    def _other(self, model: SystemModel, modules: list[CodeModule],
               settings: list[Finding]) -> list[Finding]:
        findings = []
        words = tuple(_table()["middleware"]["words"])
        added: dict[str, list[Evidence]] = defaultdict(list)
        for item in modules:
            for call in item.facts.calls:
                if _short(call.callee) == "add_middleware" and call.args and call.args[0] \
                        and any(w in _short(call.args[0]).lower() for w in words):
                    added[call.args[0]].append(item.at(call.line))
        for middleware in sorted(added):  # once each, however many applications add it
            places = sorted(added[middleware])
            count = f" ({plural(len(places), 'place')})" if len(places) > 1 else ""
            findings.append(Finding("Other security measures", f"Middleware `{middleware}` is "
                                    f"added to the application{count}.", tuple(places[:3])))
        findings.extend(self._rate_limits(model, modules))
        findings.extend(library_findings(model, "Other security measures",
                                        ("rate-limiting", "security", "validation")))
        findings.extend(settings)
        if not findings:
            findings.append(Finding(
                "Other security measures",
                "None found: looked for security middleware added to the application (CORS, "
                "trusted hosts, HTTPS redirects, CSRF, sessions, ...), rate limiters "
                "(slowapi, Flask-Limiter, django-ratelimit, fastapi-limiter, REST framework "
                "`throttle_classes`), `limit_req`/`limit_conn` in web-server configurations and "
                "imports of rate-limiting, security-middleware and validation libraries."))
        return findings

    @staticmethod
    def _rate_limits(model: SystemModel, modules: list[CodeModule]) -> list[Finding]:
        """Limiter objects, the views their decorators limit, rate-limiting decorators and
        dependencies, views with their own throttles, and web-server rate limits."""
        table = _table()["rate_limit"]
        shipped = modules
        findings, instances = _limiters(shipped, table)
        limited: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
        guarded: dict[str, list[Evidence]] = defaultdict(list)
        for item in shipped:
            for label, where, view in _limited_views(item, instances, table):
                limited[label].append((where, view))
            for site in item.calls_to(table["calls"]):
                guarded[site.callee].append(item.at(site.line))
            for call in item.recorded_calls():
                for argument in call.args:
                    callee = argument[:-2]
                    if argument.endswith("()") and item.resolve(callee) in table["calls"]:
                        guarded[callee].append(item.at(call.line))
        for label in sorted(limited):
            uses = sorted(limited[label])
            findings.append(Finding(
                "Other security measures",
                f"`{label}` limits the request rate of {plural(len(uses), 'view')} "
                f"({names([n for _, n in uses], limit=5)}).", tuple(e for e, _ in uses[:3])))
        for callee in sorted(guarded):
            places = sorted(guarded[callee])
            findings.append(Finding(
                "Other security measures", f"`{callee}(...)` limits the request rate of the "
                f"routes it guards ({plural(len(places), 'place')}).", tuple(places[:3])))
        findings.extend(directive_findings(model, "Other security measures",
                                           table["directive"]))
        return findings

    def _risks(self, model: SystemModel, modules: list[CodeModule]) -> list[Finding]:
        table = _table()
        risky = {row["callee"]: row for row in table["risky_call"]}
        keywords = {(row["keyword"], row["value"]): row for row in table["risky_keyword"]}
        settings = {(row["name"], row["value"]): row["risk"] for row in table["settings"]["risk"]}
        exemptions = set(table["authorization"]["exemptions"])
        secret = re.compile(table["secrets"]["name_pattern"])
        placeholder = re.compile(table["secrets"]["placeholder_pattern"])
        found: list[tuple[Evidence, str]] = []
        for item in modules:
            for call in item.facts.calls:
                row = risky.get(item.resolve(call.callee))
                if row and not {f"{k}={v}" for k, v in call.keywords} & set(row.get("unless", ())):
                    found.append((item.at(call.line), f"`{call.callee}()`: {row['risk']}."))
            for call in (*item.facts.calls, *item.facts.decorations):  # (``@view(x=False)``)
                for key, value in call.keywords:
                    keyword_row = keywords.get((key, value))
                    if keyword_row and _of_callees(item, call, keyword_row):
                        found.append((item.at(call.line), f"`{call.callee}(..., {key}={value})`: "
                                      f"{keyword_row['risk']}."))
            for constant in item.facts.constants:
                risk = settings.get((constant.name, constant.value))
                if risk:
                    found.append((item.at(constant.line),
                                  f"`{constant.name} = {constant.value}`: {risk}."))
                elif (secret.search(constant.name) and constant.value.startswith(("'", '"'))
                        and len(constant.value) > 2 and not placeholder.search(constant.value)):
                    found.append((item.at(constant.line),
                                  f"`{constant.name}` is a hard-coded string: a secret in the "
                                  "code rather than in the environment."))
            for name, function in item.functions():
                for decorator in function.decorators:
                    if _short(decorator) in exemptions:
                        found.append((item.at(function.line),
                                      f"`{name}` is exempt from CSRF protection (`@{decorator}`)."))
            for decoration in item.facts.decorations:  # ``@method_decorator(csrf_exempt, ...)``
                wrapped = [a for a in decoration.args if _short(a) in exemptions]
                if wrapped and decoration.args[0] in wrapped:
                    found.append((item.at(decoration.line),
                                  f"`{decoration.scope}` is exempt from CSRF protection "
                                  f"(`@{decoration.callee}({wrapped[0]}, ...)`)."))
        found.extend((where, f"{setting} turns template autoescaping off, so values reach "
                      "the HTML unescaped.")
                     for where, setting, on in _template_options(modules) if not on)
        findings = _grouped("Risks", found, RISK_LIMIT)
        if not findings:
            findings.append(Finding(
                "Risks",
                "None found: looked for `eval`/`exec`, unpickling, unsafe YAML loading, "
                "`shell=True`, `verify=False`, `autoescape=False`, `mark_safe`, "
                "`DEBUG = True`, hard-coded secrets and CSRF exemptions."))
        return findings
