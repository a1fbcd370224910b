"""Performance Optimizations and Scalability Considerations, from small repositories."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.performance import PerformanceAnalyser, ScalabilityAnalyser
from syspatterns.core.evidence import Section
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
        import functools
        from functools import lru_cache
        from concurrent.futures import ThreadPoolExecutor
        import numpy as np
        @lru_cache(maxsize=128)
        def rates():
            return {}
        @functools.lru_cache
        def taxes():  # the same decorator, written another way: one label
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
    "shop/settings.py": "CACHES = {'default': {'BACKEND': "
                        "'django.core.cache.backends.redis.RedisCache'}}\n",
    "shop/tasks.py": "from celery import shared_task\n",
    "benchmarks/bench_orders.py": "import shop.queries\n",
}


def claims(result: Section, aspect: str) -> list[str]:
    return [f.claim for f in result.findings if f.aspect == aspect]


def test_optimizations(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo(SHOP))
    assert claims(result, "Optimization") == [
        "Caching: `@lru_cache` memoises results (2 places).",
        "Query shaping: `prefetch_related()` batches or narrows database queries (1 place).",
        "Query shaping: `select_related()` batches or narrows database queries (1 place).",
        "Database indexes: `models.CharField(db_index=True)` (1 place).",
        "Concurrency: `ThreadPoolExecutor` runs work in parallel (1 place).",
        "Concurrency: `gather` overlaps waiting tasks (1 place).",
        "`numpy` (scientific computing) is imported at 1 place.",
        "Benchmark suite `benchmarks/` (1 module).",
    ]


def test_database_indexes_in_models_and_migrations(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "app/tables.py": """
            import sqlalchemy as sa
            from sqlalchemy.orm import mapped_column

            class User:
                email = sa.Column(sa.String, index=True)
                name = mapped_column(sa.String, index=False)
                __table_args__ = (sa.Index("ix_user_name", "name"),)

            def position(items, x):
                return items.index(x)  # a list's index method creates nothing

            def watch(kv, version):
                return kv.get("leader", index=version)  # a long poll's position, no index
        """,
        "app/models.py": """
            from django.db import models

            class Order(models.Model):
                class Meta:
                    indexes = [models.Index(fields=["created"])]
        """,
        "migrations/versions/0002_ix.py": """
            from alembic import op

            def upgrade():
                op.create_index("ix_orders_created", "orders", ["created"])

            def downgrade():
                # op.create_index("ix_again") is only a comment
                op.drop_index("ix_orders_created")
        """,
        "app/migrations/0003_index.py": """
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [migrations.AddIndex("order", models.Index(fields=["total"]))]
        """,
    }))
    indexes = [c for c in claims(result, "Optimization") if c.startswith("Database indexes")]
    assert indexes == [
        "Database indexes: `sa.Column(index=True)` (1 place).",
        "Database indexes: `AddIndex()` creates an index (1 place).",
        "Database indexes: `Index()` creates an index (3 places).",
        "Database indexes: `create_index()` creates an index (1 place).",
    ]


def test_no_optimization_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo({"a/__init__.py": "import pickle\n"}))
    assert claims(result, "Optimization")[0].startswith("None found: looked for caching")


def test_lru_cache_maxsize_is_not_a_connection_pool(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo(SHOP))
    vertical = claims(result, "Vertical scaling")
    assert vertical == [
        "`ThreadPoolExecutor` uses more cores or threads (1 place).",
        "`gather` runs tasks side by side while they wait, on one thread (1 place).",
        "Connection pool sized in `create_engine(pool_size=10, max_overflow=5)` (1 place).",
    ]


def test_scaling_and_caching(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo(SHOP))
    assert claims(result, "Horizontal scaling") == [
        "`celery` (task queue) is imported at 1 place.",
        "1 async function serve requests without holding a thread each.",
    ]
    assert claims(result, "Caching") == [
        "`CACHES` 'default' uses `django.core.cache.backends.redis.RedisCache`: Redis, shared "
        "by every process.",
        "`@lru_cache` caches in process (2 places)."]
    assert claims(result, "Load balancing")[0].startswith("None found")


def test_nginx_upstream_is_load_balancing(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "deploy/nginx.conf": "http {\n  upstream api {\n    server api1:8000;\n  }\n"
                             "  # upstream old { server api0:8000; }\n}\n",
    }))
    assert claims(result, "Load balancing") == [
        "`upstream api {` in `deploy/nginx.conf` spreads requests over servers."]


def test_nothing_to_scale(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({"a/__init__.py": "x = 1\n"}))
    for aspect in ("Horizontal scaling", "Vertical scaling", "Caching", "Storage"):
        assert claims(result, aspect)[0].startswith("None found"), aspect


def test_state_kept_in_process_versus_shared_stores(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "app/state.py": """
            import collections
            import redis
            _sessions = {}
            _hits = collections.defaultdict(int)
            registry = []
            seen = set()
            settings = {"a": 1}
            client = redis.Redis.from_url("redis://cache:6379/0")
            def login(user):
                _sessions.update({user: 1})
            def logout(user):
                _sessions.pop(user)
                # _hits.clear() is a comment, and "settings.update(x)" a string
                return "settings.update(x)"
            def register(func):
                registry.append(func)
                return func
            def check(seen):
                seen.add(1)
        """,
        "app/web/__init__.py": "",
        "app/web/tests/__init__.py": "",
        "app/web/tests/state_test.py": "from app import state\ndef test_reset():\n"
                                       "    state.settings.clear()\n",
        "app/script.py": """
            failures = []
            def check(name, ok):
                if not ok:
                    failures.append(name)
            check("first", True)
        """,
        "app/views.py": """
            from app import state
            from app.state import _hits
            class Redis:
                pass
            def count(request):
                _hits.update(request)
                state.settings.get("a")
                return Redis()
            def forget(request):
                state._sessions.clear()
        """,
        "app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
    }))
    assert claims(result, "Horizontal scaling") == [
        "Shared store: Redis clients are created with `redis.Redis.from_url()` (1 place); "
        "every process and host that connects sees the same data.",
        "Sessions are kept in the cache only (shared when the cache backend is) "
        "(`SESSION_ENGINE` is 'django.contrib.sessions.backends.cache').",
        "State kept in process: the module-level dict `_sessions` (`app/state.py`) is changed "
        "by `forget`, `login` and `logout`; each process has its own copy, which other "
        "processes and hosts do not see.",
        "State kept in process: the module-level defaultdict `_hits` (`app/state.py`) is "
        "changed by `count`; each process has its own copy, which other processes and hosts "
        "do not see.",
    ]


def test_cache_backends_and_http_caching(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "site/__init__.py": "",
        "site/settings.py": """
            import os
            CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "shared": {"BACKEND": os.environ["CACHE_BACKEND"]},
            }
            CACHE_TYPE = "FileSystemCache"
            MIDDLEWARE = ["django.middleware.http.ConditionalGetMiddleware"]
        """,
        "site/views.py": """
            from django.utils.cache import patch_cache_control
            from django.utils.decorators import method_decorator
            from django.views.decorators.cache import cache_control, cache_page, never_cache
            @cache_control(max_age=3600, public=True)
            def logo(request): ...
            @never_cache
            def account(request): ...
            @method_decorator(cache_page(60), name="dispatch")
            class Home:
                pass
            def feed(request, response):
                patch_cache_control(response, no_cache=True)
                return response
        """,
        "site/urls.py": "from django.views.decorators.cache import cache_page\n"
                        "from site import views\nhome = cache_page(300)(views.feed)\n",
        "site/local.py": "def cache_control(**k):\n    return lambda f: f\n"
                         "@cache_control(max_age=1)\ndef page(request): ...\n",
        "deploy/nginx.conf": "location /static/ {\n    expires 30d;\n"
                             "    # add_header Cache-Control public;\n"
                             "    proxy_cache off;\n    etag off;\n}\n",
    }))
    assert claims(result, "Caching") == [
        "`CACHES` 'default' uses `django.core.cache.backends.locmem.LocMemCache`: local "
        "memory: each process has its own.",
        "`CACHES` 'shared': its backend is computed at run time.",
        "`CACHE_TYPE` is 'FileSystemCache': files on the local disk: shared by the processes "
        "of one host only.",
        "HTTP caching: `@cache_control(max_age=3600, public=True)` sets `Cache-Control` "
        "(1 place).",
        "HTTP caching: `@method_decorator(cache_page(), name='dispatch')` caches whole "
        "responses in the cache backend and sets `Cache-Control: max-age` (1 place).",
        "HTTP caching: `@never_cache` forbids caching of the response (1 place).",
        "HTTP caching: `cache_page(300)` caches whole responses in the cache backend and sets "
        "`Cache-Control: max-age` (1 place).",
        "HTTP caching: `patch_cache_control(...)` sets `Cache-Control` (1 place).",
        "`MIDDLEWARE`: conditional requests are answered with `ETag` and `Last-Modified` "
        "(Django's ConditionalGetMiddleware).",
        "`expires 30d;` in `deploy/nginx.conf` sets `Expires` and `Cache-Control: max-age`.",
    ]


def test_object_storage(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "files/__init__.py": "",
        "files/clients.py": """
            import boto3
            from google.cloud import storage
            from minio import Minio
            s3 = boto3.client("s3")
            queue = boto3.client("sqs")
            def bucket(name):
                return storage.Client().bucket(name)
            def local():
                return Minio("minio:9000")
            def note():
                return "boto3.client('s3')"
        """,
        "files/storage.py": """
            from storages.backends.s3boto3 import S3Boto3Storage
            class MediaStorage(S3Boto3Storage):
                location = "media"
        """,
        "files/settings.py": """
            DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
            STATICFILES_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
            STORAGES = {"default": {"BACKEND": "storages.backends.gcloud.GoogleCloudStorage"},
                        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStorage"}}
        """,
    }))
    assert claims(result, "Storage") == [
        "Files are kept in object storage, Amazon S3: `boto3.client()` (1 place).",
        "Files are kept in object storage, Google Cloud Storage: `storage.Client()` (1 place).",
        "Files are kept in object storage, MinIO (S3-compatible): `Minio()` (1 place).",
        "Files are kept in Amazon S3 (django-storages): `DEFAULT_FILE_STORAGE` uses "
        "`storages.backends.s3boto3.S3Boto3Storage`.",
        "Files are kept in Google Cloud Storage (django-storages): `STORAGES` 'default' uses "
        "`storages.backends.gcloud.GoogleCloudStorage`.",
        "`MediaStorage` extends `S3Boto3Storage`: files are kept in Amazon S3 "
        "(django-storages).",
    ]


def test_state_written_through_items_and_globals(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "app/sessions.py": """
            import collections
            _SESSIONS = {}
            _HITS = collections.Counter()
            _PENDING = {}
            requests_served = 0
            LIMIT = 10
            def login(token, user):
                _SESSIONS[token] = user
            def hit(key):
                _HITS[key] += 1
            def done(key):
                del _PENDING[key]
            def serve():
                global requests_served
                requests_served += 1
            def local_only(key):
                _PENDING = {}
                _PENDING[key] = 1
                limit = LIMIT
                limit += 1
                return _PENDING
            def note(token, user):
                # _HITS[token] = user
                return "_HITS[token] = user"
            def register(func):
                _SESSIONS[func.__name__] = func
                return func
            def setup():
                _PENDING["boot"] = 1
            setup()
        """,
        "app/tests/__init__.py": "",
        "app/tests/test_sessions.py": "from app import sessions\ndef test_login():\n"
                                      "    sessions._HITS['a'] += 1\n",
        "app/views.py": """
            from app import sessions
            def view(token):
                sessions._SESSIONS[token] = None
        """,
    }))
    state = [f for f in result.findings if f.claim.startswith("State kept in process")]
    assert [f.claim for f in state] == [
        "State kept in process: the module-level dict `_SESSIONS` (`app/sessions.py`) is "
        "changed by `login` and `view`; each process has its own copy, which other processes "
        "and hosts do not see.",
        "State kept in process: the module-level Counter `_HITS` (`app/sessions.py`) is "
        "changed by `hit`; each process has its own copy, which other processes and hosts do "
        "not see.",
        "State kept in process: the module-level dict `_PENDING` (`app/sessions.py`) is "
        "changed by `done`; each process has its own copy, which other processes and hosts do "
        "not see.",
        "State kept in process: the module-level variable `requests_served` "
        "(`app/sessions.py`) is changed by `serve`; each process has its own copy, which other "
        "processes and hosts do not see.",
    ]
    # The evidence is the variable, then the lines that write it.
    assert [(e.path, e.line) for e in state[0].evidence] == [
        ("app/sessions.py", 2), ("app/sessions.py", 8), ("app/views.py", 3)]


def test_http_caching_headers_set_in_code(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "site/__init__.py": "",
        "site/views.py": """
            import requests
            from django.http import HttpResponse
            from starlette.responses import Response
            def page(request):
                response = HttpResponse("x", headers={"Cache-Control": "max-age=60"})
                response["ETag"] = digest
                return response
            def api(request, reply: Response):
                reply.headers["cache-control"] = "no-store"
            def made(request):
                out = make_response("x")
                out.headers["Last-Modified"] = stamp
                return out
            def fetch(session):
                session.headers["Cache-Control"] = "no-cache"
                headers = {}
                headers["Cache-Control"] = "no-cache"
                return requests.get("https://x", headers={"Cache-Control": "no-cache"})
            def other(response):
                response["X-Frame-Options"] = "DENY"
                # response["Expires"] = "0"
                return "response['Vary'] = 'Cookie'"
        """,
        "site/hooks.py": """
            def add_headers(response):
                response.cache_control.max_age = 300
                response.cache_control.public = True
                response.expires = when
                config.expires = 3
                return response
        """,
    }))
    assert [c for c in claims(result, "Caching") if c.startswith("HTTP caching")] == [
        "HTTP caching: `HttpResponse(..., headers={'Cache-Control': 'max-age=60'})` sets "
        "`Cache-Control` (1 place).",
        "HTTP caching: `out.headers['Last-Modified'] = stamp` sets `Last-Modified`, a "
        "validator for conditional requests (1 place).",
        "HTTP caching: `reply.headers['cache-control'] = 'no-store'` sets `Cache-Control` "
        "(1 place).",
        "HTTP caching: `response.cache_control.max_age = 300` sets `Cache-Control: max-age` "
        "(1 place).",
        "HTTP caching: `response.cache_control.public = True` sets `Cache-Control: public` "
        "(1 place).",
        "HTTP caching: `response.expires = when` sets `Expires` (1 place).",
        "HTTP caching: `response['ETag'] = digest` sets `ETag`, a validator for conditional "
        "requests (1 place).",
    ]


def test_the_extractor_watches_what_the_knowledge_explains() -> None:
    from syspatterns.extract.facts import ARGUMENT_CALLS, WATCHED_HEADERS
    from syspatterns.knowledge import read_table

    table = read_table("performance.toml")
    assert {row["name"] for row in table["http_caching_header"]} == WATCHED_HEADERS
    # Client factories made inside functions keep their arguments only when watched.
    assert set(table["object_storage_factories"]["calls"]) <= ARGUMENT_CALLS


def test_object_storage_clients_made_in_functions(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "files/__init__.py": "",
        "files/aws.py": """
            import boto3
            def upload(data):
                client = boto3.client("s3")
                return client.put_object(Body=data)
            class Archive:
                def bucket(self):
                    return boto3.Session().resource(service_name="s3").Bucket("b")
            def notify():
                return boto3.client("sqs").send_message()
            def table():
                # boto3.client("s3")
                return boto3.resource("dynamodb")
        """,
    }))
    assert claims(result, "Storage") == [
        "Files are kept in object storage, Amazon S3: `boto3.Session.resource()` (1 place).",
        "Files are kept in object storage, Amazon S3: `boto3.client()` (1 place).",
    ]


def test_nested_settings_are_read_from_the_facts() -> None:
    from syspatterns.analysis.source import setting_value
    from syspatterns.extract import extract_python

    facts = extract_python(b"import os\n"
                           b"STORAGES = {'default': {'BACKEND': 's.S3', 'OPTIONS': {'n': 1}},\n"
                           b"            'static': {'BACKEND': os.environ['X']}}\n"
                           b"TEMPLATES = [{'OPTIONS': {'autoescape': False}}, *EXTRA, {}]\n"
                           b"CACHES = make_caches()\n"
                           b"NAMES = ['a', 'b']\n")
    values = {c.name: setting_value(c) for c in facts.constants}
    assert values == {
        "STORAGES": {"default": {"BACKEND": "s.S3", "OPTIONS": {"n": 1}},
                     "static": {"BACKEND": None}},
        "TEMPLATES": [{"OPTIONS": {"autoescape": False}}, None],
        "CACHES": None,
        "NAMES": None,
    }


def test_threads_pools_and_thread_classes_inside_functions(analyse_repo: Analyse) -> None:
    result = ScalabilityAnalyser().analyse(analyse_repo({
        "daemon/__init__.py": "",
        "daemon/run.py": """
            import threading
            from multiprocessing.pool import ThreadPool
            from socketserver import ThreadingMixIn
            from http.server import HTTPServer

            class Watcher(threading.Thread):
                def run(self): ...

            class ApiServer(ThreadingMixIn, HTTPServer):
                pass

            class Plain:
                pass

            def start(jobs):
                pool = ThreadPool(processes=4)
                worker = threading.Thread(target=jobs.pop)
                worker.start()
                return pool
        """,
    }))
    assert claims(result, "Vertical scaling") == [
        "`Thread` uses more cores or threads (1 place).",
        "`ThreadPool` uses more cores or threads (1 place).",
        "`ApiServer` runs in a thread or process of its own (a subclass of "
        "`socketserver.ThreadingMixIn`).",
        "`Watcher` runs in a thread or process of its own (a subclass of `threading.Thread`).",
    ]


def test_two_calls_on_one_line_are_one_place(analyse_repo: Analyse) -> None:
    result = PerformanceAnalyser().analyse(analyse_repo({
        "app/__init__.py": "",
        "app/queries.py": "def rows(qs):\n"
                          "    return qs.select_related('a').select_related('b')\n",
    }))
    assert [c for c in claims(result, "Optimization") if "select_related" in c] == [
        "Query shaping: `select_related()` batches or narrows database queries (1 place)."]
