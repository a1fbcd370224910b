"""How processes are run and reached: Procfiles, systemd units, nginx, Apache and Traefik
configurations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci import (
    line_of,
    read_ini,
    text_of,
)
from syspatterns.model.deployment.tls import (
    tls_settings,
    toml_key_lines,
    toml_line,
    traefik_file,
)
from syspatterns.model.deployment.values import EnvVar, Setting, TlsSetting

if TYPE_CHECKING:
    pass




class Process(NamedTuple):
    """A Procfile process type (``web``, ``worker``, ``release``) and its command."""

    path: str
    name: str
    command: str
    evidence: Evidence


@dataclass(frozen=True)
class SystemdUnit:
    path: str
    description: str
    evidence: Evidence
    exec_start: Setting | None = None
    user: Setting | None = None
    restart: Setting | None = None
    environment: tuple[EnvVar, ...] = ()


class Route(NamedTuple):
    """Where a reverse proxy sends requests: ``location`` (path or "") to ``target``."""

    location: str
    target: str
    evidence: Evidence


@dataclass(frozen=True)
class ProxyConfig:
    """An nginx, Apache or Traefik configuration: upstream groups (name and servers),
    routes, listening addresses and its settings that concern TLS."""

    path: str
    server: str
    upstreams: tuple[tuple[str, tuple[str, ...], Evidence], ...] = ()
    routes: tuple[Route, ...] = ()
    listens: tuple[Setting, ...] = ()
    tls_settings: tuple[TlsSetting, ...] = ()

    @property
    def tls(self) -> Evidence | None:
        """Where the configuration terminates TLS (its first TLS listener or certificate),
        ``None`` when it does not."""
        return next((s.evidence for s in self.tls_settings
                     if s.fact in ("listener", "certificate")), None)


def read_procfile(path: str, text: str) -> list[Process]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.+)$", line)
        if match:
            found.append(Process(path, match.group(1), match.group(2).strip(),
                                 Evidence(path, number)))
    return found


def read_systemd_unit(path: str, text: str) -> SystemdUnit | None:
    sections = {s.name: s for s in read_ini(text)}
    service = sections.get("Service")
    if service is None:
        return None
    unit = sections.get("Unit")
    description = unit.get("Description") if unit else None

    def setting(key: str) -> Setting | None:
        entry = service.get(key)
        return Setting(entry.value, Evidence(path, entry.line)) if entry else None

    environment = []
    for entry in service.entries:
        if entry.key == "Environment":
            for pair in re.findall(r"\"[^\"]*\"|\S+", entry.value):
                name, _, value = pair.strip('"').partition("=")
                environment.append(EnvVar(name, value, Evidence(path, entry.line)))
    return SystemdUnit(path, description.value if description else "",
                       Evidence(path, service.line), setting("ExecStart"), setting("User"),
                       setting("Restart"), tuple(environment))


def _strip_comment(line: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def read_nginx(path: str, text: str) -> ProxyConfig:
    upstreams: list[tuple[str, tuple[str, ...], Evidence]] = []
    routes: list[Route] = []
    listens: list[Setting] = []
    directives: list[tuple[str, str, Evidence]] = []
    blocks: list[tuple[str, str]] = []  # (block kind, argument) for each open brace
    servers: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        for statement in re.findall(r"[^;{}]*[;{}]", line):
            body = statement[:-1].strip()
            words = body.split()
            if statement.endswith("{"):
                blocks.append((words[0] if words else "", " ".join(words[1:])))
                if words[:1] == ["upstream"]:
                    servers = []
                    upstreams.append((" ".join(words[1:]), (), Evidence(path, number)))
                continue
            if statement.endswith("}"):
                if blocks and blocks[-1][0] == "upstream" and upstreams:
                    name, _, evidence = upstreams[-1]
                    upstreams[-1] = (name, tuple(servers), evidence)
                if blocks:
                    blocks.pop()
                continue
            if not words:
                continue
            directive = words[0]
            directives.append((directive, " ".join(words[1:]), Evidence(path, number)))
            inside = blocks[-1][0] if blocks else ""
            if directive == "server" and inside == "upstream" and len(words) > 1:
                servers.append(words[1])
            elif directive in ("proxy_pass", "uwsgi_pass", "fastcgi_pass", "grpc_pass") \
                    and len(words) > 1:
                location = next((arg for kind, arg in reversed(blocks) if kind == "location"),
                                "")
                routes.append(Route(location, words[1], Evidence(path, number)))
            elif directive == "listen" and len(words) > 1:
                listens.append(Setting(" ".join(words[1:]), Evidence(path, number)))
    return ProxyConfig(path, "nginx", tuple(upstreams), tuple(routes), tuple(listens),
                       tls_settings("nginx", directives))


def read_apache(path: str, text: str) -> ProxyConfig:
    routes: list[Route] = []
    listens: list[Setting] = []
    upstreams: list[tuple[str, tuple[str, ...], Evidence]] = []
    directives: list[tuple[str, str, Evidence]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        words = _strip_comment(raw).split()
        if not words:
            continue
        directive = words[0].lower()
        directives.append((directive, " ".join(words[1:]), Evidence(path, number)))
        if directive in ("proxypass", "wsgiscriptalias") and len(words) >= 3:
            routes.append(Route(words[1], words[2], Evidence(path, number)))
        elif directive == "<virtualhost" and len(words) > 1:
            listens.append(Setting(words[1].rstrip(">"), Evidence(path, number)))
        elif directive == "listen" and len(words) > 1:
            listens.append(Setting(words[1], Evidence(path, number)))
        elif directive == "<proxy" and len(words) > 1 and words[1].startswith("balancer://"):
            upstreams.append((words[1].rstrip(">"), (), Evidence(path, number)))
        elif directive == "balancermember" and len(words) > 1 and upstreams:
            name, members, evidence = upstreams[-1]
            upstreams[-1] = (name, (*members, words[1]), evidence)
    return ProxyConfig(path, "Apache", tuple(upstreams), tuple(routes), tuple(listens),
                       tls_settings("Apache", directives))


def read_traefik(path: str, data: Any, text: str = "") -> ProxyConfig | None:
    """Traefik's static (or dynamic) configuration, YAML or TOML read into plain data;
    ``text`` is the TOML text, to find the lines of its keys."""
    if not isinstance(data, dict):
        return None
    listens = []
    lines = toml_key_lines(text) if text else None
    entry_points = data.get("entryPoints") or {}
    if isinstance(entry_points, dict):
        for name, spec in entry_points.items():
            address = text_of(spec.get("address")) if isinstance(spec, dict) else ""
            line = line_of(entry_points, name, toml_line(lines or {}, f"entrypoints.{name}"))
            listens.append(Setting(f"{name} {address}".strip(), Evidence(path, line)))
    return ProxyConfig(path, "Traefik", (), (), tuple(listens),
                       traefik_file(path, data, lines))
