"""What deployment files declare, in the shapes every reader shares: a value with the line
it stands on, an environment variable, a health check."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from syspatterns.evidence import Evidence

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
