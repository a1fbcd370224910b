"""Service layer: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import service_layer

from .helpers import Analyse, detect, labels

PORTS = """
    from typing import Protocol
    class Orders(Protocol):
        def add(self, order): ...
    class Payments(Protocol):
        def charge(self, amount): ...
"""
SERVICE = """
    from domain.ports import Orders, Payments
    class OrderService:
        def __init__(self, orders: Orders, payments: Payments) -> None: ...
        def place(self, order): ...
        def cancel(self, order_id): ...
"""


def test_service_between_routes_and_ports(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, service_layer.DETECTOR, {
                "domain/__init__.py": "",
        "domain/ports.py": PORTS,
        "domain/services.py": SERVICE,
        "api/__init__.py": "",
        "api/routes.py": "from domain.services import OrderService\n",
    })
    assert labels(found) == ["OrderService"]
    assert found is not None and (
        "`OrderService` offers `place` and `cancel`, coordinating `Orders` and `Payments`; "
        "`api` calls it") in found.implementation


def test_unused_service_or_plain_collaborators(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, service_layer.DETECTOR, {
                "domain/__init__.py": "",
        "domain/ports.py": PORTS,
        "domain/services.py": SERVICE + """
    class Context:
        def __init__(self, app: App, request: Request) -> None: ...
        def push(self): ...
        def pop(self): ...
""",
        "api/__init__.py": "",
        "api/routes.py": "from domain.services import Context\n",
    }) is None


def test_one_operation_defined_again_is_still_one(analyse_repo: Analyse) -> None:
    # ``place`` with its ``@overload`` variants is one operation: no service layer.
    assert detect(analyse_repo, service_layer.DETECTOR, {
        "domain/__init__.py": "",
        "domain/ports.py": PORTS,
        "domain/services.py": """
    from typing import overload
    from domain.ports import Orders, Payments
    class OrderService:
        def __init__(self, orders: Orders, payments: Payments) -> None: ...
        @overload
        def place(self, order: int): ...
        @overload
        def place(self, order: str): ...
        def place(self, order): ...
""",
        "api/__init__.py": "",
        "api/routes.py": "from domain.services import OrderService\n",
    }) is None
