"""The repository's CI and task automation: GitHub Actions workflows, GitLab CI (with its
local includes), CircleCI, Travis CI, Azure Pipelines, Jenkins and Bitbucket Pipelines,
pre-commit hooks, tox environments, nox sessions and Makefile targets, read statically into
workflows, jobs and steps. Each step is classified by purpose (test, lint, build, publish,
deploy, ...) through the table in ``knowledge/ci_steps.toml``; each keeps the line it stands
on.

YAML is read with a safe loader that records lines (:func:`load_yaml`); the INI reader
(:func:`read_ini`) and the YAML reader are shared with :mod:`syspatterns.model.deployment`.
"""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.azure import read_azure
from syspatterns.model.ci.bitbucket import read_bitbucket
from syspatterns.model.ci.circleci import read_circleci
from syspatterns.model.ci.commands import (
    Commands,
    classify_action,
    classify_command,
    simple_commands,
)
from syspatterns.model.ci.files import MAX_BYTES, read_config, yaml_document
from syspatterns.model.ci.github import read_github, with_called_workflows
from syspatterns.model.ci.gitlab import read_gitlab
from syspatterns.model.ci.ini import read_ini
from syspatterns.model.ci.jenkins import read_jenkins
from syspatterns.model.ci.jobs import name_purposes
from syspatterns.model.ci.local_tools import read_make, read_nox, read_pre_commit, read_tox
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.tasks import with_tasks
from syspatterns.model.ci.travis import read_travis
from syspatterns.model.ci.workflows import (
    CI,
    PIPELINE_KINDS,
    SYSTEM_NAMES,
    FileNote,
    Job,
    OtherSystem,
    Step,
    Workflow,
)
from syspatterns.model.ci.yaml_lines import (
    YamlError,
    YamlMap,
    items_with_lines,
    line_of,
    load_yaml,
    text_of,
)

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel

__all__ = [
    "CI", "MAX_BYTES", "PIPELINE_KINDS", "SYSTEM_NAMES", "FileNote", "Job", "Step", "Workflow",
    "YamlError", "YamlMap", "classify_action", "classify_command", "items_with_lines",
    "line_of", "load_step_rules", "load_yaml", "name_purposes", "read_ci", "read_ini",
    "simple_commands", "text_of",
]

Reader = Callable[[str, Any, Commands, list[FileNote]], list[Workflow]]
# Readers of a file's text and of its YAML document (a mapping), by kind.
_TEXT_READERS: dict[str, Reader] = {
    "tox": lambda path, text, commands, _: [read_tox(path, text, commands)],
    "make": lambda path, text, commands, _: [read_make(path, text, commands)],
    "jenkins": read_jenkins,
}
_YAML_READERS: dict[str, Reader] = {
    "github-actions": read_github, "gitlab-ci": read_gitlab, "circleci": read_circleci,
    "travis-ci": read_travis, "azure-pipelines": read_azure,
    "bitbucket-pipelines": read_bitbucket, "pre-commit": read_pre_commit,
}
_KINDS_BY_PATH = {
    ".gitlab-ci.yml": "gitlab-ci", ".circleci/config.yml": "circleci",
    ".travis.yml": "travis-ci", "azure-pipelines.yml": "azure-pipelines",
    "Jenkinsfile": "jenkins", "bitbucket-pipelines.yml": "bitbucket-pipelines",
}
_KINDS_BY_NAME = {
    ".pre-commit-config.yaml": "pre-commit", "tox.ini": "tox", "noxfile.py": "nox",
    "Makefile": "make", "GNUmakefile": "make", "makefile": "make",
}


def _ci_kind(path: str) -> str | None:
    if path.startswith(".github/workflows/"):
        return "github-actions"
    return _KINDS_BY_PATH.get(path) or _KINDS_BY_NAME.get(PurePosixPath(path).name)


def _read(kind: str, path: str, text: str, commands: Commands,
          notes: list[FileNote]) -> list[Workflow]:
    """The workflows of one file's text."""
    if kind in _TEXT_READERS:
        return _TEXT_READERS[kind](path, text, commands, notes)
    data = yaml_document(path, text, notes)
    if data is None:
        return []
    if not isinstance(data, YamlMap):
        notes.append(FileNote(Evidence(path, 1), "not a mapping at the top level"))
        return []
    return _YAML_READERS[kind](path, data, commands, notes)


def _other_system(path: str) -> OtherSystem | None:
    return next((OtherSystem(path, name, pipeline)
                 for pattern, name, pipeline in load_step_rules().systems
                 if fnmatchcase(path, pattern)), None)


def _build_ci(model: SystemModel) -> CI:
    commands = Commands(model)
    workflows: list[Workflow] = []
    notes: list[FileNote] = []
    unread: list[str] = []
    candidates = [*model.files_of_kind("ci"),
                  *(p for p in model.files_of_kind("deployment") if _ci_kind(p) == "make")]
    for path in sorted(candidates):
        kind = _ci_kind(path)
        if kind is None:
            unread.append(path)
        elif kind == "nox":
            workflow = read_nox(path, model)
            workflows.extend([workflow] if workflow else [])
        elif (text := read_config(model, path, notes)) is not None:
            workflows.extend(_read(kind, path, text, commands, notes))
    included = {p for w in workflows for p in w.includes}
    others = [o for p in unread if p not in included and (o := _other_system(p)) is not None]
    workflows = with_tasks(workflows)
    return CI(tuple(with_called_workflows(workflows)), tuple(others), tuple(notes))


def read_ci(model: SystemModel) -> CI:
    """The repository's CI and task automation, computed once per model."""
    return model.memo("ci", _build_ci)
