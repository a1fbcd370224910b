"""Builder: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import builder

from .helpers import Analyse, detect, labels


def test_chained_methods_returning_self(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, builder.DETECTOR, {"q/__init__.py": "", "q/query.py": """
        class Query: ...
        class QueryBuilder:
            def where(self, c):
                self.c = c
                return self
            def order_by(self, f):
                self.f = f
                return self
            def limit(self, n):
                self.n = n
                return self
            def build(self):
                return Query(self.c, self.f, self.n)
    """})
    assert labels(found) == ["QueryBuilder"]
    assert found is not None and found.confidence == 0.8
    assert "`where`, `order_by` and `limit` return `self`" in found.implementation
    assert "`build()` returns a new object" in found.implementation


def test_context_managers_and_single_chainable_methods_are_not_builders(
        analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, builder.DETECTOR, {"q/__init__.py": "", "q/io.py": """
        class Resource:
            def __enter__(self):
                return self
            def __iadd__(self, other):
                return self
            def open(self):
                return self
            def _reset(self):
                return self
    """}) is None


def test_class_methods_returning_a_local_named_self_are_not_builders(
        analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, builder.DETECTOR, {"flags/__init__.py": "", "flags/core.py": """
        class Intents:
            @classmethod
            def all(cls):
                self = cls.__new__(cls)
                return self
            @classmethod
            def none(cls):
                self = cls.__new__(cls)
                return self
            @staticmethod
            def default(self):
                return self
    """}) is None
