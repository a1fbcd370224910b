"""The single-pass extractor: what it records from small snippets, and what it refuses."""

from __future__ import annotations

import ast
import gc
import re
import textwrap
from pathlib import Path

import pytest

from syspatterns.extract import ExtractionError, extract_python
from syspatterns.extract.facts import IN_FUNCTION, IN_TRY, IN_TYPE_CHECKING, FileFacts
from syspatterns.extract.python import (
    _calls_breadth_first,
    _calls_in,
    _own_expressions,
    _watched_lines,
)


def facts(source: str) -> FileFacts:
    return extract_python(textwrap.dedent(source).lstrip("\n").encode())


def test_imports_record_target_level_line_and_alias() -> None:
    result = facts("""
        import os
        import a.b.c as abc
        from x.y import z, w as ww
        from . import sibling
        from ..pkg import thing
        from .mod import *
    """)
    assert [(i.target, i.level, i.line, i.is_from, i.alias) for i in result.imports] == [
        ("os", 0, 1, False, "os"),
        ("a.b.c", 0, 2, False, "abc"),
        ("x.y.z", 0, 3, True, "z"),
        ("x.y.w", 0, 3, True, "ww"),
        ("sibling", 1, 4, True, "sibling"),
        ("pkg.thing", 2, 5, True, "thing"),
        ("mod.*", 1, 6, True, None),
    ]


def test_plain_dotted_import_binds_its_first_segment() -> None:
    (imported,) = facts("import a.b.c\n").imports
    assert imported.alias == "a"


def test_nested_imports_are_found_and_flagged() -> None:
    result = facts("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.models import User
        try:
            import ujson as json
        except ImportError:
            import json
        try:
            import thread
        except (ValueError, ModuleNotFoundError):
            import _thread as thread
        try:
            pass
        except KeyError:
            import pprint
        def load():
            import yaml
            return yaml
        class C:
            def m(self):
                from app import helpers
    """)
    flags = {i.target: i.flags for i in result.imports}
    assert flags["app.models.User"] == IN_TYPE_CHECKING
    assert flags["ujson"] == IN_TRY
    assert flags["json"] == IN_TRY  # the fallback is as optional as what it stands for
    assert flags["_thread"] == IN_TRY and flags["pprint"] == 0
    assert flags["yaml"] == IN_FUNCTION
    assert flags["app.helpers"] == IN_FUNCTION


def test_typing_attribute_form_of_type_checking_is_recognised() -> None:
    result = facts("""
        import typing
        if typing.TYPE_CHECKING:
            import heavy
    """)
    assert result.imports[1].flags == IN_TYPE_CHECKING


def test_imports_in_every_kind_of_block_are_found() -> None:
    result = facts("""
        with ctx():
            import a
        for x in y:
            import b
        else:
            import c
        while True:
            import d
        match v:
            case 1:
                import e
        try:
            pass
        finally:
            import f
    """)
    assert [i.target for i in result.imports] == ["a", "b", "c", "d", "e", "f"]


def test_imports_inside_expressions_are_not_statements() -> None:
    result = facts('x = __import__("os")\ntext = "import sys"\n# import re\n')
    assert result.imports == ()


def test_classes_with_bases_decorators_methods_and_docstring() -> None:
    result = facts('''
        @dataclass(frozen=True)
        class Order(Base, mixins.Audited, Generic[T]):
            """An order."""
            def total(self): ...
            async def pay(self): ...
            @property
            def lines(self): ...
    ''')
    (cls,) = result.classes
    assert cls.name == "Order"
    assert cls.line == 2
    assert cls.bases == ("Base", "mixins.Audited", "Generic")
    assert cls.decorators == ("dataclass",)
    assert [m.name for m in cls.methods] == ["total", "pay", "lines"]
    assert cls.methods[1].is_async
    assert cls.methods[2].decorators == ("property",)
    assert cls.docstring == "An order."


def test_only_top_level_functions_and_classes_are_listed() -> None:
    result = facts("""
        @app.get("/items")
        async def items():
            def inner(): ...
            class Local: ...
    """)
    assert [(f.name, f.decorators, f.is_async) for f in result.functions] == [
        ("items", ("app.get",), True)]
    assert result.classes == ()


def test_module_docstring_all_and_main_guard() -> None:
    result = facts('''
        """Billing.

        Details here.
        """
        __all__ = ["charge", "refund"]
        __all__ += ("void",)
        if __name__ == "__main__":
            main()
    ''')
    assert result.docstring == "Billing.\n\nDetails here."
    assert result.docstring_line == 1
    assert result.all_names == ("charge", "refund", "void")
    assert result.all_line == 5
    assert result.main_block_line == 7


def test_reversed_main_guard_is_recognised_and_other_ifs_are_not() -> None:
    assert facts('if "__main__" == __name__:\n    run()\n').main_block_line == 1
    assert facts('if __name__ == "app":\n    run()\n').main_block_line == 0
    assert facts('if name == "__main__":\n    run()\n').main_block_line == 0


def test_dynamic_all_is_not_guessed() -> None:
    assert facts("__all__ = [name for name in dir()]\n").all_names is None


def test_call_assignments_at_module_level_and_in_factories() -> None:
    result = facts("""
        from fastapi import FastAPI
        app = FastAPI(title="x")
        handler = make_handler()
        def create_app():
            app = Flask(__name__)
            settings = load_settings()
            return app
    """)
    assert [(a.targets, a.callee, a.line, a.scope) for a in result.assignments] == [
        (("app",), "FastAPI", 2, ""),
        (("handler",), "make_handler", 3, ""),
        (("app",), "Flask", 5, "create_app"),
    ]


def test_facts_survive_a_round_trip_through_raw_tuples() -> None:
    import marshal

    original = facts('''
        """Doc."""
        import os
        class A(B):
            def f(self): ...
        def g(): ...
        x = Y()
        __all__ = ["A"]
    ''')
    assert FileFacts.from_raw(marshal.loads(marshal.dumps(original.to_raw()))) == original


@pytest.mark.parametrize(("source", "reason"), [
    (b"print 'hello'\n", "not valid Python 3"),
    (b"def f(:\n", "not valid Python 3"),
    (b"x = '\xff\xfe'\n", "not valid Python 3"),
    (b"x = 1\x00\n", "Python"),
])
def test_unparsable_sources_raise_with_a_reason(source: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_python(source)


def test_python2_syntax_error_names_the_line() -> None:
    with pytest.raises(ExtractionError, match=r"line 2"):
        extract_python(b"x = 1\nprint 'old'\n")


def test_a_coding_cookie_is_honoured() -> None:
    source = "# -*- coding: latin-1 -*-\n'''Caf\xe9.'''\n".encode("latin-1")
    assert extract_python(source).docstring == "Caf\xe9."


def test_raises_with_their_enclosing_scope() -> None:
    result = facts("""
        class Repo:
            def get(self, pk):
                raise NotFound(pk)
        def check():
            def inner():
                raise errors.Invalid("x") from None
            raise
        raise SystemExit(2)
    """)
    assert [(r.exception, r.line, r.scope) for r in result.raises] == [
        ("NotFound", 3, "Repo.get"), ("errors.Invalid", 6, "check"), ("", 7, "check"),
        ("SystemExit", 8, "")]


def test_except_clauses_with_types_and_what_they_do() -> None:
    result = facts("""
        def f():
            try:
                work()
            except KeyError:
                pass
            except (ValueError, mod.Error) as error:
                raise Failed() from error
            except Exception:
                logger.exception("failed")
            except:
                return None
    """)
    assert [(h.types, h.line, h.action) for h in result.handlers] == [
        (("KeyError",), 4, "swallow"),
        (("ValueError", "mod.Error"), 6, "reraise"),
        (("Exception",), 8, "handle"),
        ((), 10, "swallow"),
    ]


def test_reraise_nested_in_a_condition_counts() -> None:
    result = facts("""
        try:
            x()
        except OSError as e:
            if e.errno != 2:
                raise
    """)
    assert result.handlers[0].action == "reraise"


def test_upper_case_module_constants() -> None:
    result = facts("""
        DEBUG = True
        TIMEOUT = -5
        SECRET_KEY = os.environ["KEY"]
        FIRST = HOSTS[0]
        CACHES = {"default": {}}
        EMPTY = []
        lower = 1
        A = B = 3
        def f():
            LOCAL = 1
    """)
    assert [(c.name, c.value) for c in result.constants] == [
        ("DEBUG", "True"), ("TIMEOUT", "-5"), ("SECRET_KEY", "os.environ['KEY']"),
        ("FIRST", "HOSTS[0]"), ("CACHES", "dict"), ("EMPTY", "[]")]


def test_calls_are_collected_on_lines_with_watched_words_only() -> None:
    result = facts("""
        import os, subprocess, yaml
        SECRET = os.environ.get("SECRET", "dev")
        class Runner:
            @retry(stop=3)
            def run(self, cmd):
                subprocess.run(cmd, shell=True, timeout=5)
                data = yaml.safe_load(cmd)
                print(cmd)  # not watched
                helper(cmd)  # mentions yaml in a comment only
        requests.get(url, verify=False)
    """)
    assert [(c.callee, c.line, c.scope, c.args, c.keywords) for c in result.calls] == [
        ("os.environ.get", 2, "", ("'SECRET'", "'dev'"), ()),
        ("retry", 4, "", (), (("stop", "3"),)),
        ("subprocess.run", 6, "Runner.run", ("cmd",), (("shell", "True"), ("timeout", "5"))),
        ("yaml.safe_load", 7, "Runner.run", ("cmd",), ()),
        ("requests.get", 10, "", ("url",), (("verify", "False"),)),
    ]


def test_a_call_in_a_nested_statement_is_collected_once() -> None:
    result = facts("""
        if enabled:
            for item in items:
                with lock:
                    cache.set(item, 1)
    """)
    assert [(c.callee, c.line) for c in result.calls] == [("cache.set", 4)]


def test_watched_words_are_long_enough_for_the_identifier_scan() -> None:
    from syspatterns.extract.facts import WATCHED_WORDS

    assert min(map(len, WATCHED_WORDS)) >= 3


def test_parameters_with_their_annotations() -> None:
    (function,) = facts("""
        def build(self, orders: OrderRepository, cache: Optional[Cache], n: int | None = 1,
                  dep: Annotated[Gateway, Depends(get)] = None, ref: "models.Order" = None,
                  *args, opt: None | x.Y = None, **kwargs) -> None: ...
    """).functions
    assert function.params == (
        ("self", ""), ("orders", "OrderRepository"), ("cache", "Cache"), ("n", "int"),
        ("dep", "Gateway"), ("ref", "models.Order"), ("args", ""), ("opt", "x.Y"),
        ("kwargs", ""))


def test_what_return_statements_give() -> None:
    result = facts("""
        class Query:
            def where(self, c):
                self.c = c
                return self
            @classmethod
            def make(cls, kind):
                if kind:
                    return cls(kind)
                return A() if kind is None else b.B()
            def lookup(self, k):
                return self._cache[k]
            def nothing(self):
                return
            async def fetch(self):
                return await client.get()
    """)
    returns = {m.name: m.returns for m in result.classes[0].methods}
    assert returns == {"where": ("self",), "make": ("cls()", "A()", "b.B()"),
                       "lookup": ("self._cache[]",), "nothing": (), "fetch": ("client.get()",)}


def test_nested_functions_are_listed_with_decorators_at_any_depth() -> None:
    (function,) = facts("""
        def retry(times):
            def decorate(func):
                @functools.wraps(func)
                def wrapper(*args):
                    return func(*args)
                return wrapper
            return decorate
    """).functions
    assert function.nested == (("decorate", ()), ("wrapper", ("functools.wraps",)))
    assert function.returns == ("decorate",)


def test_parameters_stored_into_containers() -> None:
    result = facts("""
        REGISTRY = {}
        def register(cls):
            REGISTRY[cls.name] = cls
            local = cls.name
            REGISTRY[local] = local
            return cls
        class Library:
            def filter(self, name):
                def dec(func):
                    self.filters[name] = func
                    return func
                return dec
            def hook(self, f):
                self.funcs.setdefault(None, []).append(f)
                self.seen.add(f)
                print(f)
                return f
    """)
    (register,) = result.functions
    assert register.stores == ("REGISTRY[]",)
    stores = {m.name: m.stores for m in result.classes[0].methods}
    assert stores == {"filter": ("self.filters[]",), "hook": ("self.funcs.append", "self.seen.add")}


def test_generator_traits() -> None:
    from syspatterns.extract.facts import (
        LOOPS_OVER_PARAMETER,
        RETURNS_GLOBAL,
        YIELDS,
        YIELDS_REPEATEDLY,
    )

    result = facts("""
        _instance = None
        def stage(items):
            for item in items:
                yield item * 2
        def chain(parts):
            yield from parts
        def counter():
            n = 0
            while True:
                received = yield n
        def plain(items):
            for item in items:
                print(item)
        def get():
            global _instance
            if _instance is None:
                _instance = Thing()
            return _instance
        def outer():
            def inner():
                yield 1
            return inner
        def once():
            for item in ITEMS:
                def nested():
                    yield item
            try:
                yield Session()
            finally:
                close()
        def twice():
            yield 1
            value = yield 2
    """)
    traits = {f.name: f.traits for f in result.functions}
    many = YIELDS | YIELDS_REPEATEDLY
    assert traits == {"stage": many | LOOPS_OVER_PARAMETER,
                      "chain": many | LOOPS_OVER_PARAMETER, "counter": many, "plain":
                      LOOPS_OVER_PARAMETER, "get": RETURNS_GLOBAL, "outer": 0,
                      "once": YIELDS, "twice": many}


def test_class_keywords_and_attributes() -> None:
    (cls,) = facts("""
        class Settings(Base, metaclass=abc.ABCMeta, frozen=True):
            _instance = None
            config_class = Config
            registry: dict[str, type] = {}
            name: str
            __getattr__ = new_method_proxy(getattr)
            def method(self):
                local = 1
    """).classes
    assert cls.keywords == (("metaclass", "abc.ABCMeta"), ("frozen", "True"))
    assert cls.attributes == (
        ("_instance", "None", 2), ("config_class", "Config", 3), ("registry", "{}", 4),
        ("name", "", 5), ("__getattr__", "new_method_proxy()", 6))


def test_methods_are_the_direct_children_of_the_class_body() -> None:
    (cls,) = facts("""
        class A:
            def first(self): ...
            if FLAG:
                def conditional(self): ...
            class Inner:
                def inner(self): ...
            def last(self): ...
    """).classes
    assert [m.name for m in cls.methods] == ["first", "last"]


def test_module_level_variables_other_than_constants() -> None:
    result = facts("""
        _registry = {}
        default = None
        app = Flask(__name__)
        handler = other.handler
        TIMEOUT = 3
        def f():
            inner = {}
    """)
    assert [(v.name, v.value, v.line) for v in result.variables] == [
        ("_registry", "{}", 1), ("default", "None", 2), ("app", "Flask()", 3),
        ("handler", "other.handler", 4)]
    assert [c.name for c in result.constants] == ["TIMEOUT"]


def test_new_facts_survive_a_round_trip() -> None:
    import marshal

    original = facts('''
        _x = None
        Dep = Annotated[Session, Depends(get_db)]
        class A(B, metaclass=M):
            attr = C
            repo: Repo
            def f(self, a: int, db=Depends(get_db)) -> "A":
                self.d[a] = a
                self.client = Client()
                return self
        def g(items) -> Iterator[int]:
            @wraps(items)
            def inner():
                yield from items
            for i in items:
                yield i
        _SESSIONS = {}
        CACHES = {"default": {"BACKEND": "a.RedisCache", "TIMEOUT": -1}, "other": env()}
        def login(token, user):
            _SESSIONS[token] = user
            response["Cache-Control"] = "no-store"
        handlers = [("/", Home)]
        app.conf.beat_schedule = {"a": {"task": "b"}}
    ''')
    cls, function = original.classes[0], original.functions[0]
    assert cls.attributes and cls.annotations and function.nested and function.yields
    assert cls.methods[0].assigned and cls.methods[0].injected and original.variables[1].items
    assert original.functions[1].writes and original.constants[0].entries and original.headers
    assert original.pairs and original.literals
    assert FileFacts.from_raw(marshal.loads(marshal.dumps(original.to_raw()))) == original


def test_a_syntax_error_names_the_python_version_that_parsed_it() -> None:
    import sys

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    with pytest.raises(ExtractionError, match=rf"not valid Python {re.escape(version)} syntax"):
        extract_python(b"def f(:\n")



def test_constants_keep_the_strings_their_containers_hold() -> None:
    result = facts("""
        MIDDLEWARE = ["a.SecurityMiddleware", "b.Other", 3]
        REST_FRAMEWORK = {"DEFAULT": ["x.A", "x.B"], "HANDLER": "x.h", "SIZE": 20, 5: "no"}
        handler404 = "app.views.missing"
        handler500 = views.crashed
        handler = "not a constant"
    """)
    assert [(c.name, c.value, c.items) for c in result.constants] == [
        ("MIDDLEWARE", "list", ("a.SecurityMiddleware", "b.Other")),
        ("REST_FRAMEWORK", "dict", ("DEFAULT=x.A", "DEFAULT=x.B", "HANDLER=x.h", "SIZE")),
        ("handler404", "'app.views.missing'", ()),
        ("handler500", "views.crashed", ()),
    ]


def test_function_calls_in_order_once_each_inner_calls_first() -> None:
    facts = extract_python(textwrap.dedent('''
        def handle(session):
            session.exec(select(User)).first()
            helper()
            helper()
            def inner():
                crud.save(x)
            return [fmt(v) for v in items()]

        class A:
            def m(self):
                self.n()
        ''').encode())
    handle = facts.functions[0]
    assert [c for c, _ in handle.calls] == [
        "select", "session.exec", "session.exec.first", "helper", "crud.save", "fmt", "items"]
    assert dict(handle.calls)["helper"] == 4
    assert facts.classes[0].methods[0].calls == (("self.n", 12),)


def test_decorator_calls_module_calls_and_main_block_are_kept() -> None:
    facts = extract_python(textwrap.dedent('''
        @router.post("/login", methods=["GET", "POST"])
        def login():
            with Session(engine) as session:
                pass

        urlpatterns = [path(f"{prefix}admin/", views.admin, name="admin"),
                       path("shop/", include("shop.urls"))]

        if __name__ == "__main__":
            login()
        ''').encode())
    decoration = facts.decorations[0]
    assert (decoration.callee, decoration.scope, decoration.args, decoration.keywords) == (
        "router.post", "login", ("'/login'",), (("methods", "['GET', 'POST']"),))
    module_calls = {(c.callee, c.args) for c in facts.calls}
    assert ("path", ("'{prefix}admin/'", "views.admin")) in module_calls
    assert ("path", ("'shop/'", "include()")) in module_calls
    assert ("include", ("'shop.urls'",)) in module_calls
    assert (facts.main_block_line, facts.main_block_end) == (10, 11)
    assert ("login", ()) in module_calls
    assert facts.assignments[0][:3] == (("session",), "Session", 4)


def test_decorator_calls_of_nested_functions_name_their_nesting() -> None:
    facts = extract_python(textwrap.dedent('''
        class UI:
            def __init__(self):
                @bp.route("/swarm", methods=["POST"])
                @self.auth
                def swarm():
                    @wraps(swarm)
                    def inner():
                        pass

        def factory():
            @app.get("/health")
            def health():
                pass
        ''').encode())
    assert [(d.callee, d.scope, d.line) for d in facts.decorations] == [
        ("wraps", "UI.__init__.swarm.inner", 7), ("bp.route", "UI.__init__.swarm", 4),
        ("app.get", "factory.health", 12)]
    # the calls stay the enclosing function's
    assert {c.scope for c in facts.calls} <= {"UI.__init__", "factory"}


def test_return_annotations_and_what_yields_give() -> None:
    result = facts("""
        def make() -> Service:
            return build()
        def pairs() -> Iterator[int]:
            return iter([1])
        def get_db() -> Generator[Session, None, None]:
            with Session(engine) as session:
                yield session
        async def stream() -> AsyncIterator["models.Row"]:
            yield Row()
            received = yield other
        def bare():
            yield
        def none() -> None:
            pass
        def router_class() -> type[APIRouter]:
            pass
        def typed() -> typing.Type["Base"]:
            pass
        def kind(value) -> type:
            pass
    """)
    functions = {f.name: (f.annotation, f.yields) for f in result.functions}
    assert functions == {
        "router_class": ("APIRouter", ()),  # gives the class (or a subclass)
        "typed": ("Base", ()),
        "kind": ("type", ()),
        "make": ("Service", ()),
        "pairs": ("Iterator", ()),  # not a generator: the iterator is what it returns
        "get_db": ("Session", ("session",)),
        "stream": ("models.Row", ("Row()", "other")),
        "bare": ("", ()),
        "none": ("", ()),
    }


def test_assignments_to_names_and_to_attributes_of_self() -> None:
    (cls,) = facts("""
        class Service:
            def __init__(self, repo: Repo, engine):
                self.repo = repo
                self.client = httpx.Client(timeout=3)
                self.session: Session = make(engine)
                self.count = 0
                self.http = http or requests.Session()
                self.name = name or "default"
                other.repo = repo
                self.cache[key] = repo
                first, second = pair()
            async def run(self):
                job = await self.queue.get()
                with open(path) as handle, lock:
                    data: bytes = handle.read()
                def inner():
                    found = lookup()
                return job
    """).classes
    init, run = cls.methods
    assert init.assigned == (
        ("self.repo", "", "repo"), ("self.client", "", "httpx.Client()"),
        ("self.session", "Session", "make()"), ("self.http", "", "requests.Session()"))
    assert run.assigned == (
        ("job", "", "self.queue.get()"), ("handle", "", "open()"),
        ("data", "bytes", "handle.read()"), ("found", "", "lookup()"))


def test_dependencies_injected_into_parameters() -> None:
    result = facts("""
        SessionDep = Annotated[Session, Depends(get_db)]
        Plain = Annotated[int, "meta"]
        def route(db: Session = Depends(get_db), *, user: Annotated[User, Depends(deps.current)],
                  page: Annotated[int, Query(ge=1)] = 1, form=Depends(), limit: int = 10,
                  flag=None):
            pass
    """)
    assert result.functions[0].injected == (
        ("db", "Depends(get_db)"), ("user", "Depends(deps.current)"), ("page", "Query()"),
        ("form", "Depends()"))
    assert [(v.name, v.value, v.items) for v in result.variables] == [
        ("SessionDep", "Session", ("Depends(get_db)",)), ("Plain", "int", ())]


def test_class_level_annotations() -> None:
    (cls,) = facts("""
        @dataclass
        class Handler:
            repo: OrderRepository
            cache: Optional[Cache] = None
            limit = 3
            hooks: ClassVar[list[str]] = []
    """).classes
    assert cls.annotations == (("repo", "OrderRepository"), ("cache", "Cache"), ("hooks", "list"))


def test_assignments_to_attributes_of_other_objects() -> None:
    found = extract_python(textwrap.dedent("""
        import sys
        sys.excepthook = report
        def main():
            threading.excepthook = report
            self.x = 1
            cls.y = 2
            local = 3
            a.b.c = None
        class Box:
            def put(self):
                self.item = 1
    """).encode()).attribute_sets
    assert [tuple(a) for a in found] == [
        ("sys.excepthook", "report", 3, ""),
        ("threading.excepthook", "report", 5, "main"),
        ("a.b.c", "None", 9, "main"),
    ]


def test_writes_to_containers_and_global_names() -> None:
    result = facts("""
        _SESSIONS = {}
        counter = 0
        def login(token, user, seen):
            _SESSIONS[token] = user
            _SESSIONS[token.upper()] = compute()
            _CACHE.setdefault(token, [])[0] = user
            state.hits[token] += 1
            del _PENDING[token]
            global counter
            counter += 1
            seen[token] = 1
            local = {}
            local[token] = 1
            total = 0
            total += 1
            first, rest = {}, []
            first["a"] = 1
            for row in rows:
                row["seen"] = True
            with open(token) as handle:
                handle[0] = 1
            def inner():
                local["x"] = 1
                _INNER[token] = 1
            # _COMMENT[token] = 1
            return "_STRING[token] = 1"
        class Store:
            def put(self, key, value):
                self.items[key] = value
                _REGISTRY[key] = value
    """)
    login = result.functions[0]
    assert login.writes == (
        ("_SESSIONS[]", 4), ("_CACHE[]", 6), ("state.hits[]", 7), ("_PENDING[]", 8),
        ("counter", 10), ("_INNER[]", 24))
    assert result.classes[0].methods[0].writes == (("_REGISTRY[]", 30),)
    # A parameter stored by item is still a store, as the registry pattern reads them.
    assert login.stores == ("_SESSIONS[]", "_CACHE[]")


def test_augmenting_a_name_not_declared_global_is_no_write() -> None:
    (function,) = facts("""
        counter = 0
        def count():
            counter = 0
            counter += 1
            return counter
    """).functions
    assert function.writes == ()


def test_nested_literal_settings_are_spelled_out() -> None:
    result = facts("""
        import os
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates",
             "OPTIONS": {"autoescape": False, "context_processors": ["a.b"], "debug": DEBUG}},
            *EXTRA,
        ]
        CACHES = {"default": {"BACKEND": os.environ["CACHE"], "TIMEOUT": -30, 1: "no"},
                  **OTHER}
        log_config = {"formatters": {"json": {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"}}}
        INSTALLED_APPS = ["a", "b"]
        PAIRS = (("a", 1.5), ("b", None))
        TIMEOUT = 30
        # NOTES = {"a": {"b": 1}}
    """)
    entries = {c.name: c.entries for c in (*result.constants, *result.variables)}
    assert entries == {
        "TEMPLATES": (
            ((0, "BACKEND"), "django.template.backends.django.DjangoTemplates"),
            ((0, "OPTIONS", "autoescape"), False),
            ((0, "OPTIONS", "context_processors", 0), "a.b"),
            ((0, "OPTIONS", "debug"), None),
            ((1,), None)),
        "CACHES": ((("default", "BACKEND"), None), (("default", "TIMEOUT"), -30)),
        "log_config": ((("formatters", "json", "()"),
                        "pythonjsonlogger.jsonlogger.JsonFormatter"),),
        "INSTALLED_APPS": (),
        "PAIRS": (((0, 0), "a"), ((0, 1), 1.5), ((1, 0), "b"), ((1, 1), None)),
        "TIMEOUT": (),
    }


def test_nested_literal_entries_are_bounded() -> None:
    from syspatterns.extract.facts import ENTRIES_DEPTH, ENTRIES_LIMIT

    items = ", ".join(f'"k{i}": {{"v": {i}}}' for i in range(ENTRIES_LIMIT + 50))
    deep = "{'a': " * (ENTRIES_DEPTH + 2) + "1" + "}" * (ENTRIES_DEPTH + 2)
    wide, nested = facts(f"WIDE = {{{items}}}\nDEEP = {deep}\n").constants
    assert len(wide.entries) == ENTRIES_LIMIT
    assert wide.entries[-1] == ((f"k{ENTRIES_LIMIT - 1}", "v"), ENTRIES_LIMIT - 1)
    assert nested.entries == ((("a",) * ENTRIES_DEPTH, None),)


def test_pairs_of_strings_and_names_in_lists_assigned_or_passed() -> None:
    result = facts("""
        from web import url, Application
        routes = [
            (r"/", views.Home, {"a": 1}),
            url(r"/users/(\\d+)", Users, name="users"),
            ("/plain", "not a name"),
            (Home, "/reversed"),
            other(r"/other", Home),
        ] + [(f"/{PREFIX}/about", About)]
        pairs = (("a", b),)
        def make_app(extra):
            local = [("/local", Local)]
            local += [("/more", More)]
            return Application([("/inline", Inline)], default=[("/kw", Keyword)])
        single = ("/alone", Alone)
    """)
    assert [tuple(p) for p in result.pairs] == [
        ("'/'", "views.Home", "", 3, ""),
        ("'/users/(\\\\d+)'", "Users", "url", 4, ""),
        ("'/{PREFIX}/about'", "About", "", 8, ""),
        ("'a'", "b", "", 9, ""),
        ("'/local'", "Local", "", 11, "make_app"),
        ("'/more'", "More", "", 12, "make_app"),
        ("'/inline'", "Inline", "", 13, "make_app"),
        ("'/kw'", "Keyword", "", 13, "make_app"),
    ]


def test_nested_literals_given_to_attributes_items_and_keywords() -> None:
    result = facts("""
        app.conf.beat_schedule = {"nightly": {"task": "a.b", "schedule": crontab()}}
        app.conf.beat_schedule["ping"] = {"task": "a.ping", "args": (1,)}
        SCHEDULE["extra"] = {"task": "a.extra"}
        app.conf.update(beat_schedule={"again": {"task": "a.c"}}, timezone="UTC")
        app.conf.flat = 1
        def configure(celery, data):
            celery.conf.update(beat_schedule={"later": {"task": "a.d"}})
            celery.conf.items["x"] = {"task": "a.e"}
            data["key"] = {"not": "kept"}
            self.schedule = {"not": "kept"}
            other.update(options={"not": "recorded"})
    """)
    assert [tuple(literal) for literal in result.literals] == [
        ("app.conf.beat_schedule", ((("nightly", "task"), "a.b"),
                                    (("nightly", "schedule"), None)), 1, ""),
        ("app.conf.beat_schedule", ((("ping", "task"), "a.ping"), (("ping", "args", 0), 1)),
         2, ""),
        ("SCHEDULE", ((("extra", "task"), "a.extra"),), 3, ""),
        ("app.conf.update()", ((("beat_schedule", "again", "task"), "a.c"),), 4, ""),
        ("celery.conf.update()", ((("beat_schedule", "later", "task"), "a.d"),), 7,
         "configure"),
        ("celery.conf.items", ((("x", "task"), "a.e"),), 8, "configure"),
    ]


def test_http_caching_headers_set_by_name_or_in_headers_dicts() -> None:
    result = facts("""
        def view(request):
            response = HttpResponse("x", headers={"Cache-Control": "max-age=60", "X-A": "b"})
            response["cache-control"] = f"max-age={AGE}"
            response.headers["ETag"] = digest(body)
            response["X-Frame-Options"] = "DENY"
            response[name] = "no-store"
            response.headers.update(Vary="Cookie")
            other = Client(headers=common)
            # response["Expires"] = "0"
            return "response['Last-Modified'] = x"
        DEFAULT = Response(headers={"Vary": "Accept"})
    """)
    assert [tuple(h) for h in result.headers] == [
        ("Cache-Control", "'max-age=60'", "HttpResponse()", 2, "view"),
        ("cache-control", "'max-age={AGE}'", "response", 3, "view"),
        ("ETag", "digest()", "response.headers", 4, "view"),
        ("Vary", "'Accept'", "Response()", 11, ""),
    ]


def test_client_factory_calls_keep_their_arguments_in_functions() -> None:
    result = facts("""
        import boto3
        def storage():
            s3 = boto3.client("s3")
            queue = boto3.Session().resource(service_name="sqs")
            other = get_client("s3")
            self.client.get("s3")
            retried = boto3.client("s3", config=retry_config)  # retry
            return "boto3.client('dynamodb')"
    """)
    assert [(c.callee, c.line, c.scope, c.args, c.keywords) for c in result.calls] == [
        ("boto3.client", 3, "storage", ("'s3'",), ()),
        ("boto3.Session.resource", 4, "storage", (), (("service_name", "'sqs'"),)),
        ("boto3.client", 7, "storage", ("'s3'",), (("config", "retry_config"),)),
    ]


def test_watched_lines_hold_a_watched_word_as_a_whole_word() -> None:
    source = (b"eval(x)\n3eval eval3 _eval eval_ evaluate\nx = os.environ  # getenv\n"
              b"\r\nprint(1)\n(eval)")
    assert _watched_lines(source) == [1, 3, 6]
    assert _watched_lines(b"evaluate = retrying\n") == []


def test_call_walks_find_the_calls_in_the_orders_the_facts_depend_on() -> None:
    """Depth first with the last child first (as popping children pushed in order), and
    breadth first as :func:`ast.walk`, on every statement of a real module."""
    def stack_order(roots: list[ast.AST]) -> list[ast.AST]:
        found, stack = [], list(roots)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Call):
                found.append(node)
            stack.extend(ast.iter_child_nodes(node))
        return found

    source = Path(__file__).parent.parent.joinpath(
        "src", "syspatterns", "extract", "python.py").read_text()
    source += textwrap.dedent("""
        @route(f"/{a(b)}", methods=g(*h(i), **j(k)))
        async def view(x: Annotated[T, Depends(d(e))] = f(g), *, y=z(w)) -> r(s):
            v = [p(q) for q in await t(u) if c(q)][s(1):s(2)] or {**m(n), o(): None}
            x.y = z[w(1)] = q(r)
            for k, v in items(x): pass
            with open(x) as f, lock(): pass
            try: pass
            except (E(1), F) as e: pass
        class C(B(b), metaclass=M(m)): x = lambda y=d(): y(e)
    """)
    checked = 0
    for stmt in ast.walk(ast.parse(source)):
        if isinstance(stmt, ast.stmt):
            roots = _own_expressions(stmt)
            assert _calls_in(stmt, type(stmt)) == stack_order(roots)
            assert _calls_breadth_first(roots) == [
                node for root in roots for node in ast.walk(root) if isinstance(node, ast.Call)]
            checked += bool(_calls_in(stmt, type(stmt)))
    assert checked > 100


def test_extraction_leaves_no_reference_cycles() -> None:
    # Worker processes parse with the garbage collector off: whatever a file's extraction
    # leaves in a cycle stays in memory until the process ends.
    source = textwrap.dedent("""
        import os
        class Service(Base):
            attribute = Thing()
            def run(self, items):
                for item in items:
                    self.cache[item] = os.environ.get(item)
                def inner():
                    return helper(items)
                return inner
        def main():
            with open("f") as handle:
                return Service().run(handle)
        if __name__ == "__main__":
            main()
    """).encode()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        facts = extract_python(source)
        assert facts.classes and facts.functions
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
