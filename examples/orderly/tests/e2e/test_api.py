"""The HTTP API end to end: login, then place, read and cancel an order."""

from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient

from fakes import FakePaymentGateway, RecordingNotifier
from orderly.api.app import create_app
from orderly.domain.models import Customer

pytestmark = pytest.mark.e2e


def test_login_with_wrong_password_is_unauthorised(client: TestClient, customer: Customer) -> None:
    response = client.post("/auth/login", data={"username": customer.email, "password": "not-it"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "authentication_failed"


def test_orders_require_a_token(client: TestClient) -> None:
    assert client.get("/orders").status_code == 401


@pytest.mark.usefixtures("products")
def test_place_list_and_cancel_an_order(
    client: TestClient,
    customer: Customer,
    auth_headers: dict[str, str],
    payment_gateway: FakePaymentGateway,
    notifier: RecordingNotifier,
) -> None:
    headers = auth_headers

    created = client.post(
        "/orders",
        json={"lines": [{"sku": "BOOK-001", "quantity": 2}, {"sku": "MUG-002", "quantity": 1}]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["status"] == "paid"
    assert Decimal(order["total"]) == Decimal("92.30")
    assert payment_gateway.charges[0].customer_id == customer.id

    listing = client.get("/orders", params={"page": 1, "page_size": 10}, headers=headers).json()
    assert listing["total"] == 1
    assert [item["id"] for item in listing["items"]] == [order["id"]]

    cancelled = client.delete(f"/orders/{order['id']}", headers=headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert len(payment_gateway.refunds) == 1
    assert notifier.events == [("placed", order["id"]), ("cancelled", order["id"])]

    again = client.delete(f"/orders/{order['id']}", headers=headers)
    assert again.status_code == 409


@pytest.mark.usefixtures("products")
def test_declined_payment_maps_to_402(
    client: TestClient, auth_headers: dict[str, str], payment_gateway: FakePaymentGateway
) -> None:
    payment_gateway.approve = False

    response = client.post(
        "/orders", json={"lines": [{"sku": "BOOK-001", "quantity": 1}]}, headers=auth_headers
    )

    assert response.status_code == 402
    assert response.json() == {"error": "payment_declined", "detail": "insufficient_funds"}


def test_readiness_names_the_dependency_that_is_down(client: TestClient) -> None:
    # The test settings point Redis at a port nobody listens on.
    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "redis": False},
    }


async def test_health_needs_no_dependencies() -> None:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
