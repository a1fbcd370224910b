"""Performance Optimizations and Scalability Considerations, from what the code does: caching
decorators, cache backends and HTTP caching, ORM query shaping and indexes, streaming,
compression, concurrency, connection pools, pagination, compiled extensions, vectorised
libraries, benchmark suites, and where state and files are kept (``analysers/state.py``);
knowledge in ``knowledge/performance.toml``."""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from typing import Any, ClassVar

from syspatterns.analysers import state
from syspatterns.analysis.base import new_section
from syspatterns.analysis.source import (
    CodeModule,
    call_text,
    code_modules,
    directive_findings,
    library_findings,
    setting_findings,
    short,
)
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding, Section
from syspatterns.extract.facts import FunctionFact
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel


def _table() -> dict[str, Any]:
    return read_table("performance.toml")


class _Places:
    """Evidence collected under a label, reported as one finding per label."""

    def __init__(self) -> None:
        self.places: dict[str, set[Evidence]] = defaultdict(set)

    def add(self, label: str, where: Evidence) -> None:
        self.places[label].add(where)  # (``qs.defer(a).defer(b)``: one place)

    def findings(self, aspect: str, template: str) -> list[Finding]:
        """``template`` gets ``{label}`` and ``{count}`` (a phrase such as "3 places")."""
        return [
            Finding(aspect, template.format(label=label,
                                            count=plural(len(self.places[label]), "place")),
                    tuple(sorted(self.places[label])[:3]))
            for label in sorted(self.places)
        ]


def _decorated(modules: list[CodeModule], wanted: set[str]) -> _Places:
    found = _Places()
    for item in modules:
        for _, function in item.functions():
            for decorator in function.decorators:
                if item.resolve(decorator) in wanted:  # (one label however it is spelled)
                    found.add(f"@{short(decorator)}", item.at(function.line))
    return found


FALSE_VALUES = frozenset({"False", "None", "0"})  # keyword values that turn a feature off

def _called(modules: list[CodeModule], calls: set[str], suffixes: set[str]) -> _Places:
    """Call sites (module level and in function bodies) of ``calls`` (qualified names) and of
    any callee ending with one of ``suffixes``."""
    found = _Places()
    for item in modules:
        # A callee resolves to one of ``calls`` only when it ends with one of their spellings.
        for site in item.calls_named(item.spellings(calls) | suffixes):
            last = short(site.callee)
            if last in suffixes or item.resolve(site.callee) in calls:
                found.add(last, item.at(site.line))
    return found


def _subclasses(modules: list[CodeModule], bases: set[str]) -> list[Finding]:
    """Classes that run in a thread or process of their own: they derive from one of
    ``bases`` (``threading.Thread``, ``socketserver.ThreadingMixIn``, ...)."""
    found: dict[str, list[tuple[Evidence, str]]] = defaultdict(list)
    for item in modules:
        for cls in item.facts.classes:
            for base in cls.bases:
                if item.resolve(base) in bases:
                    found[item.resolve(base)].append((item.at(cls.line), cls.name))
    findings = []
    for base in sorted(found):
        classes = sorted(found[base])
        runs = ("runs in a thread or process of its own (a subclass" if len(classes) == 1
                else "run in threads or processes of their own (subclasses")
        findings.append(Finding(
            "Vertical scaling", f"{names([n for _, n in classes], 5)} {runs} of `{base}`).",
            tuple(e for e, _ in classes[:3])))
    return findings


def _keywords(modules: list[CodeModule], wanted: set[str], flag: bool = False) -> _Places:
    """Calls passing any of the ``wanted`` keywords with a value that is not false (with
    ``flag``: that is ``True``, as a switch is written), labelled with all of them at once."""
    found = _Places()
    for item in modules:
        for call in item.facts.calls:
            passed = [f"{k}={v or '...'}" for k, v in call.keywords
                      if k in wanted and (v == "True" if flag else v not in FALSE_VALUES)]
            if passed:
                found.add(f"{call.callee}({', '.join(passed)})", item.at(call.line))
    return found


def _http_caching(modules: list[CodeModule]) -> _Places:
    """Decorators and calls that set HTTP caching headers or cache whole responses, labelled
    with their arguments and what they do; also those wrapped by ``method_decorator``."""
    does = {row["callee"]: row["does"] for row in _table()["http_caching"]}
    found = _Places()
    for item in modules:
        decorations = {(d.scope, d.callee): d for d in item.facts.decorations}
        for name, function in item.functions():
            for decorator in function.decorators:
                meaning = does.get(item.resolve(decorator))
                call = decorations.get((name, decorator))
                if meaning:
                    found.add(f"`@{call_text(call) if call else decorator}` {meaning}",
                              item.at(call.line if call else function.line))
        for decoration in item.facts.decorations:
            for argument in decoration.args:
                meaning = does.get(item.resolve_value(argument).removesuffix("()"))
                if argument.endswith("()") and meaning:
                    found.add(f"`@{call_text(decoration)}` {meaning}", item.at(decoration.line))
        # The calls a decorator line makes: the decorator and the calls among its arguments.
        decorating = {(callee, d.line) for d in item.facts.decorations
                      for callee in (d.callee, *(a[:-2] for a in d.args if a.endswith("()")))}
        for site in item.calls_to(does):
            meaning = does[item.resolve(site.callee)]
            if (site.callee, site.line) not in decorating:
                label = call_text(site.fact) if site.fact else f"{site.callee}(...)"
                found.add(f"`{label}` {meaning}", item.at(site.line))
        _headers_set(item, found)
    return found


def _headers_set(item: CodeModule, found: _Places) -> None:
    """HTTP caching headers that the code sets on responses: by name
    (``response["Cache-Control"] = ...``, ``response.headers["ETag"] = ...``), in a
    ``headers={...}`` dict passed to a response class, and through Werkzeug's response
    attributes (``response.cache_control.max_age = 300``)."""
    if not item.facts.headers and not item.facts.attribute_sets:
        return
    table = _table()
    does = {row["name"]: row["does"] for row in table["http_caching_header"]}
    objects = table["http_caching_objects"]
    functions = dict(item.functions())
    for header in item.facts.headers:
        meaning = does.get(header.header.lower())
        if meaning is None:
            continue
        value = header.value or "..."
        if header.target.endswith("()"):
            if objects["response_word"] not in short(header.target[:-2]).lower():
                continue
            label = f"{header.target[:-1]}..., headers={{{header.header!r}: {value}}})"
        elif _is_response(header.target, functions.get(header.scope), objects):
            label = f"{header.target}[{header.header!r}] = {value}"
        else:
            continue
        found.add(f"`{label}` {meaning}", item.at(header.line))
    for assigned in item.facts.attribute_sets:
        owner, _, attribute = assigned.target.rpartition(".")
        holder, _, middle = owner.rpartition(".")
        if holder and middle == objects["cache_control_attribute"]:
            meaning = f"sets `Cache-Control: {attribute.replace('_', '-')}`"
        elif attribute in objects["attributes"] and _is_response(
                owner, functions.get(assigned.scope), objects):
            meaning = objects["attributes"][attribute]
        else:
            continue
        found.add(f"`{assigned.target} = {assigned.value or '...'}` {meaning}",
                  item.at(assigned.line))


def _is_response(target: str, function: FunctionFact | None, objects: dict[str, Any]) -> bool:
    """Whether ``target`` (``response``, ``response.headers``) names a response, by its name,
    its parameter's annotation or the callable it was assigned from (see
    ``http_caching_objects`` in ``knowledge/performance.toml``)."""
    name = target.removesuffix(".headers").removeprefix("self.")
    word = objects["response_word"]
    last = short(name).lower()
    if word in last or last in objects["response_names"]:
        return True
    if function is None:
        return False
    return any(param == name and word in short(annotation).lower()
               for param, annotation in function.params) or any(
        assigned == name and value.endswith("()") and word in short(value[:-2]).lower()
        for assigned, _, value in function.assigned)


class PerformanceAnalyser:
    key: ClassVar[str] = "performance"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        table = _table()
        modules = code_modules(model)
        aspect = "Optimization"
        findings = [
            *_decorated(modules, set(table["caching"]["decorators"])).findings(
                aspect, "Caching: `{label}` memoises results ({count})."),
            *_called(modules, set(), set(table["query"]["call_suffixes"])).findings(
                aspect, "Query shaping: `{label}()` batches or narrows database queries "
                "({count})."),
            # ``index=True`` on a column; ``get(index=version)`` is no index
            *_keywords(modules, set(table["query"]["index_keywords"]), flag=True).findings(
                aspect, "Database indexes: `{label}` ({count})."),
            *_called(modules, set(table["query"]["index_calls"]), set()).findings(
                aspect, "Database indexes: `{label}()` creates an index ({count})."),
            *_called(modules, set(table["streaming"]["calls"]), set()).findings(
                aspect, "Streaming: `{label}` sends responses in chunks ({count})."),
            *self._compression(modules, table),
            *_called(modules, set(table["concurrency"]["calls"]),
                     set(table["concurrency"]["call_suffixes"])).findings(
                aspect, "Concurrency: `{label}` runs work in parallel ({count})."),
            *_called(modules, set(table["concurrency"]["cooperative_calls"]), set()).findings(
                aspect, "Concurrency: `{label}` overlaps waiting tasks ({count})."),
            *self._extensions(model, table),
            *self._vectorised(model, table),
            *self._benchmarks(model),
        ]
        section.findings = findings or [Finding(
            aspect,
            "None found: looked for caching decorators, ORM query shaping (`select_related`, "
            "`prefetch_related`, `bulk_create`, ...), indexes (`db_index=True`, `index=True`, "
            "`models.Index`, `AddIndex`, `op.create_index`), streaming responses, "
            "compression middleware, thread/process pools and `asyncio.gather`, compiled "
            "extensions (Cython, Rust, C), vectorised libraries and benchmark suites.")]
        return section

    @staticmethod
    def _compression(modules: list[CodeModule], table: dict[str, Any]) -> list[Finding]:
        wanted = set(table["compression"]["names"])
        findings = []
        for item in modules:
            for call in item.facts.calls:
                if short(call.callee) == "add_middleware" and call.args and \
                        short(call.args[0]) in wanted:
                    findings.append(Finding("Optimization", f"Compression: `{call.args[0]}` "
                                            "compresses responses.", (item.at(call.line),)))
        return findings

    @staticmethod
    def _extensions(model: SystemModel, table: dict[str, Any]) -> list[Finding]:
        patterns = table["extensions"]["patterns"]
        pattern = re.compile("|".join(fnmatch.translate(p) for p in patterns))
        found = sorted(f.path for f in model.scan.files
                       if pattern.match(f.path.rpartition("/")[2]))
        if not found:
            return []
        return [Finding("Optimization", f"Compiled extensions: {plural(len(found), 'source')} "
                        f"({names(found, limit=4)}).", tuple(Evidence(p, 1) for p in found[:3]))]

    @staticmethod
    def _vectorised(model: SystemModel, table: dict[str, Any]) -> list[Finding]:
        return library_findings(model, "Optimization", ("scientific", "data-processing"),
                                only=set(table["vectorised"]["distributions"]))

    @staticmethod
    def _benchmarks(model: SystemModel) -> list[Finding]:
        suites = [c for c in model.components if c.role == "benchmark"]
        findings = [Finding("Optimization", f"Benchmark suite {code(c.name)} "
                            f"({plural(len(c.modules), 'module')}).",
                            (Evidence(model.modules[c.modules[0]].path, 1),)) for c in suites]
        findings.extend(library_findings(model, "Optimization", ("benchmarking",)))
        return findings


class ScalabilityAnalyser:
    key: ClassVar[str] = "scalability"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        modules = code_modules(model)
        section.findings.extend(self._horizontal(model, modules))
        section.findings.extend(self._vertical(modules))
        section.findings.extend(directive_findings(
            model, "Load balancing", _table()["load_balancing_directive"]) or [Finding(
                "Load balancing",
                "None found: looked for `upstream`/`proxy_pass` in nginx configurations and "
                "load-balancer entries in Traefik configurations; Kubernetes Services and "
                "compose replicas are covered under Deployment Architecture.")])
        section.findings.extend(self._caching(model, modules))
        section.findings.extend(state.object_storage(modules) or [Finding(
            "Storage",
            "None found: looked for object-storage clients (boto3 `s3` clients and resources, "
            "Google Cloud Storage, Azure Blob Storage, MinIO, s3fs, gcsfs) and django-storages "
            "backends (`STORAGES`, `DEFAULT_FILE_STORAGE`, storage classes).")])
        table = _table()["pagination"]
        section.findings.extend(_called(modules, set(table["calls"]),
                                        set(table["call_suffixes"])).findings(
            "Pagination", "`{label}` splits large results into pages ({count})."))
        return section

    @staticmethod
    def _horizontal(model: SystemModel, modules: list[CodeModule]) -> list[Finding]:
        horizontal = library_findings(model, "Horizontal scaling",
                                      ("task-queue", "message-broker"))
        asynchronous = sorted(item.at(function.line) for item in modules
                              for _, function in item.functions() if function.is_async)
        if asynchronous:
            horizontal.append(Finding(
                "Horizontal scaling", f"{plural(len(asynchronous), 'async function')} serve "
                "requests without holding a thread each.", tuple(asynchronous[:3])))
        horizontal.extend(library_findings(model, "Horizontal scaling", ("http-server",)))
        horizontal.extend(state.shared_stores(modules))
        horizontal.extend(state.sessions(modules))
        horizontal.extend(state.process_state(modules))
        return horizontal or [Finding(
            "Horizontal scaling",
            "None found in the code: looked for task queues and message brokers (work spread "
            "over worker processes), async functions, WSGI/ASGI servers, Redis and memcached "
            "clients, session stores (`SESSION_ENGINE`, `SESSION_TYPE`) and module-level "
            "containers or `global` variables changed by functions (state kept in process).")]

    @staticmethod
    def _vertical(modules: list[CodeModule]) -> list[Finding]:
        table = _table()
        vertical = [
            *_called(modules, set(table["concurrency"]["calls"]),
                     set(table["concurrency"]["call_suffixes"])).findings(
                "Vertical scaling", "`{label}` uses more cores or threads ({count})."),
            *_called(modules, set(table["concurrency"]["cooperative_calls"]), set()).findings(
                "Vertical scaling", "`{label}` runs tasks side by side while they wait, on "
                "one thread ({count})."),
            *_keywords(modules, set(table["pooling"]["keywords"])).findings(
                "Vertical scaling", "Connection pool sized in `{label}` ({count})."),
            *_subclasses(modules, set(table["concurrency"]["bases"])),
        ]
        return vertical or [Finding(
            "Vertical scaling",
            "None found: looked for thread and process pools, `asyncio.gather`/`create_task` "
            "and connection-pool sizes (`pool_size`, `max_connections`, ...).")]

    @staticmethod
    def _caching(model: SystemModel, modules: list[CodeModule]) -> list[Finding]:
        table = _table()
        caching = [
            *library_findings(model, "Caching", ("cache",)),
            *state.cache_backends(modules),
            *_http_caching(modules).findings("Caching", "HTTP caching: {label} ({count})."),
            *setting_findings(modules, table["setting_item"]),
            *directive_findings(model, "Caching", table["http_caching_directive"]),
            *_decorated(modules, set(table["caching"]["decorators"])).findings(
                "Caching", "`{label}` caches in process ({count})."),
        ]
        return caching or [Finding(
            "Caching",
            "None found: looked for cache libraries (Redis, memcached, ...), cache settings "
            "(`CACHES`, `CACHE_TYPE`, ...), caching decorators, HTTP caching decorators and "
            "calls (`@cache_control`, `@cache_page`, `@etag`, `@condition`, "
            "`patch_cache_control`, ...), caching headers set on responses "
            "(`Cache-Control`, `ETag`, `Last-Modified`, `Expires`, `Vary`, ...), cache "
            "middleware and `expires`/`add_header Cache-Control`/`proxy_cache` in web-server "
            "configurations.")]
