"""Compose files: services with their images, builds, ports, volumes, dependencies, health
checks, profiles and what they inherit through ``extends``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import (
    YamlMap,
    items_with_lines,
    line_of,
    text_of,
)
from syspatterns.model.ci.commands import normalise_path
from syspatterns.model.deployment.tls import traefik_flags, traefik_labels
from syspatterns.model.deployment.values import EnvVar, Healthcheck, Setting, TlsSetting

if TYPE_CHECKING:
    pass




class Dependency(NamedTuple):
    """``depends_on``: the service waited for and the condition (``service_started`` when the
    short form is used)."""

    service: str
    condition: str
    evidence: Evidence


@dataclass(frozen=True)
class ComposeService:
    """A compose service. ``image`` or ``build`` (the build context) says where its image
    comes from, ``dockerfile`` names the Dockerfile when the build sets one (relative to the
    context); ``ports`` and ``volumes`` are as written; ``routes`` are Traefik router rules
    from its labels; ``tls`` its Traefik settings that concern TLS, from its labels and its
    command-line flags. ``profiles``: the service starts only when one of them is enabled.
    ``extends`` names the service it inherits from (``base`` or ``base in common.yml``); what
    it inherits is merged into its settings, with the base's evidence."""

    name: str
    evidence: Evidence
    image: str = ""
    build: str = ""
    dockerfile: str = ""
    command: Setting | None = None
    ports: tuple[Setting, ...] = ()
    volumes: tuple[Setting, ...] = ()
    depends_on: tuple[Dependency, ...] = ()
    healthcheck: Healthcheck | None = None
    environment: tuple[EnvVar, ...] = ()
    env_files: tuple[Setting, ...] = ()
    restart: str = ""
    replicas: str = ""
    routes: tuple[Setting, ...] = ()
    profiles: tuple[Setting, ...] = ()
    extends: Setting | None = None
    tls: tuple[TlsSetting, ...] = ()


@dataclass(frozen=True)
class ComposeFile:
    path: str
    services: tuple[ComposeService, ...]
    # Bases that ``extends`` names but the repository does not have: (what, evidence).
    unresolved: tuple[Setting, ...] = ()


def _env_vars(value: Any, default: int, path: str) -> tuple[EnvVar, ...]:
    """``environment:`` as a mapping or as a list of ``NAME=value``."""
    found = []
    if isinstance(value, dict):
        for name, item in value.items():
            found.append(EnvVar(str(name), text_of(item),
                                Evidence(path, line_of(value, name, default))))
    else:
        for item, line in items_with_lines(value, default):
            name, _, assigned = text_of(item).partition("=")
            found.append(EnvVar(name.strip(), assigned.strip(), Evidence(path, line)))
    return tuple(found)


def _settings(value: Any, default: int, path: str) -> tuple[Setting, ...]:
    return tuple(Setting(_short(item), Evidence(path, line))
                 for item, line in items_with_lines(value, default) if item is not None)


def _short(item: Any) -> str:
    """A compose long-syntax mapping (ports, volumes) in its short form where possible."""
    if isinstance(item, dict):
        if "target" in item:
            source = item.get("published", item.get("source", ""))
            return f"{text_of(source)}:{text_of(item['target'])}" if source else \
                text_of(item["target"])
        return text_of(item)
    return text_of(item)


def _compose_healthcheck(spec: Any, line: int) -> tuple[str, str] | None:
    if not isinstance(spec, dict) or spec.get("disable") is True:
        return None
    test = spec.get("test")
    if isinstance(test, list):
        words = [text_of(t) for t in test]
        if words and words[0] == "NONE":
            return None
        if words and words[0] in ("CMD", "CMD-SHELL"):
            words = words[1:]
        command = " ".join(words)
    else:
        command = text_of(test)
    return (command, text_of(spec.get("interval"))) if command else None


def _depends_on(value: Any, default: int, path: str) -> tuple[Dependency, ...]:
    if isinstance(value, dict):
        return tuple(
            Dependency(str(name), text_of(spec.get("condition")) if isinstance(spec, dict)
                       and spec.get("condition") else "service_started",
                       Evidence(path, line_of(value, name, default)))
            for name, spec in value.items())
    return tuple(Dependency(text_of(name), "service_started", Evidence(path, line))
                 for name, line in items_with_lines(value, default))


def _labels(labels: Any, default: int, path: str) -> list[tuple[str, str, Evidence]]:
    """``labels:`` as a mapping or as a list of ``key=value``: (key, value, evidence)."""
    if isinstance(labels, dict):
        return [(str(k), text_of(v), Evidence(path, line_of(labels, k, default)))
                for k, v in labels.items()]
    pairs = []
    for item, line in items_with_lines(labels, default):
        key, _, value = text_of(item).partition("=")
        pairs.append((key.strip(), value.strip(), Evidence(path, line)))
    return pairs


def _traefik_routes(labels: list[tuple[str, str, Evidence]]) -> tuple[Setting, ...]:
    return tuple(Setting(value, evidence) for key, value, evidence in labels
                 if key.startswith("traefik.http.routers.") and key.endswith(".rule"))


def _command_items(command: Any, line: int, path: str) -> list[tuple[str, Evidence]]:
    """The words of ``command:`` with the line of each list item (the whole string on the
    ``command`` line when it is one string)."""
    return [(text_of(item), Evidence(path, item_line))
            for item, item_line in items_with_lines(command, line)]


def _compose_service(name: str, spec: Any, line: int, path: str) -> ComposeService:
    if not isinstance(spec, dict):
        return ComposeService(name, Evidence(path, line))
    build = spec.get("build")
    command = spec.get("command")
    health = _compose_healthcheck(spec.get("healthcheck"), line)
    deploy = spec.get("deploy") if isinstance(spec.get("deploy"), dict) else {}
    labels = _labels(spec.get("labels"), line_of(spec, "labels", line), path)
    return ComposeService(
        name=name,
        evidence=Evidence(path, line),
        image=text_of(spec.get("image")),
        build=text_of(build.get("context", ".") if isinstance(build, dict) else build),
        dockerfile=text_of(build.get("dockerfile")) if isinstance(build, dict) else "",
        command=Setting(" ".join(text_of(c) for c in command) if isinstance(command, list)
                        else text_of(command), Evidence(path, line_of(spec, "command", line)))
        if command else None,
        ports=_settings(spec.get("ports"), line_of(spec, "ports", line), path),
        volumes=_settings(spec.get("volumes"), line_of(spec, "volumes", line), path),
        depends_on=_depends_on(spec.get("depends_on"), line_of(spec, "depends_on", line), path),
        healthcheck=Healthcheck(health[0], health[1], Evidence(
            path, line_of(spec, "healthcheck", line))) if health else None,
        environment=_env_vars(spec.get("environment"), line_of(spec, "environment", line),
                              path),
        env_files=_settings(spec.get("env_file"), line_of(spec, "env_file", line), path),
        restart=text_of(spec.get("restart")),
        replicas=text_of(deploy.get("replicas")) if isinstance(deploy, dict) else "",
        routes=_traefik_routes(labels),
        profiles=_settings(spec.get("profiles"), line_of(spec, "profiles", line), path),
        extends=_extends(spec.get("extends"), line_of(spec, "extends", line), path),
        tls=(*traefik_flags(_command_items(command, line_of(spec, "command", line), path)),
             *traefik_labels(labels)),
    )


def _extends(value: Any, line: int, path: str) -> Setting | None:
    """``extends: base`` or ``extends: {service: base, file: common.yml}`` as ``base`` or
    ``base in common.yml`` (the file relative to the repository)."""
    if isinstance(value, dict):
        service, other = text_of(value.get("service")), text_of(value.get("file"))
        if not service:
            return None
        if other:
            if not other.startswith("/"):  # a path on the host is not the repository's
                other = normalise_path(f"{PurePosixPath(path).parent}/{other}")
            return Setting(f"{service} in {other}", Evidence(path, line))
        return Setting(service, Evidence(path, line))
    return Setting(text_of(value), Evidence(path, line)) if value else None


def read_compose(path: str, data: Any) -> ComposeFile | None:
    if not isinstance(data, YamlMap) or not isinstance(data.get("services"), dict):
        return None
    services = data["services"]
    return ComposeFile(path, tuple(
        _compose_service(str(name), spec, services.line_of(name), path)
        for name, spec in services.items()))


MAX_EXTENDS = 8  # bases followed from one service
T = TypeVar("T")


def _merged(base: ComposeService, own: ComposeService) -> ComposeService:
    """``own`` with what it inherits from ``base``: settings it does not set, ports, volumes,
    env files, routes, profiles and TLS settings added to its own, variables it does not override.
    ``depends_on`` is never inherited (Compose keeps each service's dependencies local)."""
    names = {v.name for v in own.environment}
    return replace(
        own,
        image=own.image or base.image, build=own.build or base.build,
        dockerfile=own.dockerfile or base.dockerfile, command=own.command or base.command,
        healthcheck=own.healthcheck or base.healthcheck, restart=own.restart or base.restart,
        replicas=own.replicas or base.replicas,
        environment=(*(v for v in base.environment if v.name not in names), *own.environment),
        ports=_joined(base.ports, own.ports), volumes=_joined(base.volumes, own.volumes),
        env_files=_joined(base.env_files, own.env_files),
        routes=_joined(base.routes, own.routes),
        profiles=_joined(base.profiles, own.profiles), tls=_joined(base.tls, own.tls))


def _joined(inherited: tuple[T, ...], own: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(dict.fromkeys([*inherited, *own]))


def resolve_extends(files: list[ComposeFile],
                    load: Callable[[str], ComposeFile | None]) -> list[ComposeFile]:
    """The compose files with every ``extends`` merged in; ``load`` reads a compose file
    that ``extends`` names and the scan did not classify as one (``common-services.yml``)."""
    by_path = {f.path: f for f in files}

    def base_of(service: ComposeService, path: str) -> tuple[ComposeService, str] | None:
        assert service.extends is not None
        name, _, other = service.extends.value.partition(" in ")
        where = other or path
        if where not in by_path and (loaded := load(where)) is not None:
            by_path[where] = loaded
        found = next((s for s in by_path[where].services if s.name == name), None) \
            if where in by_path else None
        return (found, where) if found is not None else None

    def resolved(service: ComposeService, path: str, depth: int = 0) -> ComposeService:
        if service.extends is None or depth >= MAX_EXTENDS:
            return service
        base = base_of(service, path)
        if base is None:
            return service
        return _merged(resolved(base[0], base[1], depth + 1), service)

    result = []
    for compose in files:
        services = tuple(resolved(s, compose.path) for s in compose.services)
        missing = tuple(s.extends for s in compose.services
                        if s.extends is not None and base_of(s, compose.path) is None)
        result.append(replace(compose, services=services, unresolved=missing))
    return result
