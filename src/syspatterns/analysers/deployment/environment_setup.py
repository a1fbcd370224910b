"""Environment setup: Dockerfiles, compose services and overlays, the variables compose and
Kubernetes take, proxies and where TLS is terminated, and Terraform."""


from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from syspatterns.analysers.deployment.diagrams import compose_groups
from syspatterns.analysers.deployment.tls import describe_tls, tls_findings
from syspatterns.analysers.deployment.wording import (
    CONDITION_WORDS,
    SETUP,
    WORKLOAD_KINDS,
    cmd,
    evidence,
    join,
)
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.model.deployment import (
    ComposeFile,
    ComposeService,
    Deployment,
    Dockerfile,
)


def setup_findings(deployment: Deployment) -> list[Finding]:
    findings: list[Finding] = []
    for dockerfile in deployment.dockerfiles:
        findings.extend(_dockerfile(dockerfile))
    for base, overlays in compose_groups(deployment.compose_files):
        findings.extend(_compose_services(base, base.services))
        findings.extend(_compose_interpolation(base, deployment))
        for overlay in overlays:
            findings.extend(_compose_overlay(base, overlay))
            findings.extend(_compose_interpolation(overlay, deployment))
    findings.extend(_k8s_environment(deployment))
    for chart in deployment.helm_charts:
        values = "; values: " + ", ".join(f"{k} {v.value}" for k, v in chart.values) \
            if chart.values else ""
        findings.append(Finding(SETUP, f"Helm chart {code(chart.name)} version "
                                f"{code(chart.version)} ({code(chart.path)}){values}.",
                                evidence([chart.evidence, *(v.evidence
                                                             for _, v in chart.values)])))
    if deployment.processes:
        findings.append(Finding(SETUP, "Procfile process types: " + "; ".join(
            f"{code(p.name)} runs {cmd(p.command)}" for p in deployment.processes) + ".",
            tuple(p.evidence for p in deployment.processes)))
    for unit in deployment.systemd_units:
        parts = [f"runs {cmd(unit.exec_start.value)}" if unit.exec_start
                 else "declares no ExecStart",
                 f"user {code(unit.user.value)}" if unit.user else "",
                 f"restart policy {code(unit.restart.value)}" if unit.restart else ""]
        described = f" ({unit.description})" if unit.description else ""
        findings.append(Finding(SETUP, f"systemd unit {code(unit.path)}{described}: "
                                + "; ".join(p for p in parts if p)
                                + ".", evidence([unit.evidence, *(
                                    s.evidence if s else None
                                    for s in (unit.exec_start, unit.user, unit.restart))])))
    findings.extend(_proxies(deployment))
    findings.extend(tls_findings(deployment))
    findings.extend(_terraform(deployment))
    for config in deployment.serverless:
        functions = "; ".join(
            f"{code(f.name)} (handler {code(f.handler)}"
            + (f", events {', '.join(f.events)}" if f.events else "") + ")"
            for f in config.functions)
        findings.append(Finding(SETUP, f"Serverless service {code(config.service)} on "
                                f"{config.provider or 'an unnamed provider'}"
                                + (f" ({config.runtime})" if config.runtime else "")
                                + (f" with functions {functions}" if functions else "") + ".",
                                evidence([config.evidence,
                                           *(f.evidence for f in config.functions)])))
    for platform in deployment.platforms:
        findings.append(Finding(SETUP, f"{code(platform.path)}: {platform.platform}.",
                                (platform.evidence,)))
    for example in deployment.env_examples:
        with_value = sum(1 for v in example.variables if v.value)
        findings.append(Finding(SETUP, (
            f"{code(example.path)} lists {plural(len(example.variables), 'variable')} "
            f"({with_value:,} with an example value): "
            f"{names([v.name for v in example.variables], limit=12)}.")
            if example.variables else f"{code(example.path)} lists no variables.",
            evidence(v.evidence for v in example.variables[:3]) or (
                Evidence(example.path, 1),)))
    if deployment.is_empty:
        findings.append(Finding(SETUP, (
            "No deployment files were found: looked for Dockerfiles, compose files, Kubernetes "
            "manifests and Helm charts, Procfiles, systemd units, nginx, Apache and Traefik "
            "configurations, Terraform, Serverless, release recipes (PyInstaller, snapcraft, "
            "GoReleaser, Homebrew), hosting platform files, Prometheus configurations and "
            "`.env` examples.")))
    findings.extend(Finding(SETUP, f"{code(n.evidence.path)} was skipped: {n.reason}.",
                            (n.evidence,)) for n in deployment.notes)
    if deployment.passed_over:
        count = len(deployment.passed_over)
        findings.append(Finding(SETUP, (
            f"{plural(count, 'deployment-like file')} in test folders or inside Python "
            f"packages {'was' if count == 1 else 'were'} read as test or package data, not as "
            f"this project's deployment: {names(list(deployment.passed_over), limit=3)}."),
            tuple(Evidence(p, 1) for p in deployment.passed_over[:3])))
    return findings


def _dockerfile(dockerfile: Dockerfile) -> list[Finding]:
    stages = dockerfile.stages
    if len(stages) == 1:
        built = f"builds from {code(stages[0].base)}"
    else:
        built = f"builds in {len(stages)} stages (" + ", ".join(
            f"{code(s.name) if s.name else f'stage {i}'} from {code(s.base)}"
            for i, s in enumerate(stages)) + ")"
    final = "the image" if len(stages) == 1 else "the final stage"
    parts = [f"runs as user {code(dockerfile.user.value)}" if dockerfile.user
             else "declares no USER (the base image's user applies)"]
    if dockerfile.exposed:
        ports = [p.value for p in dockerfile.exposed]
        parts.append(f"exposes {'port' if len(ports) == 1 else 'ports'} "
                     + ", ".join(code(p) for p in ports))
    if dockerfile.entrypoint:
        parts.append(f"has entrypoint {cmd(dockerfile.entrypoint.value)}")
    if dockerfile.command:
        parts.append(f"{'passes it' if dockerfile.entrypoint else 'starts'} "
                     f"{cmd(dockerfile.command.value)}")
    findings = [Finding(
        SETUP, f"{code(dockerfile.path)} {built}; {final} {join(parts)}.",
        evidence([*(s.evidence for s in stages),
                   dockerfile.user.evidence if dockerfile.user else None,
                   *(p.evidence for p in dockerfile.exposed),
                   dockerfile.entrypoint.evidence if dockerfile.entrypoint else None,
                   dockerfile.command.evidence if dockerfile.command else None]))]
    if dockerfile.env:
        findings.append(Finding(
            SETUP, f"{code(dockerfile.path)} sets environment "
            f"{'variable' if len(dockerfile.env) == 1 else 'variables'} "
            f"{names([v.name for v in dockerfile.env], limit=12)} in {final}.",
            evidence(v.evidence for v in dockerfile.env)))
    return findings


def _compose_overlay(base: ComposeFile, overlay: ComposeFile) -> list[Finding]:
    known = {s.name for s in base.services}
    added = [s for s in overlay.services if s.name not in known]
    changed = [s for s in overlay.services if s.name in known]
    how = ("`docker compose` applies it automatically" if ".override." in overlay.path
           else "applied with `docker compose -f`")
    parts = []
    if added:
        parts.append("adds " + names([s.name for s in added], limit=12))
    if changed:
        parts.append("changes " + ", ".join(
            f"{code(s.name)} ({', '.join(_declared(s)) or 'nothing read'})" for s in changed))
    findings = [Finding(SETUP, f"{code(overlay.path)} overlays {code(base.path)} ({how}): "
                        + ("; ".join(parts) or "declares no services") + ".",
                        evidence(s.evidence for s in overlay.services)
                        or (Evidence(overlay.path, 1),))]
    return findings + _compose_services(overlay, added)


def _declared(service: ComposeService) -> list[str]:
    """The settings a compose service declares, by their compose keys."""
    present = [("image", service.image), ("build", service.build),
               ("command", service.command), ("ports", service.ports),
               ("volumes", service.volumes), ("environment", service.environment),
               ("env_file", service.env_files), ("restart", service.restart),
               ("healthcheck", service.healthcheck), ("depends_on", service.depends_on),
               ("labels", service.routes)]
    return [key for key, value in present if value]


def _compose_services(compose: ComposeFile,
                      services: Sequence[ComposeService]) -> list[Finding]:
    findings = []
    for service in services:
        parts = []
        if service.extends:
            parts.append(f"extends {code(service.extends.value)}")
        if service.profiles:
            parts.append("starts only with the profile " + " or ".join(
                code(p.value) for p in service.profiles))
        if service.image:
            parts.append(f"image {code(service.image)}")
        if service.build:
            parts.append(f"built from {code(service.build)}")
        if service.command:
            parts.append(f"runs {cmd(service.command.value, 80)}")
        if service.ports:
            parts.append("publishes " + ", ".join(code(p.value) for p in service.ports))
        if service.volumes:
            parts.append("mounts " + ", ".join(code(v.value) for v in service.volumes))
        if service.environment:
            parts.append("sets " + names([v.name for v in service.environment], limit=6))
        if service.env_files:
            parts.append("reads " + ", ".join(code(e.value) for e in service.env_files))
        if service.replicas:
            parts.append(f"{service.replicas} replicas")
        if service.restart:
            parts.append(f"restart policy {code(service.restart)}")
        if service.routes:
            parts.append("Traefik routes " + ", ".join(cmd(r.value, 60) for r in service.routes))
        if service.depends_on:
            parts.append("starts after " + join([
                f"{code(d.service)} ({CONDITION_WORDS.get(d.condition, d.condition)})"
                for d in service.depends_on]))
        findings.append(Finding(
            SETUP, f"Compose service {code(service.name)} ({code(compose.path)}): "
            + ("; ".join(parts) or "declares nothing else") + ".",
            evidence([service.evidence, *(p.evidence for p in service.ports),
                       *(d.evidence for d in service.depends_on)])))
    findings.extend(Finding(SETUP, (
        f"{code(compose.path)} extends {code(missing.value)}, which the repository does not "
        "have: what that service inherits is not known."), (missing.evidence,))
        for missing in compose.unresolved)
    return findings


_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _compose_interpolation(compose: ComposeFile, deployment: Deployment) -> list[Finding]:
    """Variables compose takes from the shell or an ``.env`` file: ``${NAME:-default}``."""
    found: dict[str, tuple[bool, Evidence]] = {}
    for service in compose.services:
        for variable in service.environment:
            for match in _INTERPOLATION.finditer(variable.value):
                has_default = match.group(2) in (":-", "-")
                name = match.group(1)
                if name not in found:
                    found[name] = (has_default, variable.evidence)
    if not found:
        return []
    required = sorted(n for n, (default, _) in found.items() if not default)
    documented = {v.name for e in deployment.env_examples for v in e.variables}
    missing = sorted(set(found) - documented) if deployment.env_examples else []
    text = (f"{code(compose.path)} takes {names(sorted(found), limit=12)} from the shell or "
            f"an `.env` file"
            + (f"; {names(required)} {'has' if len(required) == 1 else 'have'} no default"
               if required else " (each with a default)"))
    if missing:
        text += f"; not in the `.env` example: {names(missing)}"
    return [Finding(SETUP, text + ".", evidence(ev for _, ev in sorted(
        found.values(), key=lambda item: item[1])))]


def _k8s_environment(deployment: Deployment) -> list[Finding]:
    findings = []
    others: Counter[str] = Counter()
    other_evidence: dict[str, Evidence] = {}
    for o in deployment.k8s_objects:
        template = " (Helm template)" if o.templated else ""
        if o.kind in WORKLOAD_KINDS:
            parts = []
            if o.replicas:
                parts.append(f"replicas {code(o.replicas.value)}")
            for c in o.containers:
                detail = [f"image {code(c.image)}" if c.image else "",
                          ("ports " + ", ".join(code(p) for p in c.ports)) if c.ports else ""]
                secrets = [v.name for v in c.env if v.value.startswith("from ")]
                if c.env:
                    detail.append(f"{plural(len(c.env), 'environment variable')}"
                                  + (f" ({names(secrets)} from secrets or config maps)"
                                     if secrets else ""))
                parts.append(f"container {code(c.name)} (" + ", ".join(
                    d for d in detail if d) + ")")
            findings.append(Finding(SETUP, f"Kubernetes {o.kind} {code(o.name)}{template} "
                                    f"({code(o.path)})" + (": " + "; ".join(parts)
                                                           if parts else "") + ".",
                                    evidence([o.evidence, o.replicas.evidence if o.replicas
                                               else None, *(c.evidence
                                                            for c in o.containers)])))
        elif o.kind == "HorizontalPodAutoscaler":
            bounds = [f"from {code(o.min_replicas.value)}" if o.min_replicas else "",
                      f"to {code(o.max_replicas.value)}" if o.max_replicas else ""]
            findings.append(Finding(SETUP, f"HorizontalPodAutoscaler {code(o.name)}{template} "
                                    f"scales {code(o.target)} "
                                    + " ".join(b for b in bounds if b) + " replicas.",
                                    evidence([o.evidence, o.min_replicas.evidence
                                               if o.min_replicas else None])))
        else:
            others[o.kind] += 1
            other_evidence.setdefault(o.kind, o.evidence)
    if others:
        findings.append(Finding(SETUP, "Other Kubernetes objects: " + ", ".join(
            f"{count} {kind}" for kind, count in sorted(others.items())) + ".",
            tuple(other_evidence[k] for k in sorted(other_evidence))))
    return findings


def _proxies(deployment: Deployment) -> list[Finding]:
    findings = []
    for proxy in deployment.proxies:
        parts = []
        if proxy.listens:
            parts.append("listens on " + ", ".join(code(s.value) for s in proxy.listens[:6]))
        if proxy.routes:
            parts.append("forwards " + ", ".join(
                f"{code(r.location or '/')} to {code(r.target)}" if r.location
                else code(r.target) for r in proxy.routes[:6]))
        for name, servers, _ in proxy.upstreams:
            parts.append(f"upstream {code(name)}"
                         + (f" balances {', '.join(code(s) for s in servers)}" if servers
                            else ""))
        parts.append(describe_tls(proxy.tls_settings) if proxy.tls_settings
                     else "configures no TLS")
        findings.append(Finding(SETUP, f"{proxy.server} ({code(proxy.path)}) "
                                + "; ".join(parts) + ".",
                                evidence([*(r.evidence for r in proxy.routes),
                                           *(u[2] for u in proxy.upstreams),
                                           *(t.evidence for t in proxy.tls_settings),
                                           *(s.evidence for s in proxy.listens)])
                                or (Evidence(proxy.path, 1),)))
    return findings


def _terraform(deployment: Deployment) -> list[Finding]:
    if not deployment.terraform:
        return []
    resources: Counter[str] = Counter()
    first: dict[str, Evidence] = {}
    modules = []
    providers = []
    for block in deployment.terraform:
        if block.block == "resource":
            resources[block.type] += 1
            first.setdefault(block.type, block.evidence)
        elif block.block == "module":
            modules.append(block)
        elif block.block == "provider":
            providers.append(block)
    parts = []
    if resources:
        parts.append(f"{plural(sum(resources.values()), 'resource')} (" + ", ".join(
            f"{count} {code(kind)}" for kind, count in sorted(
                resources.items(), key=lambda kv: (-kv[1], kv[0]))[:10]) + ")")
    if modules:
        parts.append("modules " + names(sorted({m.name for m in modules})))
    if providers:
        parts.append("providers " + names(sorted({p.name for p in providers})))
    return [Finding(SETUP, "Terraform declares " + ("; ".join(parts) or "no resources") + ".",
                    evidence([*(first[k] for k in sorted(first)),
                               *(m.evidence for m in modules[:2]),
                               *(p.evidence for p in providers[:2])]))]
