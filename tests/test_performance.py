"""Performance Optimizations and Scalability Considerations, from small repositories."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.performance import PerformanceAnalyser, ScalabilityAnalyser
from syspatterns.evidence import Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]

SHOP = {
    "shop/__init__.py": "",
    "shop/db.py": """
        from sqlalchemy import create_engine
        engine = create_engine("postgresql://x", pool_size=10, max_overflow=5)
    """,
    "shop/queries.py": """
        import asyncio
        from functools import lru_cache
        from concurrent.futures import ThreadPoolExecutor
        import numpy as np
        @lru_cache(maxsize=128)
        def rates():
            return {}
        def orders(Order):
            return Order.objects.select_related("customer").prefetch_related("lines")
        async def both(a, b):
            return await asyncio.gather(a, b)
        def pool():
            return ThreadPoolExecutor(4)
    """,
    "shop/models.py": "from django.db import models\n"
                      "class Item(models.Model):\n    sku = models.CharField(db_index=True)\n",
    "shop/settings.py": "CACHES = {'default': {'BACKEND': 'redis'}}\n",
    "shop/tasks.py": "from celery import shared_task\n",
    "benchmarks/bench_orders.py": "import shop.queries\n",
}


def claims(result: Section, aspect: str) -> list[str]:
    return [f.claim for f in result.findings if f.aspect == aspect]


def test_optimizations(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo(SHOP))
    assert claims(result, "Optimization") == [
        "Caching: `@lru_cache` memoises results (1 place).",
        "Query shaping: `prefetch_related()` batches or narrows database queries (1 place).",
        "Query shaping: `select_related()` batches or narrows database queries (1 place).",
        "Database indexes: `models.CharField(db_index=True)` (1 place).",
        "Concurrency: `ThreadPoolExecutor` runs work in parallel (1 place).",
        "Concurrency: `gather` runs work in parallel (1 place).",
        "`numpy` (scientific computing) is imported at 1 place.",
        "Benchmark suite `benchmarks/` (1 module).",
    ]


def test_no_optimization_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo({"a/__init__.py": "import pickle\n"}))
    assert claims(result, "Optimization")[0].startswith("None found: looked for caching")


def test_lru_cache_maxsize_is_not_a_connection_pool(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo(SHOP))
    vertical = claims(result, "Vertical scaling")
    assert vertical == [
        "`ThreadPoolExecutor` uses more cores or threads (1 place).",
        "`gather` uses more cores or threads (1 place).",
        "Connection pool sized in `create_engine(pool_size=10, max_overflow=5)` (1 place).",
    ]


def test_scaling_and_caching(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo(SHOP))
    assert claims(result, "Horizontal scaling") == [
        "`celery` (task queue) is imported at 1 place.",
        "1 async function serve requests without holding a thread each.",
    ]
    assert claims(result, "Caching") == ["`CACHES` configures the shared cache.",
                                         "`@lru_cache` caches in process (1 place)."]
    assert claims(result, "Load balancing")[0].startswith("None found")


def test_nginx_upstream_is_load_balancing(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "deploy/nginx.conf": "http {\n  upstream api {\n    server api1:8000;\n  }\n}\n",
    }))
    assert claims(result, "Load balancing") == ["`upstream api {` in `deploy/nginx.conf`."]


def test_nothing_to_scale(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({"a/__init__.py": "x = 1\n"}))
    for aspect in ("Horizontal scaling", "Vertical scaling", "Caching"):
        assert claims(result, aspect)[0].startswith("None found"), aspect
