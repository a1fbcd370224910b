"""Analysers split over two processes give exactly what one process gives."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable

import pytest

from syspatterns.analysers import LONGEST_FIRST, analyse, analysers, forked
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


def test_every_implemented_section_has_a_rank() -> None:
    implemented = {a.key for a in analysers() if type(a).__name__ != "PendingAnalyser"}
    assert implemented == set(LONGEST_FIRST)


@needs_fork
def test_tasks_are_shared_out_each_to_one_process() -> None:
    tasks = forked.Tasks(40)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child claims what it can and reports it
        try:
            os.close(read_end)
            claimed = []
            while (task := tasks.claim()) is not None:
                claimed.append(task)
            os.write(write_end, pickle.dumps(claimed))
        finally:
            os._exit(0)
    os.close(write_end)
    mine = []
    while (task := tasks.claim()) is not None:
        mine.append(task)
    tasks.close()
    with os.fdopen(read_end, "rb") as pipe:
        theirs = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    assert sorted(mine + theirs) == list(range(40))
    assert mine == sorted(mine) and theirs == sorted(theirs)


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


@needs_fork
def test_no_second_process_leaves_every_section_to_this_one(
        analyse_repo: Callable[..., SystemModel], monkeypatch: pytest.MonkeyPatch) -> None:
    model = analyse_repo(SHOP)
    expected = analyse(analyse_repo(SHOP), jobs=1)

    def refused(work: Callable[[], object]) -> Callable[[], object]:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(forked, "start", refused)
    assert analyse(model, jobs=2) == expected
