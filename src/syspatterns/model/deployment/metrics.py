"""Prometheus configuration files: the jobs of ``scrape_configs`` and what each scrapes; and
the repository files a compose service mounts (to find the configuration a compose service
running Prometheus reads)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import YamlMap, items_with_lines, line_of, text_of
from syspatterns.model.deployment.compose import ComposeService
from syspatterns.model.deployment.values import Setting


@dataclass(frozen=True)
class ScrapeJob:
    """A ``scrape_configs`` job: its static targets (each with its line), the metrics path
    and interval when set, and the service discovery it uses (``kubernetes_sd_configs``
    with the roles it names, ``file_sd_configs``...)."""

    name: str
    evidence: Evidence
    targets: tuple[Setting, ...] = ()
    metrics_path: str = ""
    interval: str = ""
    discovery: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrometheusConfig:
    path: str
    evidence: Evidence  # the ``scrape_configs`` key
    jobs: tuple[ScrapeJob, ...]


def _discovery(job: YamlMap) -> tuple[str, ...]:
    found = []
    for key, value in job.items():
        if not str(key).endswith("_sd_configs"):
            continue
        roles = sorted({text_of(item.get("role")) for item, _ in items_with_lines(value, 1)
                        if isinstance(item, dict) and item.get("role")})
        found.append(str(key) + (f" (role {', '.join(roles)})" if roles else ""))
    return tuple(found)


def read_prometheus_config(path: str, data: Any) -> PrometheusConfig | None:
    """The scrape jobs of a Prometheus configuration, ``None`` for a file without
    ``scrape_configs`` (rule files, other YAML)."""
    if not isinstance(data, YamlMap) or "scrape_configs" not in data:
        return None
    line = data.line_of("scrape_configs")
    jobs = []
    for job, job_line in items_with_lines(data["scrape_configs"], line):
        if not isinstance(job, YamlMap):
            continue
        targets: list[Setting] = []
        for static, static_line in items_with_lines(job.get("static_configs"),
                                                     job.line_of("static_configs", job_line)):
            if isinstance(static, dict):
                targets.extend(Setting(text_of(t), Evidence(path, t_line))
                               for t, t_line in items_with_lines(
                                   static.get("targets"), line_of(static, "targets",
                                                                  static_line)))
        jobs.append(ScrapeJob(
            text_of(job.get("job_name")), Evidence(path, job.line_of("job_name", job_line)),
            tuple(targets), text_of(job.get("metrics_path")),
            text_of(job.get("scrape_interval")), _discovery(job)))
    return PrometheusConfig(path, Evidence(path, line), tuple(jobs))


def mounted_sources(compose_path: str, service: ComposeService) -> list[tuple[str, Setting]]:
    """The repository paths a compose service bind-mounts (``./prometheus.yml:/etc/...``),
    relative to the repository, with the volume they come from. Named volumes, absolute and
    interpolated host paths are not the repository's."""
    folder = PurePosixPath(compose_path).parent
    found = []
    for volume in service.volumes:
        source = volume.value.split(":", 1)[0] if ":" in volume.value else ""
        if not source.startswith(".") or "$" in source:
            continue
        parts: list[str] = []
        for part in (*folder.parts, *PurePosixPath(source).parts):
            if part == "..":
                if not parts:
                    break
                parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        else:
            if parts:
                found.append(("/".join(parts), volume))
    return found
