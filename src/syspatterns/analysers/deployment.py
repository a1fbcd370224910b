"""Deployment Architecture: how the system is set up, built, released, watched and rolled
back, from its deployment files (:mod:`syspatterns.model.deployment`), its CI and task
automation (:mod:`syspatterns.model.ci`) and its migrations (from the extracted facts)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import ClassVar

from syspatterns.analysers.architecture import mermaid_label
from syspatterns.analysers.base import new_section
from syspatterns.analysers.environment import environment_findings
from syspatterns.analysers.migrations import alembic_findings, django_findings
from syspatterns.analysers.text import code, names, plural
from syspatterns.evidence import Diagram, Evidence, Finding, Section
from syspatterns.model import SystemModel
from syspatterns.model.ci import (
    CI,
    PIPELINE_KINDS,
    SYSTEM_NAMES,
    Job,
    Step,
    Workflow,
    classify_action,
    classify_command,
    load_step_rules,
    name_purposes,
    read_ci,
)
from syspatterns.model.deployment import (
    TEMPLATED,
    ComposeFile,
    ComposeService,
    Deployment,
    Dockerfile,
    K8sObject,
    load_deployment_table,
    read_deployment,
)

SETUP = "Environment setup"
PROCESS = "Deployment process"
MONITORING = "Monitoring"
ROLLBACK = "Rollback strategy"

RELEASE_PURPOSES = ("build", "publish", "deploy")  # a job with one of these releases
STEP_PURPOSES = ("build", "publish", "deploy", "migrate", "rollback")  # listed in such jobs
PIPELINE_TITLES = {  # what one workflow of each CI system is called
    "github-actions": "GitHub Actions workflow", "gitlab-ci": "GitLab CI pipeline",
    "circleci": "CircleCI workflow", "travis-ci": "Travis CI build",
    "azure-pipelines": "Azure pipeline", "jenkins": "Jenkins pipeline",
    "bitbucket-pipelines": "Bitbucket pipeline",
}
EXPRESSION_CONDITIONS = ("github-actions", "azure-pipelines")  # `if:`, `condition:`
SCRIPT_KINDS = ("make", "tox", "nox")
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                            "CronJob", "Pod", "DeploymentConfig", "Rollout"})
CONDITION_WORDS = {"service_healthy": "healthy", "service_started": "started",
                   "service_completed_successfully": "completed"}
MAX_DIAGRAMS = 3
COMMAND_LIMIT = 100


def _short(text: str, limit: int = COMMAND_LIMIT) -> str:
    """One line: continuation lines joined, other lines separated by ``;``, cut at ``limit``."""
    lines = re.sub(r"\\\r?\n", " ", text).splitlines()
    flat = "; ".join(" ".join(line.split()) for line in lines if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def _cmd(text: str, limit: int = COMMAND_LIMIT) -> str:
    """Inline code that survives backticks in the text."""
    flat = _short(text, limit)
    return f"`` {flat} ``" if "`" in flat else f"`{flat}`"


def _evidence(items: Iterable[Evidence | None]) -> tuple[Evidence, ...]:
    """Evidence without repeats, in the given order."""
    seen: dict[Evidence, None] = {}
    for item in items:
        if item is not None:
            seen.setdefault(item, None)
    return tuple(seen)


def _join(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _purposes(purposes: Iterable[str], skip: Iterable[str] = ("setup",)) -> str:
    shown = [p for p in purposes if p not in set(skip)]
    return ", ".join(shown)


class DeploymentAnalyser:
    key: ClassVar[str] = "deployment"

    def analyse(self, model: SystemModel) -> Section:
        deployment = read_deployment(model)
        ci = read_ci(model)
        section = new_section(self.key)
        section.summary.extend(_overview(deployment, ci))
        section.diagrams.extend(_diagrams(deployment))
        section.findings.extend(_environment(deployment))
        section.findings.extend(environment_findings(model, SETUP) or [Finding(
            SETUP, "The code reads no environment variable by a literal name (looked for "
            "`os.environ.get`, `os.getenv` and settings classes).")])
        section.findings.extend(_process(deployment, ci))
        section.findings.extend(_monitoring(model, deployment))
        section.findings.extend(_rollback(model, deployment, ci))
        return section


# --- overview and diagrams --------------------------------------------------------------------

def _overview(deployment: Deployment, ci: CI) -> list[Finding]:
    counts: list[tuple[int, str, str, list[Evidence]]] = [
        (len(deployment.dockerfiles), "Dockerfile", "Dockerfiles",
         [Evidence(d.path, 1) for d in deployment.dockerfiles]),
        (len(deployment.compose_files), "compose file", "compose files",
         [Evidence(c.path, 1) for c in deployment.compose_files]),
        (len(deployment.k8s_objects), "Kubernetes object", "Kubernetes objects",
         [o.evidence for o in deployment.k8s_objects]),
        (len(deployment.helm_charts), "Helm chart", "Helm charts",
         [c.evidence for c in deployment.helm_charts]),
        (len({p.path for p in deployment.processes}), "Procfile", "Procfiles",
         [p.evidence for p in deployment.processes]),
        (len(deployment.systemd_units), "systemd unit", "systemd units",
         [u.evidence for u in deployment.systemd_units]),
        (len(deployment.proxies), "proxy configuration", "proxy configurations",
         [Evidence(p.path, 1) for p in deployment.proxies]),
        (len({t.evidence.path for t in deployment.terraform}), "Terraform file",
         "Terraform files", [t.evidence for t in deployment.terraform]),
        (len(deployment.serverless), "Serverless configuration", "Serverless configurations",
         [s.evidence for s in deployment.serverless]),
        (len(deployment.releases), "release recipe", "release recipes",
         [r.evidence for r in deployment.releases]),
        (len(deployment.platforms), "platform file", "platform files",
         [p.evidence for p in deployment.platforms]),
        (len(deployment.env_examples), "`.env` example", "`.env` examples",
         [Evidence(e.path, 1) for e in deployment.env_examples]),
    ]
    for kind in PIPELINE_KINDS:
        found = ci.of_kind(kind)
        title = PIPELINE_TITLES[kind]
        counts.append((len(found), title, title + "s", [w.evidence for w in found]))
    present = [(n, one, many, ev) for n, one, many, ev in counts if n]
    if not present:
        return []
    text = _join([plural(n, one, many) for n, one, many, _ in present])
    return [Finding("Overview", f"Deployment and release files found: {text}.",
                    _evidence(ev[0] for *_, ev in present))]


BASE_COMPOSE = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def compose_groups(files: Sequence[ComposeFile]) -> list[tuple[ComposeFile,
                                                               list[ComposeFile]]]:
    """Compose files as (base file, the overlays beside it): ``compose.override.yml`` or
    ``docker-compose.prod.yml`` overlay the ``compose.yml`` or ``docker-compose.yml`` of the
    same folder. Without a base file in its folder, a file stands alone."""
    folders: dict[str, list[ComposeFile]] = {}
    for compose in files:
        folders.setdefault(str(PurePosixPath(compose.path).parent), []).append(compose)
    groups: list[tuple[ComposeFile, list[ComposeFile]]] = []
    for members in folders.values():
        bases = [c for c in members if PurePosixPath(c.path).name in BASE_COMPOSE]
        if not bases:
            groups.extend((c, []) for c in members)
            continue
        overlays = [c for c in members if c not in bases]
        groups.append((bases[0], overlays))
        groups.extend((c, []) for c in bases[1:])
    return sorted(groups, key=lambda g: g[0].path)


def _diagrams(deployment: Deployment) -> list[Diagram]:
    diagrams = [_compose_diagram(base) for base, _ in compose_groups(deployment.compose_files)
                if len(base.services) > 1]
    k8s = _k8s_diagram(deployment.k8s_objects)
    if k8s is not None:
        diagrams.append(k8s)
    return diagrams[:MAX_DIAGRAMS]


def _service_label(service: ComposeService) -> str:
    source = service.image or (f"build {service.build}" if service.build else "")
    return mermaid_label(f"{service.name}: {source}" if source else service.name)


def _compose_diagram(compose: ComposeFile) -> Diagram:
    ids = {s.name: f"s{i}" for i, s in enumerate(compose.services)}
    lines = ["flowchart LR"]
    lines.extend(f'  {ids[s.name]}["{_service_label(s)}"]' for s in compose.services)
    for service in compose.services:
        for dependency in service.depends_on:
            target = ids.get(dependency.service)
            if target is not None:
                word = CONDITION_WORDS.get(dependency.condition, dependency.condition)
                lines.append(f'  {ids[service.name]} -->|"{mermaid_label(word)}"| {target}')
    return Diagram(
        f"Services of `{compose.path}` (arrow: starts after; label: the condition it waits "
        "for).", "\n".join(lines))


def _object_label(o: K8sObject) -> str:
    """``Deployment web``; a name a Helm action writes is replaced by the template's file."""
    if "{{" in o.name or not o.name:
        return f"{o.kind} ({PurePosixPath(o.path).name})"
    return f"{o.kind} {o.name}"


def _ref(o: K8sObject) -> str:
    """``Deployment `web```, with the file when a Helm action writes the name."""
    where = f" ({code(o.path)})" if o.templated else ""
    return f"{o.kind} {code(o.name)}{where}"


def _k8s_diagram(objects: Sequence[K8sObject]) -> Diagram | None:
    nodes = [o for o in objects if o.kind in WORKLOAD_KINDS
             or o.kind in ("Service", "Ingress", "HorizontalPodAutoscaler")]
    if len(nodes) < 2:
        return None
    node_ids = [f"k{i}" for i in range(len(nodes))]
    ids: dict[tuple[str, str], str] = {}
    for o, node_id in zip(nodes, node_ids, strict=True):
        ids.setdefault((o.kind, o.name), node_id)
    lines = ["flowchart LR"]
    lines.extend(f'  {node_id}["{mermaid_label(_object_label(o))}"]'
                 for o, node_id in zip(nodes, node_ids, strict=True))
    edges: set[str] = set()
    for o, source in zip(nodes, node_ids, strict=True):
        if o.kind == "Ingress":
            for backend in o.backends:
                if ("Service", backend.value) in ids:
                    edges.add(f"  {source} --> {ids[('Service', backend.value)]}")
        elif o.kind == "Service" and o.selector:
            for workload, target in zip(nodes, node_ids, strict=True):
                if workload.kind in WORKLOAD_KINDS and workload.labels and \
                        set(o.selector) <= set(workload.labels):
                    edges.add(f"  {source} --> {target}")
        elif o.kind == "HorizontalPodAutoscaler" and "/" in o.target:
            kind, _, name = o.target.partition("/")
            if (kind, name) in ids:
                edges.add(f'  {source} -.->|"scales"| {ids[(kind, name)]}')
    if not edges and any(o.templated for o in nodes):
        return None  # a chart's selectors come from template actions: nothing to connect
    lines.extend(sorted(edges))
    return Diagram("Kubernetes objects (arrow: routes traffic to, or scales).",
                   "\n".join(lines))


# --- Environment setup ------------------------------------------------------------------------

def _environment(deployment: Deployment) -> list[Finding]:
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
                                _evidence([chart.evidence, *(v.evidence
                                                             for _, v in chart.values)])))
    if deployment.processes:
        findings.append(Finding(SETUP, "Procfile process types: " + "; ".join(
            f"{code(p.name)} runs {_cmd(p.command)}" for p in deployment.processes) + ".",
            tuple(p.evidence for p in deployment.processes)))
    for unit in deployment.systemd_units:
        parts = [f"runs {_cmd(unit.exec_start.value)}" if unit.exec_start
                 else "declares no ExecStart",
                 f"user {code(unit.user.value)}" if unit.user else "",
                 f"restart policy {code(unit.restart.value)}" if unit.restart else ""]
        described = f" ({unit.description})" if unit.description else ""
        findings.append(Finding(SETUP, f"systemd unit {code(unit.path)}{described}: "
                                + "; ".join(p for p in parts if p)
                                + ".", _evidence([unit.evidence, *(
                                    s.evidence if s else None
                                    for s in (unit.exec_start, unit.user, unit.restart))])))
    findings.extend(_proxies(deployment))
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
                                _evidence([config.evidence,
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
            _evidence(v.evidence for v in example.variables[:3]) or (
                Evidence(example.path, 1),)))
    if deployment.is_empty:
        findings.append(Finding(SETUP, (
            "No deployment files were found: looked for Dockerfiles, compose files, Kubernetes "
            "manifests and Helm charts, Procfiles, systemd units, nginx, Apache and Traefik "
            "configurations, Terraform, Serverless, release recipes (PyInstaller, snapcraft, "
            "GoReleaser, Homebrew), hosting platform files and `.env` examples.")))
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
        parts.append(f"has entrypoint {_cmd(dockerfile.entrypoint.value)}")
    if dockerfile.command:
        parts.append(f"{'passes it' if dockerfile.entrypoint else 'starts'} "
                     f"{_cmd(dockerfile.command.value)}")
    findings = [Finding(
        SETUP, f"{code(dockerfile.path)} {built}; {final} {_join(parts)}.",
        _evidence([*(s.evidence for s in stages),
                   dockerfile.user.evidence if dockerfile.user else None,
                   *(p.evidence for p in dockerfile.exposed),
                   dockerfile.entrypoint.evidence if dockerfile.entrypoint else None,
                   dockerfile.command.evidence if dockerfile.command else None]))]
    if dockerfile.env:
        findings.append(Finding(
            SETUP, f"{code(dockerfile.path)} sets environment "
            f"{'variable' if len(dockerfile.env) == 1 else 'variables'} "
            f"{names([v.name for v in dockerfile.env], limit=12)} in {final}.",
            _evidence(v.evidence for v in dockerfile.env)))
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
                        _evidence(s.evidence for s in overlay.services)
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
            parts.append(f"runs {_cmd(service.command.value, 80)}")
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
            parts.append("Traefik routes " + ", ".join(_cmd(r.value, 60) for r in service.routes))
        if service.depends_on:
            parts.append("starts after " + _join([
                f"{code(d.service)} ({CONDITION_WORDS.get(d.condition, d.condition)})"
                for d in service.depends_on]))
        findings.append(Finding(
            SETUP, f"Compose service {code(service.name)} ({code(compose.path)}): "
            + ("; ".join(parts) or "declares nothing else") + ".",
            _evidence([service.evidence, *(p.evidence for p in service.ports),
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
    return [Finding(SETUP, text + ".", _evidence(ev for _, ev in sorted(
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
                                    _evidence([o.evidence, o.replicas.evidence if o.replicas
                                               else None, *(c.evidence
                                                            for c in o.containers)])))
        elif o.kind == "HorizontalPodAutoscaler":
            bounds = [f"from {code(o.min_replicas.value)}" if o.min_replicas else "",
                      f"to {code(o.max_replicas.value)}" if o.max_replicas else ""]
            findings.append(Finding(SETUP, f"HorizontalPodAutoscaler {code(o.name)}{template} "
                                    f"scales {code(o.target)} "
                                    + " ".join(b for b in bounds if b) + " replicas.",
                                    _evidence([o.evidence, o.min_replicas.evidence
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
        parts.append("terminates TLS" if proxy.tls else "configures no TLS")
        findings.append(Finding(SETUP, f"{proxy.server} ({code(proxy.path)}) "
                                + "; ".join(parts) + ".",
                                _evidence([*(r.evidence for r in proxy.routes),
                                           *(u[2] for u in proxy.upstreams), proxy.tls,
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
                    _evidence([*(first[k] for k in sorted(first)),
                               *(m.evidence for m in modules[:2]),
                               *(p.evidence for p in providers[:2])]))]


# --- Deployment process -----------------------------------------------------------------------

def _is_release(job: Job) -> bool:
    return any(p in RELEASE_PURPOSES for p in job.purposes)


def _workflow_text(workflow: Workflow) -> str:
    """``Workflow `ci` (`path`) runs on push (branches: main); jobs:`` or, for another CI
    system, ``GitLab CI pipeline (`.gitlab-ci.yml`, including `ci/test.yml`) has jobs:``."""
    where = code(workflow.path) + (", including " + ", ".join(
        code(p) for p in workflow.includes) if workflow.includes else "")
    if workflow.kind == "github-actions":
        title = f"Workflow {code(workflow.name)} ({where})"
    else:
        named = "" if workflow.name == PurePosixPath(workflow.path).name \
            else f" {code(workflow.name)}"
        title = f"{PIPELINE_TITLES[workflow.kind]}{named} ({where})"
    if not workflow.triggers:
        return f"{title} has jobs:"
    return f"{title} runs on " + _join([t.event + (f" ({t.detail})" if t.detail else "")
                                       for t in workflow.triggers]) + "; jobs:"


def _job_text(job: Job) -> str:
    extra = []
    purposes = _purposes(job.purposes)
    if purposes:
        extra.append(purposes)
    if job.needs:
        extra.append("after " + ", ".join(code(n) for n in job.needs))
    return code(job.name) + (f" ({'; '.join(extra)})" if extra else "")


def _step_text(step: Step, wanted: Iterable[str] = STEP_PURPOSES) -> str:
    """An action with the inputs worth quoting, or the commands of a shell step that have
    one of the ``wanted`` purposes (the whole command when its scripts give the purpose)."""
    if step.uses and not step.command:
        rule_show = _shown_inputs(step)
        shown = ", ".join(f"{k}: {_short(v, 60)}" for k, v in step.inputs if k in rule_show)
        return code(step.uses) + (f" ({shown})" if shown else "")
    wanted = set(wanted)
    own = [command for command, purposes in step.matched if wanted & set(purposes)]
    uncommented = "\n".join(line for line in step.command.splitlines()
                             if not line.lstrip().startswith("#"))
    text = " && ".join(_cmd(c) for c in own[:3]) if own else _cmd(uncommented)
    ran = [*step.scripts, *step.tasks]
    via = f" (runs {', '.join(code(p) for p in ran)})" if ran else ""
    return text + via


def _shown_inputs(step: Step) -> tuple[str, ...]:
    return classify_action(step.uses, dict(step.inputs))[1]


def _process(deployment: Deployment, ci: CI) -> list[Finding]:
    findings = _pipelines(ci)
    for workflow in ci.of_kind(*SCRIPT_KINDS):
        jobs = [j for j in workflow.jobs if _is_release(j)]
        if jobs:
            findings.append(Finding(
                PROCESS, f"{_script_title(workflow)} " + "; ".join(
                    f"{code(j.name)} ({_purposes(j.purposes)})"
                    + (": " + ", ".join(_step_text(s) for s in j.steps if _is_release_step(s))
                       if any(_is_release_step(s) for s in j.steps) else "")
                    for j in jobs) + ".",
                _evidence([*(j.evidence for j in jobs),
                           *(s.evidence for j in jobs for s in j.steps
                             if _is_release_step(s))])))
    findings.extend(_compose_migrations(deployment))
    releases = [p for p in deployment.processes if p.name == "release"]
    findings.extend(Finding(PROCESS, f"The Procfile's `release` process runs {_cmd(p.command)} "
                            "before each release goes live.", (p.evidence,)) for p in releases)
    for release in deployment.releases:
        findings.append(Finding(PROCESS, f"{release.tool} recipe {code(release.evidence.path)}"
                                + (f" builds {code(release.name)}" if release.name else "")
                                + (f" ({release.detail})" if release.detail else "") + ".",
                                (release.evidence,)))
    findings.extend(_missing_steps(ci))
    findings.extend(Finding(PROCESS, f"{code(o.path)} ({o.system}) is present but not read "
                            "by this version.", (Evidence(o.path, 1),))
                    for o in ci.other_systems if o.pipeline)
    findings.extend(Finding(PROCESS, f"{code(n.evidence.path)}"
                            + (" was skipped: " if n.skipped else ": ") + f"{n.reason}.",
                            (n.evidence,)) for n in ci.notes)
    return findings


def _in_test_job(workflow: Workflow, job: Job) -> bool:
    """Whether the job's or its workflow's name says it tests (``Test chart``): what it
    deploys goes to a throw-away environment."""
    return "test" in name_purposes(job.name, job.title, workflow.name)


def _releases(workflow: Workflow, job: Job) -> bool:
    """Whether a job publishes, or deploys outside a test job."""
    return "publish" in job.purposes or (
        "deploy" in job.purposes and not _in_test_job(workflow, job))


def _pipelines(ci: CI) -> list[Finding]:
    """Release pipelines in detail; pipelines that only build, that deploy only for tests,
    and the others, each in one line."""
    findings: list[Finding] = []
    build_only: list[Workflow] = []
    test_deploys: list[Workflow] = []
    quiet: list[Workflow] = []
    for workflow in ci.of_kind(*PIPELINE_KINDS):
        purposes = {p for j in workflow.jobs for p in j.purposes}
        if not any(_releases(workflow, j) for j in workflow.jobs):
            if "deploy" in purposes:
                test_deploys.append(workflow)
            elif "build" in purposes:
                build_only.append(workflow)
            else:
                quiet.append(workflow)
            continue
        findings.append(Finding(
            PROCESS, f"{_workflow_text(workflow)} "
            + ", ".join(_job_text(j) for j in workflow.jobs) + ".",
            _evidence([workflow.evidence, *(Evidence(p, 1) for p in workflow.includes),
                       *(t.evidence for t in workflow.triggers),
                       *(j.evidence for j in workflow.jobs)])))
        findings.extend(_release_job(workflow, job) for job in workflow.jobs
                        if _is_release(job) and not _in_test_job(workflow, job))
    for title, workflows, purpose in (
            ("Workflows that deploy only into a test environment", test_deploys, "deploy"),
            ("Workflows that build but neither publish nor deploy", build_only, "build")):
        if not workflows:
            continue
        listed = [(w, [s for j in w.jobs for s in j.steps if purpose in s.purposes])
                  for w in workflows]
        findings.append(Finding(
            PROCESS, f"{title}: " + "; ".join(
                f"{code(w.name)} ("
                + ", ".join(list(dict.fromkeys(_step_text(s, (purpose,)) for s in steps))[:3])
                + ")" for w, steps in listed) + ".",
            _evidence(s.evidence for _, steps in listed for s in steps)))
    if quiet:
        findings.append(Finding(
            PROCESS, "CI workflows that neither build, publish nor deploy: " + ", ".join(
                f"{code(w.name)} ({code(w.path)}"
                + (f"; {shown}" if (shown := _purposes(
                    load_step_rules().order(p for j in w.jobs for p in j.purposes))) else "")
                + ")" for w in quiet) + ".",
            tuple(w.evidence for w in quiet)))
    return findings


def _is_release_step(step: Step) -> bool:
    return any(p in STEP_PURPOSES for p in step.purposes)


def _script_title(workflow: Workflow) -> str:
    kind = {"make": "Makefile targets", "tox": "tox environments", "nox": "nox sessions"}
    return f"{kind[workflow.kind]} in {code(workflow.path)}:"


def _release_job(workflow: Workflow, job: Job) -> Finding:
    conditions = []
    if job.condition:
        conditions.append(("only if " if workflow.kind in EXPRESSION_CONDITIONS else "with ")
                          + _cmd(job.condition, 80))
    if job.environment:
        conditions.append(f"environment {code(job.environment)}")
    if job.stage:
        conditions.append(f"stage {code(job.stage)}")
    steps = [s for s in job.steps if _is_release_step(s)]
    listed = "; ".join(f"{_step_text(s)} ({_purposes(s.purposes)})" for s in steps)
    return Finding(
        PROCESS, f"Job {code(job.name)} of {code(workflow.name)}"
        + (f" ({', '.join(conditions)})" if conditions else "") + f": {listed}.",
        _evidence([job.evidence, *(s.evidence for s in steps),
                   *(Evidence(p, 1) for s in steps for p in s.scripts)]))


def _compose_migrations(deployment: Deployment) -> list[Finding]:
    findings = []
    for compose in deployment.compose_files:
        for service in compose.services:
            if service.command is None or "migrate" not in classify_command(
                    service.command.value):
                continue
            waiting = [(s, d) for s in compose.services for d in s.depends_on
                       if d.service == service.name]
            text = (f"Compose service {code(service.name)} applies database migrations "
                    f"({_cmd(service.command.value, 80)})")
            if waiting:
                text += "; " + _join([code(s.name) for s, _ in waiting]) + " wait for it (" \
                    + ", ".join(sorted({CONDITION_WORDS.get(d.condition, d.condition)
                                        for _, d in waiting})) + ")"
            findings.append(Finding(PROCESS, text + ".", _evidence(
                [service.command.evidence, *(d.evidence for _, d in waiting)])))
    return findings


def _missing_steps(ci: CI) -> list[Finding]:
    tools: dict[str, str] = {}
    for rule in load_step_rules().commands:
        if "deploy" in rule.purposes and "*" not in rule.pattern[0]:
            tools.setdefault(rule.pattern[0], " ".join(rule.pattern))
    examples = ", ".join(code(tools[t]) for t in ("kubectl", "helm", "terraform", "fly")
                         if t in tools)
    where = _join([*(SYSTEM_NAMES[k] for k in PIPELINE_KINDS), "tox", "nox", "Makefiles"])
    has = {p for w in ci.workflows for j in w.jobs for p in j.purposes}
    if not has & {"build", "publish", "deploy"}:
        return [Finding(PROCESS, (
            f"No build, publish or deploy step was found in {where}: looked for the commands "
            f"and actions of the step table (for example `docker build`, `twine upload`, "
            f"`pypa/gh-action-pypi-publish`, {examples}).")
        )]
    if "deploy" not in has:
        return [Finding(PROCESS, (
            f"No deploy step was found in {where} (looked for commands such as {examples} and "
            "deploy actions): the pipelines end at publishing; how published artefacts reach "
            "a running environment is not described in these files."))]
    return []


# --- Monitoring -------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s'\")]+")


def _health_command(command: str) -> str:
    urls = _URL.findall(command)
    probe = f" (requests {', '.join(code(u) for u in urls)})" if urls else ""
    return f"{_cmd(command, 80)}{probe}"


def _monitoring(model: SystemModel, deployment: Deployment) -> list[Finding]:
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
                                    + _join([code(k) for k, _ in probes]) + " in its values.",
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
            _evidence([*(s.evidence for s, _ in inherited),
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
        findings.append(Finding(MONITORING, f"{_ref(o)} probes: " + "; ".join(
            f"{p.kind} {p.check}" + (f" (container {code(c.name)})" if len(o.containers) > 1
                                     else "") for c, p in probes) + ".",
            tuple(p.evidence for _, p in probes)))
    if unprobed:
        findings.append(Finding(MONITORING, "Kubernetes workloads without liveness, readiness "
                                "or startup probes: " + ", ".join(
                                    _ref(o) for o in unprobed) + ".",
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
            what = f"runs {_join(tools)}" if tools else "configures monitoring"
            findings.append(Finding(MONITORING, f"Kubernetes {_ref(o)} {what}.",
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


# --- Rollback strategy ------------------------------------------------------------------------

def _rollback(model: SystemModel, deployment: Deployment, ci: CI) -> list[Finding]:
    findings = [*alembic_findings(model, ROLLBACK), *django_findings(model, ROLLBACK)]
    steps = ci.steps_with("rollback")
    if steps:
        findings.append(Finding(ROLLBACK, "Rollback commands run in CI and scripts: " + "; ".join(
            f"{_cmd(s.command, 80)} ({_where(w, j)})" for w, j, s in steps) + ".",
            tuple(s.evidence for _, _, s in steps)))
    rollouts = [o for o in deployment.k8s_objects
                if o.kind in ("Deployment", "StatefulSet", "DaemonSet", "Rollout")]
    for o in rollouts:
        if o.strategy is None:
            strategy = "declares no rollout strategy (Kubernetes applies RollingUpdate by default)"
        elif o.strategy.value == TEMPLATED:
            strategy = "takes its rollout strategy from a template action (chart values)"
        else:
            strategy = f"rolls out with {code(o.strategy.value)}"
        history = (f"keeps {code(o.revision_history_limit.value)} old revisions "
                   "(`revisionHistoryLimit`)") if o.revision_history_limit else (
            "does not set `revisionHistoryLimit` (Kubernetes keeps 10 old revisions by default)"
            if o.kind == "Deployment" else "")
        findings.append(Finding(ROLLBACK, f"{_ref(o)} {strategy}"
                                + (f"; it {history}" if history else "") + ".",
                                _evidence([o.evidence, o.strategy.evidence if o.strategy
                                           else None, o.revision_history_limit.evidence
                                           if o.revision_history_limit else None])))
    findings.extend(Finding(ROLLBACK, f"Helm chart {code(c.name)}: each `helm upgrade` of a "
                            "release is a revision that `helm rollback` can return to.",
                            (c.evidence,)) for c in deployment.helm_charts)
    if findings and not rollouts and not deployment.helm_charts and (
            deployment.dockerfiles or deployment.compose_files):
        findings.append(Finding(ROLLBACK, (
            "No orchestrator rollout settings were found (no Kubernetes Deployment with a "
            "`strategy` or `revisionHistoryLimit`, no Helm chart): rolling back the running "
            "service is not described by the repository's files.")))
    if not findings:
        findings.append(Finding(ROLLBACK, (
            "No rollback mechanism was found: looked for Alembic migrations with `downgrade()`, "
            "Django migrations, rollback commands (`alembic downgrade`, `helm rollback`, "
            "`kubectl rollout undo`, ...) in CI and scripts, Kubernetes rollout strategies and "
            "Helm charts.")))
    return findings


def _where(workflow: Workflow, job: Job) -> str:
    return f"{code(job.name)} in {code(workflow.path)}"
