"""The CI model: workflows of jobs of steps, their triggers, and the files that were
recognised but not read or passed over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from syspatterns.evidence import Evidence


class Step(NamedTuple):
    """One thing a job does.

    ``name``: the step's own name (GitHub ``name:``, a pre-commit hook's id), "" if none.
    ``command``: the shell text as written (a GitHub ``run:`` block, one GitLab ``script:``
    line, one tox command, one Makefile recipe line, a pre-commit hook id or a local hook's
    ``entry``); "" for an action.
    ``uses``: the action or reusable workflow (``owner/name@ref``) or the pre-commit hook's
    repository (``URL@rev``); "" for a shell command.
    ``inputs``: the action's ``with:`` inputs as text, in file order.
    ``purposes``: keys of the purpose table (``setup``, ``test``, ``coverage``, ``lint``,
    ``type-check``, ``security``, ``docs``, ``build``, ``publish``, ``deploy``, ``migrate``,
    ``rollback``) in the table's order; empty when no row matches.
    ``condition``: the step's ``if:`` expression, "" if none.
    ``evidence``: where the step starts.
    ``scripts``: repository scripts the command runs (``bash scripts/test.sh``), followed two
    levels deep; their commands count toward ``purposes``.
    ``matched``: the simple commands of ``command`` that have a purpose, as
    (command, purposes) pairs in order: ``pytest -x`` out of a multi-line ``run:`` block.
    ``tasks``: the tox environments, nox sessions and Makefile targets of the repository that
    a CI step runs (``tox -e py312,lint``), as ``path:name``; their purposes count toward
    ``purposes``.
    """

    name: str
    command: str
    uses: str
    inputs: tuple[tuple[str, str], ...]
    purposes: tuple[str, ...]
    condition: str
    evidence: Evidence
    scripts: tuple[str, ...] = ()
    matched: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tasks: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The command, or the action when the step runs one."""
        return self.command or self.uses


@dataclass(frozen=True)
class Job:
    """A GitHub or GitLab job, the hook list of a pre-commit file, a tox environment, a nox
    session or a Makefile target.

    ``name``: its id (job key, tox environment name, nox session function, target).
    ``title``: its display name (GitHub ``name:``), "" if none.
    ``steps``: what it runs, in order (empty for nox sessions: their commands are in Python
    code the facts do not hold).
    ``purposes``: its steps' purposes in table order; for tox environments, nox sessions and
    Makefile targets without a classified step, the purposes its name implies; for a job that
    calls a reusable workflow of the repository, the purposes of that workflow's jobs.
    ``needs``: the jobs (or prerequisite targets) it waits for.
    ``condition``: when it runs (GitHub ``if:``; GitLab ``rules: if``, ``only``, ``except``,
    ``when``), "" if always.
    ``runner``: GitHub ``runs-on`` or GitLab ``image``, "" if none.
    ``matrix``: GitHub ``strategy.matrix`` axes as (name, values); an expression is one value.
    ``services``: service containers as ``name (image)`` or the image.
    ``environment``: the deployment environment it targets (``environment:``), "" if none.
    ``stage``: the GitLab stage, "" if not declared.
    ``evidence``: where the job is declared.
    """

    name: str
    title: str
    steps: tuple[Step, ...]
    purposes: tuple[str, ...]
    evidence: Evidence
    needs: tuple[str, ...] = ()
    condition: str = ""
    runner: str = ""
    matrix: tuple[tuple[str, tuple[str, ...]], ...] = ()
    services: tuple[str, ...] = ()
    environment: str = ""
    stage: str = ""


class Trigger(NamedTuple):
    """An event that starts a workflow (``push``, ``pull_request``, ``schedule``, a GitLab
    ``workflow: rules`` condition, ...) with its filters as text (``branches: main``)."""

    event: str
    detail: str
    evidence: Evidence


@dataclass(frozen=True)
class Workflow:
    """One CI or automation file.

    ``kind``: ``github-actions``, ``gitlab-ci``, ``pre-commit``, ``tox``, ``nox`` or ``make``.
    ``name``: its ``name:``, else the file name.
    ``triggers``: GitHub ``on:`` events; GitLab ``workflow: rules``; pre-commit.ci. Empty when
    the file declares none (tox, nox and make run when someone runs them).
    """

    path: str
    kind: str
    name: str
    triggers: tuple[Trigger, ...]
    jobs: tuple[Job, ...]
    evidence: Evidence


class FileNote(NamedTuple):
    """A file that was passed over, wholly or partly, and why."""

    evidence: Evidence
    reason: str


class OtherSystem(NamedTuple):
    """A CI or automation file that is recognised but not read step by step; ``pipeline`` is
    false for dependency-update bots (Dependabot, Renovate)."""

    path: str
    system: str
    pipeline: bool = True


@dataclass(frozen=True)
class CI:
    """Every workflow, sorted by path; recognised files that are not read; notes."""

    workflows: tuple[Workflow, ...] = ()
    other_systems: tuple[OtherSystem, ...] = ()
    notes: tuple[FileNote, ...] = ()

    def of_kind(self, *kinds: str) -> list[Workflow]:
        return [w for w in self.workflows if w.kind in kinds]

    def jobs_with(self, purpose: str, *kinds: str) -> list[tuple[Workflow, Job]]:
        """Jobs (of workflows of ``kinds``, or all) that have ``purpose``."""
        return [(w, j) for w in self.workflows if not kinds or w.kind in kinds
                for j in w.jobs if purpose in j.purposes]

    def steps_with(self, purpose: str, *kinds: str) -> list[tuple[Workflow, Job, Step]]:
        """Steps (of workflows of ``kinds``, or all) that have ``purpose``."""
        return [(w, j, s) for w in self.workflows if not kinds or w.kind in kinds
                for j in w.jobs for s in j.steps if purpose in s.purposes]
