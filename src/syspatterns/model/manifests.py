"""What the repository's packaging metadata declares: console scripts and dependencies.

Read statically: TOML and INI are parsed, ``setup.py`` is read with :mod:`ast` and never run.
Every declaration keeps the line it stands on.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from syspatterns.evidence import Evidence, Note

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class Script(NamedTuple):
    """A console script: ``name`` runs ``target`` (``module:function``)."""

    name: str
    target: str
    evidence: Evidence


class Requirement(NamedTuple):
    """A declared dependency (distribution name as written) and where it is declared."""

    name: str
    group: str  # "" for the main dependencies, else the extra / group name
    evidence: Evidence


@dataclass
class Manifests:
    scripts: list[Script]
    requirements: list[Requirement]
    notes: list[Note]


def _line_of(lines: list[str], pattern: str, start: int = 0) -> int:
    """1-based number of the first line at or after ``start`` matching ``pattern``."""
    regex = re.compile(pattern)
    for index in range(start, len(lines)):
        if regex.search(lines[index]):
            return index + 1
    return start + 1 if start < len(lines) else 1


def _header_index(lines: list[str], header: str) -> int:
    """0-based index of the TOML/INI table header ``[header]``, or 0."""
    wanted = re.compile(r"^\s*\[\s*" + re.escape(header).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
    for index, line in enumerate(lines):
        if wanted.match(line):
            return index
    return 0


def _requirement_name(spec: str) -> str | None:
    match = _REQUIREMENT_NAME.match(spec)
    return match.group(1) if match else None


def _from_pyproject(path: str, text: str, result: Manifests) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        result.notes.append(Note(path, f"not valid TOML: {error}"))
        return
    lines = text.splitlines()
    project = data.get("project", {})
    for table in ("scripts", "gui-scripts"):
        start = _header_index(lines, f"project.{table}")
        for name, target in sorted(project.get(table, {}).items()):
            line = _line_of(lines, rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=", start)
            result.scripts.append(Script(name, str(target), Evidence(path, line)))
    poetry = data.get("tool", {}).get("poetry", {})
    start = _header_index(lines, "tool.poetry.scripts")
    for name, target in sorted(poetry.get("scripts", {}).items()):
        if isinstance(target, dict):
            target = target.get("reference", "")
        line = _line_of(lines, rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=", start)
        result.scripts.append(Script(name, str(target), Evidence(path, line)))
    groups: list[tuple[str, list[str]]] = [("", project.get("dependencies", []))]
    groups += sorted(project.get("optional-dependencies", {}).items())
    groups += sorted(
        (name, [d for d in deps if isinstance(d, str)])
        for name, deps in data.get("dependency-groups", {}).items()
    )
    for group, specs in groups:
        for spec in specs:
            name = _requirement_name(spec)
            if name:
                line = _line_of(lines, rf"[\"']{re.escape(name)}(?![A-Za-z0-9_.-])")
                result.requirements.append(Requirement(name, group, Evidence(path, line)))
    poetry_groups = [("", poetry.get("dependencies", {}))]
    poetry_groups += [("dev", poetry.get("dev-dependencies", {}))]
    poetry_groups += sorted(
        (name, group.get("dependencies", {})) for name, group in poetry.get("group", {}).items()
    )
    for group, table in poetry_groups:
        for name in sorted(table):
            if name.lower() != "python":
                line = _line_of(lines, rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
                result.requirements.append(Requirement(name, group, Evidence(path, line)))


def _from_setup_cfg(path: str, text: str, result: Manifests) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        result.notes.append(Note(path, f"not valid INI: {error.message}"))
        return
    lines = text.splitlines()
    if parser.has_option("options.entry_points", "console_scripts"):
        start = _header_index(lines, "options.entry_points")
        for entry in parser.get("options.entry_points", "console_scripts").splitlines():
            name, _, target = entry.partition("=")
            if name.strip() and target.strip():
                line = _line_of(lines, rf"^\s*{re.escape(name.strip())}\s*=", start)
                result.scripts.append(Script(name.strip(), target.strip(), Evidence(path, line)))
    if parser.has_option("options", "install_requires"):
        for spec in parser.get("options", "install_requires").splitlines():
            required = _requirement_name(spec)
            if required:
                line = _line_of(lines, rf"^\s*{re.escape(required)}(?![A-Za-z0-9_.-])")
                result.requirements.append(Requirement(required, "", Evidence(path, line)))


def _from_setup_py(path: str, text: str, result: Manifests) -> None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return  # reported by the Python extraction
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(
                node.func, "attr", None)) == "setup"):
            continue
        for keyword in node.keywords:
            try:
                value = ast.literal_eval(keyword.value)
            except (ValueError, SyntaxError, TypeError):
                continue
            if keyword.arg == "entry_points" and isinstance(value, dict):
                for entry in value.get("console_scripts", []):
                    name, _, target = str(entry).partition("=")
                    result.scripts.append(Script(name.strip(), target.strip(),
                                                 Evidence(path, keyword.value.lineno)))
            elif keyword.arg == "install_requires" and isinstance(value, list | tuple):
                for spec in value:
                    required = _requirement_name(str(spec))
                    if required:
                        result.requirements.append(
                            Requirement(required, "", Evidence(path, keyword.value.lineno)))


def _from_requirements(path: str, text: str, result: Manifests) -> None:
    group = Path(path).stem.removeprefix("requirements").strip("-_.") or ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-") or "://" in line:
            continue
        name = _requirement_name(line)
        if name:
            result.requirements.append(Requirement(name, group, Evidence(path, number)))


READERS = {
    "pyproject.toml": _from_pyproject,
    "setup.cfg": _from_setup_cfg,
    "setup.py": _from_setup_py,
}


def read_manifests(root: Path, paths: list[str]) -> Manifests:
    """Scripts and requirements declared by the manifests at ``paths``."""
    result = Manifests([], [], [])
    for path in sorted(paths):
        name = Path(path).name
        reader = READERS.get(name)
        if reader is None and name.endswith((".txt", ".in")) and "requirements" in path:
            reader = _from_requirements
        if reader is None:
            continue
        try:
            text = (root / path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            result.notes.append(Note(path, f"manifest not readable: {error}"))
            continue
        reader(path, text, result)
    result.scripts.sort()
    result.requirements.sort()
    return result
