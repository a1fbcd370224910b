"""Running one detector on a small repository built from snippets."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.model import SystemModel
from syspatterns.patterns.context import pattern_context
from syspatterns.patterns.detection import Detection, Detector

Analyse = Callable[..., SystemModel]


def detect(analyse_repo: Analyse, detector: Detector, files: dict[str, str]) -> Detection | None:
    return detector.detect(pattern_context(analyse_repo(files)))


def labels(detection: Detection | None) -> list[str]:
    assert detection is not None
    return [site.label for site in detection.locations]


def where(detection: Detection | None) -> list[str]:
    assert detection is not None
    return [str(site.evidence) for site in detection.locations]
