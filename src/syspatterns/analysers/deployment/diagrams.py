"""The overview of what the deployment files and pipelines hold, and the Mermaid diagrams of
compose services and Kubernetes objects."""


from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from syspatterns.analysers.deployment.wording import (
    CONDITION_WORDS,
    MAX_DIAGRAMS,
    PIPELINE_TITLES,
    WORKLOAD_KINDS,
    evidence,
    join,
)
from syspatterns.analysis.text import code, mermaid_label, plural
from syspatterns.core.evidence import Diagram, Evidence, Finding
from syspatterns.model.ci import (
    CI,
    PIPELINE_KINDS,
)
from syspatterns.model.deployment import (
    ComposeFile,
    ComposeService,
    Deployment,
    K8sObject,
)


def overview_findings(deployment: Deployment, ci: CI) -> list[Finding]:
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
    text = join([plural(n, one, many) for n, one, many, _ in present])
    return [Finding("Overview", f"Deployment and release files found: {text}.",
                    evidence(ev[0] for *_, ev in present))]


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


def deployment_diagrams(deployment: Deployment) -> list[Diagram]:
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


def ref(o: K8sObject) -> str:
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
