"""Load profile: customers mostly browse their orders and occasionally buy something.

Run with ``locust -f tests/perf/locustfile.py --host http://localhost:8000`` after
creating the user with ``orderly create-customer``.
"""

import os
import random

from locust import HttpUser, between, task

SKUS = ["BOOK-001", "MUG-002"]


class OrderingCustomer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        response = self.client.post(
            "/auth/login",
            data={
                "username": os.environ.get("ORDERLY_LOAD_USER", "load@example.com"),
                "password": os.environ.get("ORDERLY_LOAD_PASSWORD", "load-test-password"),
            },
        )
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    @task(5)
    def browse_orders(self) -> None:
        self.client.get("/orders", params={"page": 1, "page_size": 20}, name="/orders")

    @task(1)
    def place_order(self) -> None:
        line = {"sku": random.choice(SKUS), "quantity": random.randint(1, 2)}
        self.client.post("/orders", json={"lines": [line]}, name="/orders [POST]")

    @task(1)
    def health(self) -> None:
        self.client.get("/health")
