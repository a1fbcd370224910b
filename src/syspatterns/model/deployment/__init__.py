"""How the repository is deployed, as its deployment files declare it: Dockerfiles, compose
files, Kubernetes manifests and Helm charts, Procfiles, systemd units, nginx, Traefik and
Apache configurations, Terraform, Serverless, release tooling (PyInstaller, snapcraft,
GoReleaser, Homebrew), platform files (``knowledge/deployment.toml``), Prometheus
configurations and ``.env`` examples.

Every file is read statically and every fact keeps the line it stands on. Files that cannot be
read, or YAML documents that do not parse (Helm templates after their ``{{ }}`` actions are
neutralised, for instance), are skipped with a note.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import translate
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import MAX_BYTES, FileNote, YamlError, load_yaml
from syspatterns.model.deployment.compose import (
    ComposeFile,
    ComposeService,
    read_compose,
    resolve_extends,
)
from syspatterns.model.deployment.docker import Dockerfile, read_dockerfile
from syspatterns.model.deployment.infrastructure import (
    EnvExample,
    PlatformFile,
    ReleaseTool,
    ServerlessConfig,
    TerraformBlock,
    read_env_example,
    read_goreleaser,
    read_homebrew_formula,
    read_pyinstaller_spec,
    read_serverless,
    read_snapcraft,
    read_terraform,
)
from syspatterns.model.deployment.kubernetes import (
    TEMPLATED,
    HelmChart,
    K8sObject,
    neutralise_helm,
    read_helm_chart,
    read_k8s_object,
)
from syspatterns.model.deployment.metrics import (
    PrometheusConfig,
    mounted_sources,
    read_prometheus_config,
)
from syspatterns.model.deployment.processes import (
    Process,
    ProxyConfig,
    SystemdUnit,
    read_apache,
    read_nginx,
    read_procfile,
    read_systemd_unit,
    read_traefik,
)
from syspatterns.model.deployment.table import load_deployment_table
from syspatterns.model.deployment.values import TlsSetting

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel


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
    prometheus_configs: tuple[PrometheusConfig, ...] = ()
    notes: tuple[FileNote, ...] = ()
    passed_over: tuple[str, ...] = ()  # deployment-like files in test folders or packages

    @property
    def is_empty(self) -> bool:
        return not any((self.dockerfiles, self.compose_files, self.k8s_objects,
                        self.helm_charts, self.processes, self.systemd_units, self.proxies,
                        self.terraform, self.serverless, self.releases, self.platforms,
                        self.env_examples, self.prometheus_configs))


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


def _prometheus(reader: _Reader, compose: Iterable[ComposeFile], all_paths: set[str]
                ) -> list[PrometheusConfig]:
    """Prometheus configurations: files named as one (``[scrape] configs``) and files a
    compose service running Prometheus mounts, that have ``scrape_configs``. Helm templates
    are not read."""
    table = load_deployment_table()
    candidates = {p for p in all_paths if table.is_prometheus_config(p)
                  and p.endswith((".yml", ".yaml"))}
    for compose_file in compose:
        for service in compose_file.services:
            if table.monitoring_image(service.image) == "Prometheus":
                candidates.update(p for p, _ in mounted_sources(compose_file.path, service)
                                  if p in all_paths and p.endswith((".yml", ".yaml")))
    found = []
    for path in sorted(candidates):
        text = reader.text(path)
        if text is None or "{{" in text:
            continue
        documents = reader.yaml(path, text)
        config = read_prometheus_config(path, documents[0]) if documents else None
        found.extend([config] if config else [])
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
            data, toml_text = _toml_or_yaml(reader, path)
            proxy = read_traefik(path, data, toml_text)
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
        prometheus_configs=tuple(_prometheus(reader, compose, all_paths)),
        notes=tuple(sorted(set(reader.notes))),
        passed_over=tuple(passed_over),
    )


def _toml_or_yaml(reader: _Reader, path: str) -> tuple[Any, str]:
    """The file's data, and its text when it is TOML (to find the lines of its keys)."""
    if not path.endswith(".toml"):
        return reader.first(path), ""
    text = reader.text(path)
    if text is None:
        return None, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        reader.notes.append(FileNote(Evidence(path, 1), f"not valid TOML: {error}"))
        return None, ""


def read_deployment(model: SystemModel) -> Deployment:
    """What the repository's deployment files declare, computed once per model."""
    return model.memo("deployment", _build_deployment)


__all__ = [
    "TEMPLATED",
    "ComposeFile",
    "ComposeService",
    "Deployment",
    "Dockerfile",
    "K8sObject",
    "PrometheusConfig",
    "TlsSetting",
    "load_deployment_table",
    "mounted_sources",
    "read_deployment",
]
