"""Phrases the pattern detectors share."""

from __future__ import annotations

from syspatterns.patterns.wording import by_component


def test_names_are_grouped_by_component_and_the_rest_counted_in_words() -> None:
    five = [(f"c{i}", f"n{i}") for i in range(5)]
    assert by_component(five[:1]) == "`n0` in `c0`"
    assert by_component(five).endswith("`n3` in `c3`; 1 more component")
    assert by_component([*five, ("c5", "n5")]).endswith("; 2 more components")
