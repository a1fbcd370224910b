"""What deployment files declare, in the shapes every reader shares: a value with the line
it stands on, an environment variable, a health check."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from syspatterns.core.evidence import Evidence

if TYPE_CHECKING:
    pass




class Setting(NamedTuple):
    """A value a file declares, as written, and where."""

    value: str
    evidence: Evidence


class EnvVar(NamedTuple):
    """An environment variable a deployment file sets. ``value`` is as written ("" when empty
    or not given; ``from secret NAME`` for Kubernetes references)."""

    name: str
    value: str
    evidence: Evidence


class Healthcheck(NamedTuple):
    """A container health check: the command (or probe) and how often it runs."""

    command: str
    interval: str
    evidence: Evidence


class TlsSetting(NamedTuple):
    """A setting that concerns TLS (``[[tls]]`` in ``knowledge/deployment.toml``): the
    ``fact`` it states (``listener``, ``certificate``, ``issuer``, ``redirect``), what it is
    about (``about`` and ``name``: ``router`` ``backend-https``; both "" when the setting
    names nothing), the ``setting`` (after that name: ``tls.certresolver``; a directive, an
    annotation, a field) and its ``value``, as written; ``separator`` stands between them
    when they are shown (``listen 443 ssl``, ``tls=true``, ``secretName: web-tls``)."""

    fact: str
    about: str
    name: str
    setting: str
    value: str
    evidence: Evidence
    separator: str = " "

    @property
    def shown(self) -> str:
        return f"{self.setting}{self.separator}{self.value}" if self.value else self.setting
