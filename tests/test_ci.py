"""The CI model: YAML with lines, command and action purposes, and the readers of GitHub
Actions, GitLab CI, pre-commit, tox, nox and Makefiles (the other CI systems:
``test_ci_systems.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.model import SystemModel
from syspatterns.model.ci import (
    CI,
    Job,
    Workflow,
    YamlError,
    classify_action,
    classify_command,
    load_step_rules,
    load_yaml,
    read_ci,
    read_ini,
    simple_commands,
)

Analyse = Callable[..., SystemModel]


def workflow(ci: CI, path: str) -> Workflow:
    return next(w for w in ci.workflows if w.path == path)


def job(found: Workflow, name: str) -> Job:
    return next(j for j in found.jobs if j.name == name)


# --- YAML and INI with lines ------------------------------------------------------------------

def test_yaml_mappings_and_sequences_know_their_lines() -> None:
    [data] = load_yaml("name: ci\non:\n  push:\n    branches: [main]\njobs:\n  - a\n  - b\n")
    assert data.line_of("name") == 1 and data.line_of(True) == 2  # YAML 1.1 reads `on` as true
    assert data[True]["push"].line == 4
    assert data["jobs"].item_lines == [6, 7]


def test_yaml_anchors_and_merge_keys_are_resolved() -> None:
    [data] = load_yaml("base: &b\n  x: 1\nother:\n  <<: *b\n  y: 2\n")
    assert data["other"] == {"x": 1, "y": 2}
    assert data["other"].line_of("y") == 5


def test_invalid_yaml_raises_with_the_line() -> None:
    with pytest.raises(YamlError) as raised:
        load_yaml("a: [1, 2\nb: 3\n")
    assert raised.value.line >= 1 and "not valid YAML" in str(raised.value)


def test_yaml_never_builds_python_objects() -> None:
    with pytest.raises(YamlError):
        load_yaml("x: !!python/object/apply:os.system ['true']\n")


def test_ini_keeps_multi_line_values_and_repeated_keys_with_lines() -> None:
    [tox, env] = read_ini("[tox]\nenvlist = py311\n[testenv]\ncommands =\n    pytest\n"
                          "    # comment\n    mypy src\nsetenv = A=1\nsetenv = B=2\n")
    assert tox.get("envlist").value == "py311"  # type: ignore[union-attr]
    commands = env.get("commands")
    assert commands is not None and commands.lines == (("pytest", 5), ("mypy src", 7))
    assert [e.value for e in env.entries if e.key == "setenv"] == ["A=1", "B=2"]
    assert env.get("missing") is None


# --- purposes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("command", "purposes"), [
    ("pytest -x", ("test",)),
    ("python -m pytest tests", ("test",)),
    ("uv run --frozen pytest", ("test",)),
    ("coverage run -m pytest", ("test", "coverage")),
    ("pytest --cov=src", ("test", "coverage")),
    (".venv/bin/pytest", ("test",)),
    ("$(VENV_BIN)/twine upload dist/*", ("publish",)),
    ("$(PYTHON) -m build", ("build",)),
    ("ruff check . && mypy src", ("lint", "type-check")),
    ("pip install -e '.[test]'", ("setup",)),
    ("tox -e lint", ("lint",)),
    ("tox -e py311", ("test",)),
    ("python setup.py sdist bdist_wheel", ("build",)),
    ("docker buildx build --push -t x .", ("build", "publish")),
    ("kubectl -n prod apply -f k8s/", ("deploy",)),
    ("helm upgrade --install web ./chart", ("deploy",)),
    ("fastapi deploy", ("deploy",)),
    ("alembic upgrade head", ("migrate",)),
    ("orderly migrate && alembic downgrade base", ("migrate", "rollback")),
    ("python manage.py migrate --noinput", ("migrate",)),
    ("tools/retry.sh eval snapcraft upload x.snap", ("publish",)),
    ("FOO=1 BAR=2 pytest", ("test",)),
    ("python ./setup.py sdist bdist_wheel", ("build",)),
    ("coverage run --source=app -m pytest", ("test", "coverage")),
    ("python -m tests.unit", ("test",)),
    ("python -m tests", ("test",)),
])
def test_commands_are_classified(command: str, purposes: tuple[str, ...]) -> None:
    assert classify_command(command) == purposes


@pytest.mark.parametrize("command", [
    "echo hello", "ls -R", "cd docs", "git fetch --tags", "pip --version",
    "helm diff upgrade web ./chart", "helm template ./chart",
    "test -f setup.py", "python -m testfixtures_tool",
])
def test_other_commands_have_no_purpose(command: str) -> None:
    assert classify_command(command) == ()


def test_a_more_specific_row_wins_over_a_shorter_one() -> None:
    assert classify_command("helm plugin install https://x") == ("setup",)
    assert classify_command("pip install pytest") == ("setup",)  # not a test run


def test_container_and_git_commands_deploy_only_inside_a_deploy_job() -> None:
    deploy = frozenset({"deploy"})
    assert classify_command("docker compose up -d", deploy) == ("deploy",)
    assert classify_command("docker compose up -d db") == ()
    assert classify_command("docker run -d app", deploy) == ("deploy",)
    assert classify_command("docker run --rm app pytest") == ()
    assert classify_command("git push --force origin nightly", deploy) == ("deploy",)
    assert classify_command("git push origin main") == ()


def test_shell_snippets_split_into_simple_commands() -> None:
    assert simple_commands("cd app && pytest -k 'a or b' | tee out\n# note\nmake \\\n  docs") == [
        ["cd", "app"], ["pytest", "-k", "a or b"], ["tee", "out"], ["make", "docs"]]
    assert simple_commands("echo 'unbalanced") == [["echo", "'unbalanced"]]


def test_a_command_substitution_stays_in_its_word() -> None:
    assert simple_commands(
        'docker build --build-arg DATE=$(date -u +"%Y (UTC)") . && $(MAKE) -C docs') == [
        ["docker", "build", "--build-arg", 'DATE=$(date -u +"%Y (UTC)")', "."],
        ["$(MAKE)", "-C", "docs"]]
    # one that never closes is lexed as written
    assert simple_commands("echo $(date") == [["echo", "$"], ["date"]]


def test_actions_are_classified_with_their_inputs() -> None:
    assert classify_action("actions/checkout@v4", {}) == (("setup",), ())
    assert classify_action("docker/build-push-action@v6", {"push": "true"})[0] == (
        "build", "publish")
    assert classify_action("docker/build-push-action@v6", {"push": "false"})[0] == ("build",)
    assert classify_action("pypa/gh-action-pypi-publish@release/v1", {})[0] == ("publish",)
    assert classify_action("someone/unknown-action@v1", {}) == ((), ())


def test_every_row_names_a_known_purpose() -> None:
    rules = load_step_rules()
    known = set(rules.purposes)
    assert all(set(rule.purposes) <= known for rule in rules.commands)
    assert all(set(rule.purposes) <= known for rule in rules.actions)
    assert {"test", "lint", "type-check", "build", "publish", "deploy", "docs",
            "security"} <= known


# --- GitHub Actions ---------------------------------------------------------------------------

GITHUB = """
name: ci
on:
  push:
    branches: [main]
    tags: ["v*"]
  pull_request:
  schedule:
    - cron: "0 3 * * 1"
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    services:
      db:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
      - name: Run tests
        run: |
          pip install -e .
          pytest -q
      - run: bash scripts/check.sh
        working-directory: backend
  release:
    needs: [test]
    if: startsWith(github.ref, 'refs/tags/')
    environment: pypi
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: https://upload.pypi.org/legacy/
"""


def test_github_workflow_jobs_steps_and_lines(analyse_repo: Analyse) -> None:
    model = analyse_repo({".github/workflows/ci.yml": GITHUB,
                          "backend/scripts/check.sh": "set -e\nmypy app\n"})
    found = workflow(read_ci(model), ".github/workflows/ci.yml")
    assert found.kind == "github-actions" and found.name == "ci"
    assert [(t.event, t.detail, t.evidence.line) for t in found.triggers] == [
        ("push", "branches: main; tags: v*", 3), ("pull_request", "", 6),
        ("schedule", "0 3 * * 1", 7)]
    test = job(found, "test")
    assert test.evidence.line == 10 and test.runner == "ubuntu-latest"
    assert test.matrix == (("python", ("3.11", "3.12")),)
    assert test.services == ("db (postgres:16)",)
    assert [(s.text.splitlines()[0], s.purposes, s.evidence.line) for s in test.steps] == [
        ("actions/checkout@v4", ("setup",), 19),
        ("pip install -e .", ("setup", "test"), 20),
        ("bash scripts/check.sh", ("type-check",), 24)]
    assert test.steps[1].name == "Run tests"
    assert test.steps[1].matched == (("pip install -e .", ("setup",)), ("pytest -q", ("test",)))
    assert test.steps[2].scripts == ("backend/scripts/check.sh",)
    assert test.purposes == ("setup", "test", "type-check")
    release = job(found, "release")
    assert release.needs == ("test",) and release.environment == "pypi"
    assert release.condition == "startsWith(github.ref, 'refs/tags/')"
    assert release.purposes == ("build", "publish")
    assert release.steps[1].inputs == (("repository-url", "https://upload.pypi.org/legacy/"),)


def test_github_trigger_list_and_reusable_workflows(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        ".github/workflows/release.yml": """
            on: [push, workflow_dispatch]
            jobs:
              publish:
                uses: ./.github/workflows/publish.yml
              other:
                uses: someone/else/.github/workflows/x.yml@v1
        """,
        ".github/workflows/publish.yml": """
            on: workflow_call
            jobs:
              upload:
                runs-on: ubuntu-latest
                steps:
                  - run: twine upload dist/*
        """,
    })
    ci = read_ci(model)
    release = workflow(ci, ".github/workflows/release.yml")
    assert release.name == "release.yml"
    assert [t.event for t in release.triggers] == ["push", "workflow_dispatch"]
    assert job(release, "publish").purposes == ("publish",)
    assert job(release, "other").purposes == ()
    assert [t.event for t in workflow(ci, ".github/workflows/publish.yml").triggers] == [
        "workflow_call"]


def test_a_script_outside_the_repository_is_not_followed(analyse_repo: Analyse) -> None:
    model = analyse_repo({".github/workflows/a.yml": """
        on: push
        jobs:
          a:
            steps:
              - run: bash /usr/local/bin/thing.sh && ./missing.sh
    """})
    [step] = workflow(read_ci(model), ".github/workflows/a.yml").jobs[0].steps
    assert step.scripts == () and step.purposes == ()


def test_scripts_run_by_path_and_project_scripts_are_followed(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        ".github/workflows/a.yml": """
            on: push
            jobs:
              a:
                steps:
                  - run: scripts/test
                  - run: hatch run test:cov
                  - run: PDM_X=1 pdm run lint
                  - run: hatch run missing && bin/absent
        """,
        "scripts/test": "#!/bin/sh -e\n${PREFIX}coverage run -m pytest \"$@\"\n",
        "pyproject.toml": """
            [tool.hatch.envs.test.scripts]
            cov = ["coverage run -m pytest tests", "coverage report --fail-under=90"]
            [tool.pdm.scripts]
            lint = {cmd = "ruff check ."}
        """,
    })
    steps = workflow(read_ci(model), ".github/workflows/a.yml").jobs[0].steps
    assert [(s.purposes, s.scripts) for s in steps] == [
        (("test", "coverage"), ("scripts/test",)),
        (("test", "coverage"), ()),
        (("lint",), ()),
        ((), ()),
    ]


def test_malformed_and_odd_workflows_become_notes(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        ".github/workflows/bad.yml": "on: push\njobs: [unclosed\n",
        ".github/workflows/list.yml": "- a\n- b\n",
        ".github/workflows/empty.yml": "",
        ".buildkite/pipeline.yml": "steps: []\n",
        ".github/dependabot.yml": "version: 2\n",
    })
    ci = read_ci(model)
    assert [w.path for w in ci.workflows] == []
    reasons = {n.evidence.path: n.reason for n in ci.notes}
    assert "not valid YAML" in reasons[".github/workflows/bad.yml"]
    assert reasons[".github/workflows/list.yml"] == "not a mapping at the top level"
    assert ".github/workflows/empty.yml" not in reasons
    assert [(o.path, o.system, o.pipeline) for o in ci.other_systems] == [
        (".buildkite/pipeline.yml", "Buildkite", True),
        (".github/dependabot.yml", "Dependabot", False)]


def test_read_ci_is_computed_once_per_model(analyse_repo: Analyse) -> None:
    model = analyse_repo({".github/workflows/ci.yml": "on: push\njobs: {}\n"})
    assert read_ci(model) is read_ci(model)


def test_no_ci_files_means_an_empty_model(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"app/__init__.py": ""}))
    assert ci.workflows == () and ci.notes == () and ci.other_systems == ()


# --- GitLab CI --------------------------------------------------------------------------------

GITLAB = """
stages: [test, deploy]
include:
  - local: ci/extra.yml
default:
  image: python:3.12
.base:
  before_script:
    - pip install -e .
unit:
  extends: .base
  stage: test
  services: [postgres:16]
  script:
    - pytest
deploy-prod:
  stage: deploy
  image: alpine/helm
  environment:
    name: production
  rules:
    - if: $CI_COMMIT_TAG
  script: helm upgrade --install app ./chart
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
"""


def test_gitlab_jobs_templates_rules_and_includes(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".gitlab-ci.yml": GITLAB}))
    found = workflow(ci, ".gitlab-ci.yml")
    assert found.kind == "gitlab-ci"
    assert [j.name for j in found.jobs] == ["unit", "deploy-prod"]  # `.base` is a template
    unit = job(found, "unit")
    assert [(s.command, s.purposes, s.evidence.line) for s in unit.steps] == [
        ("pip install -e .", ("setup",), 8), ("pytest", ("test",), 14)]
    assert unit.runner == "python:3.12" and unit.stage == "test"
    assert unit.services == ("postgres:16",)
    deploy = job(found, "deploy-prod")
    assert deploy.purposes == ("deploy",) and deploy.environment == "production"
    assert deploy.condition == "if $CI_COMMIT_TAG" and deploy.runner == "alpine/helm"
    assert [t.detail for t in found.triggers] == [
        'if $CI_PIPELINE_SOURCE == "merge_request_event"']
    assert [(n.evidence.line, n.reason) for n in ci.notes] == [
        (3, "the included file `ci/extra.yml` was not found among the scanned files")]


# --- pre-commit, tox, nox, make ---------------------------------------------------------------

def test_pre_commit_hooks_with_purposes(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".pre-commit-config.yaml": """
        ci:
          autofix_prs: false
        repos:
          - repo: https://github.com/astral-sh/ruff-pre-commit
            rev: v0.6.0
            hooks:
              - id: ruff
              - id: ruff-format
          - repo: local
            hooks:
              - id: types
                name: types
                entry: mypy src
                language: system
              - id: something-else
    """}))
    [hooks] = workflow(ci, ".pre-commit-config.yaml").jobs
    assert [(s.name, s.command, s.purposes, s.evidence.line) for s in hooks.steps] == [
        ("ruff", "ruff", ("lint",), 7), ("ruff-format", "ruff-format", ("lint",), 8),
        ("types", "mypy src", ("type-check",), 11), ("something-else", "something-else", (), 15)]
    assert hooks.steps[0].uses == "https://github.com/astral-sh/ruff-pre-commit@v0.6.0"
    assert [t.event for t in workflow(ci, ".pre-commit-config.yaml").triggers] == [
        "pre-commit.ci"]


def test_tox_environments_inherit_the_default_commands(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"tox.ini": """
        [tox]
        envlist = py311, py312, lint
        [testenv]
        deps = pytest
        commands =
            pytest {posargs} \\
                --strict-markers
        [testenv:lint]
        commands = ruff check .
        [testenv:py312]
        deps = pytest
        [testenv:docs]
        commands = -sphinx-build docs out
    """}))
    found = workflow(ci, "tox.ini")
    assert [(j.name, j.purposes) for j in found.jobs] == [
        ("testenv", ("test",)), ("lint", ("lint",)), ("py312", ("test",)), ("docs", ("docs",))]
    base = job(found, "testenv")
    assert base.title == "default environment (envlist: py311, py312, lint)"
    assert [(s.command, s.evidence.line) for s in base.steps] == [
        ("pytest {posargs} --strict-markers", 6)]
    assert job(found, "docs").steps[0].command == "sphinx-build docs out"


def test_nox_sessions_come_from_the_facts(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"noxfile.py": """
        import nox

        @nox.session(python=["3.11"])
        def tests(session):
            session.run("pytest")

        @nox.session
        def lint(session):
            session.run("ruff", "check")

        def helper():
            pass
    """}))
    found = workflow(ci, "noxfile.py")
    assert [(j.name, j.purposes, j.evidence.line, j.steps) for j in found.jobs] == [
        ("tests", ("test",), 4, ()), ("lint", ("lint",), 8, ())]


def test_makefile_targets_and_recipes(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"Makefile": (
        "VENV := .venv\n"
        ".PHONY: test release\n"
        "test:\n"
        "\t@$(VENV)/bin/pytest\n"
        "build: clean\n"
        "\tpython -m build\n"
        "clean:\n"
        "\trm -rf dist\n"
        "release: build\n"
        "\ttwine upload \\\n"
        "\t  dist/*\n"
        "deploy-docs:\n"
        "\t# nothing classified here\n"
    )}))
    found = workflow(ci, "Makefile")
    jobs = {j.name: j for j in found.jobs}
    assert set(jobs) == {"test", "build", "clean", "release", "deploy-docs"}
    assert jobs["test"].purposes == ("test",)
    assert jobs["build"].needs == ("clean",) and jobs["build"].purposes == ("build",)
    assert jobs["clean"].purposes == ()
    assert [(s.command, s.evidence.line) for s in jobs["release"].steps] == [
        ("twine upload dist/*", 10)]
    assert jobs["deploy-docs"].steps == () and jobs["deploy-docs"].purposes == ("deploy",)


def test_steps_and_jobs_with_a_purpose(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".github/workflows/ci.yml": GITHUB}))
    assert [(w.name, j.name) for w, j in ci.jobs_with("publish")] == [("ci", "release")]
    assert [s.evidence.line for _, _, s in ci.steps_with("test")] == [20]
    assert ci.steps_with("test", "gitlab-ci") == []


def test_ci_steps_take_the_purposes_of_the_tasks_they_run(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({
        "tox.ini": ("[testenv]\ncommands = pytest\n[testenv:lint]\ncommands = ruff check .\n"
                    "[testenv:docs]\ncommands = sphinx-build docs out\n"),
        "Makefile": "release:\n\ttwine upload dist/*\n",
        "docs/Makefile": "html:\n\tsphinx-build . _build\n",
        ".github/workflows/ci.yml": """
            on: push
            jobs:
              all:
                steps:
                  - run: uv run tox -e py312,lint
                  - run: tox
                  - run: make release
                  - run: make -C docs html
                  - run: make missing-target
        """,
    }))
    steps = workflow(ci, ".github/workflows/ci.yml").jobs[0].steps
    assert [(s.purposes, s.tasks) for s in steps] == [
        (("test", "lint"), ("tox.ini:py312", "tox.ini:lint")),
        (("test",), ("tox.ini:testenv",)),
        (("publish",), ("Makefile:release",)),
        (("docs",), ("docs/Makefile:html",)),
        ((), ()),
    ]
    assert workflow(ci, ".github/workflows/ci.yml").jobs[0].purposes == (
        "test", "lint", "docs", "publish")


def test_aliases_that_nest_a_small_file_into_a_huge_value_stay_small(
        analyse_repo: Analyse) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "\n".join(levels) + "\n"
    ci = read_ci(analyse_repo({
        ".gitlab-ci.yml": bomb + "job:\n  script: *a8\n",
        ".github/workflows/a.yml": bomb + "on: push\njobs:\n  a:\n    steps:\n"
                                          "      - uses: x/y@v1\n        with: {big: *a8}\n",
    }))
    [job_] = workflow(ci, ".gitlab-ci.yml").jobs
    assert len(job_.steps) == 500
    [step] = workflow(ci, ".github/workflows/a.yml").jobs[0].steps
    assert len(step.inputs[0][1]) < 20_000
