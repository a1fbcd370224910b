"""OrderService against in-memory fakes: no database, network or broker."""

from decimal import Decimal

import pytest

from fakes import FakePaymentGateway, InMemoryCatalog, InMemoryOrderRepository, RecordingNotifier
from orderly.core.errors import (
    ConflictError,
    InvalidOrderError,
    NotFoundError,
    PaymentDeclinedError,
)
from orderly.domain.models import OrderStatus, Product
from orderly.domain.services import OrderItem, OrderService

BOOK = Product(sku="BOOK-001", name="Release It!", unit_price=Decimal("39.90"), stock=25)
MUG = Product(sku="MUG-002", name="Enamel mug", unit_price=Decimal("12.50"), stock=3)


def make_service(
    *, approve: bool = True
) -> tuple[OrderService, InMemoryOrderRepository, FakePaymentGateway, RecordingNotifier]:
    orders = InMemoryOrderRepository()
    gateway = FakePaymentGateway(approve=approve)
    notifier = RecordingNotifier()
    service = OrderService(orders, gateway, InMemoryCatalog(BOOK, MUG), notifier)
    return service, orders, gateway, notifier


def test_place_order_charges_the_total_and_saves_a_paid_order() -> None:
    service, orders, gateway, notifier = make_service()

    order = service.place_order(7, [OrderItem("BOOK-001", 2), OrderItem("MUG-002", 1)])

    assert order.status is OrderStatus.PAID
    assert order.total == Decimal("92.30")
    assert [c.amount for c in gateway.charges] == [Decimal("92.30")]
    assert order.id in orders.orders
    assert notifier.events == [("placed", order.id)]


def test_empty_order_is_rejected() -> None:
    service, _, gateway, _ = make_service()

    with pytest.raises(InvalidOrderError):
        service.place_order(7, [])
    assert gateway.charges == []


def test_unknown_sku_is_not_found() -> None:
    service, *_ = make_service()

    with pytest.raises(NotFoundError, match="NOPE"):
        service.place_order(7, [OrderItem("NOPE", 1)])


def test_ordering_more_than_the_stock_conflicts() -> None:
    service, _, gateway, _ = make_service()

    with pytest.raises(ConflictError):
        service.place_order(7, [OrderItem("MUG-002", 4)])
    assert gateway.charges == []


def test_declined_payment_saves_nothing() -> None:
    service, orders, _, notifier = make_service(approve=False)

    with pytest.raises(PaymentDeclinedError, match="insufficient_funds"):
        service.place_order(7, [OrderItem("BOOK-001", 1)])
    assert orders.orders == {}
    assert notifier.events == []


def test_cancel_refunds_a_paid_order() -> None:
    service, orders, gateway, _ = make_service()
    order = service.place_order(7, [OrderItem("BOOK-001", 1)])
    assert order.id is not None

    cancelled = service.cancel_order(order.id, customer_id=7)

    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert gateway.refunds == [(order.payment_reference, Decimal("39.90"))]
    assert orders.orders[order.id].status is OrderStatus.CANCELLED


def test_cancelling_twice_conflicts() -> None:
    service, *_ = make_service()
    order = service.place_order(7, [OrderItem("BOOK-001", 1)])
    assert order.id is not None
    service.cancel_order(order.id, customer_id=7)

    with pytest.raises(ConflictError):
        service.cancel_order(order.id, customer_id=7)


def test_another_customers_order_looks_missing() -> None:
    service, *_ = make_service()
    order = service.place_order(7, [OrderItem("BOOK-001", 1)])
    assert order.id is not None

    with pytest.raises(NotFoundError):
        service.cancel_order(order.id, customer_id=8)


def test_list_orders_pages_newest_first() -> None:
    service, *_ = make_service()
    placed = [service.place_order(7, [OrderItem("BOOK-001", 1)]) for _ in range(5)]
    service.place_order(8, [OrderItem("BOOK-001", 1)])

    page, total = service.list_orders(7, page=2, page_size=2)

    assert total == 5
    assert [o.id for o in page] == [placed[2].id, placed[1].id]
