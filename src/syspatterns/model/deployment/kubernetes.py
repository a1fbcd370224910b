"""Kubernetes manifests and Helm charts: workloads, containers, probes, rollout strategies,
services and ingresses; Helm templates made readable as YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import (
    YamlMap,
    items_with_lines,
    line_of,
    text_of,
)
from syspatterns.model.deployment.table import load_deployment_table
from syspatterns.model.deployment.tls import tls_settings
from syspatterns.model.deployment.values import EnvVar, Setting, TlsSetting

if TYPE_CHECKING:
    pass




class Probe(NamedTuple):
    """A liveness, readiness or startup probe, described (``HTTP GET /health on port 8000``)."""

    kind: str
    check: str
    evidence: Evidence


class ScrapeEndpoint(NamedTuple):
    """An endpoint a ServiceMonitor or PodMonitor has Prometheus scrape: the port (name or
    number), path and interval as written ("" when not given)."""

    port: str
    path: str
    interval: str
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
    ``max_replicas``; Ingresses their ``backends`` (service names). ``annotations`` and
    ``object_labels`` are the object's own (``labels`` are its pod template's),
    ``pod_annotations`` its pod template's, each annotation (name, value as written). ``tls``:
    its settings that concern TLS (annotations of ``[[tls]]``, an Ingress's or Route's
    ``spec.tls``, the fields of a ``[[tls_kind]]``); ``scrape_endpoints``: what a
    ServiceMonitor or PodMonitor scrapes. ``templated`` is true for a Helm template (values
    shown as the template expression, such as ``.Values.replicaCount``)."""

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
    api_version: str = ""
    annotations: tuple[tuple[str, Setting], ...] = ()
    object_labels: tuple[tuple[str, str], ...] = ()
    pod_annotations: tuple[tuple[str, Setting], ...] = ()
    tls: tuple[TlsSetting, ...] = ()
    scrape_endpoints: tuple[ScrapeEndpoint, ...] = ()


@dataclass(frozen=True)
class HelmChart:
    """``Chart.yaml`` and the settings of interest from the chart's ``values.yaml``
    (replicaCount, autoscaling, image, probes) as (dotted key, value, evidence)."""

    path: str
    name: str
    version: str
    evidence: Evidence
    values: tuple[tuple[str, Setting], ...] = ()


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


def _annotations(metadata: Any, path: str) -> tuple[tuple[str, Setting], ...]:
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict):
        return ()
    default = line_of(metadata, "annotations", 1)
    return tuple((str(k), Setting(text_of(v), Evidence(path, line_of(annotations, k, default))))
                 for k, v in annotations.items())


def _spec_tls(kind: str, spec: YamlMap, path: str, templated: bool) -> list[TlsSetting]:
    """An Ingress's ``spec.tls`` (hosts, and the secret holding their certificate) and an
    OpenShift Route's ``spec.tls`` (termination, what happens to plain HTTP)."""
    if "tls" not in spec or kind not in ("Ingress", "Route"):
        return []
    line = spec.line_of("tls")
    value = spec["tls"]
    if value is None:
        return [TlsSetting("listener", "", "", "tls", TEMPLATED, Evidence(path, line), ": ")
                ] if templated else []
    found = []
    if kind == "Ingress":
        for item, item_line in items_with_lines(value, line):
            if not isinstance(item, dict):
                continue
            hosts = ", ".join(text_of(h) for h, _ in items_with_lines(item.get("hosts"),
                                                                       item_line))
            secret = text_of(item.get("secretName"))
            found.append(TlsSetting(
                "listener", "hosts" if hosts else "", hosts, "secretName" if secret else "tls",
                secret, Evidence(path, line_of(item, "secretName", item_line)), ": "))
    elif isinstance(value, dict):
        if value.get("termination"):
            found.append(TlsSetting("listener", "", "", "termination",
                                    text_of(value["termination"]),
                                    Evidence(path, line_of(value, "termination", line)), ": "))
        policy = text_of(value.get("insecureEdgeTerminationPolicy"))
        if policy.lower() == "redirect":
            found.append(TlsSetting("redirect", "", "", "insecureEdgeTerminationPolicy",
                                    policy, Evidence(path, line_of(
                                        value, "insecureEdgeTerminationPolicy", line)), ": "))
    return found


def _kind_tls(api_version: str, kind: str, spec: YamlMap, path: str) -> list[TlsSetting]:
    """The fields of a kind that declares certificates or issuers (cert-manager)."""
    row = load_deployment_table().tls_kind(api_version, kind)
    if row is None:
        return []
    found = []
    for dotted in row.fields:
        holder: Any = spec
        *parents, last = dotted.split(".")
        for part in parents:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and last in holder:
            found.append(TlsSetting(row.fact, "", "", dotted, text_of(holder[last]), Evidence(
                path, line_of(holder, last, spec.line)), ": "))
    return found or [TlsSetting(row.fact, "", "", "kind", kind, Evidence(path, spec.line),
                                ": ")]


def _scrape_endpoints(kind: str, spec: YamlMap, path: str) -> tuple[ScrapeEndpoint, ...]:
    key = load_deployment_table().scrape_key(kind)
    if key is None:
        return ()
    return tuple(
        ScrapeEndpoint(text_of(item.get("port", item.get("targetPort"))),
                       text_of(item.get("path")), text_of(item.get("interval")),
                       Evidence(path, line))
        for item, line in items_with_lines(spec.get(key), spec.line_of(key))
        if isinstance(item, dict))


def read_k8s_object(path: str, document: Any, templated: bool) -> K8sObject | None:
    """A Kubernetes object from one YAML document, or ``None`` if it is not one."""
    if not isinstance(document, YamlMap) or not document.get("kind") \
            or not isinstance(document.get("metadata"), dict):
        return None
    kind = text_of(document["kind"])
    name = text_of(document["metadata"].get("name"))
    api_version = text_of(document.get("apiVersion"))
    annotations = _annotations(document["metadata"], path)
    object_labels = _labels(document["metadata"].get("labels"))
    annotation_tls = tls_settings("Kubernetes", ((k, v.value, v.evidence)
                                                 for k, v in annotations))
    spec = document.get("spec")
    evidence = Evidence(path, document.line_of("kind"))
    if not isinstance(spec, YamlMap):
        return K8sObject(path, kind, name, evidence, templated, api_version=api_version,
                         annotations=annotations, object_labels=object_labels,
                         tls=annotation_tls)
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
        api_version=api_version,
        annotations=annotations,
        object_labels=object_labels,
        pod_annotations=_annotations(metadata, path),
        tls=(*annotation_tls, *_spec_tls(kind, spec, path, templated),
             *_kind_tls(api_version, kind, spec, path)),
        scrape_endpoints=_scrape_endpoints(kind, spec, path),
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
