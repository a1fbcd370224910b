"""Where a repository keeps its System Patterns document.

Memory banks live in a few conventional folders; the file name's case and separators vary
(``systemPatterns.md``, ``system-patterns.md``, ``system_patterns.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_DOCUMENT = Path("memory-bank") / "systemPatterns.md"
FOLDERS: tuple[str, ...] = (
    "memory-bank", "memory_bank", "docs/memory-bank", "docs/memory_bank", ".memory-bank",
    ".memory_bank", "memorybank", "docs/memorybank",
)
_NAME = re.compile(r"^system[-_]?patterns\.md$", re.IGNORECASE)


def find_documents(root: Path) -> list[Path]:
    """The System Patterns documents of the repository at ``root``, in :data:`FOLDERS`
    order (one per folder)."""
    found: list[Path] = []
    for folder in FOLDERS:
        directory = root / folder
        try:
            names = sorted(p.name for p in directory.iterdir() if p.is_file())
        except OSError:
            continue
        match = "systemPatterns.md" if "systemPatterns.md" in names else next(
            (name for name in names if _NAME.match(name)), None)
        if match is not None:
            found.append(directory / match)
    return found


def looked_for() -> str:
    """What :func:`find_documents` looks for, for messages."""
    return ", ".join(f"{folder}/systemPatterns.md" for folder in FOLDERS)
