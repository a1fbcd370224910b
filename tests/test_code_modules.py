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
