"""The read-through product cache in front of the catalog."""

from decimal import Decimal

from redis.exceptions import ConnectionError as RedisConnectionError

from fakes import FakeRedis, InMemoryCatalog
from orderly.domain.models import Product
from orderly.storage.cache import CachedProductCatalog, ProductCache

BOOK = Product(sku="BOOK-001", name="Release It!", unit_price=Decimal("39.90"), stock=25)


def test_second_read_is_served_from_redis() -> None:
    source = InMemoryCatalog(BOOK)
    catalog = CachedProductCatalog(source, ProductCache(FakeRedis(), ttl_seconds=60))

    assert catalog.get_product("BOOK-001") == BOOK
    source.products.clear()  # the database no longer has it; the cache still does

    assert catalog.get_product("BOOK-001") == BOOK
    assert catalog.get_product("MISSING") is None


def test_unreachable_redis_falls_back_to_the_database() -> None:
    class DownRedis(FakeRedis):
        def get(self, key: str) -> str | None:
            raise RedisConnectionError("connection refused")

    catalog = CachedProductCatalog(InMemoryCatalog(BOOK), ProductCache(DownRedis()))

    assert catalog.get_product("BOOK-001") == BOOK
