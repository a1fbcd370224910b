"""Analysers split over two processes give exactly what one process gives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.analysers import SECOND_PROCESS, analyse, forked
from syspatterns.model import SystemModel

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="needs os.fork")

SHOP = {
    "shop/__init__.py": '"""The shop."""\n',
    "shop/registry.py": '''
        HANDLERS = {}


        def register(name):
            def wrap(func):
                HANDLERS[name] = func
                return func
            return wrap


        @register("a")
        def a():
            return 1


        @register("b")
        def b():
            return 2
    ''',
    "tests/test_shop.py": "import pytest\n\npytestmark = [pytest.mark.slow]\n\n\n"
                          "def test_a():\n    assert True\n",
}


@needs_fork
def test_two_processes_give_the_same_sections_and_reads(
        analyse_repo: Callable[..., SystemModel]) -> None:
    alone = analyse_repo(SHOP)
    split = analyse_repo(SHOP)
    expected = analyse(alone, jobs=1)
    assert analyse(split, jobs=2) == expected
    assert split.reads == alone.reads and alone.reads
    assert any(s.key in SECOND_PROCESS for s in expected)


@needs_fork
def test_the_result_of_the_child_comes_back() -> None:
    assert forked.start(lambda: {"sections": [1, 2, 3]})() == {"sections": [1, 2, 3]}


@needs_fork
def test_a_failing_child_is_reported_not_lost() -> None:
    def fail() -> None:
        raise ValueError("bad model")

    with pytest.raises(forked.ForkFailed, match="ValueError: bad model"):
        forked.start(fail)()


@needs_fork
def test_a_failed_child_is_replaced_by_the_parent(
        analyse_repo: Callable[..., SystemModel], monkeypatch: pytest.MonkeyPatch) -> None:
    model = analyse_repo(SHOP)
    expected = analyse(analyse_repo(SHOP), jobs=1)

    def broken(work: Callable[[], object]) -> Callable[[], object]:
        def wait() -> object:
            raise forked.ForkFailed("killed")
        return wait

    monkeypatch.setattr(forked, "start", broken)
    assert analyse(model, jobs=2) == expected
