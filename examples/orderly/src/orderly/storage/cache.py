"""Redis-backed read-through cache for the product catalog."""

import json
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from redis import Redis
from redis.exceptions import RedisError

from orderly.core.logging import get_logger
from orderly.domain.models import Product
from orderly.domain.ports import ProductCatalog

logger = get_logger(__name__)


@lru_cache
def get_redis_client(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=0.5, health_check_interval=30)


class ProductCache:
    """Stores products as JSON under ``product:<sku>`` with a TTL."""

    def __init__(self, redis: Redis, *, ttl_seconds: int = 300, prefix: str = "product:") -> None:
        self._redis = redis
        self._ttl = ttl_seconds
        self._prefix = prefix

    def get(self, sku: str) -> Product | None:
        raw = self._redis.get(self._prefix + sku)
        if raw is None:
            return None
        data = json.loads(raw)
        return Product(
            sku=data["sku"],
            name=data["name"],
            unit_price=Decimal(data["unit_price"]),
            stock=int(data["stock"]),
        )

    def put(self, product: Product) -> None:
        self._redis.set(self._prefix + product.sku, _encode(product), ex=self._ttl)

    def invalidate(self, sku: str) -> None:
        self._redis.delete(self._prefix + sku)

    def warm(self, products: Iterable[Product]) -> int:
        pipe = self._redis.pipeline(transaction=False)
        count = 0
        for product in products:
            pipe.set(self._prefix + product.sku, _encode(product), ex=self._ttl)
            count += 1
        pipe.execute()
        return count


class CachedProductCatalog:
    """A ``ProductCatalog`` that consults Redis first and falls back to ``inner``.

    Redis being unavailable degrades to uncached reads instead of failing requests.
    """

    def __init__(self, inner: ProductCatalog, cache: ProductCache) -> None:
        self._inner = inner
        self._cache = cache

    def get_product(self, sku: str) -> Product | None:
        try:
            cached = self._cache.get(sku)
        except RedisError:
            logger.warning("product cache read failed", extra={"sku": sku}, exc_info=True)
            return self._inner.get_product(sku)
        if cached is not None:
            return cached
        product = self._inner.get_product(sku)
        if product is not None:
            try:
                self._cache.put(product)
            except RedisError:
                logger.warning("product cache write failed", extra={"sku": sku}, exc_info=True)
        return product


def _encode(product: Product) -> str:
    return json.dumps(
        {
            "sku": product.sku,
            "name": product.name,
            "unit_price": str(product.unit_price),
            "stock": product.stock,
        }
    )
