"""Repository: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import repository

from .helpers import Analyse, detect, labels


def test_classes_working_through_a_session(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, repository.DETECTOR, {
        "shop/__init__.py": "",
        "shop/ports.py": """
            from typing import Protocol
            class Orders(Protocol):
                def add(self, order): ...
                def get(self, order_id): ...
        """,
        "shop/sql.py": """
            from sqlalchemy.orm import Session
            class SqlOrders:
                def __init__(self, session: Session) -> None: ...
                def add(self, order): ...
                def get(self, order_id): ...
            class Reports:
                def __init__(self, session: Session) -> None: ...
                def monthly(self): ...
                def yearly(self): ...
        """,
    })
    assert labels(found) == ["SqlOrders", "Reports"]
    assert found is not None and found.confidence == 0.85
    assert "`SqlOrders` implements `Orders` with a `sqlalchemy.orm.Session`" in (
        found.implementation)


def test_database_driver_backends_are_not_repositories(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, repository.DETECTOR, {
        "db/__init__.py": "",
        "db/base.py": """
            class BaseDatabaseWrapper:
                def connect(self):
                    raise NotImplementedError
        """,
        "db/postgres.py": """
            import psycopg
            from db.base import BaseDatabaseWrapper
            class DatabaseWrapper(BaseDatabaseWrapper):
                def connect(self): ...
            class Helper:
                def __init__(self, session: Session) -> None: ...
        """,
    }) is None
