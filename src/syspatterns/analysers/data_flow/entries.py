"""Where data enters the system: HTTP routes, CLI commands, task consumers, scheduled jobs,
message handlers and ``main``, each with its inputs and the functions that handle it.

What makes an entry point is data (``knowledge/data_flow.toml``): decorators
(``@router.post("/login")``; on a resource class, ``@ns.route("/users")``, a route per
request method; also the repository's own decorators that call a task decorator),
registration calls (``path("login/", views.login)``), route tables (Tornado's ``handlers =
[(r"/", MainHandler)]``), the views of named routes (Pyramid's ``@view_config(route_name=
"login")`` at the path ``config.add_route("login", "/login")`` gives), schedules (Celery
beat), base classes (Django management commands) and argument parsers; plus the model's
console scripts and ``if __name__ == "__main__":`` blocks. A route's name carries the
prefixes its router or application is included or mounted under (``include("app.urls")``,
``include_router``, ``register_blueprint``, ``app.mount``, Starlette's ``Mount(app=...)``,
aiohttp's ``add_subapp``, Flask-RESTX's ``add_namespace``) or made on (``Api(blueprint)``).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, NamedTuple

from syspatterns.analysis.source import CodeModule, code_modules, short
from syspatterns.core.evidence import Evidence
from syspatterns.extract.facts import CallFact, Entries, FileFacts
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel
from syspatterns.model.calls import CallGraph, Function, Ports, Target, build_call_graph

# How a route names its path parameters: ``{user_id}`` (FastAPI, Starlette, aiohttp, ...) or
# ``<int:pk>`` and ``(?P<pk>...)`` (Django, Flask); the rows of ``data_flow.toml`` say which
# (``path_parameters``). In a route of the second kind ``{prefix}`` is an expression.
_PATH_PARAMETERS = {"{}": re.compile(r"\{(\w+)(?::[^}]*)?\}"),
                    "<>": re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>"),
                    "()": re.compile(r"\(\?P<(\w+)>")}
# An unnamed group of a regular expression (Tornado passes what they match positionally).
_UNNAMED_GROUP = re.compile(r"(?<!\\)\((?!\?)")
_METHOD_HANDLERS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                              "dispatch", "list", "create", "retrieve", "update",
                              "partial_update", "destroy"})


class EntryPoint(NamedTuple):
    """One way data enters the system."""

    kind: str  # "HTTP route", "CLI command", "task consumer", "scheduled job", ...
    framework: str
    name: str  # "POST /login", "sync", "send_email"
    handlers: tuple[str, ...]  # qualified functions where the flow starts
    inputs: tuple[str, ...]  # "`email: str` (path)", "`--name`", ...
    evidence: Evidence
    # Methods called on the handler that put it on its queue ("()": calling it does).
    enqueued_by: tuple[str, ...] = ()


class _View(NamedTuple):
    """A view attached to a named route (see ``named_route`` in ``data_flow.toml``)."""

    route: str  # the route's name
    methods: str  # "GET", "GET,HEAD", "" for any
    handler: str  # the qualified function, method or class
    evidence: Evidence


class _Rule(NamedTuple):
    kind: str
    framework: str
    method: str  # HTTP method, "" when none or given by ``methods=``
    row: dict[str, Any]


@dataclass
class Rules:
    """The tables of ``data_flow.toml``, indexed by qualified name."""

    decorators: dict[str, _Rule] = field(default_factory=dict)
    registrations: dict[str, _Rule] = field(default_factory=dict)
    creates: dict[str, str] = field(default_factory=dict)  # decorator -> type it makes
    wrapped: frozenset[str] = frozenset()  # decorators the repository's functions may wrap
    classes: list[dict[str, Any]] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    route_tables: list[dict[str, Any]] = field(default_factory=list)
    named_routes: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    parsers: list[dict[str, Any]] = field(default_factory=list)
    mounts: list[dict[str, Any]] = field(default_factory=list)
    mount_calls: list[dict[str, Any]] = field(default_factory=list)
    injectors: frozenset[str] = frozenset()
    factories: dict[str, str] = field(default_factory=dict)
    wrappers: dict[str, frozenset[str]] = field(default_factory=dict)
    ports: Ports = field(default_factory=Ports)
    sinks: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def sink(self, name: str) -> tuple[str, str] | None:
        """The label of the sink a resolved external name reaches and the table's name it
        matched (``sqlmodel.Session`` for ``sqlmodel.Session.add``), if any: of the names
        that are ``name`` or a dotted prefix of it, the first in the tables."""
        found = None
        end = len(name)
        while end > 0:
            entry = self._sink_names.get(name[:end])
            if entry is not None and (found is None or entry < found):
                found = entry
            end = name.rfind(".", 0, end)
        return (found[1], found[2]) if found else None

    @cached_property
    def _sink_names(self) -> dict[str, tuple[int, str, str]]:
        """A name of the sink tables -> (its place in them, the sink's label, the name)."""
        found: dict[str, tuple[int, str, str]] = {}
        for _, label, names in self.sinks:
            for name in names:
                found.setdefault(name, (len(found), label, name))
        return found


@cache
def rules() -> Rules:
    table = read_table("data_flow.toml")
    found = Rules()
    for row in table.get("decorator", []):
        names = dict(row.get("decorators", {}))
        for receiver in row.get("receivers", []):
            for method, http in row.get("methods", {}).items():
                names[f"{receiver}.{method}"] = http
        for name, http in names.items():
            found.decorators[name] = _Rule(row["kind"], row["framework"], http, row)
            if "creates" in row:
                found.creates[name] = row["creates"]
        if row.get("wrapped"):
            found.wrapped |= row.get("decorators", {}).keys()
    for row in table.get("registration", []):
        for name, http in row["callees"].items():
            found.registrations[name] = _Rule(row["kind"], row["framework"], http, row)
    found.classes = list(table.get("class_entry", []))
    found.hooks = list(table.get("hook", []))
    found.route_tables = list(table.get("route_table", []))
    found.named_routes = list(table.get("named_route", []))
    found.schedules = list(table.get("schedule", []))
    found.parsers = list(table.get("argument_parser", []))
    found.mounts = list(table.get("mount", []))
    found.mount_calls = list(table.get("mount_call", []))
    found.injectors = frozenset(table.get("dependency", {}).get("injectors", ()))
    found.factories = dict(table.get("factories", {}))
    found.wrappers = {name: frozenset(added) for name, added in table.get("wrappers", {}).items()}
    ports = table.get("ports", {})
    found.ports = Ports(frozenset(ports.get("protocols", ())),
                        frozenset(ports.get("abstract", ())),
                        frozenset(ports.get("metaclasses", ())))
    found.sinks = [(row["kind"], row["label"], tuple(row["names"])) for row in table["sink"]]
    return found


MAX_GROUP_DEPTH = 4  # groups of groups followed by external_name


def call_graph(model: SystemModel) -> CallGraph:
    """The call graph of the code modules (computed once per model)."""
    table = rules()
    return model.memo("call-graph", lambda m: build_call_graph(
        [(item.module, item.bound, item.facts) for item in code_modules(m)], table.injectors,
        table.factories, table.wrappers, table.ports))


def external_name(graph: CallGraph, rules_: Rules, target: Target, depth: int = 0) -> str:
    """The qualified name a decorator or registration call is matched by: an external
    callable, or a method of what a decorated function became (``cli.command`` of a Click
    group is ``click.Group.command``, also for a group made by another group's ``.group``
    decorator, a few levels deep)."""
    if target.kind == "external":
        return target.name
    if target.kind == "function" and target.attribute and depth < MAX_GROUP_DEPTH:
        function = graph.functions[target.name]
        for decorator in function.fact.decorators:
            made = graph.resolve_in_module(function.module.name, decorator)
            created = rules_.creates.get(external_name(graph, rules_, made, depth + 1))
            if created:
                return f"{created}.{target.attribute}"
    return ""


def _literal(text: str) -> str | None:
    """The string a literal argument holds (``'x'`` -> ``x``, ``'\\\\d'`` -> ``\\d``),
    ``None`` for anything else."""
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return str(ast.literal_eval(text)) if "\\" in text else text[1:-1]
    return None


def _argument(call: CallFact, index: int, keyword: str | None) -> str:
    if keyword:
        for name, value in call.keywords:
            if name == keyword:
                return value
    if 0 <= index < len(call.args):
        return call.args[index]
    return ""


def _option_name(call: CallFact) -> str:
    """How a Click option or argument is written on the command line: its first long flag
    (``--expires-after`` of ``option("-e", "--expires-after")``), else its first flag, else
    its name (``option("alls", "-a", "--all")`` names its parameter first)."""
    declared = [text for text in map(_literal, call.args) if text]
    for prefix in ("--", "-"):
        flag = next((text for text in declared if text.startswith(prefix)), None)
        if flag is not None:
            return flag
    return _shown(call.args[0])


def _shown(text: str) -> str:
    """A route or name argument as shown: the string, or ``{expression}``."""
    literal = _literal(text)
    if literal is not None:
        return literal
    return f"{{{text}}}" if text else ""


def _http_methods(rule: _Rule, call: CallFact | None) -> str:
    if rule.method:
        return rule.method
    if call is not None and "method" in rule.row:  # ``add_route("GET", "/x", handler)``
        method = _literal(_argument(call, rule.row["method"], None))
        return method.upper() if method and method.isalpha() else ""
    if call is not None:
        for name, value in call.keywords:
            if name == "methods":
                return _listed_methods(value)
    return ""


def _listed_methods(value: str) -> str:
    """The HTTP methods a list of strings holds (``['GET', 'POST']`` gives ``GET,POST``),
    "" for anything else."""
    return ",".join(re.findall(r"'(\w+)'", value)).upper() if value.startswith("[") else ""


def _request_methods(value: str) -> str:
    """The HTTP methods a string or a list of strings names, "" for anything else."""
    literal = _literal(value)
    return literal.upper() if literal and literal.isalpha() else _listed_methods(value)


def _route_name(rule: _Rule, call: CallFact | None, route: str, function: str) -> str:
    """``GET /users``: the HTTP methods and the route, else the function's name."""
    methods = _http_methods(rule, call)
    return f"{methods} {route}".strip() if route else f"{methods} {function}"


def _parameters(function: Function, path: str = "", syntax: str = "{}") -> list[str]:
    params = [(n, a) for n, a in function.fact.params if n not in ("self", "cls")]
    in_path = set(_path_names(path, syntax))
    if syntax == "()" and not in_path:  # unnamed groups: the first parameters
        in_path = {name for name, _ in params[:len(_UNNAMED_GROUP.findall(path))]}
    shown = []
    for name, annotation in params:
        text = f"`{name}: {annotation}`" if annotation else f"`{name}`"
        shown.append(f"{text} (path)" if name in in_path else text)
    return shown


def _route_inputs(functions: list[Function], route: str, row: dict[str, Any]) -> list[str]:
    """The inputs of a route's handlers: their parameters, and the route's path parameters
    that none of them takes (read from the request)."""
    syntax = row.get("path_parameters", "{}")
    inputs = list(dict.fromkeys(p for f in functions for p in _parameters(f, route, syntax)))
    return inputs + [f"`{p}` (path)" for p in _path_names(route, syntax)
                     if not any(i.startswith((f"`{p}`", f"`{p}:")) for i in inputs)]


class _Finder:
    """Collects the entry points of one model."""

    def __init__(self, model: SystemModel) -> None:
        self.model = model
        self.graph = call_graph(model)
        self.rules = rules()
        self.modules = code_modules(model)
        self.found: list[EntryPoint] = []
        # (framework, name given by a task decorator) -> the task function
        self.task_names: dict[tuple[str, str], str] = {}
        self.wrappers = self._wrappers()
        # what the decorators and calls that make entry points may be written as
        self.decorator_names = self.graph.spellings([*self.rules.decorators, *self.wrappers])
        self.registration_names = self.graph.spellings(self.rules.registrations)
        self.prefixes = self._url_prefixes()
        self.mounted = self._mount_prefixes()

    def entries(self) -> list[EntryPoint]:
        for item in self.modules:
            self._decorated(item)
            self._nested_routes(item)
            self._registered(item)
            self._table_routes(item)
        self._named_routes()
        self._schedules()
        self._classes()
        self._hooks()
        self._parsers()
        self._runnable()
        unique: dict[tuple[str, str, tuple[str, ...]], EntryPoint] = {}
        for entry in self.found:
            unique.setdefault((entry.kind, entry.name, entry.handlers), entry)
        return sorted(unique.values(), key=lambda e: (e.evidence, e.name))

    # -- decorators -------------------------------------------------------------------

    def _decorated(self, item: CodeModule) -> None:
        graph, module = self.graph, item.module.name
        facts = item.facts
        # the decorated functions, methods and classes, with their decorators
        decorated = [(name, f.decorators) for name, f in item.functions() if f.decorators] + [
            (cls.name, cls.decorators) for cls in facts.classes if cls.decorators]
        if not decorated:
            return
        # the decorator calls of each function, in order: stacked ones each make an entry
        calls: dict[tuple[str, str], list[CallFact]] = defaultdict(list)
        for decoration in facts.decorations:
            calls[decoration.scope, decoration.callee].append(decoration)
        spelled = self.decorator_names
        for scope, decorators in decorated:
            for decorator, written in _numbered(decorators):
                if spelled is not None and short(decorator) not in spelled:
                    continue
                target = graph.resolve_in_module(module, decorator)
                matched = external_name(graph, self.rules, target) or self.wrappers.get(
                    target.name if target.kind == "function" and not target.attribute else "",
                    "")
                rule = self.rules.decorators.get(matched)
                if rule is None or (matched in self.rules.creates
                                    and self._container(f"{module}.{scope}")):
                    continue
                made = calls.get((scope, decorator), [])
                call = made[written] if written < len(made) else None
                receiver = graph.qualify(module, decorator.rpartition(".")[0] or decorator)
                prefix = self.mounted.get(graph.canonical(receiver), "") if receiver else ""
                self.found.extend(self._decorator_entries(rule, call, f"{module}.{scope}",
                                                          item, prefix))

    def _wrappers(self) -> dict[str, str]:
        """The repository's functions that wrap a decorator of the ``wrapped`` rows: whose
        body (nested functions included) calls it -> that decorator."""
        graph, wrapped = self.graph, self.rules.wrapped
        spelled = graph.spellings(wrapped)
        found = {}
        for function in graph.functions.values():
            for callee, _ in function.fact.calls:
                if (spelled is None or short(callee) in spelled) and (
                        name := graph.resolve(function, callee).name) in wrapped:
                    found[function.name] = name
                    break
        return found

    def _container(self, name: str) -> bool:
        """Whether the function ``name`` only gathers commands: other functions are
        decorated with its methods (``@catalog.command()``), and it calls nothing itself."""
        function = self.graph.functions.get(name)
        return function is not None and not function.fact.calls and name in self._receivers

    @cached_property
    def _receivers(self) -> set[str]:
        """The functions whose methods decorate other functions (``@cli.command()``)."""
        graph = self.graph
        found = set()
        for function in graph.functions.values():
            for decorator in function.fact.decorators:
                if "." in decorator:
                    target = graph.resolve_in_module(function.module.name, decorator)
                    if target.kind == "function" and target.attribute:
                        found.add(target.name)
        return found

    def _decorator_entries(self, rule: _Rule, call: CallFact | None, decorated: str,
                           item: CodeModule, prefix: str) -> list[EntryPoint]:
        """The entry points a decorator makes of the function or class ``decorated``: the
        routes of a resource class (rules with ``resource``), else one of a function."""
        if "resource" in rule.row:
            if call is None or decorated not in self.graph.classes:
                return []
            return self._resource_entries(rule, decorated, prefix, call, item)
        function = self.graph.functions.get(decorated)
        return [self._decorator_entry(rule, call, function, item, prefix)] if function else []

    def _resource_entries(self, rule: _Rule, owner: str, prefix: str, call: CallFact,
                          item: CodeModule) -> list[EntryPoint]:
        """A route for each request method of a resource class (``get`` is ``GET``) at each
        path of the call that makes it one: its positional arguments from ``name`` on."""
        paths = [prefix + self._shown_in(item.module.name, text)
                 for text in call.args[rule.row["name"]:]]
        methods: dict[str, str] = rule.row["resource"]
        found: list[EntryPoint] = []
        for name, handler in self._class_methods(owner, methods.__contains__).items():
            function = self.graph.functions[handler]
            found.extend(EntryPoint(rule.kind, rule.framework, f"{methods[name]} {path}",
                                    (handler,), tuple(_route_inputs([function], path, rule.row)),
                                    item.at(call.line)) for path in paths)
        return found

    def _nested_routes(self, item: CodeModule) -> None:
        """The routes of functions defined in another function (``@app.get("/health")`` on
        ``health`` inside ``create_app``), from their decorator calls resolved in the
        function that holds them: handled by ``create_app.health``, which is not in the call
        graph, with the route's path parameters as inputs."""
        graph, module = self.graph, item.module.name
        for call in item.facts.decorations:
            caller = self._enclosing(module, call.scope)
            if caller is None or (self.decorator_names is not None
                                  and short(call.callee) not in self.decorator_names):
                continue
            rule = self.rules.decorators.get(
                external_name(graph, self.rules, graph.resolve(caller, call.callee)))
            if rule is None or rule.kind != "HTTP route" or "resource" in rule.row:
                continue
            receiver = call.callee.rpartition(".")[0]
            head = receiver.partition(".")[0]
            outer = graph.qualify(module, receiver) if receiver and head not in (
                "self", "cls") and not self._local(item, caller.scope, head) else None
            route = (self.mounted.get(graph.canonical(outer), "") if outer else "") + _shown(
                _argument(call, rule.row.get("name", -1), rule.row.get("name_keyword")))
            self.found.append(EntryPoint(
                rule.kind, rule.framework, _route_name(rule, call, route, short(call.scope)),
                (f"{module}.{call.scope}",), tuple(_route_inputs([], route, rule.row)),
                item.at(call.line)))

    def _enclosing(self, module: str, scope: str) -> Function | None:
        """The function or method of the call graph that a nested function's scope
        (``Class.method.inner``) is defined in; ``None`` for a scope that is not nested."""
        parts = scope.split(".")
        if f"{module}.{scope}" in self.graph.functions or len(parts) < 2:
            return None
        for end in range(len(parts) - 1, 0, -1):
            function = self.graph.functions.get(f"{module}.{'.'.join(parts[:end])}")
            if function is not None:
                return function
        return None

    def _decorator_entry(self, rule: _Rule, call: CallFact | None, function: Function,
                         item: CodeModule, prefix: str) -> EntryPoint:
        row = rule.row
        named = self._shown_in(item.module.name, _argument(
            call, row.get("name", -1), row.get("name_keyword"))) if call else ""
        if rule.kind == "HTTP route":
            named = prefix + named
            name = _route_name(rule, call, named, function.fact.name)
            inputs = _route_inputs([function], named, row)
        else:
            # Click and Typer name a command after its function, with dashes; a console
            # script that runs it names it for its users.
            dashed = rule.framework in ("Click", "Typer")
            name = named or self._console_script(function) or (
                function.fact.name.replace("_", "-") if dashed else function.fact.name)
            if rule.method:  # the kind of update a chat bot handler receives
                name = f"{rule.method} {name}"
            inputs = self._command_inputs(item, function) if rule.kind == "CLI command" \
                else _parameters(function)
            if named and rule.kind == "task consumer":
                self.task_names[rule.framework, named] = function.name
        return EntryPoint(rule.kind, rule.framework, name, (function.name,), tuple(inputs),
                          item.at(call.line if call else function.fact.line),
                          tuple(row.get("enqueue", ())))

    def _command_inputs(self, item: CodeModule, function: Function) -> list[str]:
        """A Click command's options and arguments, else the function's parameters."""
        options = [
            _option_name(d) for d in item.facts.decorations
            if d.scope == function.scope and short(d.callee) in ("option", "argument")
            and d.args
        ]
        return [f"`{o}`" for o in options if o] or _parameters(function)

    # -- registration calls -----------------------------------------------------------

    def _registered(self, item: CodeModule) -> None:
        graph, module = self.graph, item.module.name
        spelled = self.registration_names
        for call in item.facts.calls:
            if spelled is not None and short(call.callee) not in spelled:
                continue
            target = self._call_target(item, call)
            rule = self.rules.registrations.get(external_name(graph, self.rules, target))
            if rule is None:
                continue
            row = rule.row
            handler = self._handler(module, _argument(call, row["handler"],
                                                      row.get("handler_keyword")))
            if "resource" in row:
                if handler.kind == "class":
                    self.found.extend(self._resource_entries(
                        rule, handler.name, self._prefix(item, call), call, item))
                continue
            handlers = self._handlers(handler)
            if not handlers:  # ``include(...)`` and views that are not the repository's
                continue
            named = self._shown_in(module, _argument(call, row.get("name", -1), None),
                                   call.scope)
            if rule.kind == "HTTP route":
                route = self._prefix(item, call) + self._inline_prefix(item, call) + named
                if row.get("relative"):
                    # Included regular expressions start again after the prefix: "^api/" and
                    # "^items/" make "^api/items/".
                    route = route.replace("/^", "/")
                    if not route.startswith(("/", "^")):
                        route = "/" + route
                name = f"{_http_methods(rule, call)} {route}".strip()
                inputs = self._handler_inputs(handler, handlers, route, row)
            else:
                name = named or short(handlers[0])
                inputs = []
            self.found.append(EntryPoint(rule.kind, rule.framework, name, handlers,
                                         tuple(inputs), item.at(call.line)))

    def _call_target(self, item: CodeModule, call: CallFact) -> Target:
        """What a recorded call refers to, in the function that makes it or at module level."""
        return self._target(item, call.scope, call.callee)

    def _target(self, item: CodeModule, scope: str, written: str) -> Target:
        """What a name written in the function ``scope`` ("": at module level) refers to."""
        if scope:
            caller = self.graph.functions.get(f"{item.module.name}.{scope}")
            if caller is None:
                return Target("unresolved", written)
            return self.graph.resolve(caller, written)
        return self.graph.resolve_in_module(item.module.name, written)

    def _prefix(self, item: CodeModule, call: CallFact) -> str:
        """The URL prefix of a route a call registers: the one its receiver is included
        under (``include(router.urls)``), or the one the object it registers on is mounted
        under (``sub.router.add_get`` of ``app.add_subapp("/api", sub)``), else its
        module's."""
        module = item.module.name
        receiver = call.callee.rpartition(".")[0]
        qualified = self.graph.qualify(module, receiver or call.callee)
        qualified = self.graph.canonical(qualified) if qualified else ""
        if qualified in self.prefixes:
            return self.prefixes[qualified]
        if receiver and not self._local(item, call.scope, receiver.partition(".")[0]):
            parts = qualified.split(".")
            for end in range(len(parts), 0, -1):
                if ".".join(parts[:end]) in self.mounted:
                    return self.mounted[".".join(parts[:end])]
        return self.prefixes.get(module, "")

    def _inline_prefix(self, item: CodeModule, call: CallFact) -> str:
        """The prefixes of the routes whose inline ``include([...])`` holds the route that
        ``call`` registers (``path("api/", include([path("users/", view)]))``)."""
        including = self._including.get(item.module.name)
        if call.scope or not including:
            return ""
        return _route_prefix(call, including) or ""

    @cached_property
    def _including(self) -> dict[str, list[CallFact]]:
        """Module -> its module-level calls that pass an ``include(...)``."""
        return {item.module.name: named["include()"] for item, named in self._calls_named
                if "include()" in named}

    def _local(self, item: CodeModule, scope: str, name: str) -> bool:
        """Whether ``name`` is a parameter or a local variable of the function ``scope``."""
        function = self.graph.functions.get(f"{item.module.name}.{scope}") if scope else None
        return function is not None and (
            any(param == name for param, _ in function.fact.params)
            or any(target == name for target, _, _ in function.fact.assigned))

    def _handler_inputs(self, handler: Target, handlers: tuple[str, ...], route: str,
                        row: dict[str, Any]) -> list[str]:
        """The inputs of a registered handler: its parameters (those of every request method
        of a class), and the class attribute that names the request body (a serializer)."""
        inputs = _route_inputs(
            [self.graph.functions[h] for h in handlers if h in self.graph.functions], route, row)
        if "body" in row and handler.kind == "class":
            body = self._class_attribute(handler.name, row["body"])
            if body:
                inputs.append(f"`{body}` (body)")
        return inputs

    def _class_attribute(self, owner: str, name: str) -> str:
        """The value of a class attribute as written, through the hierarchy."""
        for cls in self.graph.ancestry(owner)[0]:
            for attribute, value, _ in self.graph.classes[cls][1].attributes:
                if attribute == name and value:
                    return value
        return ""

    def _handler(self, module: str, text: str) -> Target:
        """What a handler argument names (``views.login``, ``LoginView.as_view()``)."""
        text = text.removesuffix("()").removesuffix(".as_view")
        return self.graph.resolve_in_module(module, text) if text else Target("unresolved", "")

    def _handlers(self, target: Target) -> tuple[str, ...]:
        """The functions a handler is: a function, or a class's request methods
        (``LoginView``, a viewset), the class itself when it inherits them all."""
        if target.kind == "function" and not target.attribute:
            return (target.name,)
        if target.kind == "class":
            return self._class_handlers(target.name)
        return ()

    def _class_handlers(self, owner: str) -> tuple[str, ...]:
        found = self._class_methods(
            owner, lambda name: name in _METHOD_HANDLERS or not name.startswith("_"))
        return tuple(found.values()) or (owner,)

    def _class_methods(self, owner: str, wanted: Callable[[str], bool]) -> dict[str, str]:
        """Method name -> the method a class has under that name, its own or inherited from
        a repository class, for the names ``wanted`` accepts."""
        found: dict[str, str] = {}
        for cls in self.graph.ancestry(owner)[0]:
            for method in self.graph.classes[cls][1].methods:
                if wanted(method.name):
                    found.setdefault(method.name, f"{cls}.{method.name}")
        return found

    def _url_prefixes(self) -> dict[str, str]:
        """URLconf module, or router variable (qualified) -> the prefix under which a
        URLconf includes it (``path("api/", include("app.urls"))``, ``path("api/",
        include(router.urls))``)."""
        parents: dict[str, tuple[str, str]] = {}
        for item, named in self._calls_named:
            for call in named.get("include", ()):
                if call.scope or not call.args:
                    continue
                included = self._included(item.module.name, call.args[0])
                prefix = _route_prefix(call, named.get("include()", []))
                if included and prefix is not None:
                    parents[included] = (item.module.name, prefix)
        return _chained_prefixes({}, parents)

    def _included(self, module: str, text: str) -> str | None:
        """What ``include(text)`` includes: a URLconf module named by a string (also as the
        first of an ``("app.urls", "app")`` pair with its application namespace), or the
        router variable whose ``urls`` attribute it is."""
        if text.startswith("[") and text.endswith("]"):  # a pair of strings, as recorded
            strings = re.findall(r"'([^']*)'", text)
            text = repr(strings[0]) if strings else ""
        literal = _literal(text)
        if literal is not None:
            return literal if literal in self.graph.names else None
        receiver = self.graph.qualify(module, text.rpartition(".")[0]) if "." in text else None
        return self.graph.canonical(receiver) if receiver else None

    def _mount_prefixes(self) -> dict[str, str]:
        """Router or application variable (qualified) -> the URL prefix its routes are served
        under: its own (``APIRouter(prefix="/users")``) after those it is included or
        mounted with (``app.include_router(router, prefix="/api")``, ``app.mount("/api",
        sub_app)``, ``Mount("/api", app=sub_app)``) or made on (``Api(blueprint)``), up the
        chain."""
        own: dict[str, str] = {}
        parents: dict[str, tuple[str, str]] = {}
        replaced: set[str] = set()  # included with a prefix that replaces their own
        for row in self.rules.mounts:
            self._made_mounts(row, own, parents)
            if "include" in row:
                self._included_mounts(row, parents, replaced)
        for row in self.rules.mount_calls:
            self._mount_call_children(row, parents)
        return _chained_prefixes({v: p for v, p in own.items() if v not in replaced}, parents)

    def _made_mounts(self, row: dict[str, Any], own: dict[str, str],
                     parents: dict[str, tuple[str, str]]) -> None:
        """The own prefixes of the variables made by one of a mount row's ``types``, and
        what they are made on (``parent``: the receiver, or the argument at that index)."""
        types = set(row["types"])
        for variable, module, made, call in self._made_variables:
            if made not in types:
                continue
            value = _argument(call, -1, row.get("own_keyword"))
            if value:
                own[variable] = self._shown_in(module, value)
            elif "own_name" in row and _argument(call, row["own_name"], None):
                own[variable] = "/" + self._shown_in(module, _argument(call, row["own_name"], None))
            if "parent" in row:
                parent = self._mounted_child(module, call.callee.rpartition(".")[0] if row[
                    "parent"] == "receiver" else _argument(call, row["parent"],
                                                           row.get("parent_keyword")))
                if parent:
                    parents[variable] = (parent, "")

    def _shown_in(self, module: str, text: str, scope: str = "") -> str:
        """A route, prefix or name argument written in ``module`` (in its function
        ``scope``) as shown (see :func:`_shown`), a name that holds a string literal shown as
        that string (see :meth:`CallGraph.string_value`)."""
        if text and _literal(text) is None:
            value = self.graph.string_value(module, text, scope)
            if value is not None:
                return _shown(value)
        return _shown(text)

    def _included_mounts(self, row: dict[str, Any], parents: dict[str, tuple[str, str]],
                         replaced: set[str]) -> None:
        """The children a mount row's ``include`` method includes, with their parents and the
        prefixes they are included with."""
        graph = self.graph
        includes = {f"{t}.{row['include']}" for t in row["types"]}
        for item, named in self._calls_named:
            module = item.module.name
            for call in named.get(row["include"], ()):
                receiver = call.callee.rpartition(".")[0]
                if row.get("typed") and self._call_target(item, call).name not in includes:
                    continue
                child = self._mounted_child(module, _argument(
                    call, row.get("include_child", 0), row.get("include_child_keyword")))
                if not child:
                    continue
                parent = graph.qualify(module, receiver) if receiver else None
                prefix = self._shown_in(module, _argument(call, row.get("include_prefix", -1),
                                                          row.get("include_keyword")), call.scope)
                parents[child] = (graph.canonical(parent) if parent else "", prefix)
                if prefix and row.get("include_replaces"):
                    replaced.add(child)

    def _mount_call_children(self, row: dict[str, Any],
                             parents: dict[str, tuple[str, str]]) -> None:
        """The children the calls of a ``mount_call`` row mount, under their prefixes."""
        callees = set(row["callees"])
        shorts = {short(c) for c in callees}
        for item, named in self._calls_named:
            if shorts.isdisjoint(named):
                continue
            for call in item.facts.calls:
                if short(call.callee) not in shorts or (
                        self._call_target(item, call).name not in callees):
                    continue
                text = _argument(call, row["child"], row.get("child_keyword"))
                routes = _argument(call, -1, row.get("routes_keyword"))
                if not text and routes.endswith(f".{row['routes_attribute']}"):
                    text = routes.rpartition(".")[0]  # ``routes=router.routes``
                child = self._mounted_child(item.module.name, text)
                if child:  # what holds the call is not known: no parent
                    parents[child] = ("", self._shown_in(item.module.name, _argument(
                        call, row["prefix"], row.get("prefix_keyword")), call.scope))

    @cached_property
    def _calls_named(self) -> list[tuple[CodeModule, dict[str, list[CallFact]]]]:
        """Each module's recorded calls by the last segment of their callee, in order; under
        ``"include()"``, the module-level calls that pass an ``include(...)``."""
        found = []
        for item in self.modules:
            named: dict[str, list[CallFact]] = defaultdict(list)
            for call in item.facts.calls:
                named[short(call.callee)].append(call)
                if "include()" in call.args and not call.scope:
                    named["include()"].append(call)
            found.append((item, named))
        return found

    @cached_property
    def _made_variables(self) -> list[tuple[str, str, str, CallFact]]:
        """Module variables assigned a call (``router = APIRouter(prefix="/users")``): the
        variable (qualified), its module, what the callee is (qualified; the external
        method, ``flask_restx.Api.namespace`` for ``api.namespace``) and the call."""
        found = []
        for item in self.modules:
            module = item.module.name
            calls = {(c.line, c.callee): c for c in item.facts.calls if not c.scope}
            for assignment in item.facts.assignments:
                if assignment.scope or len(assignment.targets) != 1:
                    continue
                call = calls.get((assignment.line, assignment.callee))
                made = self._made_by(module, assignment.callee) if call else None
                if made is not None and call is not None:
                    found.append((f"{module}.{assignment.targets[0]}", module, made, call))
        return found

    def _made_by(self, module: str, callee: str) -> str | None:
        """What a module-level callee is: the external callable it resolves to, the class a
        module variable holds (``APIRouter = router_class()``, ``router_class`` annotated to
        give a ``type[fastapi.APIRouter]``), else its qualified name."""
        graph = self.graph
        target = graph.resolve_in_module(module, callee)
        if target.kind == "external":
            return target.name
        qualified = graph.qualify(module, callee)
        held = graph.type_of_variable(graph.canonical(qualified)) if qualified else None
        return held or qualified

    def _mounted_child(self, module: str, text: str) -> str | None:
        """The qualified variable an include or mount argument names (``login.router``),
        ``None`` for anything else (a call, a literal)."""
        if not text or not text[:1].isidentifier() or text.endswith("()"):
            return None
        child = self.graph.qualify(module, text)
        return self.graph.canonical(child) if child else None

    # -- route tables and schedules ---------------------------------------------------

    def _table_routes(self, item: CodeModule) -> None:
        """The routes of a module's pairs (see ``route_table`` in ``data_flow.toml``)."""
        for pair in item.facts.pairs:
            handler = self._target(item, pair.scope, pair.name)
            if handler.kind != "class":
                continue
            callee = self._target(item, pair.scope, pair.callee).name if pair.callee else ""
            row = self._route_table(handler.name, callee)
            if row is not None:
                self.found.extend(self._class_routes(row, handler.name, _shown(pair.text),
                                                     item.at(pair.line)))

    def _route_table(self, owner: str, callee: str) -> dict[str, Any] | None:
        """The first route table row whose bases the class derives from, of those that take
        a tuple ("") or a call of ``callee``."""
        for row in self.rules.route_tables:
            if (not callee or callee in row["callees"]) and self.graph.is_subclass(
                    owner, frozenset(row["bases"])):
                return row
        return None

    def _class_routes(self, row: dict[str, Any], owner: str, route: str,
                      evidence: Evidence) -> list[EntryPoint]:
        """A route for each HTTP method the class's ``resource`` methods handle; of the
        ``own_only`` methods (``options``, ``head``), only those the class defines itself:
        a base handler's CORS ``options`` is no route of every handler."""
        methods: dict[str, str] = row["resource"]
        own_only = set(row.get("own_only", ()))
        handled: dict[str, list[str]] = defaultdict(list)
        for name, handler in self._class_methods(owner, methods.__contains__).items():
            if name not in own_only or handler == f"{owner}.{name}":
                handled[methods[name]].append(handler)
        return [EntryPoint(row["kind"], row["framework"], f"{http} {route}", tuple(handlers),
                           tuple(_route_inputs([self.graph.functions[h] for h in handlers],
                                               route, row)), evidence)
                for http, handlers in handled.items()]

    # -- named routes -----------------------------------------------------------------

    def _named_routes(self) -> None:
        """The views of named routes at their routes' paths (see ``named_route`` in
        ``data_flow.toml``)."""
        for row in self.rules.named_routes:
            paths = self._route_paths(row)
            for view in self._decorated_views(row) + self._added_views(row):
                function = self.graph.functions.get(view.handler)
                for path in paths.get(view.route) or [view.route]:
                    self.found.append(EntryPoint(
                        row["kind"], row["framework"], f"{view.methods} {path}".strip(),
                        (view.handler,), tuple(_route_inputs(
                            [function] if function else [], path, row)), view.evidence))

    def _route_paths(self, row: dict[str, Any]) -> dict[str, list[str]]:
        """Route name -> the paths ``add_route`` calls on a configurator give it."""
        paths: dict[str, list[str]] = defaultdict(list)
        for _, call in self._configurator_calls(row, row["add_route"]):
            name = _literal(_argument(call, row["name"], row["name_keyword"]))
            pattern = _shown(_argument(call, row["pattern"], row["pattern_keyword"]))
            if name and pattern:
                paths[name].append(pattern if pattern.startswith("/") else f"/{pattern}")
        return paths

    def _configurator_calls(self, row: dict[str, Any],
                            method: str) -> list[tuple[CodeModule, CallFact]]:
        """The calls of ``method`` on a configurator: on one of the row's ``configurators``
        or on the first parameter of one of its ``hooks``."""
        callees = {f"{configurator}.{method}" for configurator in row["configurators"]}
        return [(item, call) for item, named in self._calls_named
                for call in named.get(method, ())
                if self._on_hook_parameter(item, call, row["hooks"])
                or self._call_target(item, call).name in callees]

    def _on_hook_parameter(self, item: CodeModule, call: CallFact, hooks: list[str]) -> bool:
        """Whether a call is made on the first parameter of a module-level function named as
        one of ``hooks``."""
        function = self.graph.functions.get(f"{item.module.name}.{call.scope}")
        return call.scope in hooks and function is not None and bool(
            function.fact.params) and function.fact.params[0][0] == call.callee.rpartition(".")[0]

    def _decorated_views(self, row: dict[str, Any]) -> list[_View]:
        """The views the row's ``views`` decorators make of functions, methods and
        classes, each decorator one."""
        graph, views = self.graph, frozenset(row["views"])
        spelled = graph.spellings(views)
        found = []
        for item in self.modules:
            module = item.module.name
            for call in item.facts.decorations:
                if (spelled is not None and short(call.callee) not in spelled) or (
                        graph.resolve_in_module(module, call.callee).name not in views):
                    continue
                decorated = f"{module}.{call.scope}"
                if decorated in graph.classes:
                    target, owner = Target("class", decorated), decorated
                elif decorated in graph.functions:
                    target, owner = Target("function", decorated), graph.functions[
                        decorated].owner
                else:  # a function defined in another
                    continue
                keywords = {**self._view_defaults(row, owner), **dict(call.keywords)}
                view = self._view(row, target, keywords, item.at(call.line))
                if view is not None:
                    found.append(view)
        return found

    def _view_defaults(self, row: dict[str, Any], owner: str) -> dict[str, str]:
        """The keywords of the ``defaults`` decorator of a class or of its nearest repository
        base class that has one; none for a function's view (``owner`` "")."""
        defaults = frozenset(row["defaults"])
        for cls in self.graph.ancestry(owner)[0] if owner else ():
            module, fact = self.graph.classes[cls]
            for call in self.model.facts[module.path].decorations:
                if call.scope == fact.name and self.graph.resolve_in_module(
                        module.name, call.callee).name in defaults:
                    return dict(call.keywords)
        return {}

    def _added_views(self, row: dict[str, Any]) -> list[_View]:
        """The views ``add_view`` calls on a configurator add."""
        found = []
        for item, call in self._configurator_calls(row, row["add_view"]):
            target = self._view_target(item, call, _argument(call, row["view"],
                                                             row["view_keyword"]))
            view = self._view(row, target, dict(call.keywords), item.at(call.line))
            if view is not None:
                found.append(view)
        return found

    def _view_target(self, item: CodeModule, call: CallFact, text: str) -> Target:
        """What the view argument of a call names: a dotted name, or a string holding one
        (``"pkg.views:login"``; a relative one is not followed)."""
        dotted = _literal(text)
        if dotted is not None:
            text = dotted.replace(":", ".")
            return self.graph.lookup(text, dotted) if text[:1].isidentifier() else Target(
                "unresolved", dotted)
        if not text[:1].isidentifier() or text.endswith(")"):  # a call, not a name
            return Target("unresolved", text)
        return self._target(item, call.scope, text)

    def _view(self, row: dict[str, Any], target: Target, keywords: dict[str, str],
              evidence: Evidence) -> _View | None:
        """The view of a handler with its keywords, if it names its route and the handler
        is the repository's: a function, or a class's method ``attr`` names (else its
        ``__call__``, else the class)."""
        route = _literal(keywords.get(row["route_keyword"], ""))
        if not route:
            return None
        if target.kind == "function" and not target.attribute:
            handler = target.name
        elif target.kind == "class":
            handler = self._class_view(target.name, keywords.get(row["attr_keyword"], ""))
        else:
            return None
        return _View(route, _request_methods(keywords.get(row["method_keyword"], "")),
                     handler, evidence)

    def _class_view(self, owner: str, attr: str) -> str:
        """What handles a class's view: the method ``attr`` names, its own or inherited,
        else ``__call__``; the class itself when it has neither or ``attr`` is no string."""
        wanted = _literal(attr) if attr else "__call__"
        if wanted is None:
            return owner
        return self._class_methods(owner, wanted.__eq__).get(wanted, owner)

    def _schedules(self) -> None:
        """The scheduled jobs of the schedules (see ``schedule`` in ``data_flow.toml``) and
        of the calls that add one (``sender.add_periodic_task(60.0, cleanup.s())``)."""
        for row in self.rules.schedules:
            for item, named in self._calls_named:
                for entries, line in _schedule_literals(item.facts, row):
                    for task in _scheduled_tasks(entries, row["task"]):
                        self.found.append(self._scheduled(row, task, item.at(line)))
                for call in (call for adder in row.get("periodic_calls", ())
                             for call in named.get(adder, ())):
                    added = self._periodic_task(item, call, row["periodic_task"])
                    if added:
                        self.found.append(self._scheduled(row, added, item.at(call.line)))

    def _periodic_task(self, item: CodeModule, call: CallFact, index: int) -> str | None:
        """The qualified name of the task a periodic-task call adds: its argument at
        ``index``, a task or its signature (``cleanup.s()``)."""
        text = call.args[index] if index < len(call.args) else ""
        name = re.sub(r"\.(s|si|signature)\(\)$", "", text)
        if not re.fullmatch(r"[A-Za-z_][\w.]*", name):
            return None
        target = self._target(item, call.scope, name)
        return target.name if target.kind == "function" and not target.attribute else None

    def _scheduled(self, row: dict[str, Any], task: str, evidence: Evidence) -> EntryPoint:
        """The scheduled job of a task name: run by the function of that qualified name or
        the task given that name, else by none of the repository."""
        handler = self.task_names.get((row["tasks"], task))
        if handler is None:
            target = self.graph.lookup(task, task)
            handler = target.name if target.kind == "function" and not target.attribute \
                else None
        inputs = _parameters(self.graph.functions[handler]) if handler else []
        return EntryPoint(row["kind"], row["framework"], task, (handler,) if handler else (),
                          tuple(inputs), evidence)

    # -- classes, parsers, main -------------------------------------------------------

    def _classes(self) -> None:
        graph = self.graph
        for row in self.rules.classes:
            bases = frozenset(row["bases"])
            below = graph.below(bases)
            folder = row.get("folder")  # where the framework looks for them, if anywhere
            for owner, (module, cls) in graph.classes.items():
                if owner not in below or not graph.is_subclass(owner, bases):
                    continue
                if folder and f"/{folder}/" not in f"/{module.path}":
                    continue  # a shared base class, not one the framework runs
                own, _ = graph.ancestry(owner)
                name = short(module.name) if row["name"] == "module" else cls.name
                inputs = _declared_arguments(self.model.facts[module.path],
                                             f"{cls.name}.{row.get('inputs')}", "add_argument")
                methods = row.get("methods") or {row["handler"]: ""}
                for method, label in methods.items():
                    handler = next((f"{c}.{method}" for c in own
                                    if f"{c}.{method}" in graph.functions), None)
                    if handler is not None:
                        self.found.append(EntryPoint(
                            row["kind"], row["framework"], f"{label} {name}".strip(),
                            (handler,), inputs, Evidence(module.path, cls.line)))

    def _hooks(self) -> None:
        """The functions a framework calls by their name (``[[hook]]`` rows)."""
        for row in self.rules.hooks:
            tops = set(row["imports"])
            wanted = set(row["functions"])
            for item in self.modules:
                if not any(fact.target.partition(".")[0] in tops for fact in item.facts.imports):
                    continue
                for function in item.facts.functions:
                    if function.name in wanted:
                        name = f"{item.module.name}.{function.name}"
                        self.found.append(EntryPoint(row["kind"], row["framework"], name,
                                                     (name,), (), item.at(function.line)))

    def _parsers(self) -> None:
        graph = self.graph
        for row in self.rules.parsers:
            parse = {f"{t}.{p}" for t in row["types"] for p in row["parse"]}
            words = set(row["parse"])
            ends = tuple(words)  # a first test, cheaper than the last segment
            for function in graph.functions.values():
                called = [c for c, _ in function.fact.calls
                          if c.endswith(ends) and short(c) in words]
                if not called or not any(graph.resolve(function, c).name in parse
                                         for c in called):
                    continue
                inputs = _declared_arguments(self.model.facts[function.module.path],
                                             function.scope, row["argument"])
                self.found.append(EntryPoint(
                    "CLI command", row["framework"], self._script_name(function),
                    (function.name,), inputs, Evidence(function.module.path, function.fact.line)))

    def _console_script(self, function: Function) -> str:
        for entry in self.model.entry_points:
            if entry.kind == "console script" and self.graph.canonical(
                    entry.target.replace(":", ".")) == function.name:
                return entry.name
        return ""

    def _script_name(self, function: Function) -> str:
        if script := self._console_script(function):
            return script
        return f"python {function.module.path}" if self.model.facts[
            function.module.path].main_block_line else function.fact.name

    def _runnable(self) -> None:
        """Console scripts and main blocks that no rule above already covers."""
        graph = self.graph
        covered = {h for e in self.found for h in e.handlers}
        named = {e.name for e in self.found}  # (``python x.py`` already found by its parser)
        for entry in self.model.entry_points:
            if entry.kind == "console script":
                target = graph.lookup(entry.target.replace(":", "."), entry.target)
                if target.kind == "function" and target.name not in covered:
                    function = graph.functions[target.name]
                    self.found.append(EntryPoint(
                        "CLI command", "console script", entry.name, (target.name,),
                        tuple(_parameters(function)), entry.evidence))
            elif entry.kind in ("main guard", "python -m", "manage.py", "script") \
                    and entry.name not in named:
                module = self.model.modules[entry.target]
                facts = self.model.facts.get(module.path)
                if facts is None or module.name not in graph.names:
                    continue
                # a script's and a ``__main__`` module's top level, else its main block's calls
                whole = entry.kind == "script" or (entry.kind == "python -m"
                                                   and not facts.main_block_line)
                handlers = tuple(dict.fromkeys(
                    target.name for c in facts.calls if not c.scope and (
                        whole or facts.main_block_line <= c.line <= facts.main_block_end)
                    for target in [graph.resolve_in_module(module.name, c.callee)]
                    if target.kind == "function" and not target.attribute))
                # (a main block calling only other libraries is an entry point too)
                if not handlers or not set(handlers) <= covered:
                    self.found.append(EntryPoint("main", entry.kind, entry.name, handlers, (),
                                                 entry.evidence))


def _numbered(names: tuple[str, ...]) -> list[tuple[str, int]]:
    """Each name with the number of times it was written before (``("a", "a")`` gives
    ``[("a", 0), ("a", 1)]``)."""
    seen: dict[str, int] = defaultdict(int)
    numbered = []
    for name in names:
        numbered.append((name, seen[name]))
        seen[name] += 1
    return numbered


def _route_prefix(call: CallFact, including: list[CallFact]) -> str | None:
    """The routes, outermost first, of the calls among ``including`` (routes that pass an
    ``include(...)``) whose arguments hold ``call``; ``None`` when none does."""
    start, end = (call.line, call.column), (call.end, call.end_column)
    found = [route for route in including
             if (route.line, route.column) < start and end <= (route.end, route.end_column)]
    if not found:
        return None
    found.sort(key=lambda route: (route.line, route.column))
    return "".join(_shown(route.args[0]) for route in found)


def _chained_prefixes(own: dict[str, str],
                      parents: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The whole prefix of each router or URLconf: its ``own`` prefix after those of the
    ``parents`` that include it (``child -> (parent, prefix of the inclusion)``), up the
    chain, each parent's own prefix before the inclusion's (``/api`` + ``/v1`` + ``/users``
    for ``APIRouter(prefix="/api").include_router(users, prefix="/v1")``); a cycle stops
    where it closes."""
    prefixes: dict[str, str] = {}
    for router in own.keys() | parents.keys():
        prefix, current, seen = own.get(router, ""), router, {router}
        while current in parents:
            current, part = parents[current]
            if current in seen:
                break
            seen.add(current)
            prefix = own.get(current, "") + part + prefix
        prefixes[router] = prefix
    return prefixes


def _schedule_literals(facts: FileFacts, row: dict[str, Any]) -> list[tuple[Entries, int]]:
    """The entries and lines of a module's schedules of one ``schedule`` row: module
    variables named as its ``settings``, literals assigned to its ``attributes`` (or their
    items), and those its ``calls`` pass as its ``keywords`` (the keyword left out)."""
    found = [(c.entries, c.line) for c in (*facts.constants, *facts.variables)
             if c.name in row["settings"]]
    attributes = tuple(f".{a}" for a in row["attributes"])
    calls = tuple(f".{c}()" for c in row["calls"])
    for literal in facts.literals:
        target = f".{literal.target}"
        if target.endswith(attributes):
            found.append((literal.entries, literal.line))
        elif target.endswith(calls):
            found.append((tuple((path[1:], leaf) for path, leaf in literal.entries
                                if path[0] in row["keywords"]), literal.line))
    return found


def _scheduled_tasks(entries: Entries, key: str) -> list[str]:
    """The task names a schedule's entries give under ``key``, in order."""
    return [leaf for path, leaf in entries
            if len(path) == 2 and path[1] == key and isinstance(leaf, str) and leaf]


def _declared_arguments(facts: FileFacts, scope: str, method: str) -> tuple[str, ...]:
    """The names a command declares with ``method`` calls (``parser.add_argument("--x")``)
    inside ``scope``."""
    return tuple(f"`{_shown(c.args[0])}`" for c in facts.calls
                 if c.scope == scope and short(c.callee) == method and c.args)


def _path_names(route: str, syntax: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _PATH_PARAMETERS[syntax].finditer(route)]


def find_entry_points(model: SystemModel) -> list[EntryPoint]:
    """Every entry point of the code (computed once per model)."""
    return model.memo("data-flow-entries", lambda m: _Finder(m).entries())
