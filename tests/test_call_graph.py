"""The static call graph: what a call written in a function refers to."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.analysers.data_flow.entries import call_graph
from syspatterns.model import SystemModel
from syspatterns.model.calls import CallGraph, Target

Analyse = Callable[..., SystemModel]

FILES = {
    "app/__init__.py": "",
    "app/models/__init__.py": "from app.models.user import User\n",
    "app/models/user.py": """
        from django.db import models

        class Base(models.Model):
            def touch(self):
                return 1

        class User(Base):
            def rename(self, name):
                self.touch()
                self.save()
                self.missing()
    """,
    "app/factory.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            return app

        app = create_app()
    """,
    "app/service.py": """
        from pathlib import Path
        from app.models import User
        from app import factory

        def run(user: User, raw):
            user.rename("x")
            fresh = User()
            fresh.touch()
            with Path("x") as p:
                p.write_text("y")
            factory.app.run()
            raw.anything()
            helper()
            len(raw)

        def helper():
            pass
    """,
}


def _resolve(graph: CallGraph, function: str, callee: str) -> Target:
    return graph.resolve(graph.functions[function], callee)


def test_calls_resolve_through_imports_types_and_hierarchy(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(FILES))
    run = "app.service.run"
    # a parameter's annotation, through the package's re-export
    assert _resolve(graph, run, "user.rename") == Target("function", "app.models.user.User.rename")
    # a local ``x = Class()``, the method found on a base class
    assert _resolve(graph, run, "fresh.touch") == Target("function", "app.models.user.Base.touch")
    # ``with Path(...) as p``: the standard library's type
    assert _resolve(graph, run, "p.write_text") == Target("external", "pathlib.Path.write_text")
    # a module variable made by a factory that returns ``Flask(...)``
    assert _resolve(graph, run, "factory.app.run") == Target("external", "flask.Flask.run")
    assert _resolve(graph, run, "helper") == Target("function", "app.service.helper")
    assert _resolve(graph, run, "len") == Target("external", "builtins.len")
    assert _resolve(graph, run, "raw.anything") == Target("unresolved", "raw.anything")
    assert _resolve(graph, run, "nowhere") == Target("unresolved", "nowhere")


def test_self_calls_use_the_class_then_its_external_base(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(FILES))
    rename = "app.models.user.User.rename"
    assert _resolve(graph, rename, "self.touch") == Target("function", "app.models.user.Base.touch")
    assert _resolve(graph, rename, "self.save") == Target(
        "external", "django.db.models.Model.save")
    assert _resolve(graph, rename, "self.missing") == Target(
        "external", "django.db.models.Model.missing")
    assert graph.is_subclass("app.models.user.User", frozenset({"django.db.models.Model"}))
    assert not graph.is_subclass("app.models.user.User", frozenset({"flask.Flask"}))


def test_a_call_on_a_function_keeps_the_attribute(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo({
        "t/__init__.py": "",
        "t/jobs.py": "def send():\n    pass\n\ndef go():\n    send.delay()\n",
    }))
    assert _resolve(graph, "t.jobs.go", "send.delay") == Target("function", "t.jobs.send", "delay")


RESULTS = {
    "svc/__init__.py": "",
    "svc/core.py": """
        from functools import lru_cache
        from celery import shared_task

        class Service:
            def handle(self, x):
                pass

        def get_service() -> Service:
            return Service()

        @lru_cache
        def get_cached() -> Service:
            return Service()

        @shared_task
        def send(x):
            return Service()

        def flagged():
            return Service()

        def unknown():
            return make()

        flagged.handle = print
    """,
    "svc/app.py": """
        from svc import core
        from svc.core import flagged, get_cached, get_service, send, unknown

        def run(x):
            get_service().handle(x)
            core.get_service().handle(x)
            get_cached().handle(x)
            get_cached.cache_clear()
            send(x)
            send.delay(x)
            flagged().handle(x)
            unknown().handle(x)
            get_service().__init__()

        def attribute_only():
            get_service.handle(1)
    """,
}


def test_a_call_on_what_a_function_returns_is_told_from_its_attribute(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(RESULTS))
    run = "svc.app.run"
    handle = Target("function", "svc.core.Service.handle")
    # ``get_service().handle(x)`` is written ``get_service.handle`` in the facts: the function
    # is called in the same body and a plain function has no attribute ``handle``
    assert _resolve(graph, run, "get_service.handle") == handle
    assert _resolve(graph, run, "core.get_service.handle") == handle
    # ``lru_cache`` keeps the function's calls; ``cache_clear`` is the wrapper's own
    assert _resolve(graph, run, "get_cached.handle") == handle
    assert _resolve(graph, run, "get_cached.cache_clear") == Target(
        "function", "svc.core.get_cached", "cache_clear")
    # a Celery task has attributes of its own: ``send.delay`` stays the task's, though the
    # body calls ``send(x)`` too
    assert _resolve(graph, run, "send.delay") == Target("function", "svc.core.send", "delay")
    # an attribute set on the function, a dunder: the function's own
    assert _resolve(graph, run, "flagged.handle") == Target(
        "function", "svc.core.flagged", "handle")
    assert _resolve(graph, run, "get_service.__init__") == Target(
        "function", "svc.core.get_service", "__init__")
    # what ``unknown`` returns is not known: unresolved, not its attribute
    assert _resolve(graph, run, "unknown.handle") == Target("unresolved", "unknown.handle")
    # the function is not called in this body: ``get_service.handle`` is its attribute
    assert _resolve(graph, "svc.app.attribute_only", "get_service.handle") == Target(
        "function", "svc.core.get_service", "handle")


INSTANCES = {
    "shop/__init__.py": "",
    "shop/ports.py": """
        class OrderRepository:
            def save(self, order):
                raise NotImplementedError
    """,
    "shop/service.py": """
        from dataclasses import dataclass
        import httpx
        from sqlalchemy.orm import Session
        from shop.ports import OrderRepository

        class Service:
            def __init__(self, repo: OrderRepository, engine, untyped):
                self.repo = repo
                self.client = httpx.Client()
                self.session = Session(engine)
                self.untyped = untyped
                self.later: OrderRepository | None = None

            def place(self, order):
                self.repo.save(order)
                self.client.get("https://example.com")
                self.session.add(order)
                self.untyped.save(order)
                self.later.save(order)
                self.missing.save(order)

        class Child(Service):
            def again(self, order):
                self.repo.save(order)

        @dataclass
        class Handler:
            repo: OrderRepository

            def handle(self, order):
                self.repo.save(order)

        class Other:
            def __init__(self, repo: OrderRepository):
                elsewhere = object()
                elsewhere.repo = repo

            def handle(self, order):
                self.repo.save(order)
    """,
}


def test_instance_attributes_are_typed_where_the_instance_gets_them(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(INSTANCES))
    place = "shop.service.Service.place"
    save = Target("function", "shop.ports.OrderRepository.save")
    # ``self.repo = repo`` of an annotated parameter of ``__init__``
    assert _resolve(graph, place, "self.repo.save") == save
    # ``self.client = httpx.Client()``, ``self.session = Session(engine)``: external types
    assert _resolve(graph, place, "self.client.get") == Target("external", "httpx.Client.get")
    assert _resolve(graph, place, "self.session.add") == Target(
        "external", "sqlalchemy.orm.Session.add")
    # ``self.later: OrderRepository | None = None``: the annotation
    assert _resolve(graph, place, "self.later.save") == save
    # set in a base class's ``__init__``; a class-level annotation (a dataclass field)
    assert _resolve(graph, "shop.service.Child.again", "self.repo.save") == save
    assert _resolve(graph, "shop.service.Handler.handle", "self.repo.save") == save
    # an unannotated parameter, an attribute never set, one set on another object
    assert _resolve(graph, place, "self.untyped.save").kind == "unresolved"
    assert _resolve(graph, place, "self.missing.save").kind == "unresolved"
    assert _resolve(graph, "shop.service.Other.handle", "self.repo.save").kind == "unresolved"


RETURNS = {
    "svc/__init__.py": "",
    "svc/core.py": """
        from typing import Self
        import httpx

        class Service:
            @classmethod
            def create(cls) -> Self:
                return cls()

            @classmethod
            def build(cls):
                return cls()

            def chain(self):
                return self

            def run(self):
                pass

            def client(self) -> httpx.Client:
                return self._client

        def make_service() -> Service:
            return build()

        def make_from_body():
            service = Service()
            return service

        def make_unknown():
            return registry[0]

        def make_nothing() -> None:
            pass

        def loop():
            node = node.next()
            return node
    """,
    "svc/app.py": """
        from svc.core import Service, make_from_body, make_nothing, make_service, make_unknown
        from svc import core

        async def main():
            annotated = make_service()
            from_body = make_from_body()
            through_module = core.make_service()
            built = Service.create()
            awaited = await make_service()
            unknown = make_unknown()
            nothing = make_nothing()
            annotated.run()
            from_body.run()
            through_module.run()
            built.run()
            awaited.run()
            unknown.run()
            nothing.run()
            built.client().get("/")
            core.loop().run()
    """,
}


def test_locals_take_the_type_a_function_returns(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(RETURNS))
    run = Target("function", "svc.core.Service.run")
    main = "svc.app.main"
    for name in ("annotated", "from_body", "through_module", "built", "awaited"):
        assert _resolve(graph, main, f"{name}.run") == run, name
    # what methods give: ``cls()``, ``self``, an annotation (``built.client().get()``)
    assert _resolve(graph, main, "Service.build.run") == run
    assert _resolve(graph, main, "built.chain.run") == run
    assert _resolve(graph, main, "built.client.get") == Target("external", "httpx.Client.get")
    # nothing tells what these give; a cycle (``node = node.next()``) ends unresolved
    assert _resolve(graph, main, "unknown.run").kind == "unresolved"
    assert _resolve(graph, main, "nothing.run").kind == "unresolved"
    assert _resolve(graph, "svc.core.loop", "node.next").kind == "unresolved"
    # ``core.loop().run()``: a call on what ``loop`` returns, which nothing tells
    assert _resolve(graph, main, "core.loop.run") == Target("unresolved", "core.loop.run")


GENERATORS = {
    "db/__init__.py": "",
    "db/session.py": """
        from collections.abc import Iterator
        from contextlib import contextmanager
        from sqlalchemy.orm import Session

        @contextmanager
        def session_scope() -> Iterator[Session]:
            yield make()

        def get_db():
            with Session(engine) as session:
                yield session

        def numbers():
            yield 1

        def save(order):
            with session_scope() as session:
                session.add(order)
            for db in get_db():
                db.add(order)
            with numbers() as n:
                n.add(order)
    """,
}


def test_what_a_generator_yields_is_what_with_hands_over(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(GENERATORS))
    save = "db.session.save"
    assert _resolve(graph, save, "session.add") == Target(
        "external", "sqlalchemy.orm.Session.add")
    get_db = graph.functions["db.session.get_db"]
    assert graph.returned_type(get_db) == "sqlalchemy.orm.Session"  # from ``yield session``
    assert _resolve(graph, save, "db.add").kind == "unresolved"  # a loop target is not typed
    assert _resolve(graph, save, "n.add").kind == "unresolved"  # yields a literal


DEPENDS = {
    "api/__init__.py": "",
    "api/deps.py": """
        from typing import Annotated
        from fastapi import Depends
        from api.models import User

        def get_current_user() -> User:
            return load()

        CurrentUser = Annotated[User, Depends(get_current_user)]
    """,
    "api/models.py": """
        class User:
            def rename(self, name):
                pass
    """,
    "api/routes.py": """
        from typing import Annotated
        from fastapi import Depends
        from api import deps
        from api.deps import CurrentUser, get_current_user
        from api.models import User

        def Provide(dependency):
            return dependency

        def by_default(user=Depends(get_current_user)):
            user.rename("x")

        def by_alias(user: CurrentUser, other=Depends(deps.get_current_user)):
            user.rename("x")
            other.rename("y")

        def not_injected(user=Provide(get_current_user)):
            user.rename("x")

        def by_class(user: Annotated[User, Depends()]):
            user.rename("x")
    """,
}


def test_injected_dependencies_type_their_parameters(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(DEPENDS))
    rename = Target("function", "api.models.User.rename")
    assert _resolve(graph, "api.routes.by_default", "user.rename") == rename
    assert _resolve(graph, "api.routes.by_alias", "user.rename") == rename
    assert _resolve(graph, "api.routes.by_alias", "other.rename") == rename
    by_alias = graph.functions["api.routes.by_alias"]
    assert graph.dependencies(by_alias) == {"user": ["api.deps.get_current_user"],
                                            "other": ["api.deps.get_current_user"]}
    # ``Provide`` is not an injector: its argument is not a dependency
    not_injected = graph.functions["api.routes.not_injected"]
    assert graph.dependencies(not_injected) == {}
    assert _resolve(graph, "api.routes.not_injected", "user.rename").kind == "unresolved"
    # ``Depends()`` makes the annotated class: no function of the repository runs
    assert graph.dependencies(graph.functions["api.routes.by_class"]) == {}
    assert _resolve(graph, "api.routes.by_class", "user.rename") == rename


def test_cls_instantiates_the_class(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(RETURNS))
    assert _resolve(graph, "svc.core.Service.create", "cls") == Target("class", "svc.core.Service")
    assert _resolve(graph, "svc.core.Service.run", "self").kind == "unresolved"


def test_calling_a_factory_instance_makes_its_product(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo({
        "db/__init__.py": "",
        "db/session.py": """
            from sqlalchemy.orm import sessionmaker
            from db.other import Maker

            SessionLocal = sessionmaker(bind=None)
            maker = Maker()

            class Handler:
                def __call__(self, event):
                    pass

            def get_db():
                db = SessionLocal()
                try:
                    yield db
                finally:
                    db.close()

            def use(handler: Handler):
                made = maker()
                made.close()
                handler(1)
        """,
        "db/other.py": """
            class Maker:
                pass
        """,
    }))
    get_db, use = "db.session.get_db", "db.session.use"
    assert _resolve(graph, get_db, "SessionLocal") == Target("external", "sqlalchemy.orm.Session")
    assert _resolve(graph, get_db, "db.close") == Target(
        "external", "sqlalchemy.orm.Session.close")
    assert graph.returned_type(graph.functions[get_db]) == "sqlalchemy.orm.Session"
    # a repository class's ``__call__``; an instance that is not callable stays unresolved
    assert _resolve(graph, use, "handler") == Target("function", "db.session.Handler.__call__")
    assert _resolve(graph, use, "maker").kind == "unresolved"
    assert _resolve(graph, use, "made.close").kind == "unresolved"


PORTS = {
    "shop/__init__.py": "",
    "shop/ports.py": """
        from abc import ABC, abstractmethod
        from typing import Protocol

        class OrderRepository(Protocol):
            def add(self, order): ...

            def get(self, order_id): ...

        class Notifier(ABC):
            @abstractmethod
            def notify(self, order): ...

        class Clock:
            def now(self):
                return 0
    """,
    "shop/storage.py": """
        from sqlalchemy.orm import Session
        from shop.ports import Clock, Notifier

        class SqlOrderRepository:
            def __init__(self, session: Session):
                self.session = session

            def add(self, order):
                self.session.add(order)

            def get(self, order_id):
                return self.session.get(order_id)

        class FileOrderRepository:
            def add(self, order):
                pass

            def get(self, order_id):
                pass

        class AppendOnlyRepository:
            def add(self, order):
                pass

        class MailNotifier(Notifier):
            def notify(self, order):
                pass

        class DuckNotifier:
            def notify(self, order):
                pass

        class FrozenClock(Clock):
            def now(self):
                return 1
    """,
    "shop/service.py": """
        from shop.ports import Clock, Notifier, OrderRepository

        class OrderService:
            def __init__(self, orders: OrderRepository, notifier: Notifier, clock: Clock):
                self.orders = orders
                self.notifier = notifier
                self.clock = clock

            def place(self, order):
                self.orders.add(order)
                self.notifier.notify(order)
                self.clock.now()
    """,
    "shop/container.py": """
        from sqlalchemy.orm import Session
        from shop.service import OrderService
        from shop.storage import FrozenClock, MailNotifier, SqlOrderRepository

        service = OrderService(SqlOrderRepository(Session()), notifier=MailNotifier(),
                               clock=FrozenClock())
    """,
}
PLACE = "shop.service.OrderService.place"


def _with(container: str, **more: str) -> dict[str, str]:
    return {**PORTS, "shop/container.py": container, **more}


def test_a_port_attribute_reaches_the_one_class_constructed_for_it(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(PORTS))
    # a protocol: the one class passed (positionally) has every method it declares
    assert _resolve(graph, PLACE, "self.orders.add") == Target(
        "function", "shop.storage.SqlOrderRepository.add", port="shop.ports.OrderRepository")
    # an abstract class (by keyword): a subclass passed
    assert _resolve(graph, PLACE, "self.notifier.notify") == Target(
        "function", "shop.storage.MailNotifier.notify", port="shop.ports.Notifier")
    # a concrete class is no port: the annotation is what the call reaches
    assert _resolve(graph, PLACE, "self.clock.now") == Target("function", "shop.ports.Clock.now")


def test_an_abstract_port_needs_a_subclass(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(_with("""
        from shop.service import OrderService
        from shop.storage import DuckNotifier

        service = OrderService(None, DuckNotifier(), None)
    """)))
    # the methods match, but only a protocol is structural
    assert _resolve(graph, PLACE, "self.notifier.notify") == Target(
        "function", "shop.ports.Notifier.notify")


CONSTRUCTED = """
    from sqlalchemy.orm import Session
    from shop.service import OrderService
    from shop.storage import MailNotifier, SqlOrderRepository, FrozenClock
    {imports}

    first = OrderService(SqlOrderRepository(Session()), MailNotifier(), FrozenClock())
    {second}
"""


@pytest.mark.parametrize(("imports", "second", "reached"), [
    # every construction passes the same class
    ("", "other = OrderService(SqlOrderRepository(None), MailNotifier(), FrozenClock())",
     "shop.storage.SqlOrderRepository.add"),
    ("repository = SqlOrderRepository(None)",
     "other = OrderService(orders=repository, notifier=MailNotifier(), clock=None)",
     "shop.storage.SqlOrderRepository.add"),
    # two classes passed for the same parameter
    ("from shop.storage import FileOrderRepository",
     "other = OrderService(FileOrderRepository(), MailNotifier(), FrozenClock())",
     "shop.ports.OrderRepository.add"),
    # a class that lacks a method of the protocol
    ("from shop.storage import AppendOnlyRepository",
     "first = OrderService(AppendOnlyRepository(), MailNotifier(), FrozenClock())",
     "shop.ports.OrderRepository.add"),
    # a construction in a function: the facts do not keep its arguments
    ("", "def build(session):\n        return OrderService(SqlOrderRepository(session), "
     "MailNotifier(), FrozenClock())", "shop.ports.OrderRepository.add"),
    # an argument that is not an instance made there
    ("", "other = OrderService(make_repository(), MailNotifier(), FrozenClock())",
     "shop.ports.OrderRepository.add"),
    # the class handed on as a value, which something else constructs
    ("from fastapi import Depends",
     "def handler(service=Depends(OrderService)):\n        pass",
     "shop.ports.OrderRepository.add"),
    ("from typing import Annotated\n    from fastapi import Depends",
     "def handler(service: Annotated[OrderService, Depends()]):\n        pass",
     "shop.ports.OrderRepository.add"),
    ("", "Factory = OrderService", "shop.ports.OrderRepository.add"),
    # a subclass constructs through the same ``__init__``
    ("", "class AuditedService(OrderService):\n        pass",
     "shop.ports.OrderRepository.add"),
])
def test_a_port_attribute_keeps_the_port_unless_one_class_is_certain(
        analyse_repo: Analyse, imports: str, second: str, reached: str) -> None:
    container = CONSTRUCTED.replace("{imports}", imports).replace("{second}", second)
    graph = call_graph(analyse_repo(_with(container)))
    target = _resolve(graph, PLACE, "self.orders.add")
    assert target.name == reached
    assert target.port == ("shop.ports.OrderRepository" if reached.startswith(
        "shop.storage") else "")


def test_spellings_are_last_segments_and_the_names_they_are_imported_under(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo({
        "app/__init__.py": "",
        "app/compat.py": "from django.urls import path as route\n",
        "app/urls.py": "from app.compat import route as r\n",
    }))
    assert graph.spellings({"django.urls.path", "fastapi.APIRouter.get"}) == {
        "path", "route", "r", "get"}
    # calling an object gives a factory's product or ``__call__``: any call may
    assert graph.spellings({"sqlalchemy.orm.Session"}) is None
    assert graph.spellings({"app.Handler.__call__"}) is None


def test_classes_below_an_external_base(analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(FILES))
    assert graph.subclasses("app.models.user.Base") == ["app.models.user.User"]
    assert graph.below({"django.db.models.Model"}) == {
        "app.models.user.Base", "app.models.user.User"}
    assert graph.below({"django.views.View"}) == set()


PASSED = {
    "web/__init__.py": "",
    "web/routes.py": """
        def setup_routes(app):
            app.router.add_get("/", index)

        def index(request):
            return request
    """,
    "web/main.py": """
        from aiohttp import web
        from web.routes import setup_routes

        def main():
            app = web.Application()
            setup_routes(app)
            web.run_app(app)
    """,
    "web/store.py": """
        from sqlalchemy.orm import Session
        from web.models import Item

        def save(session, item, label):
            session.add(item)
            item.touch()
            label.upper()

        def add_twice(db: Session, other: str):
            save(db, Item(), other)
            save(session=db, item=Item(), label=1)
    """,
    "web/models.py": """
        class Item:
            def touch(self):
                pass

        class Other:
            def touch(self):
                pass
    """,
    "web/mixed.py": """
        from web.models import Item, Other

        def touch(thing):
            thing.touch()

        def first():
            item = Item()
            touch(item)

        def second():
            other = Other()
            touch(other)

        def relay(value):
            forward(value)

        def forward(value):
            value.touch()

        def start():
            relay(Item())

        def inner_only(thing):
            thing.touch()

        def outer():
            item = Item()
            def nested():
                inner_only(item)
            nested()
    """,
    "web/module_level.py": """
        from web.models import Item

        def register(entry):
            entry.touch()

        ITEM = Item()
        register(ITEM)
    """,
}


def test_an_unannotated_parameter_takes_the_type_every_call_passes(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(PASSED))
    # ``setup_routes(app)`` after ``app = web.Application()``
    assert _resolve(graph, "web.routes.setup_routes", "app.router.add_get") == Target(
        "external", "aiohttp.web.Application.router.add_get")
    # by position and by keyword alike, from an annotated parameter of the caller
    assert _resolve(graph, "web.store.save", "session.add") == Target(
        "external", "sqlalchemy.orm.Session.add")
    # one call passes ``Item()``, an expression the facts do not keep: not typed
    assert _resolve(graph, "web.store.save", "item.touch").kind == "unresolved"
    # the calls pass a parameter and a literal
    assert _resolve(graph, "web.store.save", "label.upper").kind == "unresolved"
    # a module-level call passes a module variable
    assert _resolve(graph, "web.module_level.register", "entry.touch") == Target(
        "function", "web.models.Item.touch")


def test_a_parameter_passed_different_types_or_unseen_stays_unresolved(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo(PASSED))
    # ``Item`` from one caller, ``Other`` from another
    assert _resolve(graph, "web.mixed.touch", "thing.touch").kind == "unresolved"
    # the caller's own parameter is not typed from its callers in turn
    assert _resolve(graph, "web.mixed.forward", "value.touch").kind == "unresolved"
    # the only call is in a nested function, whose arguments the facts leave out
    assert _resolve(graph, "web.mixed.inner_only", "thing.touch").kind == "unresolved"
    # a function no call of the repository reaches (a route handler)
    assert _resolve(graph, "web.routes.index", "request.anything").kind == "unresolved"


def test_a_base_class_through_a_module_variable_is_what_it_holds(
        analyse_repo: Analyse) -> None:
    graph = call_graph(analyse_repo({
        "web/__init__.py": "",
        "web/ext.py": """
            from flask_sqlalchemy import SQLAlchemy

            class Registry:
                class Base:
                    def save(self):
                        pass

            db = SQLAlchemy()
            registry = Registry()
        """,
        "web/models.py": """
            from web.ext import db, registry
            Model = db.Model

            class User(db.Model):
                pass

            class Post(Model):
                pass

            class Note(registry.Base):
                pass
        """,
        "web/views.py": """
            from web.models import Note, Post, User

            def listing():
                User.query.all()
                Post.query.filter_by.first()
                Note.query.all()
        """,
    }))
    listing = "web.views.listing"
    assert _resolve(graph, listing, "User.query.all") == Target(
        "external", "flask_sqlalchemy.SQLAlchemy.Model.query.all")
    assert _resolve(graph, listing, "Post.query.filter_by.first") == Target(
        "external", "flask_sqlalchemy.SQLAlchemy.Model.query.filter_by.first")
    # an attribute of an instance of the repository's own class is kept as written
    assert graph.bases("web.models.Note") == ("web.ext.registry.Base",)
