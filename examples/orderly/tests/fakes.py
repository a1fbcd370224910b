"""In-memory test doubles for the domain ports and for Redis."""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import count

from orderly.domain.models import Order, PaymentResult, Product


class InMemoryOrderRepository:
    def __init__(self) -> None:
        self.orders: dict[int, Order] = {}
        self._ids = count(1)

    def add(self, order: Order) -> Order:
        saved = replace(order, id=next(self._ids))
        self.orders[saved.id] = saved
        return replace(saved)

    def get(self, order_id: int) -> Order | None:
        order = self.orders.get(order_id)
        return replace(order) if order is not None else None

    def update(self, order: Order) -> Order:
        assert order.id in self.orders
        self.orders[order.id] = replace(order)
        return order

    def list_for_customer(self, customer_id: int, *, limit: int, offset: int) -> list[Order]:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        mine.sort(key=lambda o: (o.created_at, o.id), reverse=True)
        return mine[offset : offset + limit]

    def count_for_customer(self, customer_id: int) -> int:
        return sum(1 for o in self.orders.values() if o.customer_id == customer_id)


class InMemoryCatalog:
    def __init__(self, *products: Product) -> None:
        self.products = {p.sku: p for p in products}

    def get_product(self, sku: str) -> Product | None:
        return self.products.get(sku)


@dataclass
class Charge:
    customer_id: int
    amount: Decimal
    currency: str
    idempotency_key: str


@dataclass
class FakePaymentGateway:
    approve: bool = True
    charges: list[Charge] = field(default_factory=list)
    refunds: list[tuple[str, Decimal]] = field(default_factory=list)

    def charge(
        self, *, customer_id: int, amount: Decimal, currency: str, idempotency_key: str
    ) -> PaymentResult:
        self.charges.append(Charge(customer_id, amount, currency, idempotency_key))
        if not self.approve:
            return PaymentResult(approved=False, decline_reason="insufficient_funds")
        return PaymentResult(approved=True, reference=f"ch_{len(self.charges)}")

    def refund(self, *, reference: str, amount: Decimal, currency: str) -> None:
        self.refunds.append((reference, amount))


@dataclass
class RecordingNotifier:
    events: list[tuple[str, int | None]] = field(default_factory=list)

    def order_placed(self, order: Order) -> None:
        self.events.append(("placed", order.id))

    def order_cancelled(self, order: Order) -> None:
        self.events.append(("cancelled", order.id))


class FakeRedis:
    """The handful of Redis commands ProductCache uses, kept in a dict (TTLs ignored)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def set(self, key: str, value: str, ex: int | None = None) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)

    def pipeline(self, transaction: bool = True) -> "FakeRedis":
        return self

    def execute(self) -> list[object]:
        return []
