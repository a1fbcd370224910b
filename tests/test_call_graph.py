"""The static call graph: what a call written in a function refers to."""

from __future__ import annotations

from collections.abc import Callable

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
