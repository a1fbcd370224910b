"""The facts extracted from one Python file.

Facts are small named tuples so that they convert to and from plain tuples cheaply: the cache
stores them with :mod:`marshal`, which is far faster to load than JSON or pickle.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

# Calls are collected only on lines that mention one of these words (as a whole word): a
# callee segment or keyword name that a detector looks for. One regular expression over the
# source finds those lines, so expressions are walked only where a detector needs them.
WATCHED_WORDS = frozenset({
    # configuration and environment
    "environ", "getenv",
    # risky calls (bandit-like)
    "eval", "exec", "system", "popen", "Popen", "subprocess", "pickle", "marshal", "yaml",
    "shell", "verify", "executemany", "mark_safe",
    # logging, monitoring, deprecation
    "getLogger", "get_logger", "basicConfig", "dictConfig", "fileConfig", "structlog",
    "sentry_sdk", "Histogram", "Gauge", "statsd", "warnings",
    # resilience and exit codes
    "retry", "backoff", "tenacity", "Retry", "Retrying", "autoretry_for", "timeout", "exit",
    # caching and storage
    "lru_cache", "cache", "cached", "Redis", "StrictRedis", "from_url", "caches",
    # ORM query shaping, indexes, pools, pagination, streaming and compression
    "select_related", "prefetch_related", "bulk_create", "bulk_update", "in_bulk",
    "index", "Index", "AddIndex", "create_index",
    "joinedload", "selectinload", "subqueryload", "db_index", "create_engine", "pool_size",
    "Paginator", "paginate", "StreamingResponse", "StreamingHttpResponse", "GZipMiddleware",
    "cache_page", "cache_control",
    # concurrency
    "ThreadPoolExecutor", "ProcessPoolExecutor", "gather", "create_task", "run_in_executor",
    "to_thread",
    # error handling and security hooks
    "HTTPException", "abort", "Http404", "add_exception_handler", "exception_handler",
    "errorhandler", "register_error_handler",
    "excepthook", "set_cookie", "add_middleware", "CORSMiddleware", "csrf_exempt", "jwt",
    "hashpw", "checkpw", "make_password", "check_password",
    # tasks and dependency injection
    "delay", "apply_async", "send_task", "enqueue", "include_router", "add_url_rule",
    "register_blueprint", "Depends",
    # design patterns: plug-in loading, observers, proxies, transactions, injection
    "import_module", "import_string", "entry_points", "iter_entry_points", "load_entry_point",
    "PluginManager", "ExtensionManager", "DriverManager", "load_setuptools_entrypoints",
    "connect", "receiver", "listens_for", "Signal", "signal", "LocalProxy", "SimpleLazyObject",
    "lazy", "listen", "commit", "rollback", "atomic", "inject", "Provide",
    # entry points registered by calls: routes, command-line arguments, scheduled jobs
    "add_argument", "add_parser", "add_api_route", "add_route", "add_routes", "add_get",
    "add_post", "add_put", "add_patch", "add_delete", "add_view", "add_job", "register",
    "add_typer", "add_command", "Route", "WebSocketRoute", "Mount", "mount", "add_subapp",
    "add_resource", "add_namespace", "add_periodic_task", "async_register",
    # chat bot handlers registered by constructing them (python-telegram-bot)
    "CommandHandler", "MessageHandler", "PrefixHandler", "CallbackQueryHandler",
    "InlineQueryHandler", "ChatMemberHandler", "PreCheckoutQueryHandler", "PollAnswerHandler",
    # data migrations, reversible or not
    "RunPython", "RunSQL",
    # template autoescaping, event-loop handlers, structured log context
    "autoescape", "set_exception_handler", "add_signal_handler", "extra",
    # periodic task schedules given as a call's keyword (``app.conf.update(beat_schedule=...)``)
    "beat_schedule", "CELERYBEAT_SCHEDULE",
})

# HTTP response headers about caching (lower case): assigning one by its name
# (``response["Cache-Control"] = ...``) or passing it in a ``headers={...}`` dict is recorded
# as a :class:`HeaderFact`. ``knowledge/performance.toml`` says what each one does.
WATCHED_HEADERS = frozenset({
    "cache-control", "cdn-cache-control", "surrogate-control", "etag", "last-modified",
    "expires", "vary",
})

# Calls whose arguments are kept wherever they are made (the last segment of the callee):
# client factories, whose first argument names the service (``boto3.client("s3")``).
ARGUMENT_CALLS = frozenset({"client", "resource", "create_client"})

# Calls that are recorded as pairs (see :class:`PairFact`) where a list or tuple holds them
# (the last segment of the callee): route constructors, ``url(r"/", MainHandler)``.
PAIR_CALLS = frozenset({"url", "URLSpec"})

# The shape of the facts and the watched names; part of the cache key, so a change never
# reads stale rows.
FACTS_VERSION = "20-" + hashlib.blake2b(
    " ".join([*sorted(WATCHED_WORDS), "|", *sorted(WATCHED_HEADERS), "|",
              *sorted(ARGUMENT_CALLS), "|", *sorted(PAIR_CALLS)]).encode(),
    digest_size=4).hexdigest()

# Bit flags describing where an import statement stands.
IN_TYPE_CHECKING = 1
IN_FUNCTION = 2
IN_TRY = 4  # in a ``try`` body, or in the ``except ImportError:`` that falls back


class ImportFact(NamedTuple):
    """One imported object, as grimp counts them.

    ``target`` is the dotted name without leading dots: ``pkg.mod`` for ``import pkg.mod``,
    ``pkg.mod.name`` for ``from pkg.mod import name``, ``name`` for ``from . import name``.
    ``alias`` is the local name the statement binds (``None`` for ``*``).
    """

    target: str
    level: int
    line: int
    is_from: bool
    alias: str | None
    flags: int


# Bit flags of :attr:`FunctionFact.traits`.
YIELDS = 1  # the body yields: a generator (or a ``@contextmanager`` body)
LOOPS_OVER_PARAMETER = 2  # a ``for`` loop (or ``yield from``) consumes one of the parameters
RETURNS_GLOBAL = 4  # returns a name that the function declares ``global``
# The body yields more than once: a ``yield`` in a loop, several ``yield`` statements, or a
# ``yield from``. A generator without it hands over one value (a fixture, a dependency with
# clean-up, a lifespan): a set-up and tear-down hook rather than a sequence.
YIELDS_REPEATEDLY = 8


class FunctionFact(NamedTuple):
    """A function or method definition.

    ``params`` are ``(name, annotation)`` pairs in order (``self`` included), the annotation as
    a dotted name ("" when absent; ``Optional[X]``, ``X | None`` and ``Annotated[X, ...]`` give
    ``X``). ``returns`` describes what the ``return`` statements give, in order of appearance:
    ``self``, a dotted name (``cls._instance``, ``wrapper``), ``Callee()`` for a call,
    ``name[]`` for a subscript. ``nested`` lists the functions defined inside (at any depth),
    with their decorators. ``stores`` names the containers a parameter is put into:
    ``self.views[]`` (``self.views[key] = param``), ``hooks.append``, ``seen.add``.
    ``calls`` are the calls the body makes (nested functions and lambdas included) as
    ``(callee, line)``: the callee's dotted name as written (``crud.get_user``,
    ``self.repo.save``, ``session.exec.first`` for ``session.exec(q).first()``), each callee
    once, at its first line. ``annotation`` is the return annotation as for ``params``; for a
    generator, the type its ``Iterator[X]`` (``Generator``, ``AsyncIterator``, ...) yields;
    for ``type[X]``, the class ``X``.
    ``yields`` describes what its ``yield`` expressions give, as ``returns`` does.
    ``assigned`` are the body's assignments to a name or to ``self.name`` (``with Callee() as
    name`` included) as ``(target, annotation, value)``: the annotation as for ``params`` (""
    when absent), the value ``Callee()`` for a call (awaited or not), a dotted name, else ""
    (of ``a or b``, what ``b`` is).
    ``injected`` are the calls in a parameter's default or in its ``Annotated[...]`` metadata,
    ``(parameter, "Callee(argument)")`` with the first positional argument's dotted name:
    ``db = Depends(get_db)`` gives ``("db", "Depends(get_db)")``.
    ``writes`` are the containers and module-level names the body changes without a call, as
    ``(target, line)``, each target once at its first line: ``_SESSIONS[]`` for an item
    assigned, augmented or deleted (``_SESSIONS[token] = user``, ``hits[key] += 1``,
    ``del cache[key]``; ``C.setdefault(k, [])[i] = v`` writes ``C``), and ``counter`` for an
    augmented assignment to a name the function declares ``global``. Targets whose first
    name the function binds itself (parameters, ``self`` included, and local names not
    declared ``global``) are left out.
    ``passes`` are the body's calls (not of builtins, nor methods of its own parameters or
    local names, ``self`` and ``cls`` aside) that pass a parameter or a local name as an
    argument, as ``(callee, line, ((position or keyword, name), ...))``: ``setup_routes(app)``
    gives ``("setup_routes", line, (("0", "app"),))``. Nested functions' calls are left out.
    """

    name: str
    line: int
    decorators: tuple[str, ...]
    is_async: bool
    params: tuple[tuple[str, str], ...] = ()
    returns: tuple[str, ...] = ()
    nested: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stores: tuple[str, ...] = ()
    traits: int = 0
    calls: tuple[tuple[str, int], ...] = ()
    annotation: str = ""
    yields: tuple[str, ...] = ()
    assigned: tuple[tuple[str, str, str], ...] = ()
    injected: tuple[tuple[str, str], ...] = ()
    writes: tuple[tuple[str, int], ...] = ()
    passes: tuple[tuple[str, int, tuple[tuple[str, str], ...]], ...] = ()


class ClassFact(NamedTuple):
    """A class definition with its bases and decorators as dotted source names.

    ``keywords`` are the class keywords (``metaclass=ABCMeta``) as dotted or literal text;
    ``attributes`` are the class-level assignments ``(name, value, line)``, the value
    described as in :class:`ConstantFact` or as ``Callee()`` for a call ("" otherwise);
    ``annotations`` the class-level annotations ``(name, type)`` (dataclass fields, ...), the
    type as for :attr:`FunctionFact.params`.
    """

    name: str
    line: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    methods: tuple[FunctionFact, ...]
    docstring: str | None
    keywords: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str, int], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()


class AssignFact(NamedTuple):
    """An assignment whose value is a call: ``app = FastAPI()``.

    At module level every such assignment is kept; inside a function (``scope`` names it) only
    calls of capitalised names, i.e. likely class instantiations such as ``Flask(__name__)``,
    and ``with Session(engine) as session`` bindings.
    """

    targets: tuple[str, ...]
    callee: str
    line: int
    scope: str


class AttributeSetFact(NamedTuple):
    """An assignment to an attribute of another object than ``self``/``cls``, anywhere:
    ``sys.excepthook = report`` (``scope`` names the enclosing function, "" at module level).
    ``value`` is described as a module variable's is."""

    target: str
    value: str
    line: int
    scope: str


class RaiseFact(NamedTuple):
    """``raise X(...)``: ``exception`` is the dotted name raised ("" for a bare ``raise``)."""

    exception: str
    line: int
    scope: str  # the enclosing function ("Class.method", "function"), "" at module level


class HandlerFact(NamedTuple):
    """An ``except`` clause. ``types`` are the caught names (empty for a bare ``except:``);
    ``action`` is "swallow" (the body only passes, continues or returns nothing), "reraise"
    (the body raises) or "handle"."""

    types: tuple[str, ...]
    line: int
    scope: str
    action: str


# The values of :attr:`ConstantFact.entries`.
Leaf = str | int | float | bool | None
Entries = tuple[tuple[tuple[str | int, ...], Leaf], ...]
ENTRIES_LIMIT = 200
ENTRIES_DEPTH = 6


class ConstantFact(NamedTuple):
    """A module-level ``UPPER_CASE = ...`` (or a URLconf's ``handler404 = ...``); ``value`` is
    the literal's source text, a dotted name, an item of one taken by a literal key
    (``os.environ['KEY']``), or the container's kind ("dict", "list", "tuple", "set") for
    non-empty containers. ``items`` are the strings a container holds: a
    list's strings, a dict's ``KEY=value`` pairs one level deep (``KEY`` alone for other
    values), so that settings such as ``MIDDLEWARE`` or ``REST_FRAMEWORK`` can be read. For
    a variable holding an ``Annotated[X, ...]`` alias, ``items`` are its metadata calls as
    ``Callee(argument)`` (see :attr:`FunctionFact.injected`).

    ``entries`` spell out a nested literal, so that settings such as ``TEMPLATES``, ``CACHES``
    or ``LOGGING`` can be read at any depth: for a dict, or a list or tuple holding a
    container, its leaves in order as ``(path, value)``. The path holds dict keys (strings;
    other keys and ``**`` are left out) and list or tuple positions (integers); the value is
    the literal's value (strings cut as in ``items``), ``None`` for anything computed. Empty
    containers have no leaf; at most :data:`ENTRIES_LIMIT` leaves, :data:`ENTRIES_DEPTH`
    levels deep (a deeper container is a leaf of value ``None``)."""

    name: str
    value: str
    line: int
    items: tuple[str, ...] = ()
    entries: Entries = ()


class LiteralFact(NamedTuple):
    """A nested literal given to something else than a name, anywhere: assigned to an
    attribute of another object than ``self``/``cls`` (``app.conf.beat_schedule = {...}``),
    to an item of a dotted name by a string key (``app.conf.beat_schedule["ping"] = {...}``:
    the key starts the paths of ``entries``), or passed as a keyword to a recorded call
    (``app.conf.update(beat_schedule={...})``: ``target`` is ``app.conf.update()`` and the
    keyword starts the paths). ``entries`` as :attr:`ConstantFact.entries`; ``scope`` names
    the enclosing function ("" at module level)."""

    target: str
    entries: Entries
    line: int
    scope: str


class PairFact(NamedTuple):
    """An item of a list or tuple literal that is assigned or passed to a call, anywhere
    (``handlers = [(r"/", MainHandler)]``, ``Application([...])``, also each side of a
    ``+``): a tuple whose first two items are a string and a dotted name, or a call of one of
    :data:`PAIR_CALLS` given them as its first arguments (``url(r"/", MainHandler)``).
    ``text`` is the string's literal text (``'/'``, an f-string as in :class:`CallFact`),
    ``name`` the dotted name, ``callee`` the call's dotted name ("" for a tuple), ``scope``
    the enclosing function ("" at module level)."""

    text: str
    name: str
    callee: str
    line: int
    scope: str


class CallFact(NamedTuple):
    """A call at module level, or elsewhere on a line that mentions one of the watched words
    (see :data:`WATCHED_WORDS`), or anywhere when its callee ends with one of
    :data:`ARGUMENT_CALLS`; also a decorator call (see :attr:`FileFacts.decorations`).
    Arguments and keyword values are kept as literal source text (``'x'``, ``3``,
    ``['GET', 'POST']``), dotted names (``OrderlyError``, ``yaml.SafeLoader``) or ``Callee()``
    for a call; "" for anything else. ``column``, ``end`` and ``end_column`` place the call
    with ``line``: the calls written inside its arguments are those between its start and
    its end."""

    callee: str
    line: int
    scope: str
    args: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...]
    column: int
    end: int
    end_column: int


class HeaderFact(NamedTuple):
    """An HTTP header of :data:`WATCHED_HEADERS` set in code, anywhere: assigned by name to an
    item of an object (``response["Cache-Control"] = "no-store"``: ``target`` is
    ``response``; ``response.headers`` for ``response.headers["ETag"] = tag``) or passed in a
    call's ``headers={...}`` dict (``target`` is the callee with ``()``, ``HttpResponse()``).
    ``header`` is the name as written; ``value`` is described as a call argument is;
    ``scope`` names the enclosing function ("" at module level)."""

    header: str
    value: str
    target: str
    line: int
    scope: str


class FileFacts(NamedTuple):
    """Everything the later stages need to know about one Python file."""

    docstring: str | None
    docstring_line: int
    imports: tuple[ImportFact, ...]
    classes: tuple[ClassFact, ...]
    functions: tuple[FunctionFact, ...]
    assignments: tuple[AssignFact, ...]
    all_names: tuple[str, ...] | None
    all_line: int
    main_block_line: int
    raises: tuple[RaiseFact, ...] = ()
    handlers: tuple[HandlerFact, ...] = ()
    constants: tuple[ConstantFact, ...] = ()
    calls: tuple[CallFact, ...] = ()
    variables: tuple[ConstantFact, ...] = ()  # other module-level ``name = value`` assignments
    # Decorators written as calls, ``scope`` naming what they decorate ("func",
    # "Class.method", "Class", "func.nested" for a function defined in another):
    # ``@router.post("/login")``, ``@click.option("--name")``.
    decorations: tuple[CallFact, ...] = ()
    main_block_end: int = 0  # the last line of the ``if __name__ == "__main__":`` block
    attribute_sets: tuple[AttributeSetFact, ...] = ()  # ``sys.excepthook = report``
    headers: tuple[HeaderFact, ...] = ()  # ``response["Cache-Control"] = "no-store"``
    literals: tuple[LiteralFact, ...] = ()  # ``app.conf.beat_schedule = {...}``
    pairs: tuple[PairFact, ...] = ()  # ``(r"/", MainHandler)`` in ``handlers = [...]``

    def to_raw(self) -> tuple[Any, ...]:
        """Plain nested tuples, for :mod:`marshal`."""
        return (
            self.docstring,
            self.docstring_line,
            tuple(tuple(i) for i in self.imports),
            tuple(
                (c.name, c.line, c.bases, c.decorators, tuple(tuple(m) for m in c.methods),
                 c.docstring, c.keywords, c.attributes, c.annotations)
                for c in self.classes
            ),
            tuple(tuple(f) for f in self.functions),
            tuple(tuple(a) for a in self.assignments),
            self.all_names,
            self.all_line,
            self.main_block_line,
            tuple(tuple(r) for r in self.raises),
            tuple(tuple(h) for h in self.handlers),
            tuple(tuple(c) for c in self.constants),
            tuple(tuple(c) for c in self.calls),
            tuple(tuple(v) for v in self.variables),
            tuple(tuple(d) for d in self.decorations),
            self.main_block_end,
            tuple(tuple(a) for a in self.attribute_sets),
            tuple(tuple(h) for h in self.headers),
            tuple(tuple(literal) for literal in self.literals),
            tuple(tuple(p) for p in self.pairs),
        )

    @classmethod
    def from_raw(cls, raw: tuple[Any, ...]) -> FileFacts:
        """Rebuild from :meth:`to_raw`'s output."""
        (docstring, docstring_line, imports, classes, functions, assignments, all_names,
         all_line, main_block_line, raises, handlers, constants, calls, variables, decorations,
         main_block_end, attribute_sets, headers, literals, pairs) = raw
        make_function = FunctionFact._make
        return cls(
            docstring=docstring,
            docstring_line=docstring_line,
            imports=tuple(map(ImportFact._make, imports)),
            classes=tuple(
                ClassFact(n, ln, b, d, tuple(map(make_function, m)), doc, k, a, t)
                for n, ln, b, d, m, doc, k, a, t in classes
            ),
            functions=tuple(map(make_function, functions)),
            assignments=tuple(map(AssignFact._make, assignments)),
            all_names=all_names,
            all_line=all_line,
            main_block_line=main_block_line,
            raises=tuple(map(RaiseFact._make, raises)),
            handlers=tuple(map(HandlerFact._make, handlers)),
            constants=tuple(map(ConstantFact._make, constants)),
            calls=tuple(map(CallFact._make, calls)),
            variables=tuple(map(ConstantFact._make, variables)),
            decorations=tuple(map(CallFact._make, decorations)),
            main_block_end=main_block_end,
            attribute_sets=tuple(map(AttributeSetFact._make, attribute_sets)),
            headers=tuple(map(HeaderFact._make, headers)),
            literals=tuple(map(LiteralFact._make, literals)),
            pairs=tuple(map(PairFact._make, pairs)),
        )
