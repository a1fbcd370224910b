"""Data Flow: entry points with their inputs, flows through the call graph to the sinks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.analysers.data_flow import DataFlowAnalyser
from syspatterns.analysers.data_flow.entries import EntryPoint, find_entry_points
from syspatterns.analysers.data_flow.flows import MAX_DEPTH
from syspatterns.core.evidence import Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]

FASTAPI_APP = {
    "app/__init__.py": "",
    "app/main.py": """
        from fastapi import FastAPI
        from app.api.main import api_router

        app = FastAPI()
        app.include_router(api_router, prefix="/api")
    """,
    "app/api/__init__.py": "",
    "app/api/main.py": """
        from fastapi import APIRouter
        from app.api.routes import login

        api_router = APIRouter()
        api_router.include_router(login.router)
    """,
    "app/api/deps.py": """
        from typing import Annotated
        from fastapi import Depends
        from sqlmodel import Session
        from app.core.db import engine

        def get_db():
            with Session(engine) as session:
                yield session

        SessionDep = Annotated[Session, Depends(get_db)]
    """,
    "app/api/routes/__init__.py": "",
    "app/api/routes/login.py": """
        from fastapi import APIRouter, HTTPException
        from app import crud
        from app.api.deps import SessionDep
        from app.core import security

        router = APIRouter(prefix="/login", tags=["login"])

        @router.post("/access-token")
        def login_access_token(session: SessionDep, email: str, password: str):
            user = crud.authenticate(session=session, email=email, password=password)
            if not user:
                raise HTTPException(status_code=400)
            return security.create_access_token(user.id)

        @router.get("/users/{user_id}")
        def read_user(user_id: int, session: SessionDep):
            return session.get(User, user_id)
    """,
    "app/crud.py": """
        from sqlmodel import Session, select
        from app.core.security import verify_password
        from app.models import User

        def get_user_by_email(*, session: Session, email: str):
            return session.exec(select(User).where(User.email == email)).first()

        def authenticate(*, session: Session, email: str, password: str):
            user = get_user_by_email(session=session, email=email)
            if user and verify_password(password, user.hashed_password):
                return user
            return None
    """,
    "app/core/__init__.py": "",
    "app/core/db.py": """
        from sqlmodel import create_engine
        engine = create_engine("sqlite://")
    """,
    "app/core/security.py": """
        import jwt

        def verify_password(plain, hashed):
            return plain == hashed

        def create_access_token(subject):
            return jwt.encode({"sub": subject}, "key")
    """,
    "app/models.py": """
        from sqlmodel import SQLModel

        class User(SQLModel):
            email: str
    """,
}


def _section(model: SystemModel) -> Section:
    return DataFlowAnalyser().analyse(model)


def _entry(model: SystemModel, name: str) -> EntryPoint:
    entries = {e.name: e for e in find_entry_points(model)}
    assert name in entries, sorted(entries)
    return entries[name]


def _flow_text(section: Section, title: str) -> str:
    for subsection in section.subsections:
        if subsection.title.endswith(title):
            return "\n".join(f.claim for f in subsection.findings)
    raise AssertionError([s.title for s in section.subsections])


def test_fastapi_login_is_followed_through_crud_and_security_to_the_database(
        analyse_repo: Analyse) -> None:
    model = analyse_repo(FASTAPI_APP)
    entry = _entry(model, "POST /api/login/access-token")
    assert entry.kind == "HTTP route" and entry.framework == "FastAPI"
    assert entry.handlers == ("app.api.routes.login.login_access_token",)
    assert "`email: str`" in entry.inputs and "`session: SessionDep`" in entry.inputs
    assert "`user_id: int` (path)" in _entry(model, "GET /api/login/users/{user_id}").inputs

    section = _section(model)
    steps = _flow_text(section, "POST /api/login/access-token")
    assert "`app.api.routes.login.login_access_token` calls `app.crud.authenticate`" in steps
    assert "`app.crud.authenticate` calls `app.crud.get_user_by_email`" in steps
    assert "`app.crud.authenticate` calls `app.core.security.verify_password`" in steps
    # ``session: Session`` is sqlmodel's session: its ``exec`` reaches the database.
    assert "`app.crud.get_user_by_email` uses the database through `sqlmodel.Session.exec`" \
        in steps
    # ``SessionDep`` injects ``get_db``: it runs before the handler's body.
    assert steps.index("depends on `app.api.deps.get_db`, which runs first") < steps.index(
        "calls `app.crud.authenticate`")
    flow = next(s for s in section.subsections if s.title.endswith("access-token"))
    assert flow.ordered
    diagram = flow.diagrams[0].mermaid
    assert diagram.startswith("sequenceDiagram")
    assert "participant P2 as app.api.deps\n" in diagram
    assert "participant P4 as app.crud" in diagram
    assert "P1->>P2: get_db()" in diagram
    assert "P4->>S3: exec" in diagram


def test_annotated_alias_types_a_parameter_through_another_module(analyse_repo: Analyse) -> None:
    model = analyse_repo(FASTAPI_APP)
    steps = _flow_text(_section(model), "GET /api/login/users/{user_id}")
    # ``session: SessionDep`` where ``SessionDep = Annotated[Session, Depends(get_db)]``.
    assert "uses the database through `sqlmodel.Session.get`" in steps


DJANGO_APP = {
    "manage.py": """
        import sys
        from django.core.management import execute_from_command_line

        if __name__ == "__main__":
            execute_from_command_line(sys.argv)
    """,
    "site_config/__init__.py": "",
    "site_config/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("shop/", include("shop.urls"))]
    """,
    "shop/__init__.py": "",
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("orders/<int:pk>/", views.order_detail, name="order"),
            path("checkout/", views.CheckoutView.as_view(), name="checkout"),
        ]
    """,
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()

            def mark_paid(self):
                self.paid = True
                self.save()
    """,
    "shop/forms.py": """
        from django import forms
        from shop.models import Order

        class CheckoutForm(forms.ModelForm):
            class Meta:
                model = Order
                fields = ["total"]
    """,
    "shop/views.py": """
        from django.shortcuts import get_object_or_404, render
        from django.views.generic import FormView
        from shop.forms import CheckoutForm
        from shop.models import Order

        def order_detail(request, pk):
            order = get_object_or_404(Order, pk=pk)
            return render(request, "order.html", {"order": order})

        class CheckoutView(FormView):
            form_class = CheckoutForm

            def form_valid(self, form):
                orders = Order.objects.filter(paid=False)
                for order in orders:
                    order.mark_paid()
                return super().form_valid(form)
    """,
}


def test_django_view_is_followed_through_its_models(analyse_repo: Analyse) -> None:
    model = analyse_repo(DJANGO_APP)
    detail = _entry(model, "/shop/orders/<int:pk>/")
    assert detail.framework == "Django" and detail.handlers == ("shop.views.order_detail",)
    assert "`pk` (path)" in detail.inputs
    checkout = _entry(model, "/shop/checkout/")
    assert checkout.handlers == ("shop.views.CheckoutView.form_valid",)
    section = _section(model)
    steps = _flow_text(section, "/shop/checkout/")
    # ``Order`` derives from ``models.Model``: its manager is the ORM.
    assert "uses the database through `django.db.models.Model.objects.filter`" in steps
    detail_steps = _flow_text(section, "/shop/orders/<int:pk>/")
    assert "`django.shortcuts.get_object_or_404`" in detail_steps
    assert "template rendering through `django.shortcuts.render`" in detail_steps


def test_an_expression_in_a_django_route_is_no_path_parameter(analyse_repo: Analyse) -> None:
    files = dict(DJANGO_APP)
    files["site_config/urls.py"] = """
        from django.urls import include, path

        prefix = "shop/"
        urlpatterns = [path(prefix, include("shop.urls"))]
    """
    detail = _entry(analyse_repo(files), "/{prefix}orders/<int:pk>/")
    assert detail.inputs == ("`request`", "`pk` (path)")


def test_routes_and_commands_written_under_other_names(analyse_repo: Analyse) -> None:
    files = dict(DJANGO_APP)
    files["shop/compat.py"] = """
        from django.urls import path as route
        import click as cli_tools
    """
    files["shop/urls.py"] = """
        from shop.compat import route as url
        from shop import views

        urlpatterns = [url("orders/<int:pk>/", views.order_detail, name="order")]
    """
    files["shop/cli.py"] = """
        from shop.compat import cli_tools
        from click import command as make_command

        @make_command()
        def sync():
            pass

        @cli_tools.command()
        def clean():
            pass
    """
    model = analyse_repo(files)
    assert _entry(model, "/shop/orders/<int:pk>/").handlers == ("shop.views.order_detail",)
    assert _entry(model, "sync").framework == _entry(model, "clean").framework == "Click"


def test_model_method_reaches_the_database_through_its_base(analyse_repo: Analyse) -> None:
    files = dict(DJANGO_APP)
    files["shop/views.py"] = """
        from shop.models import Order

        def pay(request, pk):
            order = Order(total=1)
            order.mark_paid()
    """
    files["shop/urls.py"] = """
        from django.urls import path
        from shop.views import pay

        urlpatterns = [path("pay/<int:pk>/", pay)]
    """
    steps = _flow_text(_section(analyse_repo(files)), "/shop/pay/<int:pk>/")
    assert "`shop.views.pay` calls `shop.models.Order.mark_paid`" in steps
    assert "`shop.models.Order.mark_paid` uses the database through " \
        "`django.db.models.Model.save`" in steps


CLICK_CLI = {
    "pyproject.toml": """
        [project]
        name = "exporter"
        version = "1.0"
        [project.scripts]
        exporter = "exporter.cli:cli"
    """,
    "exporter/__init__.py": "",
    "exporter/cli.py": """
        import click
        from exporter import service

        @click.group()
        def cli():
            pass

        @cli.command()
        @click.option("--out", default="report.csv")
        @click.option("-v", "--verbose", is_flag=True)
        @click.option("everything", "-a", "--all", is_flag=True)
        @click.option("-q", is_flag=True)
        @click.argument("source")
        def export(source, out, verbose, everything, q):
            rows = service.fetch(source)
            with open(out, "w") as handle:
                handle.write(service.render(rows))
    """,
    "exporter/service.py": """
        import requests

        def fetch(url):
            return requests.get(url, timeout=5).json()

        def render(rows):
            return "\\n".join(rows)
    """,
}


def test_click_command_is_followed_to_its_effects(analyse_repo: Analyse) -> None:
    model = analyse_repo(CLICK_CLI)
    export = _entry(model, "export")
    assert export.kind == "CLI command" and export.framework == "Click"
    # Each option as written on the command line: its long flag, else its short one.
    assert export.inputs == ("`--out`", "`--verbose`", "`--all`", "`-q`", "`source`")
    assert _entry(model, "exporter").handlers == ("exporter.cli.cli",)  # the console script
    steps = _flow_text(_section(model), ": export")
    assert "`exporter.cli.export` calls `exporter.service.fetch`" in steps
    assert "`exporter.service.fetch` uses the external http api through `requests.get`" in steps
    assert "`exporter.cli.export` uses the file system through `builtins.open`" in steps


def test_commands_of_groups_made_by_other_groups(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "tool/__init__.py": "",
        "tool/cli.py": """
            import click

            @click.group(name="tool")
            def root():
                pass

            @root.group()
            def catalog():
                \"\"\"Catalog commands.\"\"\"

            @catalog.group()
            def patterns():
                pass

            @catalog.command("describe")
            def describe():
                pass

            @patterns.command("resolve")
            def resolve_patterns():
                pass

            class Registry:
                def command(self, name):
                    return lambda f: f

            registry = Registry()

            @registry.command("not-click")
            def other():
                pass
        """,
    })
    names = {e.name: e.handlers for e in find_entry_points(model)}
    assert names["describe"] == ("tool.cli.describe",)
    assert names["resolve"] == ("tool.cli.resolve_patterns",)
    assert "not-click" not in names
    # groups that only gather commands are no entry points of their own
    assert not {"tool", "catalog", "patterns"} & names.keys()


def test_celery_task_delay_is_an_enqueue_step(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "jobs/__init__.py": "",
        "jobs/tasks.py": """
            from celery import shared_task
            import smtplib

            @shared_task
            def send_welcome(user_id):
                smtplib.SMTP("localhost").sendmail("a", "b", "hi")
        """,
        "jobs/views.py": """
            from flask import Blueprint
            from jobs.tasks import send_welcome

            bp = Blueprint("users", __name__, url_prefix="/users")

            @bp.route("/<int:user_id>/welcome", methods=["POST"])
            def welcome(user_id):
                send_welcome.delay(user_id)
        """,
    })
    task = _entry(model, "send_welcome")
    assert task.kind == "task consumer" and task.framework == "Celery"
    route = _entry(model, "POST /users/<int:user_id>/welcome")
    assert route.framework == "Flask" and "`user_id` (path)" in route.inputs
    section = _section(model)
    assert "`jobs.views.welcome` hands `jobs.tasks.send_welcome` to the task queue" in \
        _flow_text(section, "/welcome")
    assert "uses the email through `smtplib.SMTP`" in _flow_text(section, "send_welcome")


def test_argparse_management_commands_and_main_blocks(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "tool/__init__.py": "",
        "tool/main.py": """
            import argparse
            import subprocess

            def main():
                parser = argparse.ArgumentParser()
                parser.add_argument("--dry-run", action="store_true")
                parser.add_argument("target")
                args = parser.parse_args()
                subprocess.run(["make", args.target])

            if __name__ == "__main__":
                main()
        """,
        "tool/other.py": """
            import argparse

            def options():
                parser = argparse.ArgumentParser()
                parser.add_argument("--fast", action="store_true")
                return parser.parse_args()

            def run():
                print(options())

            if __name__ == "__main__":
                run()
        """,
        "tool/management/__init__.py": "",
        "tool/management/commands/__init__.py": "",
        "tool/management/commands/reindex.py": """
            from django.core.management.base import BaseCommand

            class Command(BaseCommand):
                def add_arguments(self, parser):
                    parser.add_argument("--batch", type=int)

                def handle(self, *args, **options):
                    pass
        """,
        "tool/management/base.py": """
            from django.core.management.base import BaseCommand

            class ToolCommand(BaseCommand):  # shared by the commands: not one itself
                def handle(self, *args, **options):
                    raise NotImplementedError
        """,
    })
    assert not any(e.name == "base" for e in find_entry_points(model))
    cli = _entry(model, "python tool/main.py")
    assert cli.framework == "argparse" and cli.inputs == ("`--dry-run`", "`target`")
    reindex = _entry(model, "reindex")
    assert reindex.framework == "Django management" and reindex.inputs == ("`--batch`",)
    assert reindex.handlers == ("tool.management.commands.reindex.Command.handle",)
    # main() is covered by its argparse entry: no second "main" entry for the same function,
    # nor for the same command line
    assert [e.kind for e in find_entry_points(model)].count("main") == 0
    names = [e.name for e in find_entry_points(model)]
    assert names.count("python tool/main.py") == 1 and names.count("python tool/other.py") == 1


@pytest.mark.parametrize("source", [
    # A decorator of the same shape on something that is not a framework's router.
    """
    class Router:
        def post(self, path):
            return lambda f: f

    router = Router()

    @router.post("/login")
    def login():
        pass
    """,
    # An unknown receiver: nothing says what ``app`` is.
    """
    @app.get("/items")
    def items():
        pass
    """,
    # ``path`` that is not Django's.
    """
    def path(route, view):
        return route

    def index(request):
        pass

    urlpatterns = [path("", index)]
    """,
])
def test_look_alikes_are_not_entry_points(analyse_repo: Analyse, source: str) -> None:
    model = analyse_repo({"site/__init__.py": "", "site/web.py": source})
    assert find_entry_points(model) == []
    section = _section(model)
    assert "No entry point was found" in section.summary[0].claim
    assert "FastAPI" in section.summary[0].claim  # says what was looked for


def test_unresolved_calls_are_named_not_followed(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "svc/__init__.py": "",
        "svc/api.py": """
            from fastapi import FastAPI
            from svc.store import save

            app = FastAPI()

            @app.post("/things")
            def create(payload: dict):
                thing = build(payload)
                thing.validate()
                save(thing)
        """,
        "svc/store.py": """
            import redis

            client = redis.Redis()

            def save(thing):
                client.set("thing", thing)
        """,
    })
    steps = _flow_text(_section(model), "POST /things")
    assert "`svc.api.create` calls `svc.store.save`" in steps
    assert "`svc.store.save` uses the cache through `redis.Redis.set`" in steps
    assert "Not followed: 2 calls that cannot be resolved statically: `build` and " \
        "`thing.validate`" in steps


def test_flows_are_ranked_by_components_reached(analyse_repo: Analyse) -> None:
    section = _section(analyse_repo(FASTAPI_APP))
    titles = [s.title for s in section.subsections]
    # The login flow crosses api, crud and core; the read route stays in the routes module.
    assert titles[0] == "Flow 1: POST /api/login/access-token"


def test_markdown_numbers_the_steps_and_draws_the_sequence(analyse_repo: Analyse) -> None:
    from syspatterns.render.markdown import render_markdown

    model = analyse_repo(CLICK_CLI)
    text = render_markdown(model, [_section(model)])
    assert "### Flow 1: export" in text
    assert "\n1. CLI command `export` (Click) enters at `exporter.cli.export`" in text
    assert "\n2. `exporter.cli.export` calls `exporter.service.fetch`" in text
    assert "```mermaid\nsequenceDiagram\n    actor A as User" in text


def test_json_keeps_steps_ordered_with_their_diagram(analyse_repo: Analyse) -> None:
    model = analyse_repo(CLICK_CLI)
    flow = _section(model).to_json()["subsections"][0]  # type: ignore[index]
    assert flow["ordered"] is True
    assert flow["diagrams"][0]["mermaid"].startswith("sequenceDiagram")
    # ``rows = service.fetch(source)``
    assert flow["findings"][1]["evidence"] == [{"path": "exporter/cli.py", "line": 15}]


DEPENDENCIES = {
    "api/__init__.py": "",
    "api/deps.py": """
        from typing import Annotated
        from fastapi import Depends
        from sqlalchemy.orm import Session
        from api.models import User

        def get_db():
            with Session(engine) as session:
                yield session

        def get_current_user(db: Session = Depends(get_db)) -> User:
            return db.get(User, 1)

        def audit(user: Annotated[User, Depends(get_current_user)]):
            pass

        CurrentUser = Annotated[User, Depends(get_current_user)]
    """,
    "api/models.py": """
        class User:
            def rename(self, name):
                pass
    """,
    "api/routes.py": """
        from fastapi import APIRouter, Depends
        from api.deps import CurrentUser, audit, get_current_user

        router = APIRouter()

        @router.post("/rename")
        def rename(name: str, user=Depends(get_current_user), _=Depends(audit)):
            user.rename(name)

        @router.get("/me")
        def me(user: CurrentUser):
            return user
    """,
}


def test_injected_dependencies_run_before_the_handler(analyse_repo: Analyse) -> None:
    section = _section(analyse_repo(DEPENDENCIES))
    steps = _flow_text(section, "POST /rename").splitlines()
    assert steps[1:6] == [
        "`api.routes.rename` depends on `api.deps.get_current_user`, which runs first.",
        "`api.deps.get_current_user` depends on `api.deps.get_db`, which runs first.",
        "`api.deps.get_db` uses the database through `sqlalchemy.orm.Session`.",
        "`api.deps.get_current_user` uses the database through `sqlalchemy.orm.Session.get`.",
        # ``get_current_user`` ran already: ``audit`` gets the cached value, no second step
        "`api.routes.rename` depends on `api.deps.audit`, which runs first.",
    ]
    # ``user`` has no annotation: its type is what ``get_current_user`` returns
    assert steps[6] == "`api.routes.rename` calls `api.models.User.rename`."
    # through an ``Annotated`` alias in another module
    assert "`api.routes.me` depends on `api.deps.get_current_user`" in _flow_text(
        section, "GET /me")


def test_a_function_that_is_called_directly_does_not_run_its_dependencies(
        analyse_repo: Analyse) -> None:
    files = dict(DEPENDENCIES)
    files["api/routes.py"] = """
        from fastapi import APIRouter
        from api.deps import audit

        router = APIRouter()

        @router.post("/audit")
        def run_audit():
            audit(None)
    """
    steps = _flow_text(_section(analyse_repo(files)), "POST /audit")
    assert "`api.routes.run_audit` calls `api.deps.audit`" in steps
    assert "depends on" not in steps


HELPERS = {
    "jobs/__init__.py": "",
    "jobs/report.py": """
        import click
        from jobs import store
        from jobs.format import _external

        @click.command()
        def report():
            rows = _collect()
            _save(rows)
            _external(rows)
            publish(rows)

        def _collect():
            return _normalise(_read())

        def _read():
            return []

        def _normalise(rows):
            return rows

        def _save(rows):
            with open("out.txt", "w") as handle:
                handle.write(_render(rows))

        def _render(rows):
            return str(rows)

        def publish(rows):
            _render(rows)
            store.put(rows)
    """,
    "jobs/format.py": """
        def _external(rows):
            return rows
    """,
    "jobs/store.py": """
        def put(rows):
            return _key(rows)

        def _key(rows):
            return "k"
    """,
}


def test_private_helpers_of_the_same_module_fold_into_their_callers_step(
        analyse_repo: Analyse) -> None:
    steps = _flow_text(_section(analyse_repo(HELPERS)), ": report").splitlines()
    assert steps == [
        # ``_collect``, ``_read`` and ``_normalise`` reach nothing else: folded
        "CLI command `report` (Click) enters at `jobs.report.report` (and its private helpers "
        "`_collect`, `_read` and `_normalise`).",
        # ``_save`` uses the file system: a step of its own, ``_render`` folded into it
        "`jobs.report.report` calls `jobs.report._save` (and its private helper `_render`).",
        "`jobs.report._save` uses the file system through `builtins.open`.",
        # a private helper of another module, and a public one of the same module, stay
        "`jobs.report.report` calls `jobs.format._external`.",
        "`jobs.report.report` calls `jobs.report.publish`.",
        "`jobs.report.publish` calls `jobs.store.put` (and its private helper `_key`).",
    ]
    diagram = next(s for s in _section(analyse_repo(HELPERS)).subsections).diagrams[0].mermaid
    assert "_collect" not in diagram and "_save()" in diagram


def test_a_port_call_goes_through_to_the_one_class_constructed_for_it(
        analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "shop/__init__.py": "",
        "shop/ports.py": """
            from typing import Protocol

            class OrderRepository(Protocol):
                def add(self, order): ...
        """,
        "shop/storage.py": """
            from sqlalchemy.orm import Session

            class SqlOrderRepository:
                def __init__(self, session: Session):
                    self.session = session

                def add(self, order):
                    self.session.add(order)
        """,
        "shop/service.py": """
            from shop.ports import OrderRepository

            class OrderService:
                def __init__(self, orders: OrderRepository):
                    self.orders = orders

                def place(self, order):
                    self.orders.add(order)
        """,
        "shop/cli.py": """
            import click
            from sqlalchemy.orm import Session
            from shop.service import OrderService
            from shop.storage import SqlOrderRepository

            service = OrderService(SqlOrderRepository(Session()))

            @click.command()
            def place():
                service.place({})
        """,
    })
    steps = _flow_text(_section(model), ": place").splitlines()
    assert steps[1:] == [
        "`shop.cli.place` calls `shop.service.OrderService.place`.",
        "`shop.service.OrderService.place` calls `shop.storage.SqlOrderRepository.add` through "
        "the port `shop.ports.OrderRepository`.",
        "`shop.storage.SqlOrderRepository.add` uses the database through "
        "`sqlalchemy.orm.Session.add`.",
    ]


def test_a_call_on_what_a_function_returns_is_a_step(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "svc/__init__.py": "",
        "svc/api.py": """
            from fastapi import FastAPI
            from svc.store import get_store

            app = FastAPI()

            @app.post("/things")
            def create(payload: dict):
                get_store().save(payload)
        """,
        "svc/store.py": """
            import redis

            client = redis.Redis()

            class Store:
                def save(self, thing):
                    client.set("thing", thing)

            def get_store() -> Store:
                return Store()
        """,
    })
    steps = _flow_text(_section(model), "POST /things")
    assert "`svc.api.create` calls `svc.store.get_store`." in steps
    assert "`svc.api.create` calls `svc.store.Store.save`." in steps
    assert "`svc.store.Store.save` uses the cache through `redis.Redis.set`" in steps


def _chain(prefix: str, count: int, last: str) -> str:
    """``prefix1`` calls ``prefix2`` ... ``prefix{count}``, which runs ``last``."""
    functions = [f"def {prefix}{n}():\n    {prefix}{n + 1}()\n" for n in range(1, count)]
    return "\n".join([*functions, f"def {prefix}{count}():\n    {last}\n"])


def test_dependencies_have_a_depth_budget_of_their_own(analyse_repo: Analyse) -> None:
    # The handler's dependency is 2 dependencies deep and calls 5 functions one after the
    # other, the last of which opens a file (6 calls from the dependency): all followed, as
    # the framework runs each dependency as it runs the handler.
    model = analyse_repo({
        "api/__init__.py": "",
        "api/chain.py": _chain("step", 5, 'open("x")'),
        "api/routes.py": """
            from fastapi import APIRouter, Depends
            from api.chain import step1

            router = APIRouter()

            def get_inner():
                step1()

            def get_outer(inner=Depends(get_inner)):
                pass

            @router.get("/deep")
            def deep(outer=Depends(get_outer)):
                pass
        """,
    })
    steps = _flow_text(_section(model), "GET /deep")
    assert "`api.routes.get_outer` depends on `api.routes.get_inner`, which runs first." in steps
    assert "`api.chain.step4` calls `api.chain.step5`." in steps
    assert "`api.chain.step5` uses the file system through `builtins.open`." in steps
    assert "Not followed further" not in steps


def test_calls_and_dependencies_are_cut_at_their_depth_limits(analyse_repo: Analyse) -> None:
    last = MAX_DEPTH + 1  # the chain's function one call beyond the limit
    dependencies = "\n".join(
        f"def dep{n}(value=Depends(dep{n + 1})):\n    pass\n" for n in range(1, 7))
    model = analyse_repo({
        "api/__init__.py": "",
        "api/chain.py": _chain("step", last, 'open("x")'),
        "api/deps.py": "from fastapi import Depends\n\ndef dep7():\n    open('y')\n\n"
                       + dependencies,
        "api/routes.py": f"""
            from fastapi import APIRouter, Depends
            from api.chain import step1, step{MAX_DEPTH}
            from api.deps import dep1

            router = APIRouter()

            @router.get("/calls")
            def calls():
                step1()

            @router.get("/dependencies")
            def dependencies(value=Depends(dep1)):
                pass

            @router.get("/both")
            def both():
                step1()
                step{MAX_DEPTH}()
        """,
    })
    section = _section(model)
    calls = _flow_text(section, "GET /calls")
    # the handler's last call within the limit is listed, the next function is not reached
    assert f"`api.chain.step{MAX_DEPTH - 1}` calls `api.chain.step{MAX_DEPTH}`." in calls
    assert f"step{last}" not in calls and "file system" not in calls
    assert f"Not followed further, {MAX_DEPTH} calls deep: `api.chain.step{MAX_DEPTH}`." in calls
    deps = _flow_text(section, "GET /dependencies")
    assert "`api.deps.dep5` depends on `api.deps.dep6`, which runs first." in deps
    assert "dep7" not in deps and "file system" not in deps
    assert "Not followed further, 6 dependencies deep: `api.deps.dep6`." in deps
    # cut at the end of one path, followed from the handler on another
    both = _flow_text(section, "GET /both")
    assert f"`api.routes.both` calls `api.chain.step{MAX_DEPTH}`." in both
    assert f"`api.chain.step{last}` uses the file system through `builtins.open`." in both
    assert "Not followed further" not in both


def test_django_routes_inside_inline_includes_carry_every_prefix(analyse_repo: Analyse) -> None:
    files = dict(DJANGO_APP)
    files["site_config/urls.py"] = """
        from django.urls import include, path, re_path
        from shop import views

        urlpatterns = [
            re_path(
                r"^api/",
                include(
                    [
                        path(
                            "profile/",
                            include(
                                [
                                    path("", views.order_detail, name="profile"),
                                    path("token/", views.order_detail),
                                ],
                            ),
                        ),
                        path(
                            "shop/",
                            include("shop.urls"),
                        ),
                        re_path(r"^v2/", include([re_path(r"^items/$", views.order_detail)])),
                    ],
                ),
            ),
            path("health/", views.order_detail),
            path("legacy/", include([path("old/", views.order_detail)])),
        ]
        # Siblings on one line: only what an include holds gets its prefix.
        from shop.views import order_detail as od
        urlpatterns += [path("v3/", include([path("x/", od)])), path("ping/", od)]
    """
    model = analyse_repo(files)
    names = sorted(entry.name for entry in find_entry_points(model)
                   if entry.framework == "Django")
    assert names == ["/health/", "/legacy/old/", "/ping/", "/v3/x/", "^api/profile/",
                     "^api/profile/token/", "^api/shop/checkout/", "^api/shop/orders/<int:pk>/",
                     "^api/v2/items/$"]


def test_a_long_flow_lists_the_steps_that_reach_sinks_and_other_modules(
        analyse_repo: Analyse) -> None:
    # 50 public functions of the same module set up a registry before the command runs.
    setup = "".join(f"def register_{n}(registry):\n    registry.append({n})\n\n"
                    for n in range(50))
    calls = "".join(f"    register_{n}(registry)\n" for n in range(50))
    model = analyse_repo({
        "pyproject.toml": '[project]\nname = "tool"\n[project.scripts]\ntool = "tool.main:cli"\n',
        "tool/__init__.py": "",
        "tool/main.py": "import sys\nfrom tool import store\n\n" + setup
        + "def build_registry():\n    registry = []\n" + calls + "    return registry\n\n"
        "def cli():\n    registry = build_registry()\n    store.save(sys.argv[1])\n\n"
        "if __name__ == '__main__':\n    cli()\n",
        "tool/store.py": "def save(text):\n    with open('out.txt', 'w') as f:\n"
                         "        f.write(text)\n",
    })
    section = _section(model)
    assert len(section.subsections) == 1  # two entry points, one handler: one flow
    steps = _flow_text(section, "Flow 1: tool")  # the installed command heads it
    assert "The same flow runs for `python tool/main.py`." in steps
    assert "`tool.main.cli` calls `tool.store.save`" in steps
    assert "`tool.store.save` uses the file system through `builtins.open`" in steps
    assert "`tool.main.build_registry` calls `tool.main.register_0`" in steps
    assert "Not listed: 13 more steps of this flow" in steps
    assert sum(" calls " in f.claim or " uses " in f.claim
               for f in section.subsections[0].findings) == 40


def test_main_blocks_calling_only_other_libraries_are_entry_points(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "prepare.py": "import numpy\nif __name__ == '__main__':\n    numpy.save('x', [1])\n",
        "train.py": "from model import build\nnet = build()\nnet.fit()\n",
        "model.py": "def build():\n    return object()\n",
    })
    section = _section(model)
    claims = [f.claim for f in section.findings if f.aspect == "Entry points"]
    assert "`python prepare.py` (main, main guard) runs code that calls no function of the " \
           "repository." in claims
    assert "`python train.py` (main, script) is handled by `model.build`." in claims


def test_django_includes_with_an_application_namespace(analyse_repo: Analyse) -> None:
    files = dict(DJANGO_APP)
    files["site_config/urls.py"] = """
        from django.urls import include, path

        urlpatterns = [
            path("store/", include(("shop.urls", "shop"), namespace="store")),
            path("other/", include((helper_patterns, "helper"))),  # a variable: not read
        ]
    """
    model = analyse_repo(files)
    names = sorted(entry.name for entry in find_entry_points(model)
                   if entry.framework == "Django")
    assert names == ["/store/checkout/", "/store/orders/<int:pk>/"]


def test_the_listed_entry_points_are_shared_out_between_kinds(analyse_repo: Analyse) -> None:
    from syspatterns.analysers.data_flow import ENTRY_LIMIT

    commands = {f"shop/management/commands/task_{n:02d}.py":
                "from django.core.management.base import BaseCommand\n"
                "class Command(BaseCommand):\n    def handle(self, *a, **k):\n        pass\n"
                for n in range(ENTRY_LIMIT)}
    files = {**DJANGO_APP, **commands, "shop/management/__init__.py": "",
             "shop/management/commands/__init__.py": ""}
    findings = [f.claim for f in _section(analyse_repo(files)).findings
                if f.aspect == "Entry points"]
    listed = findings[:-1]
    assert len(listed) == ENTRY_LIMIT
    assert any("(HTTP route, Django)" in claim for claim in listed)  # not crowded out
    assert findings[-1].startswith("And 3 more entry points: `task_37`")


def test_a_main_module_runs_its_top_level(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "tool/__init__.py": "",
        "tool/cli.py": "def main():\n    open('out.txt', 'w')\n",
        "tool/__main__.py": "from .cli import main\nmain()\n",
    })
    claims = [f.claim for f in _section(model).findings if f.aspect == "Entry points"]
    assert any(c.startswith("`python -m tool` (main, python -m) is handled by `tool.cli.main`")
               for c in claims)


def test_http_server_request_handlers_answer_each_method_they_define(
        analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "srv/__init__.py": "",
        "srv/server.py": """
            import subprocess
            from http.server import BaseHTTPRequestHandler, HTTPServer

            class Base(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.wfile.write(b"ok")

            class Hooks(Base):
                def do_POST(self):
                    subprocess.run(["deploy"])

            class Helper:  # the same method name, no request handler
                def do_GET(self):
                    pass

            def serve():
                HTTPServer(("", 8000), Hooks).serve_forever()
        """,
        "srv/local.py": """
            class BaseHTTPRequestHandler:  # the repository's own class of that name
                pass

            class Mine(BaseHTTPRequestHandler):
                def do_GET(self):
                    pass
        """,
    })
    found = sorted((e.name, e.handlers) for e in find_entry_points(model)
                   if e.framework == "http.server")
    assert found == [
        ("GET Base", ("srv.server.Base.do_GET",)),
        ("GET Hooks", ("srv.server.Base.do_GET",)),
        ("POST Hooks", ("srv.server.Hooks.do_POST",)),
    ]
    hooks = _entry(model, "POST Hooks")
    assert hooks.kind == "HTTP route" and hooks.evidence.line == 8
