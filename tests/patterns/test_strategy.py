"""Strategy: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import strategy

from .helpers import Analyse, detect, labels

RELOADERS = """
    class BaseReloader:
        def tick(self):
            raise NotImplementedError
    class StatReloader(BaseReloader):
        def tick(self): ...
    class WatchmanReloader(BaseReloader):
        def tick(self): ...
"""


def test_implementations_chosen_by_a_function(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, strategy.DETECTOR, {
        "app/__init__.py": "",
        "app/reload.py": RELOADERS + """
    def get_reloader(fast):
        if fast:
            return WatchmanReloader()
        return StatReloader()
""",
    })
    assert labels(found) == ["BaseReloader"]
    assert found is not None and found.confidence == 0.85
    assert ("`BaseReloader` (base class) has 2 implementations (`StatReloader` and "
            "`WatchmanReloader`), chosen in `get_reloader()`") in found.implementation


def test_implementations_accepted_through_an_annotated_parameter(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, strategy.DETECTOR, {
        "app/__init__.py": "",
        "app/pricing.py": """
            from typing import Protocol
            class Pricing(Protocol):
                def price(self, item): ...
            class Flat:
                def price(self, item): ...
            class Discounted:
                def price(self, item): ...
            class Checkout:
                def __init__(self, pricing: Pricing) -> None: ...
        """,
    })
    assert found is not None and found.confidence == 0.75
    assert "`Checkout.__init__` accepts any of them" in found.implementation


def test_single_implementation_or_no_choice(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, strategy.DETECTOR, {
        "app/__init__.py": "",
        "app/reload.py": RELOADERS,
        "app/expr.py": """
            class Expression:
                def as_sql(self):
                    raise NotImplementedError
            class Sum(Expression):
                def as_sql(self): ...
                def resolve(self):
                    if self.x:
                        return Sum()
                    return Value()
            class Value(Expression):
                def as_sql(self): ...
        """,
    }) is None
