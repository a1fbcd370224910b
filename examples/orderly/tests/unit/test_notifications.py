"""CeleryNotifier enqueues e-mail tasks and tolerates a broker outage."""

from decimal import Decimal

import pytest
from kombu.exceptions import OperationalError

from orderly.domain.models import Order, OrderLine
from orderly.integrations.notifications import CeleryNotifier
from orderly.workers.tasks import send_order_email

ORDER = Order(customer_id=7, lines=[OrderLine("BOOK-001", 1, Decimal("39.90"))], id=12)


def test_events_are_enqueued_and_a_broker_outage_is_swallowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enqueued: list[tuple[int, str]] = []

    def flaky_delay(order_id: int, event: str) -> None:
        enqueued.append((order_id, event))
        if event == "cancelled":
            raise OperationalError("broker unreachable")

    monkeypatch.setattr(send_order_email, "delay", flaky_delay)
    notifier = CeleryNotifier()

    notifier.order_placed(ORDER)
    notifier.order_cancelled(ORDER)  # must not raise: the order itself already succeeded

    assert enqueued == [(12, "placed"), (12, "cancelled")]
