"""Python 3.12 type parameter syntax and f-strings, and Python 3.14 t-strings, are read on
older Pythons, every fact on its own line; other syntax the running parser rejects still
makes the file unparsable."""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from syspatterns.extract import ExtractionError, extract_python
from syspatterns.extract.facts import FileFacts
from syspatterns.extract.fstring_syntax import rewrite_fstrings
from syspatterns.extract.newer_syntax import for_older_parser


def facts(source: str) -> FileFacts:
    return extract_python(textwrap.dedent(source).lstrip("\n").encode())


GENERIC = """
    import os


    def first[T: (int, str), *Ts, **P](items: list[T]) -> T:
        type Local[K] = dict[K, T]
        return os.path.join(items)


    class Box[T](Base, metaclass=Meta):
        def get[U](self) -> U:
            return self.value


    class Spread[
        T,
        U: int,
    ]:
        pass


    def spread[
        T,
    ](value: T) -> T:
        return value


    type Pair = tuple[int, int]
    type Mapping[K, V] = dict[K, V]


    def after():
        return Pair
"""


def test_type_parameters_are_removed_and_every_fact_keeps_its_line() -> None:
    result = facts(GENERIC)
    assert [(c.name, c.line, c.bases, dict(c.keywords)) for c in result.classes] == [
        ("Box", 9, ("Base",), {"metaclass": "Meta"}), ("Spread", 14, (), {})]
    assert [m.name for m in result.classes[0].methods] == ["get"]
    assert [(f.name, f.line) for f in result.functions] == [
        ("first", 4), ("spread", 21), ("after", 31)]
    assert [(f.name, f.params) for f in result.functions][:2] == [
        ("first", (("items", "list"),)), ("spread", (("value", "T"),))]
    assert [(v.name, v.line) for v in result.variables] == [("Pair", 27), ("Mapping", 28)]
    assert [(i.target, i.line) for i in result.imports] == [("os", 1)]


def test_type_as_a_plain_name_is_left_alone() -> None:
    source = "type = 3\nprint(type(x), type)\nx.type = 1\ntype Alias = int\n"
    rewritten = for_older_parser(source.encode())
    assert rewritten == "type = 3\nprint(type(x), type)\nx.type = 1\nAlias = int\n"


def test_a_source_without_the_syntax_is_not_rewritten() -> None:
    assert for_older_parser(b"def f(x: list[int]) -> None:\n    return x[0]\n") is None
    assert for_older_parser(b"class C(Generic[T]):\n    items: list[T]\n") is None


def test_a_coding_cookie_is_honoured_in_the_rewrite() -> None:
    source = "# -*- coding: latin-1 -*-\nclass Caf\xe9[T]:\n    '''Caf\xe9.'''\n"
    result = extract_python(source.encode("latin-1"))
    assert [(c.name, c.line, c.docstring) for c in result.classes] == [
        ("Caf\xe9", 2, "Caf\xe9.")]


def test_unparenthesised_except_types_are_put_in_parentheses() -> None:
    source = (b"import json\n"
              b"try:\n    json.loads(x)\n"
              b"except ValueError, TypeError:\n    pass\n"
              b"try:\n    pass\nexcept* KeyError, IndexError:\n    pass\n"
              b"except* (OSError, EOFError) as error:\n    raise\n"
              b"try:\n    pass\nexcept json.JSONDecodeError, UnicodeError:\n"
              b"    raise RuntimeError('bad')\n")
    result = extract_python(source)
    assert [(h.types, h.line) for h in result.handlers] == [
        (("ValueError", "TypeError"), 4), (("KeyError", "IndexError"), 8),
        (("OSError", "EOFError"), 10), (("json.JSONDecodeError", "UnicodeError"), 14)]
    assert [(r.exception, r.line) for r in result.raises][-1:] == [("RuntimeError", 15)]
    assert for_older_parser(b"try:\n    pass\nexcept (A, B) as e:\n    pass\n") is None


def test_a_type_statement_is_an_assignment_whether_rewritten_or_parsed_natively() -> None:
    result = facts("""
        type UserId = int
        type Pair[T] = tuple[T, T]
    """)
    assert [(v.name, v.value, v.line) for v in result.variables] == [
        ("UserId", "int", 1), ("Pair", "", 2)]


FSTRINGS = r'''
    import os


    def report(rows, lines, width):
        a = f"{rows["name"]}"
        b = f'{'\n'.join(lines)}'
        c = f"{
            os.path.join(  # the folder
                rows["dir"],
                "x",
            )
        }"
        d = f"{f"{rows["inner"]}"}" + f"plain {width}"
        e = f"{rows["n"]:>{width}} {rows!r} {width=} {width != 3} {{literal}}"
        g = t"{os.getenv("HOME")}"
        h = rf"\d{rows['x']}\{width}" f'{"\\"}'
        return os.getcwd(e)


    URL = f"{os.environ["BASE"]}/api"
    LATER = os.getenv("LATER")
'''


def test_newer_f_strings_and_t_strings_are_read_with_every_fact_on_its_line() -> None:
    result = facts(FSTRINGS)
    assert [(f.name, f.line, f.calls) for f in result.functions] == [
        ("report", 4, (("os.path.join", 8), ("os.getenv", 15), ("os.getcwd", 17)))]
    assert [(c.callee, c.line) for c in result.calls] == [("os.getenv", 15), ("os.getenv", 21)]
    assert [(c.name, c.line) for c in result.constants] == [("URL", 20), ("LATER", 21)]


def test_the_rewritten_f_strings_parse_and_keep_every_line() -> None:
    source = textwrap.dedent(FSTRINGS).lstrip("\n")
    rewritten = rewrite_fstrings(source)
    assert rewritten is not None
    ast.parse(rewritten)
    assert rewritten.count("\n") == source.count("\n")
    assert 'g = f"""{os.getenv("HOME")}"""' in rewritten
    if sys.version_info < (3, 12):
        assert 'a = f"""{rows["name"]}"""' in rewritten
        assert "# the folder" not in rewritten
    else:  # this Python reads every f-string: only the t-string is rewritten
        assert 'a = f"{rows["name"]}"' in rewritten
        assert "# the folder" in rewritten


@pytest.mark.parametrize("source", [
    'x = f"{a!r:>{width}}" + f\'{b["k"]}\' + rf"\\d{c}" + f"{{}}"\n',
    'x = f"""{a["k"]}\n{b}"""  # f"{c["k"]}"\ny = "f{x[\'k\']}"\n',
    "x = 1\n",
])
def test_f_strings_an_older_python_reads_are_not_rewritten(source: str) -> None:
    ast.parse(source)
    assert rewrite_fstrings(source) is None


def test_a_string_that_never_ends_is_left_alone() -> None:
    assert rewrite_fstrings('x = f"{a["k"]}\ny = "open\n') is None
    assert rewrite_fstrings('x = f"{a["k"]\n') is None


@pytest.mark.parametrize("source", [
    b"class Box[T]:\n    pass\nprint 'old'\n",
    # Brackets that never close.
    b"def f[T(x):\n    pass\n",
])
def test_other_newer_or_broken_syntax_still_fails(source: bytes) -> None:
    with pytest.raises(ExtractionError, match="not valid Python"):
        extract_python(source)
