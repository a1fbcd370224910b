"""The Design Patterns section: one subsection per pattern found with enough evidence, the
template's three aspects, and what was looked for when nothing qualifies."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers import analysers
from syspatterns.analysers.patterns import THRESHOLD, PatternsAnalyser
from syspatterns.core.evidence import Section
from syspatterns.model import SystemModel
from syspatterns.patterns import DETECTORS

Analyse = Callable[..., SystemModel]

SHOP = {
    "shop/__init__.py": "",
    "shop/db.py": """
        from contextlib import contextmanager
        @contextmanager
        def session_scope(factory):
            session = factory()
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise
    """,
    "shop/make.py": """
        class Order: ...
        class Refund: ...
        def make(kind):
            if kind:
                return Refund()
            return Order()
    """,
    "shop/settings.py": "MIDDLEWARE = ['a.B']\n",
    # Models and views without templates: below the threshold, so not written.
    "shop/models.py": """
        from django.db import models
        class Item(models.Model):
            name = models.CharField()
    """,
    "shop/views.py": "def detail(request, pk): ...\n",
}


def section(analyse_repo: Analyse, files: dict[str, str]) -> Section:
    return PatternsAnalyser().analyse(analyse_repo(files))


def test_the_analyser_is_registered_for_its_section() -> None:
    assert any(isinstance(a, PatternsAnalyser) for a in analysers())


def test_at_least_fifteen_detectors_each_with_a_documented_rule() -> None:
    import importlib

    assert len(DETECTORS) >= 15
    assert len({d.pattern for d in DETECTORS}) == len(DETECTORS)
    for detector in DETECTORS:
        module = importlib.import_module(detector.detect.__module__)
        assert module.__doc__ and "Rule" in module.__doc__ and "Not " in module.__doc__


def test_one_subsection_per_pattern_with_the_template_aspects(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, SHOP)
    titles = [s.title for s in result.subsections]
    assert titles == ["Pattern 1: Factory", "Pattern 2: Unit of Work", "Pattern 3: Middleware",
                      "Pattern 4: Context Manager"]
    for subsection in result.subsections:
        assert [f.aspect for f in subsection.findings] == ["Purpose", "Implementation",
                                                           "Location"]
        assert all(f.evidence for f in subsection.findings)
    factory = result.subsections[0].findings
    assert factory[0].claim == ("Creates objects so that their callers do not construct them: "
                                "`make` in `shop`.")
    assert factory[1].claim.endswith("(confidence high: 0.85).")
    assert factory[2].claim == "`make` (1 place in all)."
    assert [str(e) for e in factory[2].evidence] == ["shop/make.py:3"]


def test_low_confidence_detections_are_left_out_and_listed(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, SHOP)
    assert THRESHOLD > 0.5
    assert all("Model-View" not in s.title for s in result.subsections)
    (summary,) = result.summary
    assert summary.claim.startswith("4 patterns found with structural evidence. Also looked "
                                    "for, and not found: Singleton, Builder,")
    assert "Model-View-Controller / Model-Template-View" in summary.claim


def test_nothing_found_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"lib/__init__.py": "def add(a, b):\n    return a + b\n"})
    assert result.subsections == []
    (summary,) = result.summary
    assert summary.claim.startswith("No design pattern was found with enough structural "
                                    "evidence. Looked for: Singleton (")
    for detector in DETECTORS:
        assert f"{detector.pattern} ({detector.looks_for})" in summary.claim


def test_two_runs_give_the_same_section(analyse_repo: Analyse) -> None:
    first = section(analyse_repo, SHOP).to_json()
    assert section(analyse_repo, SHOP).to_json() == first


def test_many_places_are_counted_beyond_the_examples(analyse_repo: Analyse) -> None:
    body = "\n".join(f"@contextmanager\ndef scope{i}():\n    yield {i}\n" for i in range(8))
    result = section(analyse_repo, {"lib/__init__.py": "from contextlib import contextmanager\n"
                                    + body})
    (location,) = [f for f in result.subsections[0].findings if f.aspect == "Location"]
    assert location.claim == ("`scope0`, `scope1`, `scope2`, `scope3`, `scope4`, and 3 more "
                              "places (8 places in all).")
    assert len(location.evidence) == 5
