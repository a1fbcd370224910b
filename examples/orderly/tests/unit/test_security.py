"""Password hashing and access-token round trips."""

from datetime import timedelta

import jwt
import pytest

from orderly.core.config import Settings
from orderly.core.errors import AuthenticationError
from orderly.core.security import (
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)

SECRET = "unit-test-secret-that-is-32-bytes-long"
SETTINGS = Settings(jwt_secret=SECRET, access_token_ttl_minutes=5)


def test_password_hash_verifies_only_the_original_password() -> None:
    hashed = hash_password("s3cret-pass")

    assert hashed != "s3cret-pass"
    assert verify_password("s3cret-pass", hashed)
    assert not verify_password("s3cret-pasS", hashed)


def test_token_round_trip_returns_the_subject() -> None:
    token = create_access_token("42", settings=SETTINGS)

    assert decode_access_token(token, settings=SETTINGS) == "42"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        pytest.param(
            create_access_token("42", settings=SETTINGS, expires_delta=timedelta(seconds=-1)),
            "expired",
            id="expired",
        ),
        pytest.param(
            create_access_token(
                "42", settings=Settings(jwt_secret="someone-elses-secret-also-32-bytes-long")
            ),
            "invalid",
            id="foreign-signature",
        ),
        pytest.param(
            jwt.encode({"sub": "42", "exp": 4_102_444_800}, SECRET, algorithm="HS256"),
            "invalid",
            id="missing-issuer",
        ),
    ],
)
def test_untrustworthy_tokens_are_rejected(token: str, reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason):
        decode_access_token(token, settings=SETTINGS)
