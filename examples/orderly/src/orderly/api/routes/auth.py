"""Password login that issues bearer tokens."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from orderly.api.dependencies import SettingsDep, get_customer_repository
from orderly.api.schemas import TokenResponse
from orderly.core.errors import AuthenticationError
from orderly.core.logging import get_logger
from orderly.core.security import create_access_token, verify_password
from orderly.domain.ports import CustomerRepository

logger = get_logger(__name__)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenResponse)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    customers: Annotated[CustomerRepository, Depends(get_customer_repository)],
    settings: SettingsDep,
) -> TokenResponse:
    """Exchange e-mail (sent as ``username``) and password for an access token."""
    customer = customers.get_by_email(form.username)
    if customer is None or not verify_password(form.password, customer.password_hash):
        logger.info("failed login", extra={"username": form.username})
        raise AuthenticationError("incorrect e-mail or password")
    if not customer.is_active:
        raise AuthenticationError("account is disabled")
    token = create_access_token(str(customer.id), settings=settings)
    return TokenResponse(access_token=token, expires_in=settings.access_token_ttl_minutes * 60)
