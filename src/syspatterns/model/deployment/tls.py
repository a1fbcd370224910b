"""Settings that concern TLS, matched against the ``[[tls]]`` rows of
``knowledge/deployment.toml``: proxy directives, Traefik options (in its configuration
files, its command-line flags and container labels) and Kubernetes annotations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import YamlMap, items_with_lines, line_of, text_of
from syspatterns.model.deployment.table import load_deployment_table
from syspatterns.model.deployment.values import TlsSetting

TRAEFIK = "Traefik"


SEPARATORS = {"nginx": " ", "Apache": " ", "Traefik": "=", "Kubernetes": ": "}


def tls_settings(server: str, settings: Iterable[tuple[str, str, Evidence]]
                 ) -> tuple[TlsSetting, ...]:
    """The (name, value, evidence) settings of ``server`` that a ``[[tls]]`` row matches."""
    table = load_deployment_table()
    found = []
    for key, value, evidence in settings:
        matched = table.tls_rule(server, key, value)
        if matched is not None:
            rule, name, rest = matched
            found.append(TlsSetting(rule.fact, rule.about if name else "", name, rest,
                                    value.strip(), evidence, SEPARATORS.get(server, " ")))
    return tuple(found)


def flattened(data: Any, line: int, prefix: str = "") -> Iterator[tuple[str, str, int]]:
    """The leaves of nested mappings as (dotted key, value text, line); items of lists
    keep their list's key; an empty mapping or a key without a value is a leaf with the
    empty value (``tls: {}`` turns TLS on in Traefik)."""
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from flattened(value, line_of(data, key, line),
                                 f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list) and data:
        for item, item_line in items_with_lines(data, line):
            yield from flattened(item, item_line, prefix)
    elif prefix:
        yield prefix, "" if isinstance(data, dict | list) else text_of(data), line


def traefik_file(path: str, data: Any, toml_lines: dict[str, int] | None = None
                 ) -> tuple[TlsSetting, ...]:
    """TLS settings of a Traefik configuration file read into plain data (YAML with lines,
    or TOML with the lines :func:`toml_key_lines` found)."""
    lines = toml_lines or {}
    return tls_settings(TRAEFIK, (
        (key, value, Evidence(path, line if isinstance(data, YamlMap) else toml_line(
            lines, key))) for key, value, line in flattened(data, 1)))


def toml_line(lines: dict[str, int], key: str) -> int:
    """The line of a dotted key, else of its nearest table, else 1."""
    parts = key.lower().split(".")
    while parts:
        found = lines.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return 1


def toml_key_lines(text: str) -> dict[str, int]:
    """The line of each table header and each key assignment of a TOML text, by its dotted
    path in lower case (quoted keys unquoted; the first occurrence of a path wins)."""
    found: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            table = _toml_key(line.strip("[]").split("]", 1)[0])
            found.setdefault(table, number)
        elif "=" in line:
            key = _toml_key(line.split("=", 1)[0])
            found.setdefault(f"{table}.{key}" if table else key, number)
    return found


def _toml_key(text: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in text.split(".")).lower()


def traefik_flags(items: Iterable[tuple[str, Evidence]]) -> tuple[TlsSetting, ...]:
    """TLS settings among command-line arguments (``--entrypoints.websecure.http.tls=true``;
    a bare flag has the empty value)."""
    pairs = []
    for item, evidence in items:
        for word in item.split():
            if word.startswith("--"):
                key, _, value = word[2:].partition("=")
                pairs.append((key, value, evidence))
    return tls_settings(TRAEFIK, pairs)


def traefik_labels(labels: Iterable[tuple[str, str, Evidence]]) -> tuple[TlsSetting, ...]:
    """TLS settings among container labels (``traefik.http.routers.web.tls=true``)."""
    return tls_settings(TRAEFIK, ((key[len("traefik."):], value, evidence)
                                  for key, value, evidence in labels
                                  if key.lower().startswith("traefik.")))
