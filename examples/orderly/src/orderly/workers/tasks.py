"""Celery tasks: order e-mails and periodic housekeeping."""

import smtplib
from datetime import UTC, datetime, timedelta

from celery.schedules import crontab
from redis.exceptions import RedisError

from orderly.core.config import get_settings
from orderly.core.logging import get_logger
from orderly.domain.models import Customer, Order
from orderly.integrations.mailer import SmtpMailer
from orderly.storage.cache import ProductCache, get_redis_client
from orderly.storage.catalog import SqlProductCatalog
from orderly.storage.database import session_scope
from orderly.storage.repositories import SqlCustomerRepository, SqlOrderRepository
from orderly.workers.celery_app import celery_app

logger = get_logger(__name__)


@celery_app.task(
    name="orderly.send_order_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_order_email(order_id: int, event: str) -> None:
    with session_scope() as session:
        order = SqlOrderRepository(session).get(order_id)
        customer = SqlCustomerRepository(session).get(order.customer_id) if order else None
    if order is None or customer is None:
        logger.warning("order e-mail skipped: order vanished", extra={"order_id": order_id})
        return
    subject, body = _render(order, customer, event)
    SmtpMailer.from_settings(get_settings()).send(customer.email, subject, body)


@celery_app.task(
    name="orderly.warm_product_cache",
    autoretry_for=(RedisError,),
    retry_backoff=True,
    max_retries=3,
)
def warm_product_cache() -> int:
    settings = get_settings()
    with session_scope() as session:
        products = SqlProductCatalog(session).list_products()
    cache = ProductCache(
        get_redis_client(settings.redis_url), ttl_seconds=settings.product_cache_ttl_seconds
    )
    return cache.warm(products)


@celery_app.task(name="orderly.purge_cancelled_orders")
def purge_cancelled_orders(retention_days: int = 90) -> int:
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    with session_scope() as session:
        removed = SqlOrderRepository(session).delete_cancelled_before(cutoff)
    logger.info("purged cancelled orders", extra={"removed": removed, "cutoff": cutoff})
    return removed


celery_app.conf.beat_schedule = {
    "warm-product-cache": {
        "task": "orderly.warm_product_cache",
        "schedule": timedelta(minutes=15),
    },
    "purge-cancelled-orders": {
        "task": "orderly.purge_cancelled_orders",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"retention_days": 90},
    },
}


def _render(order: Order, customer: Customer, event: str) -> tuple[str, str]:
    lines = "\n".join(
        f"  {line.quantity} x {line.sku} @ {line.unit_price} = {line.subtotal}"
        for line in order.lines
    )
    if event == "cancelled":
        subject = f"Your order #{order.id} was cancelled"
        intro = "Your order has been cancelled and any payment refunded."
    else:
        subject = f"Thanks for your order #{order.id}"
        intro = "We have received your payment and are preparing your order."
    body = (
        f"Hello {customer.full_name},\n\n{intro}\n\n{lines}\n\n"
        f"Total: {order.total} {order.currency}\n"
    )
    return subject, body
