"""Per-file fact extraction: pure functions from a file's bytes to its facts, run for every
file of a scan and kept in a cache keyed by content.

Modules: :mod:`~syspatterns.extract.facts`, :mod:`~syspatterns.extract.python`,
:mod:`~syspatterns.extract.runner` and :mod:`~syspatterns.extract.cache`.
"""

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
