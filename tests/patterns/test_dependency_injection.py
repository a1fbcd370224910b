"""Dependency Injection: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import dependency_injection

from .helpers import Analyse, detect, labels


def test_depends_providers_and_constructor_injection(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, dependency_injection.DETECTOR, {
        "api/__init__.py": "",
        "api/ports.py": """
            import abc
            from typing import Protocol
            class Orders(Protocol):
                def get(self, pk): ...
            class Payments(abc.ABC):
                @abc.abstractmethod
                def charge(self, amount): ...
        """,
        "api/service.py": """
            from api.ports import Orders, Payments
            class OrderService:
                def __init__(self, orders: Orders, payments: Payments, limit: int) -> None: ...
        """,
        "api/routes.py": """
            from fastapi import Depends
            def read(db=Depends(get_db), user=Depends(get_user)): ...
            def write(db=Depends(get_db)): ...
        """,
    })
    assert labels(found) == ["get_db", "get_user", "OrderService.__init__"]
    assert found is not None
    assert "`Depends(get_db)` provides a dependency at 2 places" in found.implementation
    assert "`OrderService` receives `Orders` and `Payments` (interfaces)" in (
        found.implementation)


def test_plain_constructors_are_not_injection(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, dependency_injection.DETECTOR, {
            "app/__init__.py": "", "app/s.py": """
        class Base:
            def hook(self):
                raise NotImplementedError
        class Repo: ...
        class Service:
            def __init__(self, repo: Repo, base: Base, size: int) -> None: ...
    """}) is None
