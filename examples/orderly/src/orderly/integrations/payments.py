"""HTTP client for the external payment provider."""

from decimal import Decimal
from typing import Any, Self

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from orderly.core.config import Settings
from orderly.core.errors import UpstreamUnavailableError
from orderly.core.logging import get_logger
from orderly.domain.models import PaymentResult

logger = get_logger(__name__)


class _ProviderUnavailable(Exception):
    """A 5xx from the provider: safe to retry because every call is idempotent."""


_RETRYABLE = (httpx.TransportError, _ProviderUnavailable)


class HttpPaymentGateway:
    """Implements ``orderly.domain.ports.PaymentGateway`` over the provider's REST API."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
    ) -> None:
        self._client = client or httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=2.0),
            headers={"Authorization": f"Bearer {api_key}"},
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls(
            settings.payments_base_url,
            settings.payments_api_key.get_secret_value(),
            timeout=settings.payments_timeout_seconds,
        )

    def charge(
        self, *, customer_id: int, amount: Decimal, currency: str, idempotency_key: str
    ) -> PaymentResult:
        payload = {
            "amount": _to_minor_units(amount),
            "currency": currency.lower(),
            "customer": str(customer_id),
        }
        response = self._send("/v1/charges", payload, idempotency_key)
        if response.status_code == httpx.codes.PAYMENT_REQUIRED:
            body = response.json()
            return PaymentResult(approved=False, decline_reason=body.get("decline_code"))
        response.raise_for_status()
        body = response.json()
        return PaymentResult(approved=body["status"] == "succeeded", reference=body["id"])

    def refund(self, *, reference: str, amount: Decimal, currency: str) -> None:
        payload = {"charge": reference, "amount": _to_minor_units(amount), "currency": currency}
        self._send("/v1/refunds", payload, f"refund-{reference}").raise_for_status()

    def close(self) -> None:
        self._client.close()

    def _send(self, path: str, payload: dict[str, Any], idempotency_key: str) -> httpx.Response:
        try:
            return self._post_with_retry(path, payload, idempotency_key)
        except _RETRYABLE as exc:
            logger.error("payment provider unreachable", extra={"path": path})
            raise UpstreamUnavailableError("payment provider is unavailable") from exc

    @retry(
        retry=retry_if_exception_type(_RETRYABLE),
        wait=wait_exponential(multiplier=0.2, max=4),
        stop=stop_after_attempt(4),
        reraise=True,
    )
    def _post_with_retry(
        self, path: str, payload: dict[str, Any], idempotency_key: str
    ) -> httpx.Response:
        response = self._client.post(
            path, json=payload, headers={"Idempotency-Key": idempotency_key}
        )
        if response.status_code >= 500:
            raise _ProviderUnavailable(f"{path} returned {response.status_code}")
        return response


def _to_minor_units(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1")))
