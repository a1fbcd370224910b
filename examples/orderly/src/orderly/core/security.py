"""Password hashing and signed access tokens."""

from datetime import UTC, datetime, timedelta

import jwt
from passlib.context import CryptContext

from orderly.core.config import Settings, get_settings
from orderly.core.errors import AuthenticationError

TOKEN_ISSUER = "orderly"  # noqa: S105 (JWT "iss" claim)

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")


def hash_password(password: str) -> str:
    return str(pwd_context.hash(password))


def verify_password(password: str, password_hash: str) -> bool:
    return bool(pwd_context.verify(password, password_hash))


def create_access_token(
    subject: str,
    *,
    settings: Settings | None = None,
    expires_delta: timedelta | None = None,
) -> str:
    """Sign a short-lived bearer token whose ``sub`` claim identifies the customer."""
    settings = settings or get_settings()
    now = datetime.now(UTC)
    ttl = (
        expires_delta
        if expires_delta is not None
        else timedelta(minutes=settings.access_token_ttl_minutes)
    )
    claims = {"sub": subject, "iss": TOKEN_ISSUER, "iat": now, "exp": now + ttl}
    return jwt.encode(
        claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm
    )


def decode_access_token(token: str, *, settings: Settings | None = None) -> str:
    """Verify signature, issuer and expiry; return the subject or raise AuthenticationError."""
    settings = settings or get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            issuer=TOKEN_ISSUER,
            options={"require": ["exp", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("access token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError("access token is invalid") from exc
    return str(claims["sub"])
