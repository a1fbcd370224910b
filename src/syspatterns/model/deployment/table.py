"""``knowledge/deployment.toml`` read once: manifest folders, platforms, monitoring images
and kinds, folders whose files are test data, TLS settings and kinds, how Prometheus is told
what to scrape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase, translate
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from syspatterns.knowledge import read_table

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class TlsRule:
    """A ``[[tls]]`` row: a setting of ``server`` named by ``key`` (with ``value``) says
    ``fact``; the key's first group, if any, names the ``about`` (an entry point, a router)."""

    server: str
    key: re.Pattern[str]
    value: re.Pattern[str] | None
    fact: str
    about: str


@dataclass(frozen=True)
class TlsKind:
    """A ``[[tls_kind]]`` row: a Kubernetes kind of an API group and the fields shown."""

    api: str
    kind: str
    fact: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class DeploymentTable:
    """``knowledge/deployment.toml``."""

    manifest_folders: frozenset[str]
    platforms: tuple[tuple[str, str, str], ...]  # (path glob, name, required text)
    monitoring_images: tuple[tuple[str, str], ...]
    monitoring_kinds: frozenset[str]
    ignored_folders: tuple[str, ...]  # globs over one folder name
    platform_names: re.Pattern[str]  # the file names any platform pattern can match
    tls_rules: tuple[TlsRule, ...] = ()
    tls_kinds: tuple[TlsKind, ...] = ()
    scrape_annotation: str = ""
    scrape_details: tuple[str, ...] = ()
    scrape_annotated: frozenset[str] = frozenset()  # kinds whose own annotations count
    scrape_endpoints: tuple[tuple[str, str], ...] = ()  # (kind, key of spec)
    prometheus_configs: tuple[str, ...] = ()  # globs over file names

    def tls_rule(self, server: str, key: str, value: str) -> tuple[TlsRule, str, str] | None:
        """The first ``[[tls]]`` row of ``server`` that ``key`` (compared in lower case) and
        ``value`` match, with the name the key's group holds ("" when none) and the rest of
        the key after that name (the whole key when there is no group)."""
        lowered = key.lower()
        for rule in self.tls_rules:
            if rule.server != server:
                continue
            match = rule.key.fullmatch(lowered)
            if match is None or (rule.value is not None
                                 and rule.value.fullmatch(value.strip()) is None):
                continue
            if match.groups():
                return rule, key[match.start(1):match.end(1)], key[match.end(1) + 1:]
            return rule, "", key
        return None

    def tls_kind(self, api_version: str, kind: str) -> TlsKind | None:
        return next((row for row in self.tls_kinds if row.kind == kind
                     and fnmatchcase(api_version, row.api)), None)

    def scrape_key(self, kind: str) -> str | None:
        """The key of ``spec`` listing the endpoints a Prometheus Operator kind scrapes."""
        return next((key for name, key in self.scrape_endpoints if name == kind), None)

    def is_prometheus_config(self, path: str) -> bool:
        name = PurePosixPath(path).name
        return any(fnmatchcase(name, glob) for glob in self.prometheus_configs)

    def platform_of(self, path: str) -> tuple[str, str] | None:
        """(platform name, required text) of the first ``[[platform]]`` row matching
        ``path``, if any."""
        name = PurePosixPath(path).name
        for pattern, platform, contains in self.platforms:
            if "/" in pattern:
                if fnmatchcase(path, pattern) or fnmatchcase(path, "*/" + pattern):
                    return platform, contains
            elif fnmatchcase(name, pattern):
                return platform, contains
        return None

    def monitoring_image(self, image: str) -> str | None:
        """The monitoring tool an image runs (``prom/prometheus:v2`` -> Prometheus), if any."""
        bare = image.rsplit("@", 1)[0]
        if ":" in bare.rsplit("/", 1)[-1]:
            bare = bare.rsplit(":", 1)[0]
        for pattern, name in self.monitoring_images:
            if fnmatchcase(bare.lower(), pattern):
                return name
        return None


@cache
def load_deployment_table() -> DeploymentTable:
    data = read_table("deployment.toml")
    platforms = tuple((r["pattern"], r["name"], r.get("contains", ""))
                      for r in data.get("platform", []))
    scrape = data.get("scrape", {})
    return DeploymentTable(
        manifest_folders=frozenset(data["manifests"]["folders"]),
        platforms=platforms,
        monitoring_images=tuple((r["pattern"], r["name"])
                                for r in data.get("monitoring_image", [])),
        monitoring_kinds=frozenset(data["monitoring"]["kinds"]),
        ignored_folders=tuple(data["ignored"]["folders"]),
        platform_names=re.compile("|".join(
            f"(?:{translate(p.rsplit('/', 1)[-1])})" for p, _, _ in platforms)),
        tls_rules=tuple(TlsRule(r["server"], re.compile(r["key"]),
                                re.compile(r["value"], re.IGNORECASE) if "value" in r else None,
                                r["fact"], r.get("about", ""))
                        for r in data.get("tls", [])),
        tls_kinds=tuple(TlsKind(r["api"], r["kind"], r["fact"], tuple(r["fields"]))
                        for r in data.get("tls_kind", [])),
        scrape_annotation=scrape.get("annotation", ""),
        scrape_details=tuple(scrape.get("details", ())),
        scrape_annotated=frozenset(scrape.get("annotated", ())),
        scrape_endpoints=tuple(sorted(scrape.get("endpoints", {}).items())),
        prometheus_configs=tuple(scrape.get("configs", ())),
    )
