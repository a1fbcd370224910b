"""SQL implementations of the domain's order and customer repository ports."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session, selectinload

from orderly.core.errors import ConflictError, NotFoundError
from orderly.domain.models import Customer, Order, OrderLine, OrderStatus
from orderly.storage.tables import CustomerRow, OrderLineRow, OrderRow


class SqlOrderRepository:
    """Implements ``orderly.domain.ports.OrderRepository``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, order: Order) -> Order:
        row = OrderRow(
            customer_id=order.customer_id,
            status=order.status.value,
            currency=order.currency,
            payment_reference=order.payment_reference,
            created_at=order.created_at,
            lines=[
                OrderLineRow(sku=line.sku, quantity=line.quantity, unit_price=line.unit_price)
                for line in order.lines
            ],
        )
        self._session.add(row)
        self._session.flush()
        return _order_to_domain(row)

    def get(self, order_id: int) -> Order | None:
        stmt = select(OrderRow).options(selectinload(OrderRow.lines)).where(OrderRow.id == order_id)
        row = self._session.scalars(stmt).one_or_none()
        return _order_to_domain(row) if row is not None else None

    def update(self, order: Order) -> Order:
        row = self._session.get(OrderRow, order.id) if order.id is not None else None
        if row is None:
            raise NotFoundError(f"order {order.id} not found")
        row.status = order.status.value
        row.payment_reference = order.payment_reference
        row.cancelled_at = order.cancelled_at
        self._session.flush()
        return order

    def list_for_customer(self, customer_id: int, *, limit: int, offset: int) -> list[Order]:
        stmt = (
            select(OrderRow)
            .options(selectinload(OrderRow.lines))
            .where(OrderRow.customer_id == customer_id)
            .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_order_to_domain(row) for row in self._session.scalars(stmt)]

    def count_for_customer(self, customer_id: int) -> int:
        stmt = select(func.count()).select_from(OrderRow).where(OrderRow.customer_id == customer_id)
        return self._session.scalar(stmt) or 0

    def delete_cancelled_before(self, cutoff: datetime) -> int:
        """Housekeeping for the beat schedule; order lines go with the FK cascade."""
        stmt = delete(OrderRow).where(
            OrderRow.status == OrderStatus.CANCELLED.value, OrderRow.cancelled_at < cutoff
        )
        result = cast(CursorResult[Any], self._session.execute(stmt))
        return result.rowcount


class SqlCustomerRepository:
    """Implements ``orderly.domain.ports.CustomerRepository``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, customer_id: int) -> Customer | None:
        row = self._session.get(CustomerRow, customer_id)
        return _customer_to_domain(row) if row is not None else None

    def get_by_email(self, email: str) -> Customer | None:
        stmt = select(CustomerRow).where(func.lower(CustomerRow.email) == email.strip().lower())
        row = self._session.scalars(stmt).one_or_none()
        return _customer_to_domain(row) if row is not None else None

    def add(self, *, email: str, full_name: str, password_hash: str) -> Customer:
        if self.get_by_email(email) is not None:
            raise ConflictError(f"a customer with e-mail {email!r} already exists")
        row = CustomerRow(
            email=email.strip().lower(), full_name=full_name, password_hash=password_hash
        )
        self._session.add(row)
        self._session.flush()
        return _customer_to_domain(row)


def _order_to_domain(row: OrderRow) -> Order:
    return Order(
        id=row.id,
        customer_id=row.customer_id,
        status=OrderStatus(row.status),
        currency=row.currency,
        payment_reference=row.payment_reference,
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
        lines=[
            OrderLine(sku=line.sku, quantity=line.quantity, unit_price=line.unit_price)
            for line in row.lines
        ],
    )


def _customer_to_domain(row: CustomerRow) -> Customer:
    return Customer(
        id=row.id,
        email=row.email,
        full_name=row.full_name,
        password_hash=row.password_hash,
        is_active=row.is_active,
    )
