"""The Celery application shared by the API (as producer) and the worker."""

from celery import Celery

from orderly.core.config import get_settings

settings = get_settings()

celery_app = Celery(
    "orderly",
    broker=settings.broker_url,
    include=["orderly.workers.tasks"],
)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    timezone="UTC",
)
