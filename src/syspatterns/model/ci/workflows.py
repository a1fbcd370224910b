"""The CI model: workflows of jobs of steps, their triggers, and the files that were
recognised but not read or passed over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from syspatterns.core.evidence import Evidence


class Step(NamedTuple):
    """One thing a job does.

    ``name``: the step's own name (GitHub ``name:``, Azure ``displayName``, CircleCI
    ``run: name``, Jenkins ``label:``, a pre-commit hook's id), "" if none.
    ``command``: the shell text as written (a GitHub ``run:`` block, one GitLab, Travis or
    Bitbucket ``script:`` line, a CircleCI ``run:``, an Azure ``script:``/``bash:`` or a task's
    inline script, a Jenkins ``sh``, one tox command, one Makefile recipe line, a pre-commit
    hook id or a local hook's ``entry``); "" for an action.
    ``uses``: the action or reusable workflow (``owner/name@ref``), the Azure task
    (``Docker@2``), the Bitbucket pipe, the CircleCI orb job or command (``python/test``), the
    Travis deploy provider (``deploy: pypi``) or the pre-commit hook's repository
    (``URL@rev``); "" for a shell command.
    ``inputs``: the action's ``with:`` (Azure ``inputs:``, Bitbucket ``variables:``, orb
    parameters) as text, in file order.
    ``purposes``: keys of the purpose table (``setup``, ``test``, ``coverage``, ``lint``,
    ``type-check``, ``security``, ``docs``, ``build``, ``publish``, ``deploy``, ``migrate``,
    ``rollback``) in the table's order; empty when no row matches.
    ``condition``: the step's ``if:`` (Azure ``condition``, CircleCI ``when``/``unless``,
    Travis deploy ``on``), "" if none.
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
    """A CI job (a GitHub, GitLab, CircleCI, Azure or Travis job, a Jenkins stage, a
    Bitbucket step), the hook list of a pre-commit file, a tox environment, a nox session or a
    Makefile target.

    ``name``: its id (job key, Jenkins stage name, Bitbucket step ``name:``, tox environment
    name, nox session function, target).
    ``title``: its display name (GitHub ``name:``, Azure ``displayName``), "" if none.
    ``steps``: what it runs, in order (empty for nox sessions: their commands are in Python
    code the facts do not hold).
    ``purposes``: its steps' purposes in table order; for tox environments, nox sessions,
    Makefile targets and CircleCI orb jobs without a classified step, the purposes its name
    implies; for a job that
    calls a reusable workflow of the repository, the purposes of that workflow's jobs.
    ``needs``: the jobs (or prerequisite targets) it waits for.
    ``condition``: when it runs (GitHub ``if:``; GitLab ``rules: if``, ``only``, ``except``,
    ``when``; Azure ``condition``; CircleCI ``filters``; Travis ``if``; Jenkins ``when {}``;
    Bitbucket ``trigger: manual``), "" if always.
    ``runner``: GitHub ``runs-on``, the image (GitLab, CircleCI, Bitbucket), the Azure
    ``pool``, the Travis ``os``, the Jenkins ``agent``; "" if none.
    ``matrix``: matrix axes as (name, values) (GitHub ``strategy.matrix``, CircleCI
    ``matrix.parameters``, Travis language versions); an expression is one value.
    ``services``: service containers as ``name (image)`` or the image.
    ``environment``: the deployment environment it targets (``environment:``, Bitbucket
    ``deployment:``), "" if none.
    ``stage``: the GitLab, Azure or Travis stage, the Jenkins parent stage; "" if none.
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

    ``kind``: a key of :data:`SYSTEM_NAMES`.
    ``name``: its ``name:``, else the file name; a CircleCI workflow's key; a Bitbucket
    pipeline's section and pattern (``branches: main``).
    ``triggers``: GitHub ``on:`` events; GitLab ``workflow: rules``; Azure ``trigger``, ``pr``
    and ``schedules``; Travis ``branches`` and ``if``; CircleCI scheduled ``triggers``;
    Jenkins ``triggers {}``; the Bitbucket pipeline's section; pre-commit.ci. Empty when the
    file declares none (tox, nox and make run when someone runs them).
    ``includes``: other files of the repository merged into it (GitLab ``include: local``).
    """

    path: str
    kind: str
    name: str
    triggers: tuple[Trigger, ...]
    jobs: tuple[Job, ...]
    evidence: Evidence
    includes: tuple[str, ...] = ()


SYSTEM_NAMES = {
    "github-actions": "GitHub Actions", "gitlab-ci": "GitLab CI", "circleci": "CircleCI",
    "travis-ci": "Travis CI", "azure-pipelines": "Azure Pipelines", "jenkins": "Jenkins",
    "bitbucket-pipelines": "Bitbucket Pipelines", "pre-commit": "pre-commit", "tox": "tox",
    "nox": "nox", "make": "Makefile",
}
PIPELINE_KINDS = ("github-actions", "gitlab-ci", "circleci", "travis-ci", "azure-pipelines",
                  "jenkins", "bitbucket-pipelines")  # hosted CI services, not local tools


class FileNote(NamedTuple):
    """A file that was passed over, wholly or partly, and why. ``skipped`` is false when the
    file was read and only a part of it was not (an include, an orb, a template) or nothing
    was found in it; ``reason`` then says what."""

    evidence: Evidence
    reason: str
    skipped: bool = True


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
