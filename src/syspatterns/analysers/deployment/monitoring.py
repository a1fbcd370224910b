"""Monitoring: health checks, probes, monitoring services and metrics libraries."""


from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from syspatterns.analysers.deployment.diagrams import compose_groups, ref
from syspatterns.analysers.deployment.wording import MONITORING, WORKLOAD_KINDS, cmd, evidence, join
from syspatterns.analysers.text import code, names, plural
from syspatterns.evidence import Evidence, Finding
from syspatterns.model import SystemModel
from syspatterns.model.deployment import (
    ComposeFile,
    ComposeService,
    Deployment,
    Dockerfile,
    load_deployment_table,
)

_URL = re.compile(r"https?://[^\s'\")]+")


def _health_command(command: str) -> str:
    urls = _URL.findall(command)
    probe = f" (requests {', '.join(code(u) for u in urls)})" if urls else ""
    return f"{cmd(command, 80)}{probe}"


def monitoring_findings(model: SystemModel, deployment: Deployment) -> list[Finding]:
    findings: list[Finding] = []
    healthy_images: dict[str, Dockerfile] = {}
    for dockerfile in deployment.dockerfiles:
        check = dockerfile.healthcheck
        if check is None:
            continue
        healthy_images[dockerfile.path] = dockerfile
        findings.append(Finding(
            MONITORING, f"{code(dockerfile.path)} declares a HEALTHCHECK"
            + (f" every {check.interval}" if check.interval else "") + ": "
            + _health_command(check.command) + ".", (check.evidence,)))
    for base, overlays in compose_groups(deployment.compose_files):
        findings.extend(_compose_health(base, base.services, healthy_images))
        for overlay in overlays:
            known = {s.name for s in base.services}
            findings.extend(_compose_health(overlay, [
                s for s in overlay.services if s.name not in known or s.healthcheck
            ], healthy_images))
    findings.extend(_k8s_probes(deployment))
    for chart in deployment.helm_charts:
        probes = [(k, v) for k, v in chart.values if k.endswith("Probe")]
        if probes:
            findings.append(Finding(MONITORING, f"Helm chart {code(chart.name)} configures "
                                    + join([code(k) for k, _ in probes]) + " in its values.",
                                    tuple(v.evidence for _, v in probes)))
    findings.extend(_monitoring_services(deployment))
    findings.extend(_metrics_imports(model))
    if not findings:
        findings.append(Finding(MONITORING, (
            "No health check or metrics endpoint was found: looked for Dockerfile HEALTHCHECK, "
            "compose `healthcheck:`, Kubernetes probes, monitoring images and Kubernetes kinds, "
            "and imports of metrics libraries (such as `prometheus-client`) in the code.")))
    return findings


def _compose_health(compose: ComposeFile, services: Sequence[ComposeService],
                    healthy: dict[str, Dockerfile]) -> list[Finding]:
    findings = []
    inherited: list[tuple[ComposeService, Dockerfile]] = []
    unchecked: list[ComposeService] = []
    for service in services:
        if service.healthcheck is not None:
            check = service.healthcheck
            findings.append(Finding(
                MONITORING, f"Compose service {code(service.name)} is health-checked"
                + (f" every {check.interval}" if check.interval else "") + " with "
                + _health_command(check.command) + ".", (check.evidence,)))
            continue
        dockerfile = _built_dockerfile(compose.path, service, healthy)
        if dockerfile is not None:
            inherited.append((service, dockerfile))
        else:
            unchecked.append(service)
    if inherited:
        findings.append(Finding(
            MONITORING, ("Compose service " if len(inherited) == 1 else "Compose services ")
            + names([s.name for s, _ in inherited])
            + (" relies" if len(inherited) == 1 else " rely") + " on the HEALTHCHECK of the "
            "image built from " + ", ".join(sorted({code(d.path) for _, d in inherited})) + ".",
            evidence([*(s.evidence for s, _ in inherited),
                       *(d.healthcheck.evidence for _, d in inherited if d.healthcheck)])))
    if unchecked:
        findings.append(Finding(
            MONITORING, f"Compose services without a health check ({code(compose.path)}): "
            f"{names([s.name for s in unchecked], limit=12)}.",
            tuple(s.evidence for s in unchecked)))
    return findings


def _built_dockerfile(compose_path: str, service: ComposeService,
                      dockerfiles: dict[str, Dockerfile]) -> Dockerfile | None:
    """The Dockerfile a compose service builds from (``context/Dockerfile`` or the build's
    ``dockerfile``), if it is one of ``dockerfiles``."""
    if not service.build:
        return None
    folder = PurePosixPath(compose_path).parent / service.build
    parts: list[str] = []
    for part in (*folder.parts, *(service.dockerfile or "Dockerfile").split("/")):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return dockerfiles.get("/".join(parts))


def _k8s_probes(deployment: Deployment) -> list[Finding]:
    findings = []
    unprobed = []
    for o in deployment.k8s_objects:
        if o.kind not in WORKLOAD_KINDS or o.kind in ("Job", "CronJob"):
            continue
        probes = [(c, p) for c in o.containers for p in c.probes]
        if not probes:
            unprobed.append(o)
            continue
        findings.append(Finding(MONITORING, f"{ref(o)} probes: " + "; ".join(
            f"{p.kind} {p.check}" + (f" (container {code(c.name)})" if len(o.containers) > 1
                                     else "") for c, p in probes) + ".",
            tuple(p.evidence for _, p in probes)))
    if unprobed:
        findings.append(Finding(MONITORING, "Kubernetes workloads without liveness, readiness "
                                "or startup probes: " + ", ".join(
                                    ref(o) for o in unprobed) + ".",
                                tuple(o.evidence for o in unprobed)))
    return findings


def _monitoring_services(deployment: Deployment) -> list[Finding]:
    table = load_deployment_table()
    findings = []
    for compose in deployment.compose_files:
        for service in compose.services:
            tool = table.monitoring_image(service.image) if service.image else None
            if tool:
                findings.append(Finding(MONITORING, f"Compose service {code(service.name)} runs "
                                        f"{tool} ({code(service.image)}).",
                                        (service.evidence,)))
    for o in deployment.k8s_objects:
        tools = sorted({t for c in o.containers if (t := table.monitoring_image(c.image))})
        if o.kind in table.monitoring_kinds or tools:
            what = f"runs {join(tools)}" if tools else "configures monitoring"
            findings.append(Finding(MONITORING, f"Kubernetes {ref(o)} {what}.",
                                    (o.evidence,)))
    return findings


def _metrics_imports(model: SystemModel) -> list[Finding]:
    places: dict[str, list[Evidence]] = {}
    for external in model.externals:
        if external.is_stdlib:
            continue
        module = model.modules.get(external.importer)
        if module is None or module.is_test:
            continue
        library = model.knowledge.library_for_import(external.top)
        if library is not None and library.category == "metrics":
            places.setdefault(library.name, []).append(Evidence(module.path, external.line))
    return [Finding(MONITORING, f"The code imports {code(name)} (metrics) in "
                    f"{plural(len({e.path for e in found}), 'file')}.",
                    tuple(sorted(found)))
            for name, found in sorted(places.items())]
