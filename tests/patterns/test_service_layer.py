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


SERVICE_MODULES = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/services.py": """
        from shop.orders.models import Order

        def place_order(user, items):
            return Order.objects.create(user=user)

        def cancel_order(order_id):
            Order.objects.filter(pk=order_id).delete()

        def _audit(order):
            pass
    """,
    "shop/orders/models.py": """
        from django.db import models

        class Order(models.Model):
            pass
    """,
    "shop/orders/views.py": """
        from django.http import JsonResponse
        from shop.orders import services

        def place(request):
            return JsonResponse(services.place_order(request.user, []))

        def cancel(request, pk):
            services.cancel_order(pk)
            return JsonResponse({})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop.orders import views

        urlpatterns = [path("orders/", views.place), path("orders/<int:pk>/", views.cancel)]
    """,
}


def test_a_services_module_whose_operations_the_entry_points_call(
        analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, service_layer.DETECTOR, SERVICE_MODULES)
    assert labels(found) == ["shop.orders.services"]
    assert found is not None and found.confidence == 0.7
    assert ("`shop.orders.services` offers `place_order` and `cancel_order`, which 2 entry "
            "points (`/orders/` and `/orders/<int:pk>/`) call") in found.implementation


def test_a_services_module_the_entry_points_do_not_call_twice(analyse_repo: Analyse) -> None:
    one_operation = dict(SERVICE_MODULES)
    one_operation["shop/orders/views.py"] = """
        from django.http import JsonResponse
        from shop.orders import services

        def place(request):
            return JsonResponse(services.place_order(request.user, []))

        def cancel(request, pk):
            return JsonResponse({})
    """
    assert detect(analyse_repo, service_layer.DETECTOR, one_operation) is None
    # the same functions in a module not named as services: plain calls
    renamed = {path.replace("services", "logic"): text.replace("services", "logic")
               for path, text in SERVICE_MODULES.items()}
    assert detect(analyse_repo, service_layer.DETECTOR, renamed) is None
    # called from other code, never from an entry point's handler
    internal = dict(SERVICE_MODULES)
    internal["shop/urls.py"] = "urlpatterns = []\n"
    internal["shop/jobs.py"] = """
        from shop.orders import services

        def nightly():
            services.place_order(None, [])
            services.cancel_order(1)
    """
    assert detect(analyse_repo, service_layer.DETECTOR, internal) is None
    # a logging service's methods are not operations
    logging = {
        "api/__init__.py": "",
        "api/logging_service.py": """
            import logging

            class Logger:
                def info(self, text):
                    logging.info(text)

                def error(self, text):
                    logging.error(text)

            log = Logger()
        """,
        "api/app.py": """
            from flask import Flask
            from api.logging_service import log

            app = Flask(__name__)

            @app.get("/a")
            def first():
                log.info("a")
                log.error("b")
        """,
    }
    assert detect(analyse_repo, service_layer.DETECTOR, logging) is None
