"""The order service: the single entry point for changing orders."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import uuid4

from orderly.core.errors import (
    ConflictError,
    InvalidOrderError,
    NotFoundError,
    PaymentDeclinedError,
)
from orderly.core.logging import get_logger
from orderly.domain.models import Order, OrderLine, OrderStatus
from orderly.domain.ports import Notifier, OrderRepository, PaymentGateway, ProductCatalog

logger = get_logger(__name__)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class OrderItem:
    """What the customer asked for, before pricing."""

    sku: str
    quantity: int


class OrderService:
    def __init__(
        self,
        orders: OrderRepository,
        payments: PaymentGateway,
        catalog: ProductCatalog,
        notifier: Notifier | None = None,
        *,
        currency: str = "EUR",
    ) -> None:
        self._orders = orders
        self._payments = payments
        self._catalog = catalog
        self._notifier = notifier
        self._currency = currency

    def place_order(self, customer_id: int, items: Sequence[OrderItem]) -> Order:
        """Price the items, charge the customer and persist the paid order."""
        if not items:
            raise InvalidOrderError("an order needs at least one line")
        lines = [self._price(sku, qty) for sku, qty in _merge_quantities(items)]
        order = Order(customer_id=customer_id, lines=lines, currency=self._currency)

        result = self._payments.charge(
            customer_id=customer_id,
            amount=order.total,
            currency=order.currency,
            idempotency_key=uuid4().hex,
        )
        if not result.approved or result.reference is None:
            logger.info("payment declined", extra={"customer_id": customer_id})
            raise PaymentDeclinedError(result.decline_reason or "payment was declined")

        order.mark_paid(result.reference)
        saved = self._orders.add(order)
        logger.info("order placed", extra={"order_id": saved.id, "total": str(saved.total)})
        if self._notifier is not None:
            self._notifier.order_placed(saved)
        return saved

    def cancel_order(self, order_id: int, *, customer_id: int) -> Order:
        order = self.get_order(order_id, customer_id=customer_id)
        was_paid = order.status is OrderStatus.PAID
        order.cancel()
        if was_paid and order.payment_reference is not None:
            self._payments.refund(
                reference=order.payment_reference, amount=order.total, currency=order.currency
            )
        saved = self._orders.update(order)
        logger.info("order cancelled", extra={"order_id": order_id, "refunded": was_paid})
        if self._notifier is not None:
            self._notifier.order_cancelled(saved)
        return saved

    def get_order(self, order_id: int, *, customer_id: int) -> Order:
        order = self._orders.get(order_id)
        # Someone else's order is reported as missing so ids cannot be probed.
        if order is None or order.customer_id != customer_id:
            raise NotFoundError(f"order {order_id} not found")
        return order

    def list_orders(
        self, customer_id: int, *, page: int = 1, page_size: int = 20
    ) -> tuple[list[Order], int]:
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidOrderError("page must be >= 1 and page_size between 1 and 100")
        offset = (page - 1) * page_size
        orders = self._orders.list_for_customer(customer_id, limit=page_size, offset=offset)
        return orders, self._orders.count_for_customer(customer_id)

    def _price(self, sku: str, quantity: int) -> OrderLine:
        product = self._catalog.get_product(sku)
        if product is None:
            raise NotFoundError(f"unknown product {sku!r}")
        if product.stock < quantity:
            raise ConflictError(f"only {product.stock} of {sku!r} left in stock")
        return OrderLine(sku=sku, quantity=quantity, unit_price=product.unit_price)


def _merge_quantities(items: Iterable[OrderItem]) -> list[tuple[str, int]]:
    """Combine repeated SKUs into one line, keeping first-seen order."""
    merged: dict[str, int] = {}
    for item in items:
        if item.quantity <= 0:
            raise InvalidOrderError(f"quantity for {item.sku!r} must be positive")
        merged[item.sku] = merged.get(item.sku, 0) + item.quantity
    return list(merged.items())
