"""Dockerfiles: stages, base images, exposed ports, entrypoint, user, health check."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.deployment.values import EnvVar, Healthcheck, Setting

if TYPE_CHECKING:
    pass




class DockerStage(NamedTuple):
    """``FROM base [AS name]``."""

    name: str
    base: str
    evidence: Evidence


@dataclass(frozen=True)
class Dockerfile:
    """A Dockerfile's stages and what its final stage (with what it inherits from earlier
    stages it is built ``FROM``) declares."""

    path: str
    stages: tuple[DockerStage, ...]
    exposed: tuple[Setting, ...] = ()
    entrypoint: Setting | None = None
    command: Setting | None = None
    user: Setting | None = None
    healthcheck: Healthcheck | None = None
    env: tuple[EnvVar, ...] = ()


_HEREDOC = re.compile(r"<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")


def dockerfile_instructions(text: str) -> Iterator[tuple[str, str, int]]:
    """``(INSTRUCTION, arguments, line)`` with continuation lines joined, comments and
    heredoc bodies skipped."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        while line.endswith("\\") and index < len(lines):
            following = lines[index].strip()
            index += 1
            if following.startswith("#"):
                line = line[:-1] + "\\"  # a comment inside a continuation is dropped
                continue
            line = line[:-1].rstrip() + " " + following
        instruction, _, arguments = line.partition(" ")
        heredoc = _HEREDOC.search(arguments)
        if heredoc:
            while index < len(lines) and lines[index].strip() != heredoc.group(1):
                index += 1
            index += 1
        yield instruction.upper(), arguments.strip(), start + 1


def _exec_form(arguments: str) -> str:
    """``["a", "b"]`` -> ``a b``; the shell form as written."""
    if arguments.startswith("["):
        try:
            parts = json.loads(arguments)
        except ValueError:
            return arguments
        if isinstance(parts, list):
            return " ".join(str(p) for p in parts)
    return arguments


def _env_pairs(arguments: str) -> list[tuple[str, str]]:
    """``ENV A=1 B="two words"`` or the legacy ``ENV A 1``."""
    if "=" not in arguments.split(" ", 1)[0]:
        name, _, value = arguments.partition(" ")
        return [(name, value.strip())]
    pairs = re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)=(\"(?:[^\"\\]|\\.)*\"|'[^']*'|\S*)", arguments)
    return [(k, v[1:-1] if v[:1] in "\"'" and len(v) > 1 else v) for k, v in pairs]


def _healthcheck(arguments: str, evidence: Evidence) -> Healthcheck | None:
    options = dict(re.findall(r"--([a-z-]+)=(\S+)", arguments))
    rest = re.sub(r"--[a-z-]+=\S+\s*", "", arguments).strip()
    if rest.upper().startswith("NONE"):
        return None
    if rest.upper().startswith("CMD"):
        rest = rest[3:].strip()
    return Healthcheck(_exec_form(rest), options.get("interval", ""), evidence)


@dataclass
class _Stage:
    stage: DockerStage
    exposed: list[Setting]
    env: dict[str, EnvVar]
    settings: dict[str, Setting]
    healthcheck: Healthcheck | None = None
    healthcheck_set: bool = False


def read_dockerfile(path: str, text: str) -> Dockerfile:
    stages: list[_Stage] = []
    for instruction, arguments, line in dockerfile_instructions(text):
        evidence = Evidence(path, line)
        if instruction == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            base = words[0] if words else ""
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else ""
            parent = next((s for s in stages if s.stage.name and s.stage.name.lower()
                           == base.lower()), None)
            stage = _Stage(DockerStage(name, base, evidence), [], {}, {})
            if parent is not None:  # FROM an earlier stage inherits what it declared
                stage.exposed = list(parent.exposed)
                stage.env = dict(parent.env)
                stage.settings = dict(parent.settings)
                stage.healthcheck = parent.healthcheck
            stages.append(stage)
        elif not stages:
            continue
        elif instruction == "EXPOSE":
            stages[-1].exposed.extend(Setting(p, evidence) for p in arguments.split())
        elif instruction == "ENV":
            for name, value in _env_pairs(arguments):
                stages[-1].env[name] = EnvVar(name, value, evidence)
        elif instruction in ("ENTRYPOINT", "CMD", "USER"):
            stages[-1].settings[instruction] = Setting(_exec_form(arguments), evidence)
            if instruction == "ENTRYPOINT":  # a new ENTRYPOINT resets an inherited CMD
                stages[-1].settings.pop("CMD", None)
        elif instruction == "HEALTHCHECK":
            stages[-1].healthcheck = _healthcheck(arguments, evidence)
    if not stages:
        return Dockerfile(path, ())
    final = stages[-1]
    return Dockerfile(
        path=path,
        stages=tuple(s.stage for s in stages),
        exposed=tuple(final.exposed),
        entrypoint=final.settings.get("ENTRYPOINT"),
        command=final.settings.get("CMD"),
        user=final.settings.get("USER"),
        healthcheck=final.healthcheck,
        env=tuple(final.env.values()),
    )
