"""Template Method: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import template_method

from .helpers import Analyse, detect, labels


def test_abstract_hooks_called_by_concrete_steps(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, template_method.DETECTOR, {
        "cmd/__init__.py": "",
        "cmd/base.py": """
            import abc
            from typing import overload
            class BaseCommand(abc.ABC):
                @overload
                def execute(self, name: str): ...
                @overload
                def execute(self, *args): ...
                def execute(self, *args):
                    self.check()
                    return self.handle(*args)
                def check(self): ...
                @abc.abstractmethod
                def handle(self, *args): ...
            class Backend:
                def send(self, messages):
                    raise NotImplementedError
                def open(self): ...
        """,
        "cmd/commands.py": """
            from cmd.base import BaseCommand, Backend
            class Migrate(BaseCommand):
                def handle(self, *args): ...
            class Serve(BaseCommand):
                def handle(self, *args): ...
            class SmtpBackend(Backend):
                def send(self, messages): ...
        """,
    })
    # (``Backend.open`` runs no hook: nothing of an algorithm is fixed around ``send``)
    assert labels(found) == ["BaseCommand"]
    assert found is not None and found.confidence == 0.8
    assert ("`BaseCommand` implements `execute` and leaves `handle` to 2 "
            "subclasses (such as `Migrate`)") in found.implementation


def test_pure_interfaces_and_unimplemented_bases(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, template_method.DETECTOR, {"app/__init__.py": "", "app/p.py": """
        import abc
        from typing import Protocol
        class Store(Protocol):
            def get(self, key): ...
            def keys(self): ...
        class Only(abc.ABC):
            @abc.abstractmethod
            def run(self): ...
        class Runner(Only):
            def run(self): ...
        class Lonely(abc.ABC):
            def helper(self): ...
            @abc.abstractmethod
            def step(self): ...
    """}) is None
