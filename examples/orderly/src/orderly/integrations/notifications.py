"""Customer notifications, delivered asynchronously through the Celery worker."""

from kombu.exceptions import OperationalError

from orderly.core.logging import get_logger
from orderly.domain.models import Order
from orderly.workers.tasks import send_order_email

logger = get_logger(__name__)


class CeleryNotifier:
    """Implements ``orderly.domain.ports.Notifier`` by enqueueing an e-mail task.

    A broker outage is logged rather than raised: the order is already paid and
    saved, so failing the request would only confuse the customer.
    """

    def order_placed(self, order: Order) -> None:
        self._enqueue(order, "placed")

    def order_cancelled(self, order: Order) -> None:
        self._enqueue(order, "cancelled")

    def _enqueue(self, order: Order, event: str) -> None:
        if order.id is None:
            raise ValueError("only saved orders can be announced")
        try:
            send_order_email.delay(order.id, event)
        except OperationalError:
            logger.exception("could not enqueue order e-mail", extra={"order_id": order.id})
