"""FastAPI dependency providers: this is where the object graph is assembled per request."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from orderly.core.config import Settings, get_settings
from orderly.core.errors import AuthenticationError
from orderly.core.security import decode_access_token
from orderly.domain.models import Customer
from orderly.domain.ports import CustomerRepository, Notifier, PaymentGateway, ProductCatalog
from orderly.domain.services import OrderService
from orderly.integrations.notifications import CeleryNotifier
from orderly.integrations.payments import HttpPaymentGateway
from orderly.storage.cache import CachedProductCatalog, ProductCache, get_redis_client
from orderly.storage.catalog import SqlProductCatalog
from orderly.storage.database import session_scope
from orderly.storage.repositories import SqlCustomerRepository, SqlOrderRepository

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login")

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session() -> Iterator[Session]:
    """One transaction per request, committed when the handler returns normally."""
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@lru_cache
def _shared_payment_gateway() -> HttpPaymentGateway:
    # One pooled HTTP client per process rather than one per request.
    return HttpPaymentGateway.from_settings(get_settings())


def get_payment_gateway() -> PaymentGateway:
    return _shared_payment_gateway()


def close_payment_gateway() -> None:
    if _shared_payment_gateway.cache_info().currsize:
        _shared_payment_gateway().close()
        _shared_payment_gateway.cache_clear()


def get_product_catalog(session: SessionDep, settings: SettingsDep) -> ProductCatalog:
    catalog = SqlProductCatalog(session)
    if settings.product_cache_ttl_seconds == 0:
        return catalog
    cache = ProductCache(
        get_redis_client(settings.redis_url), ttl_seconds=settings.product_cache_ttl_seconds
    )
    return CachedProductCatalog(catalog, cache)


def get_notifier() -> Notifier:
    return CeleryNotifier()


def get_customer_repository(session: SessionDep) -> CustomerRepository:
    return SqlCustomerRepository(session)


def get_order_service(
    session: SessionDep,
    payments: Annotated[PaymentGateway, Depends(get_payment_gateway)],
    catalog: Annotated[ProductCatalog, Depends(get_product_catalog)],
    notifier: Annotated[Notifier, Depends(get_notifier)],
) -> OrderService:
    return OrderService(SqlOrderRepository(session), payments, catalog, notifier)


def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    customers: Annotated[CustomerRepository, Depends(get_customer_repository)],
    settings: SettingsDep,
) -> Customer:
    subject = decode_access_token(token, settings=settings)
    customer = customers.get(int(subject)) if subject.isdigit() else None
    if customer is None or not customer.is_active:
        raise AuthenticationError("account is unknown or disabled")
    return customer


CurrentUser = Annotated[Customer, Depends(get_current_user)]
OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
