"""Automation run on a developer's machine as well as in CI: pre-commit hooks, tox
environments, nox sessions and Makefile targets."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_command, classify_name
from syspatterns.model.ci.ini import IniSection, read_ini
from syspatterns.model.ci.jobs import job_purposes, name_purposes
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import YamlMap, items_with_lines, line_of, text_of

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel


def read_pre_commit(path: str, data: YamlMap, commands: Commands,
                    notes: list[FileNote]) -> list[Workflow]:
    steps = []
    for repo, _ in items_with_lines(data.get("repos"), 1):
        if not isinstance(repo, dict):
            continue
        source = text_of(repo.get("repo"))
        uses = f"{source}@{text_of(repo.get('rev'))}" if repo.get("rev") else source
        for hook, hook_line in items_with_lines(repo.get("hooks"), line_of(repo, "hooks", 1)):
            if not isinstance(hook, dict) or not hook.get("id"):
                continue
            hook_id = text_of(hook["id"])
            entry = text_of(hook.get("entry"))
            step = commands.step(entry, hook_line, path) if entry else None
            purposes = step.purposes if step and step.purposes else classify_command(hook_id)
            steps.append(Step(hook_id, entry or hook_id, uses, (), purposes, "",
                              Evidence(path, line_of(hook, "id", hook_line)),
                              step.scripts if step else ()))
    triggers = (Trigger("pre-commit.ci", "", Evidence(path, data.line_of("ci"))),) \
        if "ci" in data else ()
    job = Job("hooks", "", tuple(steps), job_purposes(steps), Evidence(path,
              data.line_of("repos", 1)))
    return [Workflow(path, "pre-commit", "pre-commit", triggers, (job,), Evidence(path, 1))]


def read_tox(path: str, text: str, commands: Commands) -> Workflow:
    sections = read_ini(text)
    folder = str(PurePosixPath(path).parent).removeprefix(".")
    base: list[Step] = []
    envlist = ""
    for section in sections:
        entry = section.get("envlist")
        if section.name in ("tox", "tox:tox") and entry is not None:
            envlist = " ".join(entry.value.split())
        if section.name == "testenv":
            base = _tox_commands(section, path, commands, folder)
    jobs = []
    for section in sections:
        if section.name != "testenv" and not section.name.startswith("testenv:"):
            continue
        name = section.name.partition(":")[2] or "testenv"
        steps = _tox_commands(section, path, commands, folder) if section.get("commands") \
            else base
        title = f"default environment (envlist: {envlist})" if name == "testenv" and envlist \
            else ""
        jobs.append(Job(name, title, tuple(steps), job_purposes(steps, name),
                        Evidence(path, section.line)))
    return Workflow(path, "tox", PurePosixPath(path).name, (), tuple(jobs), Evidence(path, 1))


def _tox_commands(section: IniSection, path: str, commands: Commands,
                  folder: str) -> list[Step]:
    entry = section.get("commands")
    if entry is None:
        return []
    steps = []
    pending, pending_line = "", 0
    for text, line in [*entry.lines, ("", 0)]:
        if pending and (not pending.endswith("\\") or not text):
            command = pending.removesuffix("\\").lstrip("-! ").strip()
            steps.append(commands.step(command, pending_line, path, cwd=folder))
            pending, pending_line = "", 0
        if text:
            joined = f"{pending.removesuffix(chr(92)).rstrip()} {text}" if pending else text
            pending, pending_line = joined.strip(), pending_line or line
    return steps


def read_nox(path: str, model: SystemModel) -> Workflow | None:
    facts = model.facts.get(path)
    if facts is None:
        return None
    jobs = tuple(
        Job(f.name, "", (), classify_name(f.name), Evidence(path, f.line))
        for f in facts.functions
        if any(d in ("nox.session", "session") or d.endswith(".session") for d in f.decorators))
    return Workflow(path, "nox", PurePosixPath(path).name, (), jobs, Evidence(path, 1))


_MAKE_TARGET = re.compile(r"^([A-Za-z0-9_./-][A-Za-z0-9_./ -]*?)\s*::?(?!=)\s*([^=]*)$")


def read_make(path: str, text: str, commands: Commands) -> Workflow:
    folder = str(PurePosixPath(path).parent).removeprefix(".")
    targets: list[tuple[list[str], int, list[str], list[tuple[str, int]]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        raw, number = lines[index], index + 1
        index += 1
        if raw.startswith("\t") and targets:
            command = raw.strip()
            while command.endswith("\\") and index < len(lines):
                command = command[:-1].rstrip() + " " + lines[index].strip()
                index += 1
            command = command.lstrip("@-+ ")
            if command and not command.startswith("#"):
                targets[-1][3].append((command, number))
            continue
        match = _MAKE_TARGET.match(raw.split("#", 1)[0].rstrip())
        if match and not raw.startswith((" ", "\t")):
            names = [n for n in match.group(1).split() if not n.startswith(".")]
            targets.append((names, number, match.group(2).split(), []))
    known = {n for names, *_ in targets for n in names}
    jobs = []
    for names, line, prerequisites, recipe in targets:
        for name in names:
            steps = [commands.step(c, n, path, cwd=folder, context=name_purposes(name))
                     for c, n in recipe]
            jobs.append(Job(name, "", tuple(steps), job_purposes(steps, name),
                            Evidence(path, line),
                            needs=tuple(p for p in prerequisites if p in known)))
    return Workflow(path, "make", PurePosixPath(path).name, (), tuple(jobs), Evidence(path, 1))
