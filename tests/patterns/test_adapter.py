"""Adapter: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import adapter

from .helpers import Analyse, detect, labels

PORTS = """
    from typing import Protocol
    class OrderRepository(Protocol):
        def add(self, order): ...
        def get(self, order_id): ...
    class Clock(Protocol):
        def now(self): ...
"""


def test_implementations_over_outside_libraries(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, adapter.DETECTOR, {
        "shop/__init__.py": "",
        "shop/domain/__init__.py": "",
        "shop/domain/ports.py": PORTS,
        "shop/storage/__init__.py": "",
        "shop/storage/orders.py": """
            from sqlalchemy.orm import Session
            class SqlOrderRepository:
                def __init__(self, session: Session) -> None:
                    self._session = session
                def add(self, order): ...
                def get(self, order_id): ...
        """,
        "shop/storage/cached.py": """
            import redis
            from shop.domain.ports import OrderRepository
            class CachedOrders:
                def __init__(self, inner: OrderRepository) -> None: ...
                def add(self, order): ...
                def get(self, order_id): ...
        """,
        "shop/clock.py": """
            import datetime
            class SystemClock:
                def now(self):
                    return datetime.datetime.now()
        """,
    })
    assert labels(found) == ["SqlOrderRepository"]
    assert found is not None
    assert "`SqlOrderRepository` implements `OrderRepository` over `sqlalchemy.orm.Session`" in (
        found.implementation)


def test_library_imported_by_the_implementing_module(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, adapter.DETECTOR, {
        "shop/__init__.py": "",
        "shop/cache.py": """
            class BaseCache:
                def get(self, key):
                    raise NotImplementedError
        """,
        "shop/redis_cache.py": """
            import redis
            from shop.cache import BaseCache
            class RedisCache(BaseCache):
                def get(self, key):
                    return redis.Redis().get(key)
            class MemoryCache(BaseCache):  # beside it in the module, using no redis
                def get(self, key): ...
        """,
        "shop/typed.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                import redis
            from shop.cache import BaseCache
            class LocalCache(BaseCache):
                def get(self, key): ...
        """,
    })
    assert labels(found) == ["RedisCache"]
    assert found is not None and found.confidence == 0.65


def test_no_interface_no_adapter(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, adapter.DETECTOR, {"shop/__init__.py": "", "shop/db.py": """
        import sqlalchemy
        class Store:
            def __init__(self, engine: sqlalchemy.Engine) -> None: ...
            def add(self, x): ...
    """}) is None
