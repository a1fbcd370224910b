"""The purpose table of ``knowledge/ci_steps.toml``: what a command, an action, a task
name is for, the wrappers that run another command and the CI systems recognised by path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from syspatterns.knowledge import read_table


class CommandRule(NamedTuple):
    pattern: tuple[str, ...]
    purposes: tuple[str, ...]
    job: str  # the purpose the enclosing job's name must have, "" for any job


class ActionRule(NamedTuple):
    uses: str
    when: tuple[tuple[str, str], ...]
    purposes: tuple[str, ...]
    show: tuple[str, ...]


@dataclass(frozen=True)
class StepRules:
    """``knowledge/ci_steps.toml``: purposes, command and action patterns, name patterns,
    Travis CI deploy providers, wrappers and the CI systems that are recognised but not
    read."""

    purposes: dict[str, str]  # key -> phrase, in document order
    commands: tuple[CommandRule, ...]
    actions: tuple[ActionRule, ...]
    sessions: tuple[tuple[str, tuple[str, ...]], ...]
    providers: dict[str, tuple[str, ...]]  # Travis CI deploy provider -> purposes
    wrappers: tuple[tuple[str, ...], ...]
    systems: tuple[tuple[str, str, bool], ...]  # (path glob, name, is a pipeline)

    def order(self, purposes: Iterable[str]) -> tuple[str, ...]:
        """``purposes`` without repeats, in the table's order."""
        wanted = set(purposes)
        return tuple(p for p in self.purposes if p in wanted)


@cache
def load_step_rules() -> StepRules:
    """The packaged purpose table, validated: a row naming an unknown purpose is an error."""
    data = read_table("ci_steps.toml")
    purposes = {str(k): str(v) for k, v in data["purposes"].items()}

    def checked(row: Mapping[str, Any]) -> tuple[str, ...]:
        found = tuple(str(p) for p in row["purposes"])
        unknown = [p for p in found if p not in purposes]
        if unknown:
            raise ValueError(f"ci_steps.toml: unknown purpose {unknown[0]!r} in {dict(row)}")
        return found

    return StepRules(
        purposes=purposes,
        commands=tuple(CommandRule(tuple(r["pattern"]), checked(r), str(r.get("job", "")))
                       for r in data.get("command", [])),
        actions=tuple(
            ActionRule(r["uses"], tuple((k, str(v)) for k, v in r.get("when", {}).items()),
                       checked(r), tuple(r.get("show", ())))
            for r in data.get("action", [])),
        sessions=tuple((str(r["name"]), checked(r)) for r in data.get("session", [])),
        providers={str(r["name"]): checked(r) for r in data.get("provider", [])},
        wrappers=tuple(tuple(w) for w in data["wrappers"]["prefixes"]),
        systems=tuple((str(r["pattern"]), str(r["name"]), bool(r.get("pipeline", True)))
                      for r in data.get("system", [])),
    )
