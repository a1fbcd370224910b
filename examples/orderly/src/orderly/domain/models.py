"""Domain entities and value objects."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from orderly.core.errors import ConflictError


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Customer:
    id: int
    email: str
    full_name: str
    password_hash: str
    is_active: bool = True


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    unit_price: Decimal
    stock: int


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class PaymentResult:
    approved: bool
    reference: str | None = None
    decline_reason: str | None = None


@dataclass
class Order:
    customer_id: int
    lines: list[OrderLine]
    currency: str = "EUR"
    status: OrderStatus = OrderStatus.PENDING
    id: int | None = None
    payment_reference: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    cancelled_at: datetime | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal("0"))

    def mark_paid(self, reference: str) -> None:
        if self.status is not OrderStatus.PENDING:
            raise ConflictError(f"order in status {self.status} cannot be paid")
        self.status = OrderStatus.PAID
        self.payment_reference = reference

    def cancel(self) -> None:
        if self.status in (OrderStatus.CANCELLED, OrderStatus.SHIPPED):
            raise ConflictError(f"order in status {self.status} cannot be cancelled")
        self.status = OrderStatus.CANCELLED
        self.cancelled_at = datetime.now(UTC)
