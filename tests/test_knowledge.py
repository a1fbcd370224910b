"""The packaged knowledge tables: they load, are consistent, and map names correctly."""

from __future__ import annotations

import marshal
import sys
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

import syspatterns.knowledge as knowledge_module
from syspatterns.knowledge import Knowledge, Library, load_knowledge, normalize, read_table


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def _library_files() -> dict[str, list[dict[str, object]]]:
    folder = resources.files("syspatterns.knowledge").joinpath("libraries")
    return {
        entry.name: tomllib.loads(entry.read_text("utf-8")).get("library", [])
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


def test_tables_load(knowledge: Knowledge) -> None:
    assert isinstance(knowledge, Knowledge)
    assert knowledge.categories
    assert knowledge.applications
    assert all(isinstance(lib, Library) for lib in knowledge.libraries)


def test_at_least_300_libraries(knowledge: Knowledge) -> None:
    assert len(knowledge.libraries) >= 300


def test_rows_are_well_formed() -> None:
    for filename, rows in _library_files().items():
        for row in rows:
            assert set(row) - {"roles"} == {"name", "imports", "category"}, (filename, row)
            for module, category in row.get("roles", {}).items():
                # a module of the distribution itself, and a category other than its own
                assert module.partition(".")[0] in row["imports"], (filename, row)
                assert category != row["category"], (filename, row)
            assert isinstance(row["name"], str) and row["name"].strip(), (filename, row)
            imports = row["imports"]
            assert isinstance(imports, list) and imports, (filename, row)
            for name in imports:
                assert isinstance(name, str), (filename, row)
                # A top-level import name: an identifier, never a dotted path.
                assert name.isidentifier(), (filename, row["name"], name)
            assert len(set(imports)) == len(imports), (filename, row)


def test_every_import_name_maps_to_exactly_one_library(knowledge: Knowledge) -> None:
    counts = Counter(name for lib in knowledge.libraries for name in lib.imports)
    duplicated = {name: n for name, n in counts.items() if n > 1}
    assert duplicated == {}
    assert len(knowledge.by_import) == sum(counts.values())


def test_every_distribution_is_listed_once(knowledge: Knowledge) -> None:
    counts = Counter(normalize(lib.name) for lib in knowledge.libraries)
    assert [name for name, n in counts.items() if n > 1] == []
    assert len(knowledge.by_distribution) == len(knowledge.libraries)


def test_no_library_claims_a_standard_library_module(knowledge: Knowledge) -> None:
    stdlib = set(sys.stdlib_module_names)
    clashes = [(lib.name, name) for lib in knowledge.libraries for name in lib.imports
               if name in stdlib]
    assert clashes == []


def test_every_used_category_exists(knowledge: Knowledge) -> None:
    used = {lib.category for lib in knowledge.libraries}
    assert used <= set(knowledge.categories)
    for key in used:
        category = knowledge.categories[key]
        assert category.key == key
        assert category.title


def test_unknown_category_in_raw_rows_is_absent() -> None:
    categories = set(tomllib.loads(
        resources.files("syspatterns.knowledge").joinpath("categories.toml").read_text("utf-8")
    ))
    for filename, rows in _library_files().items():
        for row in rows:
            assert row["category"] in categories, (filename, row)
            assert set(row.get("roles", {}).values()) <= categories, (filename, row)


@pytest.mark.parametrize(
    ("top", "distribution", "category"),
    [
        ("yaml", "PyYAML", "serialization"),
        ("jwt", "PyJWT", "auth"),
        ("sentry_sdk", "sentry-sdk", "error-tracking"),
        ("sklearn", "scikit-learn", "machine-learning"),
        ("bs4", "beautifulsoup4", None),
        ("dateutil", "python-dateutil", None),
        ("cv2", "opencv-python", None),
        ("PIL", "Pillow", None),
        ("zmq", "pyzmq", "message-broker"),
        ("MySQLdb", "mysqlclient", "database-driver"),
        ("rest_framework", "djangorestframework", "api-framework"),
        ("corsheaders", "django-cors-headers", "security"),
        ("argon2", "argon2-cffi", "password-hashing"),
        ("nacl", "PyNaCl", "crypto"),
        ("pythonjsonlogger", "python-json-logger", "logging"),
        ("prometheus_client", "prometheus-client", "metrics"),
        ("opentelemetry", "opentelemetry-api", "tracing"),
        ("factory", "factory-boy", "mocking"),
        ("vcr", "vcrpy", "mocking"),
        ("dotenv", "python-dotenv", "settings"),
        ("environ", "django-environ", "settings"),
        ("hydra", "hydra-core", "settings"),
        ("grpc", "grpcio", "rpc"),
        ("uvicorn", "uvicorn", "http-server"),
        ("celery", "celery", "task-queue"),
        ("kafka", "kafka-python", "message-broker"),
        ("memcache", "python-memcached", "cache"),
        ("opensearchpy", "opensearch-py", "search"),
        ("attr", "attrs", None),
        ("attrs", "attrs", None),
        ("pkg_resources", "setuptools", "build-backend"),
        ("PyInstaller", "pyinstaller", "build-backend"),
    ],
)
def test_known_import_mappings(knowledge: Knowledge, top: str, distribution: str,
                               category: str | None) -> None:
    library = knowledge.library_for_import(top)
    assert library is not None, top
    assert library.name == distribution
    assert top in library.imports
    if category is not None:
        assert library.category == category


def test_unknown_import_is_none(knowledge: Knowledge) -> None:
    assert knowledge.library_for_import("definitely_not_a_real_package_xyz") is None
    assert knowledge.library_for_import("os") is None
    # Namespace and dotted forms are not top-level names.
    assert knowledge.library_for_import("google.protobuf") is None


@pytest.mark.parametrize(
    ("query", "distribution"),
    [
        ("PyYAML", "PyYAML"),
        ("pyyaml", "PyYAML"),
        ("PyJWT", "PyJWT"),
        ("pyjwt", "PyJWT"),
        ("sentry-sdk", "sentry-sdk"),
        ("sentry_sdk", "sentry-sdk"),
        ("Sentry.SDK", "sentry-sdk"),
        ("scikit_learn", "scikit-learn"),
        ("Scikit-Learn", "scikit-learn"),
        ("python_dateutil", "python-dateutil"),
        ("ruamel.yaml", "ruamel.yaml"),
        ("ruamel_yaml", "ruamel.yaml"),
        ("django_cors_headers", "django-cors-headers"),
        ("flask_sqlalchemy", "Flask-SQLAlchemy"),
        ("pillow", "Pillow"),
    ],
)
def test_distribution_lookup_normalises(knowledge: Knowledge, query: str,
                                        distribution: str) -> None:
    library = knowledge.library_for_distribution(query)
    assert library is not None, query
    assert library.name == distribution


def test_distribution_lookup_is_not_fuzzy(knowledge: Knowledge) -> None:
    # py_yaml normalises to "py-yaml", which is not "pyyaml".
    assert normalize("py_yaml") == "py-yaml"
    assert knowledge.library_for_distribution("py_yaml") is None
    assert knowledge.library_for_distribution("yaml") is None
    assert knowledge.library_for_distribution("jwt") is None


def test_import_and_distribution_indexes_agree(knowledge: Knowledge) -> None:
    for library in knowledge.libraries:
        assert knowledge.library_for_distribution(library.name) is library
        for top in library.imports:
            assert knowledge.library_for_import(top) is library


def test_every_application_factory_module_is_a_known_library(knowledge: Knowledge) -> None:
    missing = [app.callable for app in knowledge.applications
               if knowledge.library_for_import(app.callable.split(".", 1)[0]) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("top", "distribution"),
    [
        ("fastapi", "FastAPI"),
        ("flask", "Flask"),
        ("django", "Django"),
        ("starlette", "starlette"),
        ("quart", "Quart"),
        ("falcon", "falcon"),
        ("aiohttp", "aiohttp"),
        ("sanic", "sanic"),
        ("litestar", "litestar"),
        ("bottle", "bottle"),
        ("pyramid", "pyramid"),
        ("tornado", "tornado"),
        ("connexion", "connexion"),
        ("channels", "channels"),
        ("socketio", "python-socketio"),
        ("dash", "dash"),
        ("responder", "responder"),
        ("robyn", "robyn"),
        ("blacksheep", "blacksheep"),
        ("emmett", "emmett"),
    ],
)
def test_application_framework_rows(knowledge: Knowledge, top: str, distribution: str) -> None:
    library = knowledge.library_for_import(top)
    assert library is not None
    assert library.name == distribution


def test_ambiguous_namespace_packages_are_not_claimed(knowledge: Knowledge) -> None:
    # "google" and "azure" are shared by many distributions; no single row may own them.
    assert knowledge.library_for_import("google") is None
    assert knowledge.library_for_import("azure") is None


class _Store:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def get_blob(self, key: str) -> bytes | None:
        return self.blobs.get(key)

    def put_blob(self, key: str, data: bytes) -> None:
        self.blobs[key] = data


def test_every_table_is_kept_parsed_in_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge_module, "_PARSED", {})
    monkeypatch.setattr(knowledge_module, "_LOADED", {})
    store = _Store()
    load_knowledge(store)
    ((key, blob),) = store.blobs.items()
    stored = marshal.loads(blob)
    assert "security.toml" in stored and "libraries/web.toml" in stored
    # A later process takes the tables from the store instead of parsing them again.
    stored["security.toml"] = {"from": "the store"}
    store.blobs[key] = marshal.dumps(stored)
    monkeypatch.setattr(knowledge_module, "_PARSED", {})
    monkeypatch.setattr(knowledge_module, "_LOADED", {})
    load_knowledge(store)
    assert read_table("security.toml") == {"from": "the store"}


def test_tables_are_parsed_without_a_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge_module, "_PARSED", {})
    text = resources.files("syspatterns.knowledge").joinpath("security.toml").read_text()
    assert read_table("security.toml") == tomllib.loads(text)


def _fresh_process(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """As if a new process started, with the tables kept parsed in ``folder``."""
    monkeypatch.setattr(knowledge_module, "_PARSED", {})
    monkeypatch.setattr(knowledge_module, "_LOADED", {})
    monkeypatch.setattr(knowledge_module, "PARSED_FOLDER", folder)


def test_tables_are_kept_parsed_beside_the_package(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _fresh_process(monkeypatch, tmp_path / "cache")
    parsed = load_knowledge()
    (kept,) = (tmp_path / "cache").iterdir()
    assert kept.name.startswith(f"tables.{sys.implementation.cache_tag}.")
    # A later process, even without a repository cache, reads them instead of parsing.
    _fresh_process(monkeypatch, tmp_path / "cache")

    def no_parsing(raw: dict[str, bytes]) -> dict[str, object]:
        raise AssertionError("parsed again")

    monkeypatch.setattr(knowledge_module, "_parse", no_parsing)
    assert load_knowledge() == parsed


def test_a_damaged_parsed_file_is_parsed_again(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _fresh_process(monkeypatch, tmp_path)
    parsed = load_knowledge()
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(b"\x00not marshal")
    _fresh_process(monkeypatch, tmp_path)
    assert load_knowledge() == parsed
    assert marshal.loads(kept.read_bytes())["security.toml"] == read_table("security.toml")


def test_nothing_is_written_when_python_writes_no_bytecode(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _fresh_process(monkeypatch, tmp_path / "cache")
    load_knowledge()
    assert not (tmp_path / "cache").exists()
