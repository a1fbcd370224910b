"""Hexagonal architecture: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import hexagonal

from .helpers import Analyse, detect, labels

CORE = {
    "domain/__init__.py": "",
    "domain/ports.py": """
        from typing import Protocol
        class Orders(Protocol):
            def add(self, order): ...
        class Payments(Protocol):
            def charge(self, amount): ...
    """,
    "domain/services.py": """
        from domain.ports import Orders, Payments
        class OrderService:
            def __init__(self, orders: Orders, payments: Payments) -> None: ...
    """,
    "adapters/__init__.py": "",
    "adapters/sql.py": """
        from domain.ports import Orders
        class SqlOrders(Orders):
            def add(self, order): ...
    """,
    "adapters/stripe.py": """
        class StripePayments:
            def charge(self, amount): ...
    """,
}


def test_core_ports_implemented_outside(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, hexagonal.DETECTOR, CORE)
    assert labels(found) == ["Orders", "Payments"]
    assert found is not None and (
        "`domain` defines `Orders` and `Payments`; classes in `adapters` implement them; "
        "`domain` imports none of those components") in found.implementation


def test_core_importing_its_adapters_is_not_hexagonal(analyse_repo: Analyse) -> None:
    files = dict(CORE)
    files["domain/wiring.py"] = "from adapters.sql import SqlOrders\n"
    assert detect(analyse_repo, hexagonal.DETECTOR, files) is None


def test_extension_points_the_core_never_takes_are_not_ports(analyse_repo: Analyse) -> None:
    files = dict(CORE)
    files["domain/services.py"] = "class OrderService: ...\n"
    assert detect(analyse_repo, hexagonal.DETECTOR, files) is None
