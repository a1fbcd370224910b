"""Design pattern detectors, one module per pattern, each module's docstring stating its rule
(what counts and what does not). :data:`DETECTORS` lists them in the order the document
presents them: creational, structural, behavioural, then architectural.

A detector reads the :class:`~syspatterns.patterns.context.PatternContext` (the code's
classes, functions, interfaces and uses, with names resolved through imports) and returns a
:class:`~syspatterns.patterns.detection.Detection` or ``None``. Framework knowledge (base
classes, decorators, calls) is in ``knowledge/patterns.toml``.
"""

from __future__ import annotations

from syspatterns.model import SystemModel
from syspatterns.patterns import (
    adapter,
    builder,
    command,
    context_manager,
    decorator,
    dependency_injection,
    facade,
    factory,
    hexagonal,
    iterator,
    layered,
    middleware,
    mvc,
    observer,
    plugin,
    proxy,
    registry,
    repository,
    service_layer,
    singleton,
    strategy,
    template_method,
    unit_of_work,
)
from syspatterns.patterns.context import pattern_context
from syspatterns.patterns.detection import Detection, Detector

DETECTORS: tuple[Detector, ...] = (
    singleton.DETECTOR,
    factory.DETECTOR,
    builder.DETECTOR,
    adapter.DETECTOR,
    facade.DETECTOR,
    proxy.DETECTOR,
    decorator.DETECTOR,
    observer.DETECTOR,
    strategy.DETECTOR,
    template_method.DETECTOR,
    command.DETECTOR,
    registry.DETECTOR,
    plugin.DETECTOR,
    repository.DETECTOR,
    unit_of_work.DETECTOR,
    dependency_injection.DETECTOR,
    middleware.DETECTOR,
    context_manager.DETECTOR,
    iterator.DETECTOR,
    mvc.DETECTOR,
    service_layer.DETECTOR,
    hexagonal.DETECTOR,
    layered.DETECTOR,
)


def detect_patterns(model: SystemModel) -> list[tuple[Detector, Detection | None]]:
    """Every detector with what it found in ``model`` (``None``: not found)."""
    context = pattern_context(model)
    return [(detector, detector.detect(context)) for detector in DETECTORS]


__all__ = ["DETECTORS", "Detection", "Detector", "detect_patterns"]
