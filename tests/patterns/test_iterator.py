"""Iterator / generator pipelines: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import iterator

from .helpers import Analyse, detect, labels


def test_pipeline_stages_and_iterator_classes(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, iterator.DETECTOR, {"etl/__init__.py": "", "etl/steps.py": """
        def read(path):
            with open(path) as f:
                yield from f
        def clean(lines):
            for line in lines:
                yield line.strip()
        class Batches:
            def __iter__(self):
                return self
            def __next__(self): ...
    """})
    assert labels(found) == ["clean", "Batches", "read"]
    assert found is not None and found.confidence == 0.8
    assert "`clean` consumes an iterable parameter and yields as it goes" in (
        found.implementation)


def test_three_generators_that_yield_repeatedly(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, iterator.DETECTOR, {"app/__init__.py": "", "app/g.py": """
        def ticks():
            while True:
                yield 1
        def pair():
            yield 1
            yield 2
        def chained(self):
            yield from self.items
    """})
    assert labels(found) == ["ticks", "pair", "chained"]


def test_generators_that_yield_once_are_hooks_not_sequences(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, iterator.DETECTOR, {"app/__init__.py": "", "app/deps.py": """
        def get_db():
            db = Session()
            try:
                yield db
            finally:
                db.close()
        async def lifespan(app):
            await app.start()
            yield
            await app.stop()
        def settings():
            for name in NAMES:
                load(name)
            yield CONFIG
        def outer():
            for item in ITEMS:
                def inner():
                    yield item
                register(inner)
    """}) is None


def test_a_lone_generator_or_a_context_manager_body(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, iterator.DETECTOR, {"app/__init__.py": "", "app/g.py": """
        from contextlib import contextmanager
        def numbers():
            yield 1
        @contextmanager
        def scope(items):
            for item in items:
                yield item
        def loop(items):
            for item in items:
                print(item)
    """}) is None
