"""Infrastructure and releases: Terraform blocks, Serverless functions, release tooling
(PyInstaller, snapcraft, GoReleaser, Homebrew), platform files and ``.env`` examples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import (
    YamlMap,
    items_with_lines,
    line_of,
    text_of,
)
from syspatterns.model.deployment.values import EnvVar

if TYPE_CHECKING:
    pass




class TerraformBlock(NamedTuple):
    """``resource "TYPE" "NAME"`` (also ``data``, ``module`` with its source, ``provider``)."""

    block: str
    type: str
    name: str
    evidence: Evidence


class ServerlessFunction(NamedTuple):
    name: str
    handler: str
    events: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class ServerlessConfig:
    path: str
    service: str
    provider: str
    runtime: str
    evidence: Evidence
    functions: tuple[ServerlessFunction, ...] = ()


class ReleaseTool(NamedTuple):
    """A release artefact's recipe: ``tool`` (PyInstaller, snapcraft, GoReleaser, Homebrew),
    what it produces (``name``) and a detail such as the snap's confinement."""

    tool: str
    name: str
    detail: str
    evidence: Evidence


class PlatformFile(NamedTuple):
    """A file that configures a hosting platform or a server (see ``deployment.toml``)."""

    path: str
    platform: str
    evidence: Evidence


class EnvExample(NamedTuple):
    """A ``.env`` example file and the variables it lists."""

    path: str
    variables: tuple[EnvVar, ...]


_TERRAFORM_BLOCK = re.compile(
    r'^\s*(resource|data|module|provider)\s+"([^"]+)"(?:\s+"([^"]+)")?\s*\{')


def read_terraform(path: str, text: str) -> list[TerraformBlock]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _TERRAFORM_BLOCK.match(line)
        if match:
            block, first, second = match.groups()
            if block in ("resource", "data"):
                found.append(TerraformBlock(block, first, second or "", Evidence(path, number)))
            else:
                found.append(TerraformBlock(block, "", first, Evidence(path, number)))
    return found


def _serverless_event(event: Any) -> str:
    if not isinstance(event, dict) or not event:
        return text_of(event)
    kind, spec = next(iter(event.items()))
    if isinstance(spec, dict):
        detail = " ".join(text_of(spec[k]) for k in ("method", "path", "rate", "queue", "arn")
                          if spec.get(k))
        return f"{kind} {detail}".strip()
    return f"{kind} {text_of(spec)}".strip()


def read_serverless(path: str, data: Any) -> ServerlessConfig | None:
    if not isinstance(data, YamlMap):
        return None
    provider = data.get("provider")
    functions = data.get("functions")
    found = []
    if isinstance(functions, dict):
        for name, spec in functions.items():
            if not isinstance(spec, dict):
                continue
            events = tuple(_serverless_event(e) for e, _ in items_with_lines(
                spec.get("events"), 1))
            found.append(ServerlessFunction(str(name), text_of(spec.get("handler")), events,
                                            Evidence(path, line_of(functions, name, 1))))
    return ServerlessConfig(
        path, text_of(data.get("service")),
        text_of(provider.get("name")) if isinstance(provider, dict) else text_of(provider),
        text_of(provider.get("runtime")) if isinstance(provider, dict) else "",
        Evidence(path, data.line_of("service", 1)), tuple(found))


def read_pyinstaller_spec(path: str, text: str) -> ReleaseTool | None:
    """A PyInstaller ``.spec`` (other ``.spec`` files, such as RPM's, are not)."""
    analysis = re.search(r"^.*\bAnalysis\(", text, re.MULTILINE)
    if analysis is None:
        return None
    line = text.count("\n", 0, analysis.start()) + 1
    names = re.findall(r"\bname\s*=\s*['\"]([^'\"]+)['\"]", text)
    one_file = re.search(r"\bEXE\([^)]*a\.binaries", text, re.DOTALL) is not None
    return ReleaseTool("PyInstaller", names[0] if names else "",
                       "one-file executable" if one_file else "", Evidence(path, line))


def read_snapcraft(path: str, data: Any) -> ReleaseTool | None:
    if not isinstance(data, YamlMap):
        return None
    details = [f"{key} {text_of(data[key])}" for key in ("base", "confinement", "grade")
               if data.get(key)]
    return ReleaseTool("snapcraft", text_of(data.get("name")), ", ".join(details),
                       Evidence(path, data.line_of("name", 1)))


def read_goreleaser(path: str, data: Any) -> ReleaseTool | None:
    if not isinstance(data, YamlMap):
        return None
    parts = [key for key in ("builds", "archives", "dockers", "brews", "nfpms", "snapcrafts")
             if data.get(key)]
    return ReleaseTool("GoReleaser", text_of(data.get("project_name")),
                       ", ".join(parts), Evidence(path, data.line_of("project_name", 1)))


def read_homebrew_formula(path: str, text: str) -> ReleaseTool | None:
    match = re.search(r"^\s*class\s+(\w+)\s*<\s*Formula\b", text, re.MULTILINE)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    python = "installs into a Python virtualenv" if "virtualenv_install_with_resources" \
        in text or "Language::Python::Virtualenv" in text else ""
    return ReleaseTool("Homebrew", match.group(1), python, Evidence(path, line))


def read_env_example(path: str, text: str) -> EnvExample:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", line)
        if match:
            value = match.group(2).strip()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            found.append(EnvVar(match.group(1), value, Evidence(path, number)))
    return EnvExample(path, tuple(found))
