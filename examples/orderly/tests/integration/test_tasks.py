"""Worker tasks run synchronously against the test database, with SMTP replaced."""

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from orderly.domain.models import Customer, Order, OrderLine
from orderly.storage.database import session_scope
from orderly.storage.repositories import SqlOrderRepository
from orderly.workers import tasks

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("products", "mailer")]


class RecordingMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


@pytest.fixture
def mailer(
    monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> RecordingMailer:
    """Point the tasks at the test database and capture mail instead of sending it."""
    recording = RecordingMailer()

    def test_scope() -> AbstractContextManager[Session]:
        return session_scope(session_factory)

    monkeypatch.setattr(tasks, "session_scope", test_scope)
    monkeypatch.setattr(tasks.SmtpMailer, "from_settings", lambda settings: recording)
    return recording


def _saved_order(session_factory: sessionmaker[Session], customer: Customer) -> Order:
    order = Order(customer_id=customer.id, lines=[OrderLine("BOOK-001", 2, Decimal("39.90"))])
    order.mark_paid("ch_1")
    with session_scope(session_factory) as session:
        return SqlOrderRepository(session).add(order)


def test_confirmation_email_lists_lines_and_total(
    mailer: RecordingMailer, session_factory: sessionmaker[Session], customer: Customer
) -> None:
    order = _saved_order(session_factory, customer)

    tasks.send_order_email(order.id, "placed")

    [(to, subject, body)] = mailer.sent
    assert to == customer.email
    assert subject == f"Thanks for your order #{order.id}"
    assert "2 x BOOK-001 @ 39.90" in body
    assert "Total: 79.80 EUR" in body


def test_purge_removes_only_old_cancelled_orders(
    session_factory: sessionmaker[Session], customer: Customer
) -> None:
    kept = _saved_order(session_factory, customer)
    purged = _saved_order(session_factory, customer)
    purged.cancel()
    purged.cancelled_at = datetime(2020, 1, 1, tzinfo=UTC)
    with session_scope(session_factory) as session:
        SqlOrderRepository(session).update(purged)

    assert tasks.purge_cancelled_orders(retention_days=90) == 1
    with session_scope(session_factory) as session:
        repo = SqlOrderRepository(session)
        assert repo.get(kept.id) is not None
        assert repo.get(purged.id) is None
