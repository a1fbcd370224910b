"""Which modules the code analysers read: those of code components, without tests."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysis.source import code_modules
from syspatterns.model import SystemModel


def test_tests_inside_a_code_package_are_not_code(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "shop/__init__.py": "",
        "shop/views.py": "def index():\n    return 1\n",
        "shop/tests/__init__.py": "",
        "shop/tests/test_views.py": "def test_index():\n    assert True\n",
        "tests/test_shop.py": "def test_shop():\n    assert True\n",
        "examples/demo.py": "print(1)\n",
    })
    assert [m.module.path for m in code_modules(model)] == ["shop/__init__.py",
                                                             "shop/views.py"]


def test_callees_and_spellings_follow_import_aliases(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "shop/__init__.py": "",
        "shop/cache.py": (
            "from redis import Redis as R\n"
            "import redis\n"
            "STORE = {}\n"
            "def connect():\n"
            "    R()\n"
            "    return redis.Redis()\n"
            "def remember(key, value):\n"
            "    STORE.update({key: value})\n"
            "    value.update()\n"
        ),
    })
    (_, cache) = code_modules(model)
    assert cache.spellings({"redis.Redis"}) == {"Redis", "R"}
    # Recorded calls (``Redis`` is a watched word) come first, then the other callees.
    assert [site.callee for site in cache.calls_to({"redis.Redis"})] == ["redis.Redis", "R"]
    assert cache.callees_named({"update"}) == {"STORE.update", "value.update"}
    assert cache.callees_named({"missing"}) == set()
