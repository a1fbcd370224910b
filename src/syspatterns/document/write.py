"""Write a document without ever leaving a half-written or silently clobbered file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from syspatterns.document.blocks import DocumentError, merge, parse_blocks
from syspatterns.document.insert import insert_blocks


class WriteError(Exception):
    """The document could not be written; the message names the path and the reason."""


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        with contextlib.suppress(OSError):
            # Keep an existing file's mode; a new one gets what ``open`` would give it
            # (mkstemp's private 0600 is meant for secrets, not documents).
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None


def updated_document(path: Path, generated: str, force: bool) -> str:
    """The text to write at ``path``: ``generated`` for a new file (or with ``force``, for a
    document without markers), else the existing document with its generated blocks
    refreshed, or inserted under its own headings when it has none yet; human text is kept.
    A document with Windows line endings keeps them.

    Raises :class:`DocumentError` for unreadable or non-UTF-8 documents, broken markers,
    and blocks edited by hand (unless ``force``).
    """
    if not path.exists():
        return generated
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            existing = handle.read()
    except UnicodeDecodeError:
        raise DocumentError(f"{path} is not UTF-8 text; not overwriting it") from None
    except OSError as error:
        raise DocumentError(f"cannot read {path}: {error.strerror}") from None
    bom = "\ufeff" if existing.startswith("\ufeff") else ""
    existing = existing.removeprefix(bom)
    crlf = "\r\n" in existing and "\n" not in existing.replace("\r\n", "")
    if crlf:
        existing = existing.replace("\r\n", "\n")
    try:
        blocks = parse_blocks(existing)
    except DocumentError as error:
        raise DocumentError(f"{path}: {error}; not overwriting it") from None
    if blocks:
        text = merge(existing, generated, force=force)
    elif force or not existing.strip():
        text = generated
    else:
        text = insert_blocks(existing, generated)
    return bom + (text.replace("\n", "\r\n") if crlf else text)
