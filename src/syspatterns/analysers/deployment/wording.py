"""Names and wording shared by the Deployment Architecture findings: the aspects, what counts
as a release, and how commands, purposes and evidence are shown."""


from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from syspatterns.core.evidence import Evidence

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


def short(text: str, limit: int = COMMAND_LIMIT) -> str:
    """One line: continuation lines joined, other lines separated by ``;``, cut at ``limit``."""
    lines = re.sub(r"\\\r?\n", " ", text).splitlines()
    flat = "; ".join(" ".join(line.split()) for line in lines if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def cmd(text: str, limit: int = COMMAND_LIMIT) -> str:
    """Inline code that survives backticks in the text."""
    flat = short(text, limit)
    return f"`` {flat} ``" if "`" in flat else f"`{flat}`"


def evidence(items: Iterable[Evidence | None]) -> tuple[Evidence, ...]:
    """Evidence without repeats, in the given order."""
    seen: dict[Evidence, None] = {}
    for item in items:
        if item is not None:
            seen.setdefault(item, None)
    return tuple(seen)


def join(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def listed_purposes(purposes: Iterable[str], skip: Iterable[str] = ("setup",)) -> str:
    shown = [p for p in purposes if p not in set(skip)]
    return ", ".join(shown)


# What each TLS fact says, and the word before what it is about (``for router `web```).
TLS_FACTS = {
    "listener": ("terminates TLS", "for"),
    "certificate": ("uses a certificate", "for"),
    "issuer": ("obtains certificates automatically", "through"),
    "redirect": ("redirects HTTP to HTTPS", "for"),
}
TLS_KIND_VERBS = {"certificate": "declares a certificate", "issuer": "issues certificates"}
TLS_LOOKED_FOR = (
    "nginx `listen ... ssl`, `ssl_certificate` and `return 301 https://...`; Apache "
    "`SSLEngine on`, `SSLCertificateFile` and redirects to `https://`; Traefik entry points, "
    "routers and certificate resolvers with TLS (in `traefik.yml`/`traefik.toml`, compose "
    "`command:` flags and `traefik.` labels); Kubernetes Ingress and Route `spec.tls`, "
    "cert-manager and Ingress controller annotations, cert-manager Certificates and Issuers")
