"""HttpPaymentGateway against a mocked provider (httpx.MockTransport), no network."""

import json
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from orderly.core.errors import UpstreamUnavailableError
from orderly.domain.models import PaymentResult
from orderly.integrations.payments import HttpPaymentGateway

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HttpPaymentGateway._post_with_retry.retry, "sleep", lambda _: None)


def gateway(handler: Handler) -> HttpPaymentGateway:
    base_url = "https://payments.test"
    client = httpx.Client(base_url=base_url, transport=httpx.MockTransport(handler))
    return HttpPaymentGateway(base_url, "sk_test", client=client)


def charge(gw: HttpPaymentGateway) -> PaymentResult:
    return gw.charge(customer_id=7, amount=Decimal("92.30"), currency="EUR", idempotency_key="k1")


def test_charge_is_retried_after_a_server_error_and_sent_in_minor_units() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if len(requests) == 1:
            return httpx.Response(503)
        return httpx.Response(200, json={"id": "ch_1", "status": "succeeded"})

    assert charge(gateway(handler)) == PaymentResult(approved=True, reference="ch_1")
    assert len(requests) == 2
    assert {r.headers["Idempotency-Key"] for r in requests} == {"k1"}
    assert json.loads(requests[-1].content) == {"amount": 9230, "currency": "eur", "customer": "7"}


def test_card_decline_is_a_result_not_an_exception() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(402, json={"decline_code": "card_declined"})

    assert charge(gateway(handler)) == PaymentResult(approved=False, decline_reason="card_declined")


def test_provider_outage_surfaces_after_bounded_retries() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(UpstreamUnavailableError):
        charge(gateway(handler))
    assert calls == 4
