"""Wording helpers: inline code that stays inline."""

from __future__ import annotations

from syspatterns.analysis.text import code


def test_inline_code_is_one_line_and_fenced_around_backticks() -> None:
    assert code("pytest -q") == "`pytest -q`"
    assert code("set -e\n  pytest -q\n") == "`set -e pytest -q`"
    assert code("echo `date`") == "`` echo `date` ``"
    assert code("a ``b``") == "``` a ``b`` ```"
