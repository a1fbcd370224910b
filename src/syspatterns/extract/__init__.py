"""Per-file fact extraction: pure functions from a file's bytes to its facts."""

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
