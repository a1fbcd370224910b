"""Registry: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import registry

from .helpers import Analyse, detect, labels


def test_registration_decorators_and_keyed_containers(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, registry.DETECTOR, {
        "tpl/__init__.py": "",
        "tpl/library.py": """
            SERIALIZERS = {}
            def serializer(cls):
                SERIALIZERS[cls.format] = cls
                return cls
            class Library:
                def __init__(self):
                    self.filters = {}
                def filter(self, name):
                    def dec(func):
                        self.filters[name] = func
                        return func
                    return dec
                def register_type(self, kind: type):
                    self.kinds[kind.__name__] = kind
        """,
        "tpl/defaults.py": """
            from tpl.library import Library, serializer
            register = Library()
            @register.filter("upper")
            def upper(value): ...
            @serializer
            class Json: ...
        """,
    })
    assert labels(found) == ["serializer", "Library.filter", "Library.register_type"]
    assert found is not None
    assert "`Library.filter` records what it is given in `self.filters`; applied as a " \
        "decorator at 1 place" in found.implementation


def test_setters_and_per_instance_caches(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, registry.DETECTOR, {"app/__init__.py": "", "app/c.py": """
        class Compiler:
            def __init__(self):
                self.quote_cache = {}
            def quote(self, name):
                self.quote_cache[name] = name
                return name
            def set(self, key, value):
                self.config[key] = value
        class Query:
            # fluent: hands back the query, not what it was given
            def where(self, key, value):
                self.filters[key] = value
                return self
        def collect(item):
            seen = {}
            seen[item] = item
            return item
    """}) is None
