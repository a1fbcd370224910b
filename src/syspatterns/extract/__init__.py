"""Per-file fact extraction: pure functions from a file's bytes to its facts, run for every
file of a scan (:mod:`~syspatterns.extract.runner`) and kept in a cache keyed by content
(:mod:`~syspatterns.extract.cache`)."""

from syspatterns.extract.facts import (
    AssignFact,
    ClassFact,
    FileFacts,
    FunctionFact,
    ImportFact,
)
from syspatterns.extract.python import ExtractionError, extract_python

__all__ = [
    "AssignFact",
    "ClassFact",
    "ExtractionError",
    "FileFacts",
    "FunctionFact",
    "ImportFact",
    "extract_python",
]
