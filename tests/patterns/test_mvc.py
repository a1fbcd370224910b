"""Model-View-Controller / Model-Template-View: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import mvc

from .helpers import Analyse, detect, labels

DJANGO_APP = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models
        class Order(models.Model):
            total = models.DecimalField()
    """,
    "shop/views.py": """
        from django.views.generic import ListView
        class OrderList(ListView): ...
        def detail(request, pk): ...
        def helper(value): ...
    """,
}


def test_django_models_views_and_templates(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, mvc.DETECTOR, {
        **DJANGO_APP, "shop/templates/shop/order_list.html": "<ul></ul>\n"})
    assert found is not None and found.pattern == "Model-Template-View (MTV)"
    assert found.confidence == 0.85
    assert labels(found) == ["Order", "OrderList", "detail", "shop/templates/"]
    assert "2 views (`OrderList` and `detail`)" in found.implementation


def test_routed_functions_and_sqlalchemy_models(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, mvc.DETECTOR, {
        "web/__init__.py": "",
        "web/db.py": """
            from sqlalchemy.orm import declarative_base
            Base = declarative_base()
            class User(Base):
                __tablename__ = "users"
        """,
        "web/views.py": """
            from flask import Blueprint
            bp = Blueprint("users", __name__)
            @bp.route("/users")
            def users(): ...
        """,
        "web/templates/users.html": "<p></p>\n",
    })
    assert found is not None and found.pattern == "Model-View-Controller"
    assert labels(found) == ["User", "users", "web/templates/"]


def test_without_templates_the_confidence_stays_low(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, mvc.DETECTOR, DJANGO_APP)
    assert found is not None and found.confidence == 0.5
    assert detect(analyse_repo, mvc.DETECTOR, {"shop/__init__.py": "", "shop/views.py": """
        def detail(request, pk): ...
    """, "shop/templates/a.html": "x"}) is None


def test_flask_sqlalchemy_models_through_the_extension_object(analyse_repo: Analyse) -> None:
    files = {
        "web/__init__.py": "",
        "web/extensions.py": """
            from flask_sqlalchemy import SQLAlchemy
            db = SQLAlchemy()
        """,
        "web/database.py": """
            from web.extensions import db
            Model = db.Model
        """,
        "web/models.py": """
            from web.database import Model
            from web.extensions import db
            class User(db.Model):
                name = db.Column(db.String)
            class Post(Model):
                title = db.Column(db.String)
        """,
        "web/views.py": """
            from flask import Blueprint
            bp = Blueprint("users", __name__)
            @bp.route("/users")
            def users(): ...
        """,
        "web/templates/users.html": "<p></p>\n",
    }
    found = detect(analyse_repo, mvc.DETECTOR, files)
    assert found is not None and labels(found) == ["User", "Post", "users", "web/templates/"]
    # ``Model`` of an object the repository's own class makes is not a model base
    files["web/extensions.py"] = """
        class Registry:
            Model = object
        db = Registry()
    """
    assert detect(analyse_repo, mvc.DETECTOR, files) is None
