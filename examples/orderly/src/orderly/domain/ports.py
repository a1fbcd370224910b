"""Interfaces the domain needs from the outside world; adapters implement them."""

from decimal import Decimal
from typing import Protocol

from orderly.domain.models import Customer, Order, PaymentResult, Product


class OrderRepository(Protocol):
    def add(self, order: Order) -> Order: ...

    def get(self, order_id: int) -> Order | None: ...

    def update(self, order: Order) -> Order: ...

    def list_for_customer(self, customer_id: int, *, limit: int, offset: int) -> list[Order]: ...

    def count_for_customer(self, customer_id: int) -> int: ...


class CustomerRepository(Protocol):
    def get(self, customer_id: int) -> Customer | None: ...

    def get_by_email(self, email: str) -> Customer | None: ...


class ProductCatalog(Protocol):
    def get_product(self, sku: str) -> Product | None: ...


class PaymentGateway(Protocol):
    def charge(
        self, *, customer_id: int, amount: Decimal, currency: str, idempotency_key: str
    ) -> PaymentResult: ...

    def refund(self, *, reference: str, amount: Decimal, currency: str) -> None: ...


class Notifier(Protocol):
    """Tells the customer what happened to their order; must not block the request."""

    def order_placed(self, order: Order) -> None: ...

    def order_cancelled(self, order: Order) -> None: ...
