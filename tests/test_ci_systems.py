"""The readers of CircleCI, Travis CI, Azure Pipelines, Jenkins and Bitbucket Pipelines, GitLab
``include:``, and how their steps reach the Testing Strategy and Deployment Architecture
sections."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.analysers.deployment import DeploymentAnalyser
from syspatterns.analysers.testing import TestingAnalyser
from syspatterns.core.evidence import Evidence
from syspatterns.model import SystemModel
from syspatterns.model.ci import CI, Job, Workflow, read_ci
from syspatterns.model.ci.jenkins import string_value, tokenize

Analyse = Callable[..., SystemModel]


def workflow(ci: CI, path: str, name: str = "") -> Workflow:
    return next(w for w in ci.workflows if w.path == path and (not name or w.name == name))


def job(found: Workflow, name: str) -> Job:
    return next(j for j in found.jobs if j.name == name)


def steps_of(found: Job) -> list[tuple[str, tuple[str, ...], int]]:
    return [(s.text, s.purposes, s.evidence.line) for s in found.steps]


# --- CircleCI ---------------------------------------------------------------------------------

CIRCLECI = """
version: 2.1
orbs:
  python: circleci/python@2.1.1
  heroku: circleci/heroku@2.0.0
commands:
  install:
    steps:
      - run: pip install -e .
jobs:
  test:
    docker:
      - image: cimg/python:3.12
      - image: cimg/postgres:16.2
    working_directory: ~/app
    steps:
      - checkout
      - install
      - run:
          name: Unit tests
          command: pytest -q
      - python/install-packages:
          pkg-manager: pip
      - when:
          condition: << pipeline.parameters.lint >>
          steps:
            - run: ruff check .
  package:
    machine:
      image: ubuntu-2204:current
    steps:
      - run: python -m build
      - run: twine upload dist/*
  idle:
    docker:
      - image: cimg/base:stable
    steps:
      - checkout
workflows:
  main:
    jobs:
      - test:
          matrix:
            parameters:
              python: ["3.11", "3.12"]
      - hold:
          type: approval
          requires: [test]
      - package:
          requires: [hold]
          filters:
            branches:
              only: main
      - heroku/deploy-via-git:
          requires: [package]
      - idle
  nightly:
    triggers:
      - schedule:
          cron: "0 3 * * *"
          filters:
            branches:
              only: main
    jobs:
      - test
"""


def test_circleci_workflows_jobs_and_steps(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".circleci/config.yml": CIRCLECI}))
    main = workflow(ci, ".circleci/config.yml", "main")
    assert main.kind == "circleci" and main.triggers == () and main.evidence.line == 39
    assert [j.name for j in main.jobs] == ["test", "hold", "package", "heroku/deploy-via-git",
                                           "idle"]
    test = job(main, "test")
    assert test.evidence.line == 10 and test.runner == "cimg/python:3.12"
    assert test.services == ("cimg/postgres:16.2",)
    assert test.matrix == (("python", ("3.11", "3.12")),)
    assert steps_of(test) == [
        ("pip install -e .", ("setup",), 8),  # the reusable `install` command, expanded
        ("pytest -q", ("test",), 18),
        ("python/install-packages", (), 21),
        ("ruff check .", ("lint",), 26)]
    assert test.steps[1].name == "Unit tests"
    assert test.steps[2].inputs == (("pkg-manager", "pip"),)
    assert test.steps[3].condition == "when: << pipeline.parameters.lint >>"
    assert test.purposes == ("setup", "test", "lint")
    hold = job(main, "hold")
    assert hold.steps == () and hold.needs == ("test",) and hold.condition == "type: approval"
    package = job(main, "package")
    assert package.needs == ("hold",) and package.condition == "branches only: main"
    assert package.runner == "machine ubuntu-2204:current"
    assert package.purposes == ("build", "publish")
    orb_job = job(main, "heroku/deploy-via-git")
    assert orb_job.purposes == ("deploy",) and orb_job.steps[0].uses == "heroku/deploy-via-git"
    assert job(main, "idle").steps == () and job(main, "idle").purposes == ()
    nightly = workflow(ci, ".circleci/config.yml", "nightly")
    assert [(t.event, t.detail, t.evidence.line) for t in nightly.triggers] == [
        ("schedule", "0 3 * * *; branches only: main", 58)]
    assert [n.reason for n in ci.notes] == [
        "the orbs `python` (circleci/python@2.1.1), `heroku` (circleci/heroku@2.0.0) are not "
        "read; their jobs and commands are named, not followed"]
    assert ci.notes[0].evidence.line == 2


def test_circleci_without_workflows_runs_the_build_job(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".circleci/config.yml": """
        version: 2
        jobs:
          build:
            docker:
              - image: python:3.12
            steps:
              - checkout
              - run: tox
          other:
            steps:
              - run: make deploy
    """}))
    [found] = ci.workflows
    assert found.name == "config.yml" and [j.name for j in found.jobs] == ["build"]
    assert steps_of(found.jobs[0]) == [("tox", ("test",), 8)]
    assert ci.notes == ()


def test_circleci_job_that_is_neither_defined_nor_from_an_orb(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".circleci/config.yml": """
        workflows:
          main:
            jobs:
              - missing/job
              - other
    """}))
    found = workflow(ci, ".circleci/config.yml", "main")
    assert [(j.name, j.steps, j.purposes) for j in found.jobs] == [
        ("missing/job", (), ()), ("other", (), ())]


# --- Travis CI --------------------------------------------------------------------------------

TRAVIS = """
language: python
python:
  - "3.11"
  - "3.12"
os: linux
dist: jammy
services:
  - postgresql
branches:
  only:
    - main
install:
  - pip install -e .
script: pytest
after_success: coveralls
deploy:
  - provider: pypi
    on:
      tags: true
  - provider: script
    script: bash scripts/release.sh
    on:
      branch: main
stages:
  - test
  - name: docs
    if: branch = main
jobs:
  include:
    - python: "3.13"
    - stage: lint
      name: Ruff
      script: ruff check .
    - name: Types
      script: mypy src
      install: skip
    - stage: docs
      script: sphinx-build docs out
      if: type = push
"""


def test_travis_root_job_with_phases_matrix_and_deploy(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".travis.yml": TRAVIS,
                               "scripts/release.sh": "helm upgrade --install app ./chart\n"}))
    found = workflow(ci, ".travis.yml")
    assert found.kind == "travis-ci" and found.name == ".travis.yml"
    assert [(t.event, t.detail, t.evidence.line) for t in found.triggers] == [
        ("branches", "only: main", 10)]
    default = job(found, "default")
    assert default.evidence.line == 12
    assert default.matrix == (("python", ("3.11", "3.12")), ("jobs.include", ("python 3.13",)))
    assert default.runner == "linux jammy" and default.services == ("postgresql",)
    assert steps_of(default) == [
        ("pip install -e .", ("setup",), 13),
        ("pytest", ("test",), 14),
        ("coveralls", ("coverage",), 15),
        ("deploy: pypi", ("publish",), 17),
        ("bash scripts/release.sh", ("deploy",), 21)]
    assert default.steps[3].condition == "tags: true"
    assert default.steps[4].condition == "branch: main"
    assert default.steps[4].scripts == ("scripts/release.sh",)


def test_travis_include_entries_with_phases_are_jobs_in_stages(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({".travis.yml": TRAVIS})), ".travis.yml")
    assert [(j.name, j.stage) for j in found.jobs] == [
        ("default", ""), ("Ruff", "lint"), ("Types", "lint"), ("jobs.include 4", "docs")]
    ruff = job(found, "Ruff")
    # An include entry inherits the root's other phases (install, after_success, deploy).
    assert [s.text for s in ruff.steps] == [
        "pip install -e .", "ruff check .", "coveralls", "deploy: pypi",
        "bash scripts/release.sh"]
    assert ruff.steps[1].evidence.line == 33
    assert [s.text for s in job(found, "Types").steps][:2] == ["mypy src", "coveralls"]
    docs = job(found, "jobs.include 4")
    assert docs.condition == "if type = push; stage if branch = main"
    assert docs.purposes == ("setup", "coverage", "docs", "publish", "deploy")


def test_travis_without_phases_has_no_jobs(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({".travis.yml": "language: python\nscript: skip\n"}))
    [found] = ci.workflows
    assert [(j.name, j.steps) for j in found.jobs] == [("default", ())]
    ci = read_ci(analyse_repo({".travis.yml": "language: python\n"}))
    assert workflow(ci, ".travis.yml").jobs == () and ci.other_systems == ()


def test_travis_old_matrix_include_and_deploy_providers(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({".travis.yml": """
        language: python
        matrix:
          include:
            - python: "2.7"
              env: TOXENV=lint
            - python: "3.5"
              env: TOXENV=py35
        install: pip install tox
        script: tox -e $TOXENV
        deploy:
          provider: heroku
          app: web
    """})), ".travis.yml")
    [default] = found.jobs
    assert default.matrix == (("matrix.include", ("python 2.7 env TOXENV=lint",
                                                  "python 3.5 env TOXENV=py35")),)
    assert [(s.text, s.purposes) for s in default.steps][-1] == ("deploy: heroku", ("deploy",))


# --- Azure Pipelines --------------------------------------------------------------------------

AZURE = """
trigger:
  branches:
    include: [main]
pr: none
schedules:
  - cron: "0 2 * * *"
    branches:
      include: [main]
pool:
  vmImage: ubuntu-latest
stages:
  - stage: Test
    jobs:
      - job: unit
        displayName: Unit tests
        strategy:
          matrix:
            py311: {python.version: "3.11"}
            py312: {python.version: "3.12"}
        steps:
          - task: UsePythonVersion@0
            inputs:
              versionSpec: $(python.version)
          - script: pip install -e . && pytest
            displayName: Run tests
          - bash: ruff check .
          - task: Bash@3
            inputs:
              targetType: inline
              script: mypy src
          - checkout: self
  - stage: Ship
    dependsOn: Test
    condition: eq(variables['Build.SourceBranch'], 'refs/heads/main')
    jobs:
      - job: image
        pool: {name: Default}
        steps:
          - task: Docker@2
            inputs:
              command: buildAndPush
              repository: web
      - deployment: web
        dependsOn: image
        environment: production
        strategy:
          runOnce:
            deploy:
              steps:
                - script: docker compose up -d
                - template: steps/notify.yml
"""


def test_azure_stages_jobs_steps_and_triggers(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"azure-pipelines.yml": AZURE}))
    found = workflow(ci, "azure-pipelines.yml")
    assert found.kind == "azure-pipelines"
    assert [(t.event, t.detail, t.evidence.line) for t in found.triggers] == [
        ("push", "branches include: main", 1),
        ("schedule", "0 2 * * *; branches include: main", 6)]
    assert [(j.name, j.stage) for j in found.jobs] == [
        ("unit", "Test"), ("image", "Ship"), ("web", "Ship")]
    unit = job(found, "unit")
    assert unit.title == "Unit tests" and unit.runner == "ubuntu-latest"
    assert unit.matrix == (("jobs", ("py311", "py312")),)
    assert steps_of(unit) == [
        ("UsePythonVersion@0", ("setup",), 21),
        ("pip install -e . && pytest", ("setup", "test"), 24),
        ("ruff check .", ("lint",), 26),
        ("mypy src", ("type-check",), 27)]
    assert unit.steps[1].name == "Run tests" and unit.steps[3].uses == "Bash@3"
    image = job(found, "image")
    assert image.runner == "Default" and image.purposes == ("build", "publish")
    assert image.condition == "eq(variables['Build.SourceBranch'], 'refs/heads/main')"
    web = job(found, "web")
    assert web.environment == "production" and web.needs == ("image",)
    # A deployment job deploys what its commands start (`docker compose up`), whatever its
    # name and its stage's name.
    assert steps_of(web) == [("docker compose up -d", ("deploy",), 50)]
    assert [(n.evidence.line, n.reason) for n in ci.notes] == [
        (51, "the template `steps/notify.yml` is not followed")]


def test_azure_pipeline_of_steps_only(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"azure-pipelines.yml": """
        trigger: [main, release/*]
        pool: {vmImage: windows-latest}
        steps:
          - powershell: python -m pytest
          - checkout: self
    """}))
    found = workflow(ci, "azure-pipelines.yml")
    assert [(t.event, t.detail) for t in found.triggers] == [("push", "branches: main, release/*")]
    [only] = found.jobs
    assert only.runner == "windows-latest" and steps_of(only) == [
        ("python -m pytest", ("test",), 4)]


def test_azure_job_without_commands(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({"azure-pipelines.yml": """
        trigger: none
        jobs:
          - job: nothing
            steps:
              - checkout: self
    """})), "azure-pipelines.yml")
    assert found.triggers == ()
    assert [(j.name, j.steps, j.purposes) for j in found.jobs] == [("nothing", (), ())]


# --- Jenkins ----------------------------------------------------------------------------------

JENKINSFILE = """
pipeline {
    agent { docker { image 'python:3.12' } }
    triggers {
        cron('H 4 * * 1-5')
    }
    stages {
        stage('Build') {
            steps {
                sh 'pip install -e .'
                sh '''
                    python -m build
                    twine check dist/*
                '''
            }
        }
        stage("Checks") {
            parallel {
                stage('Unit') {
                    steps { sh(script: 'pytest -q', label: 'unit tests') }
                }
                stage('Lint') {
                    steps { sh script: "ruff check .", returnStatus: true }
                }
            }
        }
        stage('Deploy') {
            agent { label 'deployer' }
            when { branch 'main' }
            steps {
                sh "kubectl apply -f k8s/"
                echo 'done'
            }
        }
    }
}
"""


def test_jenkins_declarative_pipeline(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({"Jenkinsfile": JENKINSFILE})), "Jenkinsfile")
    assert found.kind == "jenkins" and found.name == "Jenkinsfile"
    assert [(t.event, t.detail, t.evidence.line) for t in found.triggers] == [
        ("cron", "H 4 * * 1-5", 4)]
    assert [(j.name, j.stage, j.needs) for j in found.jobs] == [
        ("Build", "", ()), ("Unit", "Checks", ()), ("Lint", "Checks", ()),
        ("Deploy", "", ("Checks",))]
    build = job(found, "Build")
    assert build.evidence.line == 7 and build.runner == "python:3.12"
    assert [(s.command, s.purposes, s.evidence.line) for s in build.steps] == [
        ("pip install -e .", ("setup",), 9),
        ("python -m build\ntwine check dist/*", ("lint", "build"), 10)]
    unit = job(found, "Unit")
    assert steps_of(unit) == [("pytest -q", ("test",), 19)] and unit.steps[0].name == "unit tests"
    assert steps_of(job(found, "Lint")) == [("ruff check .", ("lint",), 22)]
    deploy = job(found, "Deploy")
    assert deploy.condition == "when { branch 'main' }" and deploy.runner == "deployer"
    assert steps_of(deploy) == [("kubectl apply -f k8s/", ("deploy",), 30)]


def test_jenkins_stages_in_comments_and_strings_are_not_read(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({"Jenkinsfile": """
        // stage('Commented') { steps { sh 'make deploy' } }
        /* stage('Block') {
             steps { sh 'pytest' }
           } */
        pipeline {
            stages {
                stage('Real') {
                    steps {
                        echo "stage('InString') { steps { sh 'helm upgrade x y' } }"
                        sh 'echo "sh \\'pytest\\'"'
                        obj.sh('twine upload dist/*')
                    }
                }
            }
        }
    """})), "Jenkinsfile")
    [real] = found.jobs
    assert real.name == "Real" and [s.command for s in real.steps] == ["echo \"sh 'pytest'\""]
    assert real.purposes == ()


def test_jenkins_scripted_pipeline_and_steps_outside_stages(analyse_repo: Analyse) -> None:
    found = workflow(read_ci(analyse_repo({"Jenkinsfile": """
        node('linux') {
            stage('Test') {
                sh 'tox'
            }
            stage('Package') {
                sh 'python setup.py sdist'
            }
            sh 'rm -rf dist'
        }
    """})), "Jenkinsfile")
    assert [(j.name, j.needs, j.purposes) for j in found.jobs] == [
        ("Test", (), ("test",)), ("Package", ("Test",), ("build",)), ("pipeline", (), ())]
    assert found.jobs[2].steps[0].evidence.line == 8


def test_empty_or_unreadable_jenkinsfiles(analyse_repo: Analyse) -> None:
    assert read_ci(analyse_repo({"Jenkinsfile": "\n\n"})).workflows == ()
    ci = read_ci(analyse_repo({"Jenkinsfile": "@Library('shared') _\nbuildPlugin()\n"}))
    assert workflow(ci, "Jenkinsfile").jobs == ()
    assert "no `stage('...') { ... }` with shell steps" in ci.notes[0].reason
    # Unterminated strings and comments and unbalanced braces end the reading, not the tool.
    ci = read_ci(analyse_repo({"Jenkinsfile": "stage('A') {\n  sh 'pytest'\n  sh '''never\n"}))
    assert [s.command for s in workflow(ci, "Jenkinsfile").jobs[0].steps] == ["pytest", "never"]
    ci = read_ci(analyse_repo({"Jenkinsfile": "stage('A') { sh 'ok' /* open\n sh 'no' }"}))
    assert [s.command for s in workflow(ci, "Jenkinsfile").jobs[0].steps] == ["ok"]


def test_groovy_tokens() -> None:
    tokens = tokenize("sh 'a\\'b' // c\n\"d\" /* e */ x")
    assert [(t.kind, t.line) for t in tokens] == [
        ("word", 1), ("string", 1), ("string", 2), ("word", 2)]
    assert string_value(tokens[1]) == "a'b"


# --- Bitbucket Pipelines ----------------------------------------------------------------------

BITBUCKET = """
image: python:3.12
definitions:
  services:
    postgres:
      image: postgres:16
  steps:
    - step: &test
        name: Test
        services: [postgres]
        script:
          - pip install -e .
          - pytest
pipelines:
  default:
    - step: *test
    - parallel:
        - step:
            name: Lint
            script:
              - ruff check .
        - step:
            script:
              - echo nothing to classify
  branches:
    main:
      - step: *test
      - step:
          name: Ship site
          deployment: production
          trigger: manual
          image: amazon/aws-cli
          script:
            - pipe: atlassian/aws-s3-deploy:1.1.0
              variables:
                S3_BUCKET: site
            - docker compose up -d
  pull-requests:
    "**":
      - step: *test
  tags:
    "v*":
      - stage:
          name: Release
          deployment: pypi
          steps:
            - step:
                name: Publish
                script:
                  - twine upload dist/*
  custom:
    nightly:
      - variables:
          - name: LEVEL
      - step:
          name: Scan
          script:
            - bandit -r src
"""


def test_bitbucket_pipelines_steps_pipes_and_deployments(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"bitbucket-pipelines.yml": BITBUCKET}))
    assert [(w.name, w.triggers[0].event, w.triggers[0].detail, w.evidence.line)
            for w in ci.workflows] == [
        ("default", "push", "branches without a pipeline of their own", 14),
        ("branches: main", "push", "branches: main", 25),
        ("tags: v*", "push", "tags: v*", 41),
        ("pull-requests: **", "pull request", "from branches: **", 38),
        ("custom: nightly", "manual run", "custom pipeline nightly", 51)]
    default = workflow(ci, "bitbucket-pipelines.yml", "default")
    assert [j.name for j in default.jobs] == ["Test", "Lint", "step 3"]
    test = job(default, "Test")
    assert test.runner == "python:3.12" and test.services == ("postgres (postgres:16)",)
    assert steps_of(test) == [("pip install -e .", ("setup",), 11), ("pytest", ("test",), 12)]
    assert job(default, "step 3").purposes == ()
    deploy = job(workflow(ci, "bitbucket-pipelines.yml", "branches: main"), "Ship site")
    assert deploy.environment == "production" and deploy.condition == "trigger: manual"
    assert deploy.runner == "amazon/aws-cli"
    assert steps_of(deploy) == [("atlassian/aws-s3-deploy:1.1.0", ("deploy",), 33),
                                ("docker compose up -d", ("deploy",), 36)]
    assert deploy.steps[0].inputs == (("S3_BUCKET", "site"),)
    publish = workflow(ci, "bitbucket-pipelines.yml", "tags: v*").jobs[0]
    assert (publish.name, publish.stage, publish.environment, publish.purposes) == (
        "Publish", "Release", "pypi", ("publish",))
    scan = workflow(ci, "bitbucket-pipelines.yml", "custom: nightly").jobs
    assert [(j.name, j.purposes) for j in scan] == [("Scan", ("security",))]


def test_bitbucket_step_without_script_and_no_pipelines(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({"bitbucket-pipelines.yml": """
        pipelines:
          default:
            - step:
                name: Nothing
    """}))
    assert [(j.name, j.steps) for j in ci.workflows[0].jobs] == [("Nothing", ())]
    assert read_ci(analyse_repo({"bitbucket-pipelines.yml": "image: x\n"})).workflows == ()


# --- every YAML reader: malformed files are noted, not fatal ----------------------------------

@pytest.mark.parametrize("path", [".circleci/config.yml", ".travis.yml", "azure-pipelines.yml",
                                  "bitbucket-pipelines.yml"])
def test_malformed_or_odd_yaml_is_noted_and_other_files_still_read(
        analyse_repo: Analyse, path: str) -> None:
    ci = read_ci(analyse_repo({path: "jobs: [unclosed\n", "tox.ini": "[testenv]\n"
                               "commands = pytest\n"}))
    assert [w.path for w in ci.workflows] == ["tox.ini"]
    assert [(n.evidence.path, "not valid YAML" in n.reason) for n in ci.notes] == [(path, True)]
    ci = read_ci(analyse_repo({path: "- a\n- b\n"}))
    assert ci.workflows == ()
    assert [n.reason for n in ci.notes] == ["not a mapping at the top level"]
    ci = read_ci(analyse_repo({path: ""}))
    assert ci.workflows == () and ci.notes == ()


def test_wrong_shapes_inside_a_file_are_passed_over(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({
        ".circleci/config.yml": "jobs: [a]\nworkflows: {main: {jobs: {x: 1}}}\n",
        ".travis.yml": "script: {a: 1}\njobs: {include: [1, 2]}\ndeploy: [x]\n",
        "azure-pipelines.yml": "stages: [1]\njobs: [{job: a, steps: [1, {task: ''}]}]\n",
        "bitbucket-pipelines.yml": "pipelines: {default: [1, {step: 2}], branches: [x]}\n",
    }))
    assert {w.path for w in ci.workflows} == {
        ".circleci/config.yml", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml"}
    assert all(s.purposes == () for w in ci.workflows for j in w.jobs for s in j.steps)


# --- GitLab include ---------------------------------------------------------------------------

def test_gitlab_local_includes_are_merged_with_their_own_evidence(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({
        ".gitlab-ci.yml": """
            include:
              - local: /.gitlab/ci/test.yml
              - .gitlab/ci/deploy.yml
              - local: ci/extra/*.yml
              - remote: https://example.com/ci.yml
              - template: Security/SAST.gitlab-ci.yml
              - project: group/shared
                file: /templates/build.yml
            unit:
              stage: test
        """,
        ".gitlab/ci/test.yml": """
            .python:
              image: python:3.12
              before_script:
                - pip install -e .
            unit:
              extends: .python
              script:
                - pytest
        """,
        ".gitlab/ci/deploy.yml": "deploy:\n  script: helm upgrade --install app ./chart\n",
        ".gitlab/ci/unused.yml": "other:\n  script: pytest\n",
        "ci/extra/lint.yml": "lint:\n  script: [ruff check .]\n",
        "ci/extra/deep/no.yml": "no:\n  script: [mypy src]\n",
    }))
    found = workflow(ci, ".gitlab-ci.yml")
    assert found.includes == (".gitlab/ci/test.yml", ".gitlab/ci/deploy.yml",
                              "ci/extra/lint.yml")
    assert [(j.name, j.evidence.path, j.evidence.line) for j in found.jobs] == [
        ("unit", ".gitlab/ci/test.yml", 5), ("deploy", ".gitlab/ci/deploy.yml", 1),
        ("lint", "ci/extra/lint.yml", 1)]
    unit = job(found, "unit")
    assert unit.stage == "test" and unit.runner == "python:3.12"  # the main file's stage
    assert [(s.command, s.evidence.path, s.evidence.line) for s in unit.steps] == [
        ("pip install -e .", ".gitlab/ci/test.yml", 4), ("pytest", ".gitlab/ci/test.yml", 8)]
    assert job(found, "deploy").steps[0].evidence == Evidence(".gitlab/ci/deploy.yml", 2)
    assert [(n.evidence.line, n.reason) for n in ci.notes] == [
        (5, "the included file `remote: https://example.com/ci.yml` is not followed "
            "(only local includes are read)"),
        (6, "the included file `template: Security/SAST.gitlab-ci.yml` is not followed "
            "(only local includes are read)"),
        (7, "the included file `project: group/shared file /templates/build.yml` is not "
            "followed (only local includes are read)")]
    assert [o.path for o in ci.other_systems] == [".gitlab/ci/unused.yml"]


def test_gitlab_include_cycles_missing_and_malformed_files(analyse_repo: Analyse) -> None:
    ci = read_ci(analyse_repo({
        ".gitlab-ci.yml": "include: [a.yml, missing.yml, bad.yml]\nmain:\n  script: tox\n",
        "a.yml": "include: b.yml\na:\n  script: pytest\n",
        "b.yml": "include: [a.yml, .gitlab-ci.yml]\nb:\n  script: ruff check .\n",
        "bad.yml": "x: [\n",
    }))
    found = workflow(ci, ".gitlab-ci.yml")
    assert [j.name for j in found.jobs] == ["b", "a", "main"]
    assert found.includes == ("b.yml", "a.yml")
    assert [(n.evidence.path, n.reason.split(":")[0]) for n in ci.notes] == [
        (".gitlab-ci.yml",
         "the included file `missing.yml` was not found among the scanned files"),
        ("bad.yml", "not valid YAML")]


# --- the sections -----------------------------------------------------------------------------

def test_other_ci_systems_reach_the_testing_and_deployment_sections(
        analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "app/__init__.py": "",
        "Jenkinsfile": "pipeline { stages { stage('Test') { steps { sh 'pytest' } } } }\n",
        "bitbucket-pipelines.yml": BITBUCKET,
    })
    testing = [f.claim for f in TestingAnalyser().analyse(model).findings
               if f.aspect == "In CI"]
    assert "`Jenkinsfile` (Jenkins), job `Test` runs `pytest`." in testing
    assert ("`bitbucket-pipelines.yml` (Bitbucket Pipelines, pipeline `default`), job `Test` "
            "runs `pytest` (services `postgres (postgres:16)`).") in testing
    deployment = DeploymentAnalyser().analyse(model)
    overview = deployment.summary[0].claim
    assert "5 Bitbucket pipelines" in overview and "1 Jenkins pipeline" in overview
    process = [f.claim for f in deployment.findings if f.aspect == "Deployment process"]
    assert ("Bitbucket pipeline `branches: main` (`bitbucket-pipelines.yml`) runs on push "
            "(branches: main); jobs: `Test` (test), `Ship site` (deploy).") in process
    assert any(c.startswith("Job `Ship site` of `branches: main` (with `trigger: manual`, "
                            "environment `production`): `atlassian/aws-s3-deploy:1.1.0` "
                            "(deploy)") for c in process)
    assert not any("present but not read" in c for c in process)
    assert "`Jenkinsfile`: no `stage" not in " ".join(process)


def test_gitlab_includes_in_the_deployment_section(analyse_repo: Analyse) -> None:
    section = DeploymentAnalyser().analyse(analyse_repo({
        ".gitlab-ci.yml": "include:\n  - local: ci/deploy.yml\n  - template: Jobs/SAST.yml\n",
        "ci/deploy.yml": "deploy:\n  script: kubectl apply -f k8s/\n",
    }))
    process = {f.claim: f.evidence for f in section.findings if f.aspect == "Deployment process"}
    pipeline = ("GitLab CI pipeline (`.gitlab-ci.yml`, including `ci/deploy.yml`) has jobs: "
                "`deploy` (deploy).")
    assert [(e.path, e.line) for e in process[pipeline]] == [
        (".gitlab-ci.yml", 1), ("ci/deploy.yml", 1)]
    assert ("`.gitlab-ci.yml`: the included file `template: Jobs/SAST.yml` is not followed "
            "(only local includes are read).") in process
