"""TLS termination, told under Environment setup: what proxies, compose services (Traefik
flags and labels) and Kubernetes objects say about TLS, or what was looked for when none
does."""

from __future__ import annotations

from collections.abc import Sequence

from syspatterns.analysers.deployment.wording import (
    SETUP,
    TLS_FACTS,
    TLS_KIND_VERBS,
    TLS_LOOKED_FOR,
    cmd,
    evidence,
    join,
)
from syspatterns.analysis.text import code
from syspatterns.core.evidence import Finding
from syspatterns.model.deployment import (
    TEMPLATED,
    Deployment,
    K8sObject,
    TlsSetting,
    load_deployment_table,
)


def describe_tls(settings: Sequence[TlsSetting]) -> str:
    """``terminates TLS for router `web` (`tls=true`, `tls.certresolver=le`) and redirects
    HTTP to HTTPS (...)``: the settings grouped by what they state and what they are about,
    in the order they are written."""
    groups: dict[tuple[str, str, str], list[TlsSetting]] = {}
    for setting in settings:
        groups.setdefault((setting.fact, setting.about, setting.name), []).append(setting)
    parts = []
    for (fact, about, name), group in groups.items():
        shown = ", ".join(cmd(s.shown, 80) for s in group)
        if any(s.value == TEMPLATED for s in group):
            parts.append(f"leaves {code(group[0].setting)} to a template action (whether it "
                         "terminates TLS depends on the chart's values)")
            continue
        verb, preposition = TLS_FACTS.get(fact, (fact, "for"))
        subject = f" {preposition} {about} {code(name)}" if name else ""
        parts.append(f"{verb}{subject} ({shown})")
    return join(parts)


def tls_findings(deployment: Deployment) -> list[Finding]:
    """TLS of compose files and Kubernetes objects (proxies say theirs in their own
    finding), and the not-found finding when no deployment file says anything about TLS."""
    findings = []
    for compose in deployment.compose_files:
        services = [s for s in compose.services if s.tls]
        if services:
            findings.append(Finding(SETUP, f"Traefik TLS in {code(compose.path)}: " + "; ".join(
                f"service {code(s.name)} {describe_tls(s.tls)}" for s in services) + ".",
                evidence(t.evidence for s in services for t in s.tls)))
    for o in deployment.k8s_objects:
        if o.tls:
            findings.append(_k8s_tls(o))
    said = findings or any(p.tls_settings for p in deployment.proxies)
    serving = any((deployment.dockerfiles, deployment.compose_files, deployment.k8s_objects,
                   deployment.helm_charts, deployment.processes, deployment.systemd_units,
                   deployment.proxies, deployment.terraform, deployment.serverless,
                   deployment.platforms))
    if serving and not said:
        findings.append(Finding(SETUP, (
            "TLS termination was not found in the repository's deployment files: looked for "
            f"{TLS_LOOKED_FOR}.")))
    return findings


def _k8s_tls(o: K8sObject) -> Finding:
    template = " (Helm template)" if o.templated else ""
    where = f"Kubernetes {o.kind} {code(o.name)}{template} ({code(o.path)})"
    row = load_deployment_table().tls_kind(o.api_version, o.kind)
    if row is not None:
        own = [t for t in o.tls if t.fact == row.fact and not t.about]
        others = [t for t in o.tls if t not in own]
        shown = [cmd(t.shown, 80) for t in own if t.setting != "kind"]
        text = f"{where} {TLS_KIND_VERBS.get(row.fact, row.fact)}" + (
            f" ({', '.join(shown)})" if shown else "")
        if others:
            text += f" and {describe_tls(others)}"
    else:
        text = f"{where} {describe_tls(o.tls)}"
    return Finding(SETUP, text + ".", evidence(t.evidence for t in o.tls))
