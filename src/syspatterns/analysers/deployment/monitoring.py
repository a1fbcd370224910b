"""Monitoring: health checks, probes, monitoring services, what Prometheus is told to scrape
(Kubernetes annotations, Prometheus Operator monitors, Prometheus configurations) and metrics
libraries."""


from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from syspatterns.analysers.deployment.diagrams import compose_groups, ref
from syspatterns.analysers.deployment.wording import MONITORING, WORKLOAD_KINDS, cmd, evidence, join
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.model import SystemModel
from syspatterns.model.deployment import (
    ComposeFile,
    ComposeService,
    Deployment,
    Dockerfile,
    K8sObject,
    PrometheusConfig,
    load_deployment_table,
    mounted_sources,
)
from syspatterns.model.deployment.values import Setting

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
    findings.extend(_scrape_annotations(deployment))
    findings.extend(_prometheus_configs(deployment))
    findings.extend(_metrics_imports(model))
    if not findings:
        findings.append(Finding(MONITORING, (
            "No health check or metrics endpoint was found: looked for Dockerfile HEALTHCHECK, "
            "compose `healthcheck:`, Kubernetes probes, monitoring images and Kubernetes kinds, "
            "Prometheus scrape annotations and configurations (`scrape_configs`), and imports "
            "of metrics libraries (such as `prometheus-client`) in the code.")))
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
                text = (f"Compose service {code(service.name)} runs {tool} "
                        f"({code(service.image)})")
                found = [service.evidence]
                if tool == "Prometheus":
                    configs = _mounted_configs(compose, service, deployment.prometheus_configs)
                    if configs:
                        text += "; it mounts the Prometheus configuration " + join(
                            [code(c.path) for c, _ in configs])
                        found.extend(v.evidence for _, v in configs)
                    else:
                        mounts = [v for _, v in mounted_sources(compose.path, service)]
                        text += ("; no Prometheus configuration (`scrape_configs`) of the "
                                 "repository is mounted into it" + (
                                     " (it mounts " + ", ".join(code(v.value) for v in mounts)
                                     + ")" if mounts else ""))
                findings.append(Finding(MONITORING, text + ".", evidence(found)))
    for o in deployment.k8s_objects:
        tools = sorted({t for c in o.containers if (t := table.monitoring_image(c.image))})
        if o.scrape_endpoints and not tools:
            findings.append(_monitor(o, deployment.k8s_objects))
        elif o.kind in table.monitoring_kinds or tools:
            what = f"runs {join(tools)}" if tools else "configures monitoring"
            findings.append(Finding(MONITORING, f"Kubernetes {ref(o)} {what}.",
                                    (o.evidence,)))
    return findings


def _mounted_configs(compose: ComposeFile, service: ComposeService,
                     configs: Sequence[PrometheusConfig]
                     ) -> list[tuple[PrometheusConfig, Setting]]:
    """The Prometheus configurations a compose service mounts (the file, or a folder that
    holds it), with the volume."""
    found: list[tuple[PrometheusConfig, Setting]] = []
    for source, volume in mounted_sources(compose.path, service):
        found.extend((c, volume) for c in configs
                     if c.path == source or c.path.startswith(source + "/"))
    return found


def _monitor(o: K8sObject, objects: Sequence[K8sObject]) -> Finding:
    """A ServiceMonitor or PodMonitor: what it scrapes, and of which objects."""
    endpoints = []
    for e in o.scrape_endpoints:
        detail = [f"path {code(e.path)}" if e.path else "", f"every {e.interval}"
                  if e.interval else ""]
        details = ", ".join(d for d in detail if d)
        endpoints.append((f"port {code(e.port)}" if e.port else "an endpoint")
                         + (f" ({details})" if details else ""))
    selects = "Services" if o.kind == "ServiceMonitor" else "pods"
    if o.selector:
        labels = ", ".join(code(f"{k}={v}") for k, v in o.selector)
        if o.kind == "ServiceMonitor":
            matched = [m for m in objects if m.kind == "Service"
                       and set(o.selector) <= set(m.object_labels)]
        else:
            matched = [m for m in objects if m.kind in WORKLOAD_KINDS
                       and set(o.selector) <= set(m.labels)]
        target = f"the {selects} labelled {labels}" + (
            f" ({', '.join(ref(m) for m in matched)})" if matched else
            " (none of the repository's manifests carries these labels)")
    else:
        target = f"the {selects} its selector picks"
    return Finding(MONITORING, f"Kubernetes {ref(o)} ({code(o.path)}) has Prometheus scrape "
                   f"{join(endpoints)} of {target}.",
                   evidence([o.evidence, *(e.evidence for e in o.scrape_endpoints)]))


def _scrape_annotations(deployment: Deployment) -> list[Finding]:
    """Pods, pod templates and Services annotated for Prometheus's Kubernetes discovery
    (``prometheus.io/scrape: "true"``, with the port and path annotations)."""
    table = load_deployment_table()
    findings = []
    for o in deployment.k8s_objects:
        for own, whose in ((True, "itself" if o.kind == "Pod" else "its endpoints"),
                           (False, "its pods")):
            if own and o.kind not in table.scrape_annotated:
                continue
            by_name = dict(o.annotations if own else o.pod_annotations)
            enable = by_name.get(table.scrape_annotation)
            if enable is None:
                continue
            shown = [(name, by_name[name]) for name in (table.scrape_annotation,
                                                          *table.scrape_details)
                     if name in by_name]
            settings = ", ".join(cmd(f"{name}: {value.value}", 80) for name, value in shown)
            template = " (Helm template)" if o.templated else ""
            where = f"Kubernetes {o.kind} {code(o.name)}{template} ({code(o.path)})"
            if enable.value.lower() == "true":
                text = f"{where} annotates {whose} for Prometheus scraping ({settings})."
            elif "{{" in enable.value:
                text = (f"{where} leaves whether Prometheus scrapes {whose} to a template "
                        f"action ({settings}).")
            else:
                continue
            findings.append(Finding(MONITORING, text, tuple(v.evidence for _, v in shown)))
    return findings


def _prometheus_configs(deployment: Deployment) -> list[Finding]:
    findings = []
    for config in deployment.prometheus_configs:
        jobs = []
        for job in config.jobs:
            detail = [", ".join(code(t.value) for t in job.targets[:4])
                      + (f" and {len(job.targets) - 4} more" if len(job.targets) > 4 else ""),
                      *(code(d) for d in job.discovery),
                      f"path {code(job.metrics_path)}" if job.metrics_path else "",
                      f"every {job.interval}" if job.interval else ""]
            details = "; ".join(d for d in detail if d)
            jobs.append(f"{code(job.name)}" + (f" ({details})" if details else ""))
        text = (f"Prometheus configuration {code(config.path)} scrapes "
                f"{plural(len(jobs), 'job')}: " + join(jobs) + ".") if jobs else (
            f"Prometheus configuration {code(config.path)} has no scrape jobs.")
        findings.append(Finding(MONITORING, text, evidence(
            [config.evidence, *(j.evidence for j in config.jobs)])))
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
