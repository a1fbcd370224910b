"""How the repository is deployed, as its deployment files declare it: Dockerfiles, compose
files, Kubernetes manifests and Helm charts, Procfiles, systemd units, nginx, Traefik and
Apache configurations, Terraform, Serverless, release tooling (PyInstaller, snapcraft,
GoReleaser, Homebrew), platform files (``knowledge/deployment.toml``) and ``.env`` examples.

Every file is read statically and every fact keeps the line it stands on. Files that cannot be
read, or YAML documents that do not parse (Helm templates after their ``{{ }}`` actions are
neutralised, for instance), are skipped with a note.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase, translate
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from syspatterns.evidence import Evidence
from syspatterns.knowledge import read_table
from syspatterns.model.ci import (
    MAX_BYTES,
    FileNote,
    YamlError,
    YamlMap,
    items_with_lines,
    line_of,
    load_yaml,
    read_ini,
    text_of,
)

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel


class Setting(NamedTuple):
    """A value a file declares, as written, and where."""

    value: str
    evidence: Evidence


class EnvVar(NamedTuple):
    """An environment variable a deployment file sets. ``value`` is as written ("" when empty
    or not given; ``from secret NAME`` for Kubernetes references)."""

    name: str
    value: str
    evidence: Evidence


class Healthcheck(NamedTuple):
    """A container health check: the command (or probe) and how often it runs."""

    command: str
    interval: str
    evidence: Evidence


# --- Dockerfile -------------------------------------------------------------------------------

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


# --- compose ----------------------------------------------------------------------------------

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
    from its labels. ``profiles``: the service starts only when one of them is enabled.
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


@dataclass(frozen=True)
class ComposeFile:
    path: str
    services: tuple[ComposeService, ...]
    # Bases that ``extends`` names but the repository does not have: (what, evidence).
    unresolved: tuple[Setting, ...] = ()


# --- Kubernetes and Helm ----------------------------------------------------------------------

class Probe(NamedTuple):
    """A liveness, readiness or startup probe, described (``HTTP GET /health on port 8000``)."""

    kind: str
    check: str
    evidence: Evidence


class Container(NamedTuple):
    name: str
    image: str
    ports: tuple[str, ...]
    probes: tuple[Probe, ...]
    env: tuple[EnvVar, ...]
    evidence: Evidence


@dataclass(frozen=True)
class K8sObject:
    """A Kubernetes object. Workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, ...)
    carry ``replicas``, ``containers``, the rollout ``strategy`` and ``revision_history_limit``;
    Services their ``selector``; HorizontalPodAutoscalers ``target``, ``min_replicas`` and
    ``max_replicas``; Ingresses their ``backends`` (service names). ``templated`` is true for
    a Helm template (values shown as the template expression, such as
    ``.Values.replicaCount``)."""

    path: str
    kind: str
    name: str
    evidence: Evidence
    templated: bool = False
    replicas: Setting | None = None
    containers: tuple[Container, ...] = ()
    strategy: Setting | None = None
    revision_history_limit: Setting | None = None
    labels: tuple[tuple[str, str], ...] = ()  # the pod template's labels
    selector: tuple[tuple[str, str], ...] = ()
    target: str = ""
    min_replicas: Setting | None = None
    max_replicas: Setting | None = None
    backends: tuple[Setting, ...] = ()


@dataclass(frozen=True)
class HelmChart:
    """``Chart.yaml`` and the settings of interest from the chart's ``values.yaml``
    (replicaCount, autoscaling, image, probes) as (dotted key, value, evidence)."""

    path: str
    name: str
    version: str
    evidence: Evidence
    values: tuple[tuple[str, Setting], ...] = ()


# --- processes, units, proxies ----------------------------------------------------------------

class Process(NamedTuple):
    """A Procfile process type (``web``, ``worker``, ``release``) and its command."""

    path: str
    name: str
    command: str
    evidence: Evidence


@dataclass(frozen=True)
class SystemdUnit:
    path: str
    description: str
    evidence: Evidence
    exec_start: Setting | None = None
    user: Setting | None = None
    restart: Setting | None = None
    environment: tuple[EnvVar, ...] = ()


class Route(NamedTuple):
    """Where a reverse proxy sends requests: ``location`` (path or "") to ``target``."""

    location: str
    target: str
    evidence: Evidence


@dataclass(frozen=True)
class ProxyConfig:
    """An nginx, Apache or Traefik configuration: upstream groups (name and servers),
    routes, listening addresses and the place TLS is configured (``None`` when it is not)."""

    path: str
    server: str
    upstreams: tuple[tuple[str, tuple[str, ...], Evidence], ...] = ()
    routes: tuple[Route, ...] = ()
    listens: tuple[Setting, ...] = ()
    tls: Evidence | None = None


# --- infrastructure, serverless, releases, platforms ------------------------------------------

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


@dataclass(frozen=True)
class Deployment:
    """Everything the deployment files declare, each list sorted by path and line."""

    dockerfiles: tuple[Dockerfile, ...] = ()
    compose_files: tuple[ComposeFile, ...] = ()
    k8s_objects: tuple[K8sObject, ...] = ()
    helm_charts: tuple[HelmChart, ...] = ()
    processes: tuple[Process, ...] = ()
    systemd_units: tuple[SystemdUnit, ...] = ()
    proxies: tuple[ProxyConfig, ...] = ()
    terraform: tuple[TerraformBlock, ...] = ()
    serverless: tuple[ServerlessConfig, ...] = ()
    releases: tuple[ReleaseTool, ...] = ()
    platforms: tuple[PlatformFile, ...] = ()
    env_examples: tuple[EnvExample, ...] = ()
    notes: tuple[FileNote, ...] = ()
    passed_over: tuple[str, ...] = ()  # deployment-like files in test folders or packages

    @property
    def is_empty(self) -> bool:
        return not any((self.dockerfiles, self.compose_files, self.k8s_objects,
                        self.helm_charts, self.processes, self.systemd_units, self.proxies,
                        self.terraform, self.serverless, self.releases, self.platforms,
                        self.env_examples))


# --- the table --------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeploymentTable:
    """``knowledge/deployment.toml``."""

    manifest_folders: frozenset[str]
    platforms: tuple[tuple[str, str, str], ...]  # (path glob, name, required text)
    monitoring_images: tuple[tuple[str, str], ...]
    monitoring_kinds: frozenset[str]
    ignored_folders: tuple[str, ...]  # globs over one folder name
    platform_names: re.Pattern[str]  # the file names any platform pattern can match

    def platform_of(self, path: str) -> tuple[str, str] | None:
        """(platform name, required text) of the first ``[[platform]]`` row matching
        ``path``, if any."""
        name = PurePosixPath(path).name
        for pattern, platform, contains in self.platforms:
            if "/" in pattern:
                if fnmatchcase(path, pattern) or fnmatchcase(path, "*/" + pattern):
                    return platform, contains
            elif fnmatchcase(name, pattern):
                return platform, contains
        return None

    def monitoring_image(self, image: str) -> str | None:
        """The monitoring tool an image runs (``prom/prometheus:v2`` -> Prometheus), if any."""
        bare = image.rsplit("@", 1)[0]
        if ":" in bare.rsplit("/", 1)[-1]:
            bare = bare.rsplit(":", 1)[0]
        for pattern, name in self.monitoring_images:
            if fnmatchcase(bare.lower(), pattern):
                return name
        return None


@cache
def load_deployment_table() -> DeploymentTable:
    data = read_table("deployment.toml")
    platforms = tuple((r["pattern"], r["name"], r.get("contains", ""))
                      for r in data.get("platform", []))
    return DeploymentTable(
        manifest_folders=frozenset(data["manifests"]["folders"]),
        platforms=platforms,
        monitoring_images=tuple((r["pattern"], r["name"])
                                for r in data.get("monitoring_image", [])),
        monitoring_kinds=frozenset(data["monitoring"]["kinds"]),
        ignored_folders=tuple(data["ignored"]["folders"]),
        platform_names=re.compile("|".join(
            f"(?:{translate(p.rsplit('/', 1)[-1])})" for p, _, _ in platforms)),
    )


# --- Dockerfile -------------------------------------------------------------------------------

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


# --- compose ----------------------------------------------------------------------------------

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


def _traefik_routes(labels: Any, default: int, path: str) -> tuple[Setting, ...]:
    pairs: list[tuple[str, str, int]] = []
    if isinstance(labels, dict):
        pairs = [(str(k), text_of(v), line_of(labels, k, default)) for k, v in labels.items()]
    else:
        for item, line in items_with_lines(labels, default):
            key, _, value = text_of(item).partition("=")
            pairs.append((key, value, line))
    return tuple(Setting(value, Evidence(path, line)) for key, value, line in pairs
                 if key.startswith("traefik.http.routers.") and key.endswith(".rule"))


def _compose_service(name: str, spec: Any, line: int, path: str) -> ComposeService:
    if not isinstance(spec, dict):
        return ComposeService(name, Evidence(path, line))
    build = spec.get("build")
    command = spec.get("command")
    health = _compose_healthcheck(spec.get("healthcheck"), line)
    deploy = spec.get("deploy") if isinstance(spec.get("deploy"), dict) else {}
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
        routes=_traefik_routes(spec.get("labels"), line_of(spec, "labels", line), path),
        profiles=_settings(spec.get("profiles"), line_of(spec, "profiles", line), path),
        extends=_extends(spec.get("extends"), line_of(spec, "extends", line), path),
    )


def _extends(value: Any, line: int, path: str) -> Setting | None:
    """``extends: base`` or ``extends: {service: base, file: common.yml}`` as ``base`` or
    ``base in common.yml`` (the file relative to the repository)."""
    if isinstance(value, dict):
        service, other = text_of(value.get("service")), text_of(value.get("file"))
        if not service:
            return None
        if other:
            folder = PurePosixPath(path).parent
            other = _normalised(folder / other)
            return Setting(f"{service} in {other}", Evidence(path, line))
        return Setting(service, Evidence(path, line))
    return Setting(text_of(value), Evidence(path, line)) if value else None


def _normalised(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


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
    env files, routes and profiles added to its own, variables it does not override.
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
        profiles=_joined(base.profiles, own.profiles))


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


# --- Kubernetes -------------------------------------------------------------------------------

_TEMPLATE_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_ONLY_ACTIONS = re.compile(r"\s*(?:⟦[^⟧\n]*⟧\s*)+")


def neutralise_helm(text: str) -> str:
    """A Helm template made readable as YAML, line for line. Actions that span lines
    (``{{- /* comment */}}``) are removed, lines that hold only actions (``{{- if ... }}``,
    ``{{ include ... | nindent 4 }}``) are blanked, and every other action becomes
    ``⟦expression⟧`` (its first pipeline stage without characters YAML reads as syntax), which
    :func:`syspatterns.model.ci.text_of` shows as ``{{ expression }}``."""
    def action(match: re.Match[str]) -> str:
        if "\n" in match.group(0):
            return "\n" * match.group(0).count("\n")
        body = match.group(1).split("|", 1)[0].strip()
        return "⟦" + (re.sub(r"[\"'{}\[\]#:,&*!%@`|>⟦⟧]", "", body).strip() or "template") + "⟧"

    lines = _TEMPLATE_ACTION.sub(action, text).split("\n")
    return "\n".join("" if _ONLY_ACTIONS.fullmatch(line) else line for line in lines)


def _probe_check(spec: Any) -> str:
    if not isinstance(spec, dict):
        return text_of(spec)
    parts = []
    if isinstance(spec.get("httpGet"), dict):
        http = spec["httpGet"]
        parts.append(f"HTTP GET `{text_of(http.get('path')) or '/'}` on port "
                     f"`{text_of(http.get('port'))}`")
    elif isinstance(spec.get("tcpSocket"), dict):
        parts.append(f"TCP port `{text_of(spec['tcpSocket'].get('port'))}`")
    elif isinstance(spec.get("grpc"), dict):
        parts.append(f"gRPC port `{text_of(spec['grpc'].get('port'))}`")
    elif isinstance(spec.get("exec"), dict):
        command = spec["exec"].get("command")
        parts.append("command `" + (" ".join(text_of(c) for c in command)
                                    if isinstance(command, list) else text_of(command)) + "`")
    if spec.get("periodSeconds"):
        parts.append(f"every {text_of(spec['periodSeconds'])}s")
    return ", ".join(parts)


def _k8s_env(value: Any, default: int, path: str) -> tuple[EnvVar, ...]:
    found = []
    for item, line in items_with_lines(value, default):
        if not isinstance(item, dict) or not item.get("name"):
            continue
        source = item.get("valueFrom")
        if isinstance(source, dict):
            for key, word in (("secretKeyRef", "secret"), ("configMapKeyRef", "config map"),
                              ("fieldRef", "field"), ("resourceFieldRef", "resource")):
                ref = source.get(key)
                if isinstance(ref, dict):
                    named = ref.get("name", ref.get("fieldPath", ref.get("resource")))
                    value_text = f"from {word} {text_of(named)}"
                    break
            else:
                value_text = ""
        else:
            value_text = text_of(item.get("value"))
        found.append(EnvVar(text_of(item["name"]), value_text, Evidence(path, line)))
    return tuple(found)


def _containers(pod: Any, default: int, path: str, templated: bool) -> tuple[Container, ...]:
    if not isinstance(pod, dict):
        return ()
    found = []
    for item, line in items_with_lines(pod.get("containers"), line_of(pod, "containers",
                                                                        default)):
        if not isinstance(item, dict):
            continue
        probes = tuple(
            Probe(kind, _probe_check(item[f"{kind}Probe"]) if item[f"{kind}Probe"]
                  else TEMPLATED, Evidence(path, line_of(item, f"{kind}Probe", line)))
            for kind in ("liveness", "readiness", "startup")
            if item.get(f"{kind}Probe") or (templated and f"{kind}Probe" in item))
        ports = tuple(text_of(p.get("containerPort")) if isinstance(p, dict) else text_of(p)
                      for p, _ in items_with_lines(item.get("ports"), line))
        found.append(Container(text_of(item.get("name")), text_of(item.get("image")), ports,
                               probes, _k8s_env(item.get("env"), line_of(item, "env", line),
                                                path), Evidence(path, line)))
    return tuple(found)


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict) and isinstance(value.get("matchLabels"), dict):
        value = value["matchLabels"]
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((str(k), text_of(v)) for k, v in value.items()))


TEMPLATED = "set by a template action"  # a key whose whole value a Helm action writes


def _strategy(spec: YamlMap, path: str, templated: bool) -> Setting | None:
    key = "strategy" if "strategy" in spec else "updateStrategy"
    strategy = spec.get(key)
    if strategy is None and templated and key in spec:
        return Setting(TEMPLATED, Evidence(path, spec.line_of(key)))
    if not isinstance(strategy, dict):
        return None
    kind = text_of(strategy.get("type")) or "RollingUpdate"
    rolling = strategy.get("rollingUpdate")
    details = [f"{k} {text_of(v)}" for k, v in rolling.items()] \
        if isinstance(rolling, dict) else []
    return Setting(kind + (f" ({', '.join(details)})" if details else ""),
                   Evidence(path, spec.line_of(key)))


def _ingress_backends(spec: Any, path: str) -> tuple[Setting, ...]:
    """Service names an Ingress sends traffic to (networking.k8s.io/v1 and older forms)."""
    found: list[Setting] = []
    seen: set[int] = set()  # aliases can reach one node many times

    def walk(value: Any, line: int) -> None:
        if isinstance(value, dict | list):
            if id(value) in seen:
                return
            seen.add(id(value))
        if isinstance(value, dict):
            service = value.get("service")
            if isinstance(service, dict) and service.get("name"):
                found.append(Setting(text_of(service["name"]), Evidence(path, line_of(
                    value, "service", line))))
            elif value.get("serviceName"):
                found.append(Setting(text_of(value["serviceName"]), Evidence(path, line_of(
                    value, "serviceName", line))))
            for key, item in value.items():
                walk(item, line_of(value, key, line))
        elif isinstance(value, list):
            for item, item_line in items_with_lines(value, line):
                walk(item, item_line)

    walk(spec, 1)
    return tuple(found)


def _setting(mapping: Any, key: str, path: str) -> Setting | None:
    if not isinstance(mapping, YamlMap) or mapping.get(key) is None:
        return None
    return Setting(text_of(mapping[key]), Evidence(path, mapping.line_of(key)))


def read_k8s_object(path: str, document: Any, templated: bool) -> K8sObject | None:
    """A Kubernetes object from one YAML document, or ``None`` if it is not one."""
    if not isinstance(document, YamlMap) or not document.get("kind") \
            or not isinstance(document.get("metadata"), dict):
        return None
    kind = text_of(document["kind"])
    name = text_of(document["metadata"].get("name"))
    spec = document.get("spec")
    evidence = Evidence(path, document.line_of("kind"))
    if not isinstance(spec, YamlMap):
        return K8sObject(path, kind, name, evidence, templated)
    template = spec.get("template")
    if kind == "CronJob" and isinstance(spec.get("jobTemplate"), dict):
        job_spec = spec["jobTemplate"].get("spec")
        template = job_spec.get("template") if isinstance(job_spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    metadata = template.get("metadata") if isinstance(template, dict) else None
    target = spec.get("scaleTargetRef")
    return K8sObject(
        path=path, kind=kind, name=name, evidence=evidence, templated=templated,
        replicas=_setting(spec, "replicas", path),
        containers=_containers(pod, line_of(template, "spec", evidence.line), path, templated),
        strategy=_strategy(spec, path, templated),
        revision_history_limit=_setting(spec, "revisionHistoryLimit", path),
        labels=_labels(metadata.get("labels")) if isinstance(metadata, dict) else (),
        selector=_labels(spec.get("selector")),
        target=f"{text_of(target.get('kind'))}/{text_of(target.get('name'))}"
        if isinstance(target, dict) else "",
        min_replicas=_setting(spec, "minReplicas", path),
        max_replicas=_setting(spec, "maxReplicas", path),
        backends=_ingress_backends(spec, path) if kind == "Ingress" else (),
    )


_HELM_VALUES = ("replicaCount", "autoscaling.enabled", "autoscaling.minReplicas",
                "autoscaling.maxReplicas", "image.repository", "image.tag",
                "livenessProbe", "readinessProbe", "startupProbe")


def read_helm_chart(path: str, chart: Any, values: Any, values_path: str) -> HelmChart | None:
    if not isinstance(chart, YamlMap):
        return None
    found: list[tuple[str, Setting]] = []
    for dotted in _HELM_VALUES:
        holder: Any = values
        *parents, last = dotted.split(".")
        for part in parents:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if isinstance(holder, YamlMap) and last in holder:
            value = holder[last]
            shown = "set" if isinstance(value, dict) else text_of(value)
            found.append((dotted, Setting(shown, Evidence(values_path, holder.line_of(last)))))
    return HelmChart(path, text_of(chart.get("name")), text_of(chart.get("version")),
                     Evidence(path, chart.line_of("name", 1)), tuple(found))


# --- Procfile, systemd, proxies ---------------------------------------------------------------

def read_procfile(path: str, text: str) -> list[Process]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.+)$", line)
        if match:
            found.append(Process(path, match.group(1), match.group(2).strip(),
                                 Evidence(path, number)))
    return found


def read_systemd_unit(path: str, text: str) -> SystemdUnit | None:
    sections = {s.name: s for s in read_ini(text)}
    service = sections.get("Service")
    if service is None:
        return None
    unit = sections.get("Unit")
    description = unit.get("Description") if unit else None

    def setting(key: str) -> Setting | None:
        entry = service.get(key)
        return Setting(entry.value, Evidence(path, entry.line)) if entry else None

    environment = []
    for entry in service.entries:
        if entry.key == "Environment":
            for pair in re.findall(r"\"[^\"]*\"|\S+", entry.value):
                name, _, value = pair.strip('"').partition("=")
                environment.append(EnvVar(name, value, Evidence(path, entry.line)))
    return SystemdUnit(path, description.value if description else "",
                       Evidence(path, service.line), setting("ExecStart"), setting("User"),
                       setting("Restart"), tuple(environment))


def _strip_comment(line: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def read_nginx(path: str, text: str) -> ProxyConfig:
    upstreams: list[tuple[str, tuple[str, ...], Evidence]] = []
    routes: list[Route] = []
    listens: list[Setting] = []
    tls: Evidence | None = None
    blocks: list[tuple[str, str]] = []  # (block kind, argument) for each open brace
    servers: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        for statement in re.findall(r"[^;{}]*[;{}]", line):
            body = statement[:-1].strip()
            words = body.split()
            if statement.endswith("{"):
                blocks.append((words[0] if words else "", " ".join(words[1:])))
                if words[:1] == ["upstream"]:
                    servers = []
                    upstreams.append((" ".join(words[1:]), (), Evidence(path, number)))
                continue
            if statement.endswith("}"):
                if blocks and blocks[-1][0] == "upstream" and upstreams:
                    name, _, evidence = upstreams[-1]
                    upstreams[-1] = (name, tuple(servers), evidence)
                if blocks:
                    blocks.pop()
                continue
            if not words:
                continue
            directive = words[0]
            inside = blocks[-1][0] if blocks else ""
            if directive == "server" and inside == "upstream" and len(words) > 1:
                servers.append(words[1])
            elif directive in ("proxy_pass", "uwsgi_pass", "fastcgi_pass", "grpc_pass") \
                    and len(words) > 1:
                location = next((arg for kind, arg in reversed(blocks) if kind == "location"),
                                "")
                routes.append(Route(location, words[1], Evidence(path, number)))
            elif directive == "listen" and len(words) > 1:
                listens.append(Setting(" ".join(words[1:]), Evidence(path, number)))
                if "ssl" in words[2:] and tls is None:
                    tls = Evidence(path, number)
            elif directive == "ssl_certificate" and tls is None:
                tls = Evidence(path, number)
    return ProxyConfig(path, "nginx", tuple(upstreams), tuple(routes), tuple(listens), tls)


def read_apache(path: str, text: str) -> ProxyConfig:
    routes: list[Route] = []
    listens: list[Setting] = []
    upstreams: list[tuple[str, tuple[str, ...], Evidence]] = []
    tls: Evidence | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        words = _strip_comment(raw).split()
        if not words:
            continue
        directive = words[0].lower()
        if directive in ("proxypass", "wsgiscriptalias") and len(words) >= 3:
            routes.append(Route(words[1], words[2], Evidence(path, number)))
        elif directive == "<virtualhost" and len(words) > 1:
            listens.append(Setting(words[1].rstrip(">"), Evidence(path, number)))
        elif directive == "listen" and len(words) > 1:
            listens.append(Setting(words[1], Evidence(path, number)))
        elif directive == "<proxy" and len(words) > 1 and words[1].startswith("balancer://"):
            upstreams.append((words[1].rstrip(">"), (), Evidence(path, number)))
        elif directive == "balancermember" and len(words) > 1 and upstreams:
            name, members, evidence = upstreams[-1]
            upstreams[-1] = (name, (*members, words[1]), evidence)
        elif directive in ("sslengine", "sslcertificatefile") and tls is None and \
                words[1:2] != ["off"]:
            tls = Evidence(path, number)
    return ProxyConfig(path, "Apache", tuple(upstreams), tuple(routes), tuple(listens), tls)


def read_traefik(path: str, data: Any) -> ProxyConfig | None:
    """Traefik's static configuration (YAML or TOML, read into plain data)."""
    if not isinstance(data, dict):
        return None
    listens = []
    entry_points = data.get("entryPoints") or {}
    if isinstance(entry_points, dict):
        for name, spec in entry_points.items():
            address = text_of(spec.get("address")) if isinstance(spec, dict) else ""
            listens.append(Setting(f"{name} {address}".strip(), Evidence(
                path, line_of(entry_points, name, 1))))
    tls = Evidence(path, line_of(data, "certificatesResolvers", 1)) \
        if data.get("certificatesResolvers") else None
    return ProxyConfig(path, "Traefik", (), (), tuple(listens), tls)


# --- Terraform, Serverless, releases ----------------------------------------------------------

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


# --- the whole deployment ---------------------------------------------------------------------

class _Reader:
    """Reads the candidate files once, collecting facts and notes."""

    def __init__(self, model: SystemModel) -> None:
        self.model = model
        self.notes: list[FileNote] = []

    def text(self, path: str) -> str | None:
        if self.model.size_of(path) > MAX_BYTES:
            self.notes.append(FileNote(Evidence(path, 1), f"larger than {MAX_BYTES:,} bytes"))
            return None
        text = self.model.read_text(path)
        if text is None:
            self.notes.append(FileNote(Evidence(path, 1), "could not be read"))
        return text

    def yaml(self, path: str, text: str | None = None) -> list[Any]:
        text = self.text(path) if text is None else text
        if text is None:
            return []
        try:
            return load_yaml(text)
        except YamlError as error:
            self.notes.append(FileNote(Evidence(path, error.line), str(error)))
            return []

    def first(self, path: str) -> Any:
        documents = self.yaml(path)
        return documents[0] if documents else None


def _is_manifest_candidate(path: str, folders: frozenset[str]) -> bool:
    parts = path.split("/")
    return path.endswith((".yaml", ".yml")) and not folders.isdisjoint(parts[:-1])


def _k8s(reader: _Reader, paths: Iterable[str]) -> list[K8sObject]:
    found: list[K8sObject] = []
    for path in paths:
        name = PurePosixPath(path).name
        if name == "Chart.yaml" or name.startswith("values") or name == "kustomization.yaml":
            continue
        text = reader.text(path)
        if text is None:
            continue
        templated = "{{" in text
        if templated:
            try:
                documents = load_yaml(neutralise_helm(text))
            except YamlError as error:
                reader.notes.append(FileNote(Evidence(path, error.line), (
                    f"Helm template skipped: its templating could not be read as YAML "
                    f"({error})")))
                continue
        else:
            documents = reader.yaml(path, text)
        found.extend(obj for obj in (read_k8s_object(path, d, templated) for d in documents)
                     if obj is not None)
    return found


def _helm(reader: _Reader, paths: Iterable[str], all_paths: set[str]) -> list[HelmChart]:
    found = []
    for path in paths:
        if PurePosixPath(path).name != "Chart.yaml":
            continue
        values_path = str(PurePosixPath(path).with_name("values.yaml"))
        values = reader.first(values_path) if values_path in all_paths else None
        chart = read_helm_chart(path, reader.first(path), values, values_path)
        found.extend([chart] if chart else [])
    return found


def _platforms(reader: _Reader, paths: Iterable[str]) -> list[PlatformFile]:
    table = load_deployment_table()
    names = table.platform_names
    found = []
    for path in paths:
        if not names.fullmatch(PurePosixPath(path).name):
            continue
        match = table.platform_of(path)
        if match is None:
            continue
        platform, contains = match
        if contains:
            text = reader.text(path)
            if text is None or contains not in text:
                continue
        found.append(PlatformFile(path, platform, Evidence(path, 1)))
    return found


DEPLOYMENT_KINDS = ("docker", "compose", "kubernetes", "deployment", "environment")


def _passed_over_test(ignored: tuple[str, ...], packages: tuple[str, ...]
                      ) -> Callable[[str], bool]:
    """Whether a file lies in a test folder or inside a Python package; decided once per
    folder with one regular expression for all the globs (a repository has thousands of
    files in a few hundred folders)."""
    globs = re.compile("|".join(translate(g) for g in ignored)) if ignored else None
    decided: dict[str, bool] = {}

    def passed_over(path: str) -> bool:
        folder = path.rpartition("/")[0]
        known = decided.get(folder)
        if known is None:
            known = decided[folder] = (globs is not None and any(
                globs.match(part.lower()) for part in folder.split("/") if part)) or (
                f"{folder}/".startswith(packages))
        return known

    return passed_over


def _build_deployment(model: SystemModel) -> Deployment:
    reader = _Reader(model)
    table = load_deployment_table()
    packages = tuple(sorted({str(PurePosixPath(m.path).parent) + "/"
                             for m in model.modules.values() if m.is_package}))
    all_paths: set[str] = set()
    passed_over: list[str] = []
    by_kind: dict[str, list[str]] = {}
    is_passed_over = _passed_over_test(table.ignored_folders, packages)
    for scanned in sorted(model.scan.files):
        if is_passed_over(scanned.path):
            if scanned.kind in DEPLOYMENT_KINDS and PurePosixPath(scanned.path).name not in (
                    ".dockerignore", "Makefile"):
                passed_over.append(scanned.path)
            continue
        all_paths.add(scanned.path)
        by_kind.setdefault(scanned.kind, []).append(scanned.path)
    deployment_paths = by_kind.get("deployment", [])

    dockerfiles = [read_dockerfile(p, t) for p in by_kind.get("docker", [])
                   if not p.endswith(".dockerignore") and (t := reader.text(p)) is not None]
    compose = resolve_extends(
        [c for p in by_kind.get("compose", []) if (c := read_compose(p, reader.first(p)))],
        lambda p: read_compose(p, reader.first(p)) if p in all_paths else None)
    charts = [str(PurePosixPath(p).parent).removeprefix(".") for p in all_paths
              if PurePosixPath(p).name == "Chart.yaml"]
    chart_templates = tuple(f"{c}/templates/" if c else "templates/" for c in charts)
    k8s_paths = sorted({*by_kind.get("kubernetes", []),
                        *(p for p in by_kind.get("config", [])
                          if _is_manifest_candidate(p, table.manifest_folders)
                          or (p.endswith((".yaml", ".yml")) and p.startswith(chart_templates)))})
    processes: list[Process] = []
    units: list[SystemdUnit] = []
    proxies: list[ProxyConfig] = []
    terraform: list[TerraformBlock] = []
    serverless: list[ServerlessConfig] = []
    releases: list[ReleaseTool] = []
    for path in deployment_paths:
        name = PurePosixPath(path).name
        if name == "Procfile":
            text = reader.text(path)
            processes.extend(read_procfile(path, text) if text else [])
        elif name.endswith(".service"):
            text = reader.text(path)
            unit = read_systemd_unit(path, text) if text else None
            units.extend([unit] if unit else [])
        elif name.startswith("nginx") or "/nginx/" in f"/{path}":
            text = reader.text(path)
            proxies.extend([read_nginx(path, text)] if text else [])
        elif name.startswith("httpd") or name == ".htaccess":
            text = reader.text(path)
            proxies.extend([read_apache(path, text)] if text else [])
        elif name.startswith("traefik"):
            proxy = read_traefik(path, _toml_or_yaml(reader, path))
            proxies.extend([proxy] if proxy else [])
        elif name.endswith(".tf"):
            text = reader.text(path)
            terraform.extend(read_terraform(path, text) if text else [])
        elif name in ("serverless.yml", "serverless.yaml"):
            config = read_serverless(path, reader.first(path))
            serverless.extend([config] if config else [])
        elif name.endswith(".spec"):
            text = reader.text(path)
            spec = read_pyinstaller_spec(path, text) if text else None
            releases.extend([spec] if spec else [])
        elif name == "snapcraft.yaml":
            snap = read_snapcraft(path, reader.first(path))
            releases.extend([snap] if snap else [])
    for path in sorted(all_paths):
        name = PurePosixPath(path).name
        if name in (".goreleaser.yml", ".goreleaser.yaml"):
            tool = read_goreleaser(path, reader.first(path))
            releases.extend([tool] if tool else [])
        elif path.endswith(".rb") and PurePosixPath(path).parent.name in (
                "Formula", "HomebrewFormula"):
            text = reader.text(path)
            formula = read_homebrew_formula(path, text) if text else None
            releases.extend([formula] if formula else [])
    return Deployment(
        dockerfiles=tuple(d for d in dockerfiles if d.stages),
        compose_files=tuple(compose),
        k8s_objects=tuple(_k8s(reader, k8s_paths)),
        helm_charts=tuple(_helm(reader, k8s_paths, all_paths)),
        processes=tuple(processes),
        systemd_units=tuple(units),
        proxies=tuple(proxies),
        terraform=tuple(terraform),
        serverless=tuple(serverless),
        releases=tuple(sorted(releases, key=lambda r: r.evidence)),
        platforms=tuple(_platforms(reader, sorted(all_paths))),
        env_examples=tuple(read_env_example(p, t) for p in by_kind.get("environment", [])
                           if (t := reader.text(p)) is not None),
        notes=tuple(sorted(set(reader.notes))),
        passed_over=tuple(passed_over),
    )


def _toml_or_yaml(reader: _Reader, path: str) -> Any:
    if not path.endswith(".toml"):
        return reader.first(path)
    text = reader.text(path)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reader.notes.append(FileNote(Evidence(path, 1), f"not valid TOML: {error}"))
        return None


def read_deployment(model: SystemModel) -> Deployment:
    """What the repository's deployment files declare, computed once per model."""
    return model.memo("deployment", _build_deployment)
