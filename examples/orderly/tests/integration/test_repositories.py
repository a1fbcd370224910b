"""SQL repositories against a real database (SQLite locally, Postgres in CI)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from orderly.core.errors import ConflictError
from orderly.domain.models import Customer, Order, OrderLine, OrderStatus
from orderly.storage.catalog import SqlProductCatalog
from orderly.storage.repositories import SqlCustomerRepository, SqlOrderRepository

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("products")]


def _paid_order(customer_id: int, created_at: datetime) -> Order:
    order = Order(
        customer_id=customer_id,
        lines=[
            OrderLine("BOOK-001", 1, Decimal("39.90")),
            OrderLine("MUG-002", 2, Decimal("12.50")),
        ],
        created_at=created_at,
    )
    order.mark_paid("ch_test")
    return order


def test_order_round_trips_with_its_lines(session: Session, customer: Customer) -> None:
    repo = SqlOrderRepository(session)

    saved = repo.add(_paid_order(customer.id, datetime(2024, 5, 1, tzinfo=UTC)))
    session.expunge_all()
    loaded = repo.get(saved.id) if saved.id is not None else None

    assert loaded is not None
    assert loaded.status is OrderStatus.PAID
    assert loaded.total == Decimal("64.90")
    assert [(line.sku, line.quantity) for line in loaded.lines] == [
        ("BOOK-001", 1),
        ("MUG-002", 2),
    ]


def test_list_for_customer_is_newest_first_and_paged(session: Session, customer: Customer) -> None:
    repo = SqlOrderRepository(session)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    ids = [repo.add(_paid_order(customer.id, start + timedelta(days=i))).id for i in range(4)]

    page = repo.list_for_customer(customer.id, limit=2, offset=1)

    assert [o.id for o in page] == [ids[2], ids[1]]
    assert repo.count_for_customer(customer.id) == 4


def test_cancellation_is_persisted_and_old_ones_purged(
    session: Session, customer: Customer
) -> None:
    repo = SqlOrderRepository(session)
    order = repo.add(_paid_order(customer.id, datetime(2024, 1, 1, tzinfo=UTC)))
    order.cancel()
    repo.update(order)

    assert repo.delete_cancelled_before(datetime.now(UTC) - timedelta(days=1)) == 0
    assert repo.delete_cancelled_before(datetime.now(UTC) + timedelta(days=1)) == 1
    assert repo.count_for_customer(customer.id) == 0


def test_customer_lookup_ignores_email_case(session: Session, customer: Customer) -> None:
    repo = SqlCustomerRepository(session)

    assert repo.get_by_email("ALICE@example.com") == customer
    with pytest.raises(ConflictError):
        repo.add(email="Alice@Example.com", full_name="Imposter", password_hash="x")


def test_catalog_reads_products(session: Session) -> None:
    catalog = SqlProductCatalog(session)

    book = catalog.get_product("BOOK-001")

    assert book is not None and book.unit_price == Decimal("39.90")
    assert catalog.get_product("MISSING") is None
    assert [p.sku for p in catalog.list_products()] == ["BOOK-001", "MUG-002"]
