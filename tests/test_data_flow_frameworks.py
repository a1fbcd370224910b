"""Data Flow entry points of each framework in ``knowledge/data_flow.toml``: one fixture that
is found (name, handlers, inputs, the line that registers it) and look-alikes that are not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.analysers.data_flow import DataFlowAnalyser
from syspatterns.analysers.data_flow.entries import EntryPoint, find_entry_points, rules
from syspatterns.analysers.data_flow.flows import QUEUES
from syspatterns.core.evidence import Evidence
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]


def _entries(analyse: Analyse, files: dict[str, str]) -> dict[str, EntryPoint]:
    return {e.name: e for e in find_entry_points(analyse(files))}


def _flow_text(model: SystemModel, title: str) -> str:
    section = DataFlowAnalyser().analyse(model)
    for subsection in section.subsections:
        if subsection.title.endswith(title):
            return "\n".join(f.claim for f in subsection.findings)
    raise AssertionError([s.title for s in section.subsections])


DRF = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()
    """,
    "shop/serializers.py": """
        from rest_framework import serializers
        from shop.models import Order

        class OrderSerializer(serializers.ModelSerializer):
            class Meta:
                model = Order
                fields = ["total"]
    """,
    "shop/api.py": """
        from rest_framework import viewsets
        from rest_framework.response import Response
        from shop.models import Order
        from shop.serializers import OrderSerializer

        class OrderViewSet(viewsets.ViewSet):
            serializer_class = OrderSerializer

            def list(self, request):
                orders = self._visible(Order.objects.all())
                return Response(OrderSerializer(orders, many=True).data)

            def _visible(self, orders):
                return orders

            def create(self, request):
                serializer = OrderSerializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return Response(serializer.data)

        class ProductViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
    """,
    "shop/urls.py": """
        from django.contrib import admin
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from shop.api import OrderViewSet, ProductViewSet
        from shop.models import Order

        router = DefaultRouter()
        router.register("orders", OrderViewSet)
        router.register(r"products", ProductViewSet, basename="product")
        admin.site.register(Order)

        urlpatterns = [path("api/", include(router.urls))]
    """,
}


def test_drf_viewsets_registered_on_a_router(analyse_repo: Analyse) -> None:
    model = analyse_repo(DRF)
    entries = {e.name: e for e in find_entry_points(model)}
    orders = entries["/api/orders"]
    assert (orders.kind, orders.framework) == ("HTTP route", "Django REST framework")
    assert orders.handlers == ("shop.api.OrderViewSet.list", "shop.api.OrderViewSet.create")
    assert orders.inputs == ("`request`", "`OrderSerializer` (body)")
    assert orders.evidence == Evidence("shop/urls.py", 8)
    # a viewset that inherits every action is handled by the class itself
    assert entries["/api/products"].handlers == ("shop.api.ProductViewSet",)
    steps = _flow_text(model, "/api/orders")
    assert "(and their private helper `OrderViewSet._visible`)" in steps.splitlines()[0]
    assert "`shop.api.OrderViewSet.list` uses the database through " \
        "`django.db.models.Model.objects.all`" in steps
    assert "`shop.api.OrderViewSet.create` uses the database through " \
        "`rest_framework.serializers.ModelSerializer.save`" in steps


def test_registrations_on_other_objects_are_not_drf_routes(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "shop/__init__.py": "",
        "shop/urls.py": """
            from django.contrib import admin
            from shop.plugins import Registry

            class OrderViewSet:
                def list(self, request):
                    pass

            registry = Registry()
            registry.register("orders", OrderViewSet)
            admin.site.register(OrderViewSet)
        """,
        "shop/plugins.py": """
            class Registry:
                def register(self, name, item):
                    pass
        """,
    })
    assert entries == {}


AIOHTTP = {
    "svc/__init__.py": "",
    "svc/views.py": """
        from aiohttp import web
        from svc import store

        routes = web.RouteTableDef()

        @routes.get("/items/{item_id}")
        async def item(request):
            return web.json_response(await store.load(request.match_info["item_id"]))

        async def health(request):
            return web.Response(text="ok")

        def create_app():
            app = web.Application()
            app.add_routes(routes)
            app.router.add_get("/health", health)
            return app
    """,
    "svc/store.py": """
        import aiosqlite

        async def load(item_id):
            async with aiosqlite.connect("db") as db:
                return await db.execute("select 1")
    """,
}


def test_aiohttp_route_table_and_router_registrations(analyse_repo: Analyse) -> None:
    model = analyse_repo(AIOHTTP)
    entries = {e.name: e for e in find_entry_points(model)}
    item = entries["GET /items/{item_id}"]
    assert (item.framework, item.handlers) == ("aiohttp", ("svc.views.item",))
    # the path parameter is read from the request, not taken as a parameter
    assert item.inputs == ("`request`", "`item_id` (path)")
    assert item.evidence == Evidence("svc/views.py", 6)
    health = entries["GET /health"]
    assert health.handlers == ("svc.views.health",)
    assert health.evidence == Evidence("svc/views.py", 16)
    assert "`svc.store.load` uses the database through `aiosqlite.connect`" in _flow_text(
        model, "GET /items/{item_id}")


def test_get_on_other_objects_is_not_an_aiohttp_route(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "svc/__init__.py": "",
        "svc/views.py": """
            from svc.registry import Table

            routes = Table()
            cache = {}

            @routes.get("/items")
            async def items(request):
                pass

            def setup(app):
                app.router.add_get("/health", items)
                cache.get("/health")
        """,
        "svc/registry.py": """
            class Table:
                def get(self, path):
                    return lambda f: f
        """,
    })
    assert entries == {}


def test_starlette_route_lists(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "site/__init__.py": "",
        "site/app.py": """
            from starlette.applications import Starlette
            from starlette.routing import Route, WebSocketRoute

            async def homepage(request):
                pass

            async def user(request):
                pass

            async def feed(websocket):
                pass

            def build():
                routes = [
                    Route("/", homepage),
                    Route("/users/{user_id:int}", endpoint=user, methods=["GET", "POST"]),
                    WebSocketRoute("/feed", feed),
                ]
                return Starlette(routes=routes)
        """,
    })
    assert sorted(entries) == ["/", "GET,POST /users/{user_id:int}", "WEBSOCKET /feed"]
    users = entries["GET,POST /users/{user_id:int}"]
    assert (users.framework, users.handlers) == ("Starlette", ("site.app.user",))
    assert users.inputs == ("`request`", "`user_id` (path)")
    assert users.evidence == Evidence("site/app.py", 16)


def test_a_route_class_of_another_library_is_not_starlette(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "site/__init__.py": "",
        "site/app.py": """
            from site.routing import Route

            def homepage(request):
                pass

            routes = [Route("/", homepage)]
        """,
        "site/routing.py": """
            class Route:
                def __init__(self, path, endpoint):
                    self.path = path
        """,
    })
    assert entries == {}


MOUNTED_FASTAPI = {
    "api/__init__.py": "",
    "api/v1.py": """
        from fastapi import APIRouter, FastAPI

        v1 = FastAPI()
        users = APIRouter(prefix="/users")

        @v1.get("/items")
        def items():
            pass

        @users.get("/{user_id}")
        def user(user_id: int):
            pass

        v1.include_router(users)
    """,
    "api/main.py": """
        from fastapi import FastAPI
        from api.v1 import v1

        app = FastAPI()
        app.mount("/v1", v1)
    """,
}


def test_fastapi_applications_mounted_in_another(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, MOUNTED_FASTAPI)
    assert sorted(entries) == ["GET /v1/items", "GET /v1/users/{user_id}"]
    assert entries["GET /v1/users/{user_id}"].inputs == ("`user_id: int` (path)",)


def test_an_application_mounted_in_its_factory(analyse_repo: Analyse) -> None:
    files = dict(MOUNTED_FASTAPI)
    files["api/main.py"] = """
        from fastapi import FastAPI
        from api.v1 import v1

        def create_app():
            app = FastAPI()
            app.mount("/v1", v1)
            return app
    """
    assert sorted(_entries(analyse_repo, files)) == ["GET /v1/items", "GET /v1/users/{user_id}"]


def test_mount_on_other_objects_adds_no_prefix(analyse_repo: Analyse) -> None:
    files = dict(MOUNTED_FASTAPI)
    files["api/main.py"] = """
        from api.v1 import v1
        from api.plugins import Registry

        registry = Registry()
        registry.mount("/v1", v1)
    """
    files["api/plugins.py"] = """
        class Registry:
            def mount(self, path, app):
                pass
    """
    assert sorted(_entries(analyse_repo, files)) == ["GET /items", "GET /users/{user_id}"]


NESTED_ROUTERS = {
    "api/__init__.py": "",
    "api/items.py": """
        from fastapi import APIRouter

        items = APIRouter(prefix="/items")

        @items.put("/{item_id}/archive")
        def archive(item_id: int):
            pass
    """,
    "api/routes.py": """
        from fastapi import APIRouter
        from api.items import items

        api = APIRouter(prefix="/api")
        scoped = APIRouter(prefix="/{org}")
        scoped.include_router(items, prefix="/shop")
        api.include_router(scoped, prefix="/v1")
    """,
    "api/main.py": """
        from fastapi import FastAPI
        from api.routes import api

        app = FastAPI()
        app.include_router(api, prefix="/root")
    """,
}


ROUTER_CLASS = {
    "api/__init__.py": "",
    "api/routing.py": """
        from fastapi import APIRouter as _APIRouter

        def router_class(route_class) -> type[_APIRouter]:
            class _Router(_APIRouter):
                def __init__(self, **kwargs):
                    super().__init__(route_class=route_class, **kwargs)

            return _Router

        APIRouter = router_class(None)
    """,
    "api/items.py": """
        from api.routing import APIRouter

        router = APIRouter(prefix="/items")

        @router.get("/{item_id}")
        def read_item(item_id: int):
            pass
    """,
    "api/main.py": """
        from fastapi import FastAPI
        from api import items

        app = FastAPI()
        app.include_router(items.router, prefix="/v1")
    """,
}


def test_routers_of_a_class_a_function_gives(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, ROUTER_CLASS)
    assert list(entries) == ["GET /v1/items/{item_id}"]
    route = entries["GET /v1/items/{item_id}"]
    assert (route.framework, route.handlers) == ("FastAPI", ("api.items.read_item",))
    assert route.inputs == ("`item_id: int` (path)",)


def test_routers_of_a_class_of_another_library_are_not_fastapi(analyse_repo: Analyse) -> None:
    files = dict(ROUTER_CLASS)
    files["api/routing.py"] = """
        from api.base import Router

        def router_class(route_class) -> type[Router]:
            return Router

        APIRouter = router_class(None)
    """
    files["api/base.py"] = """
        class Router:
            def __init__(self, prefix=""):
                self.prefix = prefix

            def get(self, path):
                return lambda f: f
    """
    assert _entries(analyse_repo, files) == {}


def test_nested_routers_compose_their_prefixes_outermost_first(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, NESTED_ROUTERS)
    route = "PUT /root/api/v1/{org}/shop/items/{item_id}/archive"
    assert sorted(entries) == [route]
    assert entries[route].inputs == ("`item_id: int` (path)", "`org` (path)")


def test_a_router_included_nowhere_keeps_only_its_own_prefix(analyse_repo: Analyse) -> None:
    files = dict(NESTED_ROUTERS)
    files["api/routes.py"] = """
        from fastapi import APIRouter
        from api.items import items

        api = APIRouter(prefix="/api")
        scoped = APIRouter(prefix="/{org}")
        api.include_router(scoped, prefix="/v1")
    """
    assert sorted(_entries(analyse_repo, files)) == ["PUT /items/{item_id}/archive"]


def test_each_stacked_route_decorator_is_a_route(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "site/__init__.py": "",
        "site/plugins.py": """
            class Registry:
                def route(self, rule):
                    return lambda function: function
        """,
        "site/views.py": """
            from flask import Blueprint
            from site.plugins import Registry

            pages = Blueprint("pages", __name__, url_prefix="/pages")
            registry = Registry()

            @registry.route("/hidden")
            @pages.route("/", defaults={"slug": "index"})
            @pages.route("/<path:slug>", methods=["GET", "POST"])
            def page(slug):
                pass
        """,
    })
    assert sorted(entries) == ["/pages/", "GET,POST /pages/<path:slug>"]
    assert entries["/pages/"].evidence == Evidence("site/views.py", 8)
    assert entries["GET,POST /pages/<path:slug>"].evidence == Evidence("site/views.py", 9)
    assert entries["/pages/"].handlers == ("site.views.page",)


NESTED_ROUTES = {
    "site/__init__.py": "",
    "site/plugins.py": """
        class Registry:
            def route(self, rule):
                return lambda function: function
    """,
    "site/web.py": """
        from flask import Blueprint, Flask
        from site.plugins import Registry

        pages = Blueprint("pages", __name__, url_prefix="/pages")

        class WebUI:
            def __init__(self):
                self.app = Flask(__name__)
                local = Blueprint("ui", __name__)
                registry = Registry()

                @local.route("/swarm", methods=["POST"])
                @self.auth_required
                def swarm():
                    pass

                @pages.route("/<int:page_id>")
                def page(page_id):
                    pass

                @registry.route("/hidden")
                def hidden():
                    pass

                def install():
                    @self.app.route("/deeper")
                    def deeper():
                        pass

        def create_app():
            app = Flask(__name__)

            @app.get("/health")
            def health():
                pass

            return app
    """,
}


def test_routes_of_functions_defined_in_functions(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, NESTED_ROUTES)
    assert sorted(entries) == ["/deeper", "/pages/<int:page_id>", "GET /health", "POST /swarm"]
    swarm = entries["POST /swarm"]
    assert (swarm.framework, swarm.handlers) == ("Flask", ("site.web.WebUI.__init__.swarm",))
    assert swarm.evidence == Evidence("site/web.py", 12)
    assert entries["/pages/<int:page_id>"].inputs == ("`page_id` (path)",)
    assert entries["/deeper"].handlers == ("site.web.WebUI.__init__.install.deeper",)
    assert entries["GET /health"].handlers == ("site.web.create_app.health",)


RESTX = {
    "shop/__init__.py": "",
    "shop/api/__init__.py": """
        from flask import Blueprint
        from flask_restx import Api, Resource
        from shop.api.orders import orders_ns
        from shop.api.users import users_ns

        blueprint = Blueprint("api", __name__, url_prefix="/api")
        rest = Api(blueprint, prefix="/v2")
        rest.add_namespace(orders_ns, "/orders")
        rest.add_namespace(users_ns)
        notes_ns = rest.namespace("notes")

        @notes_ns.route("/")
        class Notes(Resource):
            def get(self):
                pass
    """,
    "shop/api/base.py": """
        from flask_restx import Resource

        class Removable(Resource):
            def delete(self, order_id):
                pass
    """,
    "shop/api/orders.py": """
        from flask_restx import Namespace, Resource
        from shop.api.base import Removable

        orders_ns = Namespace("sales", description="Orders")

        @orders_ns.route("", "/all")
        class OrderList(Resource):
            def get(self):
                pass

            def post(self):
                pass

            def summary(self):
                pass

        @orders_ns.route("/<int:order_id>")
        class Order(Removable):
            def get(self, order_id):
                pass
    """,
    "shop/api/users.py": """
        from flask_restx import Namespace, Resource

        users_ns = Namespace("users", description="Users")

        @users_ns.route("/<name>")
        class User(Resource):
            def get(self, name):
                pass
    """,
}


def test_flask_restx_resources_under_their_namespaces(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, RESTX)
    assert sorted(entries) == [
        "DELETE /api/v2/orders/<int:order_id>", "GET /api/v2/notes/", "GET /api/v2/orders",
        "GET /api/v2/orders/<int:order_id>", "GET /api/v2/orders/all",
        "GET /api/v2/users/<name>", "POST /api/v2/orders", "POST /api/v2/orders/all"]
    listing = entries["POST /api/v2/orders"]
    assert (listing.kind, listing.framework) == ("HTTP route", "Flask-RESTX")
    assert listing.handlers == ("shop.api.orders.OrderList.post",)
    assert listing.evidence == Evidence("shop/api/orders.py", 6)
    removal = entries["DELETE /api/v2/orders/<int:order_id>"]
    assert removal.handlers == ("shop.api.base.Removable.delete",)
    assert removal.inputs == ("`order_id` (path)",)


def test_route_decorators_of_other_objects_make_no_resources(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "shop/__init__.py": "",
        "shop/plugins.py": """
            class Registry:
                def route(self, rule):
                    return lambda cls: cls

                def add_resource(self, cls, rule):
                    pass
        """,
        "shop/api.py": """
            from flask_restx import Resource
            from shop.plugins import Registry

            registry = Registry()

            @registry.route("/orders")
            class OrderList(Resource):
                def get(self):
                    pass

            registry.add_resource(OrderList, "/more")
        """,
    })
    assert entries == {}


def test_flask_restful_resources_added_and_decorated(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "todo/__init__.py": "",
        "todo/resources.py": """
            from flask_restful import Resource

            class TodoList(Resource):
                def get(self):
                    pass

                def post(self):
                    pass

            class Todo(Resource):
                def put(self, todo_id):
                    pass
        """,
        "todo/app.py": """
            from flask import Blueprint, Flask
            from flask_restful import Api, Resource
            from todo.resources import Todo, TodoList

            app = Flask(__name__)
            api = Api(app, prefix="/v1")
            api.add_resource(TodoList, "/todos", "/tasks")

            @api.resource("/ping")
            class Ping(Resource):
                def get(self):
                    pass

            def create_blueprint():
                blueprint = Blueprint("todo", __name__)
                local = Api(blueprint)
                local.add_resource(Todo, "/todo/<todo_id>")
                return blueprint
        """,
    })
    assert sorted(entries) == [
        "GET /v1/ping", "GET /v1/tasks", "GET /v1/todos", "POST /v1/tasks", "POST /v1/todos",
        "PUT /todo/<todo_id>"]
    todos = entries["POST /v1/todos"]
    assert (todos.framework, todos.handlers) == ("Flask-RESTful", ("todo.resources.TodoList.post",))
    assert todos.evidence == Evidence("todo/app.py", 7)
    assert entries["PUT /todo/<todo_id>"].inputs == ("`todo_id` (path)",)


STARLETTE_MOUNTS = {
    "site/__init__.py": "",
    "site/api.py": """
        from starlette.applications import Starlette
        from starlette.routing import Router

        async def items(request):
            pass

        async def users(request):
            pass

        api = Starlette()
        api.add_route("/items", items, methods=["GET"])
        admin = Router()
        admin.add_route("/users", users)
    """,
    "site/app.py": """
        from starlette.applications import Starlette
        from starlette.routing import Mount
        from site import api

        app = Starlette(routes=[
            Mount("/api", app=api.api),
            Mount("/admin", routes=api.admin.routes),
        ])
    """,
}


def test_starlette_mounts_prefix_what_they_mount(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, STARLETTE_MOUNTS)
    assert sorted(entries) == ["/admin/users", "GET /api/items"]
    items = entries["GET /api/items"]
    assert (items.framework, items.handlers) == ("Starlette", ("site.api.items",))
    assert items.evidence == Evidence("site/api.py", 11)


def test_a_mount_of_another_library_adds_no_prefix(analyse_repo: Analyse) -> None:
    files = dict(STARLETTE_MOUNTS)
    files["site/app.py"] = """
        from site import api
        from site.tree import Mount

        mounted = [Mount("/api", app=api.api), Mount("/admin", routes=api.admin.routes)]
    """
    files["site/tree.py"] = """
        class Mount:
            def __init__(self, path, app=None, routes=None):
                self.path = path
    """
    assert sorted(_entries(analyse_repo, files)) == ["/users", "GET /items"]


AIOHTTP_APPS = {
    "svc/__init__.py": "",
    "svc/handlers.py": """
        from aiohttp import web

        table = web.RouteTableDef()

        @table.get("/orders")
        async def orders(request):
            pass

        async def status(request):
            pass

        async def report(request):
            pass

        async def legacy(request):
            pass

        routes = [web.get("/status", status), web.route("POST", "/report", report)]
    """,
    "svc/app.py": """
        from aiohttp import web
        from svc.handlers import legacy, routes, table

        api = web.Application()
        api.add_routes(table)
        api.router.add_route("DELETE", "/legacy", legacy)
        app = web.Application()
        app.add_subapp("/api", api)

        def create_app():
            root = web.Application()
            root.add_routes(routes)
            root.router.add_route("GET", "/legacy", legacy)
            return root

        def create_other():
            api = web.Application()
            api.router.add_get("/local", legacy)
            return api
    """,
}


def test_aiohttp_routes_added_in_functions_and_sub_applications(
        analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, AIOHTTP_APPS)
    # ``api`` in ``create_other`` is a local: not the module's mounted ``api``
    assert sorted(entries) == ["DELETE /api/legacy", "GET /api/orders", "GET /legacy",
                               "GET /local", "GET /status", "POST /report"]
    # ``add_route(method, path, handler)``, inside a function
    legacy = entries["GET /legacy"]
    assert (legacy.framework, legacy.handlers) == ("aiohttp", ("svc.handlers.legacy",))
    assert legacy.evidence == Evidence("svc/app.py", 13)
    assert entries["POST /report"].handlers == ("svc.handlers.report",)


def test_aiohttp_routes_added_on_an_application_passed_to_a_function(
        analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "svc/__init__.py": "",
        "svc/views.py": """
            async def index(request):
                pass
        """,
        "svc/routes.py": """
            from svc.views import index

            def setup_routes(app):
                app.router.add_get("/", index)

            def setup_other(app):
                app.router.add_get("/other", index)
        """,
        "svc/main.py": """
            from aiohttp import web
            from svc.routes import setup_other, setup_routes

            class Router:
                def add_get(self, path, handler):
                    pass

            class Holder:
                router = Router()

            def main():
                app = web.Application()
                setup_routes(app)
                setup_other(Holder())
        """,
    })
    # ``setup_other`` is given something that is not an aiohttp application
    assert sorted(entries) == ["GET /"]
    assert entries["GET /"].handlers == ("svc.views.index",)


def test_typer_commands(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "tool/__init__.py": "",
        "tool/cli.py": """
            import typer

            app = typer.Typer()

            @app.command()
            def sync_all(source: str, force: bool = typer.Option(False)):
                pass

            @app.command("bye")
            def goodbye(name: str):
                pass
        """,
    })
    sync = entries["sync-all"]
    assert (sync.kind, sync.framework, sync.handlers) == (
        "CLI command", "Typer", ("tool.cli.sync_all",))
    assert sync.inputs == ("`source: str`", "`force: bool`")
    assert sync.evidence == Evidence("tool/cli.py", 5)
    assert entries["bye"].handlers == ("tool.cli.goodbye",)


def test_command_decorators_of_other_objects_are_not_typer(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "tool/__init__.py": "",
        "tool/cli.py": """
            from tool.shell import Shell

            app = Shell()

            @app.command()
            def sync():
                pass
        """,
        "tool/shell.py": """
            class Shell:
                def command(self):
                    return lambda f: f
        """,
    })
    assert entries == {}


RQ = {
    "work/__init__.py": "",
    "work/tasks.py": """
        import requests
        from rq.decorators import job

        def count_words(url):
            return len(requests.get(url).text.split())

        @job("default")
        def notify(user_id):
            pass
    """,
    "work/web.py": """
        from flask import Flask
        from redis import Redis
        from rq import Queue
        from work.tasks import count_words, notify

        app = Flask(__name__)
        queue = Queue(connection=Redis())

        @app.post("/count")
        def count(url):
            queue.enqueue(count_words, url)
            notify.delay(1)
    """,
}


def test_rq_enqueued_functions_and_job_decorators(analyse_repo: Analyse) -> None:
    model = analyse_repo(RQ)
    entries = {e.name: e for e in find_entry_points(model)}
    counted = entries["count_words"]
    assert (counted.kind, counted.framework, counted.handlers) == (
        "task consumer", "RQ", ("work.tasks.count_words",))
    assert counted.evidence == Evidence("work/web.py", 11)
    assert entries["notify"].framework == "RQ"
    steps = _flow_text(model, "POST /count")
    assert "`work.web.count` hands `work.tasks.count_words` to the task queue." in steps
    assert "`work.web.count` hands `work.tasks.notify` to the task queue." in steps
    assert "requests" not in steps  # the task runs in the worker, not in the request
    assert "uses the external http api through `requests.get`" in _flow_text(
        model, ": count_words")


def test_enqueue_on_other_objects_is_not_rq(analyse_repo: Analyse) -> None:
    files = dict(RQ)
    files["work/web.py"] = """
        from work.tasks import count_words

        class Backlog:
            def enqueue(self, item, *args):
                pass

        backlog = Backlog()

        def count(url):
            backlog.enqueue(count_words, url)
    """
    assert set(_entries(analyse_repo, files)) == {"notify"}


def test_dramatiq_actors_and_send(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "mail/__init__.py": "",
        "mail/actors.py": """
            import dramatiq
            import smtplib

            @dramatiq.actor(queue_name="mail")
            def send_welcome(user_id):
                smtplib.SMTP("localhost").sendmail("a", "b", "hi")

            @dramatiq.actor
            def signup(user_id):
                send_welcome.send(user_id)
        """,
    })
    entries = {e.name: e for e in find_entry_points(model)}
    welcome = entries["send_welcome"]
    assert (welcome.kind, welcome.framework) == ("task consumer", "Dramatiq")
    assert welcome.inputs == ("`user_id`",)
    assert welcome.evidence == Evidence("mail/actors.py", 4)
    assert entries["signup"].evidence == Evidence("mail/actors.py", 9)
    steps = _flow_text(model, ": signup")
    assert "`mail.actors.signup` hands `mail.actors.send_welcome` to the task queue." in steps
    assert "smtplib" not in steps


def test_an_actor_decorator_of_another_library_is_not_dramatiq(
        analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "mail/__init__.py": "",
        "mail/actors.py": """
            from mail.framework import actor

            @actor
            def send_welcome(user_id):
                pass
        """,
        "mail/framework.py": """
            def actor(func):
                return func
        """,
    })
    assert entries == {}


def test_dramatiq_actors_through_a_wrapping_decorator(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "mail/__init__.py": "",
        "mail/worker.py": """
            import functools
            from dramatiq import actor as _actor
            from rq.decorators import job

            def actor(actor_name=None, **options):
                def decorator(fn):
                    @functools.wraps(fn)
                    def wrapped(*args):
                        return fn(*args)

                    _actor(wrapped, actor_name=actor_name, **options)
                    return wrapped

                return decorator

            def queued(fn):
                return job("default")(fn)
        """,
        "mail/tasks.py": """
            from mail.worker import actor, queued

            @actor(actor_name="mail.welcome", queue_name="mail")
            def send_welcome(user_id):
                pass

            @actor()
            def send_digest():
                pass

            @queued
            def not_wrapped():
                pass
        """,
    })
    assert sorted(entries) == ["mail.welcome", "send_digest"]
    welcome = entries["mail.welcome"]
    assert (welcome.kind, welcome.framework) == ("task consumer", "Dramatiq")
    assert welcome.handlers == ("mail.tasks.send_welcome",)
    assert welcome.inputs == ("`user_id`",)
    assert welcome.evidence == Evidence("mail/tasks.py", 3)


def test_huey_tasks_are_enqueued_by_calling_them(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "jobs/__init__.py": "",
        "jobs/tasks.py": """
            import shutil
            from huey import RedisHuey, crontab

            huey = RedisHuey("jobs")

            @huey.task()
            def archive(path):
                shutil.make_archive(path, "zip")

            @huey.periodic_task(crontab(minute="0"))
            def hourly():
                archive("/data")
        """,
    })
    entries = {e.name: e for e in find_entry_points(model)}
    assert (entries["archive"].kind, entries["archive"].framework) == ("task consumer", "Huey")
    assert entries["archive"].evidence == Evidence("jobs/tasks.py", 6)
    assert (entries["hourly"].kind, entries["hourly"].framework) == ("scheduled job", "Huey")
    steps = _flow_text(model, ": hourly")
    assert "`jobs.tasks.hourly` hands `jobs.tasks.archive` to the task queue." in steps
    assert "shutil" not in steps


def test_task_decorators_of_other_objects_are_not_huey(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "jobs/__init__.py": "",
        "jobs/tasks.py": """
            from jobs.runner import Runner

            huey = Runner()

            @huey.task()
            def archive(path):
                pass
        """,
        "jobs/runner.py": """
            class Runner:
                def task(self):
                    return lambda f: f
        """,
    })
    assert entries == {}


APSCHEDULER = {
    "cron/__init__.py": "",
    "cron/main.py": """
        from apscheduler.schedulers.blocking import BlockingScheduler
        import subprocess

        scheduler = BlockingScheduler()

        def tick():
            subprocess.run(["backup"])

        @scheduler.scheduled_job("cron", hour=3, id="nightly")
        def cleanup():
            pass

        def main():
            scheduler.add_job(tick, "interval", minutes=5)
            scheduler.start()

        if __name__ == "__main__":
            main()
    """,
}


def test_apscheduler_jobs_added_and_decorated(analyse_repo: Analyse) -> None:
    model = analyse_repo(APSCHEDULER)
    entries = {e.name: e for e in find_entry_points(model)}
    tick = entries["tick"]
    assert (tick.kind, tick.framework, tick.handlers) == (
        "scheduled job", "APScheduler", ("cron.main.tick",))
    assert tick.evidence == Evidence("cron/main.py", 14)
    assert entries["nightly"].handlers == ("cron.main.cleanup",)
    assert entries["nightly"].evidence == Evidence("cron/main.py", 9)
    assert "uses the subprocess through `subprocess.run`" in _flow_text(model, ": tick")
    steps = _flow_text(model, "python cron/main.py")
    assert "`cron.main.main` hands `cron.main.tick` to the scheduler." in steps
    assert "subprocess" not in steps


def test_add_job_on_other_objects_is_not_apscheduler(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "cron/__init__.py": "",
        "cron/main.py": """
            from cron.plan import Plan

            plan = Plan()

            def tick():
                pass

            plan.add_job(tick)
        """,
        "cron/plan.py": """
            class Plan:
                def add_job(self, func):
                    pass
        """,
    })
    assert entries == {}


def test_faststream_subscribers(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "events/__init__.py": "",
        "events/app.py": """
            from faststream import FastStream
            from faststream.kafka import KafkaBroker

            broker = KafkaBroker("localhost:9092")
            app = FastStream(broker)

            @broker.subscriber("orders")
            @broker.publisher("invoices")
            async def on_order(order: dict) -> dict:
                return order
        """,
    })
    assert list(entries) == ["orders"]
    orders = entries["orders"]
    assert (orders.kind, orders.framework, orders.handlers) == (
        "message handler", "FastStream", ("events.app.on_order",))
    assert orders.inputs == ("`order: dict`",)
    assert orders.evidence == Evidence("events/app.py", 7)


def test_subscribers_of_other_brokers_are_not_faststream(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "events/__init__.py": "",
        "events/app.py": """
            from events.bus import Bus

            broker = Bus()

            @broker.subscriber("orders")
            async def on_order(order):
                pass
        """,
        "events/bus.py": """
            class Bus:
                def subscriber(self, topic):
                    return lambda f: f
        """,
    })
    assert entries == {}


TORNADO = {
    "chat/__init__.py": "",
    "chat/base.py": """
        import tornado.web

        class BaseHandler(tornado.web.RequestHandler):
            def options(self, *args):
                self.set_status(204)

            def user_name(self):
                return self.get_secure_cookie("user")
    """,
    "chat/views.py": """
        from tornado import websocket
        from chat.base import BaseHandler

        class RoomHandler(BaseHandler):
            def get(self, room_id):
                self.write(room_id)

            def post(self, room_id):
                self.write(room_id)

        class MessageHandler(BaseHandler):
            def delete(self, room, message):
                pass

            def options(self, room, message):  # its own: a route
                pass

        class FeedSocket(websocket.WebSocketHandler):
            def open(self):
                pass

            def on_message(self, message):
                self.write_message(message)
    """,
    "chat/urls.py": """
        import tornado.web
        from tornado.web import url
        from chat import views

        handlers = [
            url(r"/rooms/([^/]+)", views.RoomHandler, name="room"),
            (r"/rooms/(?P<room>[^/]+)/messages/(?P<message>[0-9]+)", views.MessageHandler),
            (r"/feed", views.FeedSocket),
            (r"/static/(.*)", tornado.web.StaticFileHandler, {"path": "static"}),
        ]
    """,
    "chat/app.py": """
        import tornado.web
        from chat.urls import handlers
        from chat.views import RoomHandler

        class Application(tornado.web.Application):
            def __init__(self):
                lobby = [(r"/lobby", RoomHandler)]
                super().__init__(handlers + lobby)

        def make_app():
            return tornado.web.Application([tornado.web.url(r"/", RoomHandler)])
    """,
}


def test_tornado_routes_of_route_tables(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, TORNADO)
    # (the base handler's ``options`` is inherited by all: no route of each)
    assert sorted(entries) == [
        "DELETE /rooms/(?P<room>[^/]+)/messages/(?P<message>[0-9]+)", "GET /",
        "GET /lobby", "GET /rooms/([^/]+)",
        "OPTIONS /rooms/(?P<room>[^/]+)/messages/(?P<message>[0-9]+)", "POST /", "POST /lobby",
        "POST /rooms/([^/]+)", "WEBSOCKET /feed"]
    room = entries["POST /rooms/([^/]+)"]
    assert (room.kind, room.framework) == ("HTTP route", "Tornado")
    assert room.handlers == ("chat.views.RoomHandler.post",)
    assert room.inputs == ("`room_id` (path)",)
    assert room.evidence == Evidence("chat/urls.py", 6)
    message = entries["DELETE /rooms/(?P<room>[^/]+)/messages/(?P<message>[0-9]+)"]
    assert message.inputs == ("`room` (path)", "`message` (path)")
    feed = entries["WEBSOCKET /feed"]
    assert feed.handlers == ("chat.views.FeedSocket.open", "chat.views.FeedSocket.on_message")
    assert feed.inputs == ("`message`",)
    assert entries["GET /lobby"].evidence == Evidence("chat/app.py", 7)
    assert entries["GET /"].evidence == Evidence("chat/app.py", 11)


def test_route_patterns_with_escapes_are_shown_as_written(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "reports/__init__.py": "",
        "reports/views.py": """
            def yearly(request, year):
                pass
        """,
        "reports/urls.py": """
            from django.urls import re_path
            from reports import views

            urlpatterns = [re_path(r"^(?P<year>\\d{4})\\.json$", views.yearly),
                           re_path("^all/$", views.yearly)]
        """,
    })
    assert sorted(entries) == ["^(?P<year>\\d{4})\\.json$", "^all/$"]
    assert entries["^(?P<year>\\d{4})\\.json$"].inputs == ("`request`", "`year` (path)")


def test_pairs_of_other_classes_are_not_tornado_routes(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "shop/__init__.py": "",
        "shop/views.py": """
            import socketserver
            import tornado.web

            class Plain:
                def get(self):
                    pass

                def post(self):
                    pass

            class Echo(socketserver.BaseRequestHandler):
                def get(self):
                    pass

            class Page(tornado.web.RequestHandler):
                def get(self):
                    pass
        """,
        "shop/routing.py": """
            def url(pattern, handler):
                return pattern, handler
        """,
        "shop/urls.py": """
            from shop import views
            from shop.routing import url

            LABELS = [("/a", "b"), ("/c", "d")]
            handlers = [
                (r"/plain", views.Plain),
                (r"/echo", views.Echo),
                url(r"/page", views.Page),
                (views.Page, r"/reversed"),
            ]
        """,
    })
    assert entries == {}


PYRAMID = {
    "shop/__init__.py": """
        from pyramid.config import Configurator

        def health(request):
            return {"ok": True}

        def main(global_config, **settings):
            config = Configurator(settings=settings)
            config.include(".routes")
            config.add_route("health", "/health")
            config.add_view(health, route_name="health")
            config.scan()
            return config.make_wsgi_app()
    """,
    "shop/routes.py": """
        def includeme(config):
            config.add_route("login", "/account/login/", domain="example.org")
            config.add_route("item", "/items/{item_id}")
            config.add_route(
                "item.edit",
                pattern=r"/items/{item_id:\\d+}/edit",
            )
            config.add_route("cart", "cart/{cart_id}", factory="shop.resources.Cart")
            config.add_route("unused", "/unused")
            config.add_route("ping", "/ping")
            config.add_view("shop.views:ping", route_name="ping", request_method="GET")
    """,
    "shop/store.py": """
        import sqlite3

        def load(email):
            return sqlite3.connect("shop.db").execute("select 1", (email,))
    """,
    "shop/views.py": """
        from pyramid.view import view_config, view_defaults
        from shop import store

        @view_config(route_name="login", renderer="login.html", request_method="GET")
        @view_config(route_name="login", request_method="POST", require_csrf=True)
        def login(request):
            return store.load(request.params["email"])

        @view_config(route_name="item", request_method=("GET", "HEAD"))
        def item(request):
            return {}

        @view_defaults(route_name="item.edit", permission="edit")
        class ItemEdit:
            def __init__(self, request):
                self.request = request

            @view_config(request_method="GET")
            def show(self):
                return {}

            @view_config(request_method="POST", route_name="cart")
            def save(self):
                return {}

            def helper(self):
                return {}

        class ItemAdmin(ItemEdit):
            @view_config(request_method="DELETE")
            def remove(self):
                return {}

        @view_config(route_name="login", attr="options", request_method="OPTIONS")
        class LoginOptions:
            def __init__(self, request):
                self.request = request

            def options(self):
                return {}

        def ping(request):
            return {}
    """,
}


def test_pyramid_views_at_the_paths_of_their_named_routes(analyse_repo: Analyse) -> None:
    model = analyse_repo(PYRAMID)
    entries = {e.name: e for e in find_entry_points(model)}
    assert sorted(entries) == [
        "/health", "DELETE /items/{item_id:\\d+}/edit", "GET /account/login/",
        "GET /items/{item_id:\\d+}/edit", "GET /ping", "GET,HEAD /items/{item_id}",
        "OPTIONS /account/login/", "POST /account/login/", "POST /cart/{cart_id}"]
    login = entries["POST /account/login/"]
    assert (login.kind, login.framework) == ("HTTP route", "Pyramid")
    assert login.handlers == ("shop.views.login",)
    assert login.inputs == ("`request`",)
    # stacked decorators: each its own view, cited where it is written
    assert entries["GET /account/login/"].evidence == Evidence("shop/views.py", 4)
    assert login.evidence == Evidence("shop/views.py", 5)
    assert entries["GET,HEAD /items/{item_id}"].inputs == ("`request`", "`item_id` (path)")
    # a method takes the class's view defaults, its own keywords first, also inherited
    show = entries["GET /items/{item_id:\\d+}/edit"]
    assert show.handlers == ("shop.views.ItemEdit.show",)
    assert show.inputs == ("`item_id` (path)",)
    assert entries["POST /cart/{cart_id}"].handlers == ("shop.views.ItemEdit.save",)
    assert entries["DELETE /items/{item_id:\\d+}/edit"].handlers == (
        "shop.views.ItemAdmin.remove",)
    assert entries["OPTIONS /account/login/"].handlers == ("shop.views.LoginOptions.options",)
    # ``add_view`` on a configurator the function makes: any request method
    health = entries["/health"]
    assert (health.handlers, health.evidence) == (("shop.health",),
                                                  Evidence("shop/__init__.py", 10))
    # ``add_view`` in an ``includeme``, of a view named by a dotted string
    assert entries["GET /ping"].handlers == ("shop.views.ping",)
    assert entries["GET /ping"].evidence == Evidence("shop/routes.py", 11)
    steps = _flow_text(model, "GET /account/login/")
    assert "The same flow runs for `POST /account/login/`" in steps
    assert "`shop.store.load` uses the database through `sqlite3.connect`" in steps


def test_views_of_routes_the_repository_does_not_add_keep_the_route_name(
        analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "legacy/__init__.py": "",
        "legacy/wiring.py": """
            from legacy.registry import Router

            def configure(config, router: Router):
                router.add_route("upload", "/upload")
                config.add_route("upload", "/upload")

            class Plugin:
                def includeme(self, config):
                    config.add_route("upload", "/upload")

            def includeme(config):
                config.add_route("upload", **OPTIONS)  # a path not written here
        """,
        "legacy/registry.py": """
            class Router:
                def add_route(self, name, path):
                    pass
        """,
        "legacy/views.py": """
            from pyramid.httpexceptions import HTTPException
            from pyramid.view import view_config

            @view_config(route_name="upload", request_method="POST")
            def upload(request):
                pass

            @view_config(context=HTTPException)
            def failed(exc, request):
                pass
        """,
    })
    # no configurator adds ``upload`` at a path written here: it is not known; a view of
    # no route is none
    assert sorted(entries) == ["POST upload"]
    assert entries["POST upload"].handlers == ("legacy.views.upload",)


def test_look_alike_views_make_no_pyramid_routes(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "site/__init__.py": "",
        "site/routes.py": """
            from site.decorators import redirect_to

            def includeme(config):
                config.add_route("home", "/")
                config.add_view(redirect_to("/index"), route_name="home")
                config.add_view(".views.home", route_name="home")
        """,
        "site/decorators.py": """
            def view_config(**settings):
                return lambda function: function

            def redirect_to(path):
                return lambda request: path
        """,
        "site/views.py": """
            from cornice.view import view_config as cornice_view
            from site.decorators import view_config

            @view_config(route_name="home", request_method="GET")
            def home(request):
                pass

            @cornice_view(route_name="home", request_method="POST")
            def post_home(request):
                pass
        """,
    })
    assert entries == {}


BEAT = {
    "proj/__init__.py": "",
    "proj/tasks.py": """
        from celery import shared_task

        @shared_task
        def cleanup(days=30):
            pass

        @shared_task(name="reports.weekly")
        def weekly_report():
            pass

        @shared_task
        def purge():
            pass

        @shared_task
        def digest():
            pass
    """,
    "proj/celery.py": """
        from celery import Celery
        from celery.schedules import crontab

        app = Celery("proj")
        app.conf.beat_schedule = {
            "cleanup-nightly": {"task": "proj.tasks.cleanup", "schedule": crontab(hour=3)},
            "weekly": {"task": "reports.weekly", "schedule": 604800},
        }
        app.conf.beat_schedule["ping"] = {"task": "other.tasks.ping", "schedule": 60}

        def configure(celery):
            celery.conf.update(beat_schedule={"purge": {"task": "proj.tasks.purge",
                                                        "schedule": 10}})
    """,
    "proj/settings.py": """
        CELERY_BEAT_SCHEDULE = {
            "digest": {"task": "proj.tasks.digest", "schedule": 3600},
        }
    """,
}


def test_celery_beat_schedules_are_scheduled_jobs(analyse_repo: Analyse) -> None:
    model = analyse_repo(BEAT)
    scheduled = {e.name: e for e in find_entry_points(model) if e.kind == "scheduled job"}
    assert sorted(scheduled) == ["other.tasks.ping", "proj.tasks.cleanup", "proj.tasks.digest",
                                 "proj.tasks.purge", "reports.weekly"]
    cleanup = scheduled["proj.tasks.cleanup"]
    assert cleanup.framework == "Celery beat"
    assert cleanup.handlers == ("proj.tasks.cleanup",)
    assert cleanup.inputs == ("`days`",)
    assert cleanup.evidence == Evidence("proj/celery.py", 5)
    assert scheduled["reports.weekly"].handlers == ("proj.tasks.weekly_report",)
    assert scheduled["other.tasks.ping"].handlers == ()
    assert scheduled["other.tasks.ping"].evidence == Evidence("proj/celery.py", 9)
    assert scheduled["proj.tasks.purge"].evidence == Evidence("proj/celery.py", 12)
    assert scheduled["proj.tasks.digest"].evidence == Evidence("proj/settings.py", 1)
    findings = [f.claim for f in DataFlowAnalyser().analyse(model).findings]
    assert ("`other.tasks.ping` (scheduled job, Celery beat) is handled by no function of "
            "the repository.") in findings


def test_task_dicts_outside_schedules_are_not_scheduled(analyse_repo: Analyse) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/tasks.py": BEAT["proj/tasks.py"],
        "proj/jobs.py": """
            JOBS = {"cleanup": {"task": "proj.tasks.cleanup", "schedule": 60}}
            config.beat = {"cleanup": {"task": "proj.tasks.cleanup"}}
            app.conf.update(timezone="UTC", task_routes={"r": {"task": "proj.tasks.purge"}})
            app.conf.beat_schedule = {"named": {"task": TASK_NAME, "schedule": 60}}
        """,
    }
    model = analyse_repo(files)
    assert [e for e in find_entry_points(model) if e.kind == "scheduled job"] == []


@pytest.mark.parametrize("table", ["decorator", "registration"])
def test_every_queued_entry_kind_names_its_queue(table: str) -> None:
    rows = read_table("data_flow.toml")[table]
    queued = [row for row in rows if row.get("enqueue") or row.get("enqueues")]
    assert queued
    assert {row["kind"] for row in queued} <= set(QUEUES)


def test_injectors_are_read_from_the_table() -> None:
    assert "fastapi.Depends" in rules().injectors


def test_periodic_tasks_added_by_calls_are_scheduled_jobs(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "jobs/__init__.py": "",
        "jobs/tasks.py": """
            from celery import Celery
            from celery.schedules import crontab

            app = Celery("jobs")

            @app.task
            def cleanup():
                pass

            @app.task
            def report(day):
                pass

            @app.on_after_finalize.connect
            def setup_periodic_tasks(sender, **kwargs):
                sender.add_periodic_task(3600.0, cleanup.s(), name="hourly cleanup")
                sender.add_periodic_task(crontab(hour=7), report.si("monday"))
                sender.add_periodic_task(60.0, "jobs.tasks.cleanup")  # a string: not read
        """,
    })
    beat = {name: e for name, e in entries.items() if e.framework == "Celery beat"}
    assert sorted(beat) == ["jobs.tasks.cleanup", "jobs.tasks.report"]
    assert beat["jobs.tasks.cleanup"].handlers == ("jobs.tasks.cleanup",)
    assert beat["jobs.tasks.cleanup"].evidence.line == 16


def test_prefixes_and_paths_held_by_constants_and_settings_attributes(
        analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/config.py": """
            from pydantic_settings import BaseSettings

            class Base(BaseSettings):
                API_V1_STR: str = "/api/v1"

            class Settings(Base):
                TIMEOUT: int = 3

            settings = Settings()
            USERS = "/users"
            COUNT = 3
        """,
        "app/routes.py": """
            from fastapi import APIRouter
            from app.core.config import USERS, COUNT, settings

            router = APIRouter(prefix=USERS)

            @router.get("/")
            def listing():
                pass

            @router.get(settings.TIMEOUT)
            def timeout():
                pass

            @router.get(COUNT)
            def count():
                pass
        """,
        "app/main.py": """
            from fastapi import FastAPI
            from app.core.config import settings
            from app.routes import router

            app = FastAPI()
            app.include_router(router, prefix=settings.API_V1_STR)
        """,
        "app/other.py": """
            from fastapi import APIRouter, FastAPI
            from app.core.config import Settings

            other = APIRouter()

            @other.get("/other")
            def other_view():
                pass

            def get_settings() -> Settings:
                return Settings()

            def create_app():
                settings = get_settings()
                application = FastAPI()
                application.include_router(other, prefix=settings.API_V1_STR)
                return application
        """,
    })
    # a string held by an inherited class attribute read on an instance (module-level, or
    # local to a function and typed by what gives it), and by a module constant imported;
    # a name that holds no string stays an expression
    assert sorted(entries) == ["GET /api/v1/other", "GET /api/v1/users/",
                               "GET /api/v1/users{COUNT}", "GET /api/v1/users{settings.TIMEOUT}"]


def test_home_assistant_integration_hooks_and_services(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "custom_components/__init__.py": "",
        "custom_components/lights/__init__.py": """
            from homeassistant.core import HomeAssistant, ServiceCall

            async def async_setup_entry(hass: HomeAssistant, entry) -> bool:
                hass.services.async_register("lights", "blink", blink)
                return True

            async def blink(call: ServiceCall) -> None:
                pass

            async def helper(hass):
                pass
        """,
        "custom_components/lights/sensor.py": """
            import homeassistant.helpers.entity as entity

            async def async_setup_entry(hass, entry, add_entities):
                pass
        """,
        "tools/__init__.py": "",
        "tools/setup.py": """
            def async_setup_entry(hass, entry):  # no Home Assistant import: not a hook
                pass
        """,
    })
    assert sorted((e.kind, name) for name, e in entries.items()) == [
        ("integration hook", "custom_components.lights.async_setup_entry"),
        ("integration hook", "custom_components.lights.sensor.async_setup_entry"),
        ("service call", "blink"),
    ]
    blink = entries["blink"]
    assert (blink.framework, blink.handlers) == (
        "Home Assistant", ("custom_components.lights.blink",))


def test_chat_bot_handlers(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "bot/__init__.py": "",
        "bot/handlers.py": """
            from aiogram import Router, F
            from aiogram.filters import Command

            router = Router()

            @router.message(Command("start"))
            async def cmd_start(message):
                ...

            @router.callback_query(F.data == "spin")
            async def on_spin(callback):
                ...
        """,
        "bot/legacy.py": """
            import telebot
            bot = telebot.TeleBot("token")

            @bot.message_handler(commands=["help"])
            def send_help(message):
                ...
        """,
        "bot/guild.py": """
            import discord
            from discord.ext import commands
            bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())

            @bot.command()
            async def ping(ctx):
                ...

            @bot.event
            async def on_ready():
                ...

            class Music(commands.Cog):
                @commands.command(name="play")
                async def play(self, ctx, url: str):
                    ...
        """,
        "bot/ptb.py": """
            from telegram.ext import Application, CallbackQueryHandler, CommandHandler

            async def start(update, context):
                ...

            async def button(update, context):
                ...

            def main():
                app = Application.builder().token("t").build()
                app.add_handler(CommandHandler("start", start))
                app.add_handler(CallbackQueryHandler(button))
        """,
    })
    assert {name: (e.kind, e.framework, e.handlers) for name, e in entries.items()} == {
        "message cmd_start": ("chat bot handler", "aiogram", ("bot.handlers.cmd_start",)),
        "callback query on_spin": ("chat bot handler", "aiogram", ("bot.handlers.on_spin",)),
        "message send_help": ("chat bot handler", "pyTelegramBotAPI",
                              ("bot.legacy.send_help",)),
        "ping": ("chat bot handler", "discord.py", ("bot.guild.ping",)),
        "on_ready": ("chat bot handler", "discord.py", ("bot.guild.on_ready",)),
        "play": ("chat bot handler", "discord.py", ("bot.guild.Music.play",)),
        "start": ("chat bot handler", "python-telegram-bot", ("bot.ptb.start",)),
        "button": ("chat bot handler", "python-telegram-bot", ("bot.ptb.button",)),
    }


def test_message_methods_of_other_objects_are_not_bot_handlers(analyse_repo: Analyse) -> None:
    assert _entries(analyse_repo, {
        "chat/__init__.py": "",
        "chat/room.py": """
            from chat.events import Router

            router = Router()

            @router.message("joined")
            def joined(event):
                ...

            def handler(name, callback):
                return (name, callback)
            HANDLERS = [handler("start", joined)]
        """,
        "chat/events.py": """
            class Router:
                def message(self, name):
                    return lambda f: f
        """,
    }) == {}


def test_airflow_dags_run_on_their_schedule(analyse_repo: Analyse) -> None:
    entries = _entries(analyse_repo, {
        "dags/etl.py": """
            from airflow.decorators import dag, task

            @dag(schedule="@daily", catchup=False)
            def nightly_etl():
                @task
                def extract():
                    return [1]
                extract()

            @dag(dag_id="weekly_report", schedule="@weekly")
            def report():
                ...

            nightly_etl()
            report()
        """,
        "dags/helpers.py": """
            from dags.tools import dag

            @dag("not airflow")
            def local():
                ...
        """,
        "dags/tools.py": "def dag(name):\n    return lambda f: f\n",
    })
    assert {name: (e.kind, e.framework, e.handlers) for name, e in entries.items()} == {
        "nightly_etl": ("scheduled job", "Airflow", ("dags.etl.nightly_etl",)),
        "weekly_report": ("scheduled job", "Airflow", ("dags.etl.report",)),
    }
