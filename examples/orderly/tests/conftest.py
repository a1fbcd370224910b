"""Shared fixtures: a throwaway database, seeded data and an HTTP client with fakes wired in."""

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fakes import FakePaymentGateway, RecordingNotifier
from orderly.api.app import create_app
from orderly.api.dependencies import get_notifier, get_payment_gateway, get_session
from orderly.core.config import Settings, get_settings
from orderly.core.security import hash_password
from orderly.domain.models import Customer
from orderly.storage.database import build_engine, session_scope
from orderly.storage.repositories import SqlCustomerRepository
from orderly.storage.tables import Base, ProductRow

TEST_EMAIL = "alice@example.com"
TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def settings() -> Settings:
    # CI points TEST_DATABASE_URL at a Postgres service; locally SQLite is enough.
    return Settings(
        environment="test",
        database_url=os.environ.get("TEST_DATABASE_URL", "sqlite+pysqlite:///:memory:"),
        jwt_secret="test-secret-for-the-e2e-suite-32-bytes",
        redis_url="redis://127.0.0.1:1/0",  # nothing listens here: Redis is "down"
        product_cache_ttl_seconds=0,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = build_engine(settings)
    Base.metadata.create_all(engine)
    yield engine
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session
        session.rollback()


@pytest.fixture
def customer(session_factory: sessionmaker[Session]) -> Customer:
    with session_scope(session_factory) as session:
        return SqlCustomerRepository(session).add(
            email=TEST_EMAIL, full_name="Alice Example", password_hash=hash_password(TEST_PASSWORD)
        )


@pytest.fixture
def products(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory) as session:
        session.add_all(
            [
                ProductRow(
                    sku="BOOK-001", name="Release It!", unit_price=Decimal("39.90"), stock=25
                ),
                ProductRow(sku="MUG-002", name="Enamel mug", unit_price=Decimal("12.50"), stock=3),
            ]
        )


@pytest.fixture
def payment_gateway() -> FakePaymentGateway:
    return FakePaymentGateway()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def client(
    settings: Settings,
    session_factory: sessionmaker[Session],
    payment_gateway: FakePaymentGateway,
    notifier: RecordingNotifier,
) -> Iterator[TestClient]:
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        with session_scope(session_factory) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_payment_gateway] = lambda: payment_gateway
    app.dependency_overrides[get_notifier] = lambda: notifier
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth_headers(client: TestClient, customer: Customer) -> dict[str, str]:
    response = client.post(
        "/auth/login", data={"username": customer.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
