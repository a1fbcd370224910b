"""Wording helpers: inline code that stays inline."""

from __future__ import annotations

from syspatterns.analysis.text import code


def test_inline_code_is_one_line_and_fenced_around_backticks() -> None:
    assert code("pytest -q") == "`pytest -q`"
    assert code("set -e\n  pytest -q\n") == "`set -e pytest -q`"
    assert code("echo `date`") == "`` echo `date` ``"
    assert code("a ``b``") == "``` a ``b`` ```"


def test_first_sentence_leaves_a_titles_underline_out() -> None:
    from syspatterns.analysis.text import first_sentence

    assert first_sentence("Discord API Wrapper\n~~~~~~~~~~~~~~~~~~~\n\nA basic wrapper.") == \
        "Discord API Wrapper"
    assert first_sentence("Parse things. And more.") == "Parse things."
    assert first_sentence("a -- b\n") == "a -- b"
