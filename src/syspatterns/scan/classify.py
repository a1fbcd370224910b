"""What each file of a repository is, decided by a table of path patterns.

The table is data: the first rule whose pattern matches a file's repository-relative path gives
its kind. Patterns use ``*`` (within one path segment) and ``**/`` (any number of folders), and
all of them are compiled into one regular expression, so classifying a file is one match.
"""

from __future__ import annotations

import re
from functools import cache

# The kinds of the files that are the repository's Python modules (code and tests).
MODULE_KINDS = frozenset({"python", "python-test"})
# Folders of tests, at any depth (a package's own ``pkg/tests/``), and folders of test data:
# the projects, packages and files that tests run against (``testdata/sample_pkg/setup.py``).
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
TEST_DATA_FOLDERS = frozenset({"testdata", "test_data", "test-data"})

# (kind, patterns), in priority order.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("manifest", (
        "**/pyproject.toml", "**/setup.py", "**/setup.cfg", "**/requirements*.txt",
        "**/requirements/*.txt", "**/requirements/*.in", "**/requirements*.in",
        "**/Pipfile", "**/Pipfile.lock", "**/poetry.lock", "**/uv.lock", "**/pdm.lock",
        "**/environment.yml", "**/environment.yaml", "**/package.json", "**/MANIFEST.in",
    )),
    ("ci", (
        ".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml",
        ".gitlab/ci/**/*.yml", ".circleci/config.yml", "azure-pipelines.yml", "Jenkinsfile",
        ".travis.yml", "bitbucket-pipelines.yml", ".buildkite/**/*.yml", "**/tox.ini",
        "**/noxfile.py", ".pre-commit-config.yaml", ".github/dependabot.yml", ".github/**/*.py",
        ".github/dependabot.yaml", "renovate.json", ".github/renovate.json",
    )),
    ("docker", (
        "**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/*.dockerfile",
        "**/Containerfile", "**/.dockerignore",
    )),
    ("compose", (
        "**/docker-compose*.yml", "**/docker-compose*.yaml", "**/compose.yml",
        "**/compose.yaml", "**/compose.*.yml", "**/compose.*.yaml",
    )),
    ("kubernetes", (
        "**/Chart.yaml", "**/values*.yaml", "**/templates/*.yaml", "**/k8s/**/*.yaml",
        "**/k8s/**/*.yml", "**/kubernetes/**/*.yaml", "**/kubernetes/**/*.yml",
        "**/kustomization.yaml", "**/helm/**/*.yaml",
    )),
    ("deployment", (
        "**/Procfile", "**/*.service", "**/nginx*.conf", "**/nginx/**/*.conf",
        "**/traefik*.yml", "**/traefik*.toml", "**/.htaccess", "**/httpd*.conf",
        "**/serverless.yml", "**/serverless.yaml", "**/*.tf", "**/fly.toml",
        "**/app.yaml", "**/render.yaml", "**/vercel.json", "**/netlify.toml",
        "**/Vagrantfile", "**/ansible/**/*.yml", "**/playbook*.yml", "**/gunicorn*.py",
        "**/*.spec", "**/snapcraft.yaml", "**/.goreleaser.yml", "**/Makefile",
    )),
    ("adr", (
        "**/adr/*.md", "**/adrs/*.md", "**/decisions/*.md", "**/architecture/decisions/*.md",
        "**/decision-records/*.md",
    )),
    # Django management commands are code, whatever their names (``test_emails.py``).
    ("python", ("**/management/commands/*.py",)),
    ("python-test", (
        # ``test/`` and ``testing/`` only at the top: ``django/test`` is library code.
        "**/tests/**/*.py", "test/**/*.py", "testing/**/*.py", "**/test_*.py",
        "**/*_test.py", "**/*_tests.py", "**/tests.py", "**/conftest.py", "**/testdata/**/*.py",
        "**/test_data/**/*.py", "**/test-data/**/*.py", "**/fixtures/**/*.py",
        # behave's scenarios: steps and hooks beside ``*.feature`` files
        "features/**/*.py", "**/features/steps/**/*.py", "**/features/environment.py",
    )),
    ("python", ("**/*.py",)),
    ("python-stub", ("**/*.pyi",)),
    ("environment", ("**/.env.example", "**/.env.sample", "**/.env.template", "**/*.env.example",
                     "**/.env.dist")),
    ("docs", ("**/*.md", "**/*.rst", "**/*.adoc")),
    ("config", ("**/*.toml", "**/*.ini", "**/*.cfg", "**/*.yaml", "**/*.yml", "**/*.json")),
)


def is_template(path: str) -> bool:
    """Whether the file lies in a project template: a path with a Jinja placeholder."""
    return "{{" in path or "{%" in path


def in_tests(path: str) -> bool:
    """Whether the file lies in a folder of tests or of test data, at any depth."""
    return any(f in TEST_FOLDERS or f in TEST_DATA_FOLDERS for f in path.split("/")[:-1])


def _translate(pattern: str) -> str:
    regex = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex.append("(?:[^/]+/)*")
            i += 3
        elif pattern[i] == "*":
            regex.append("[^/]*")
            i += 1
        else:
            regex.append(re.escape(pattern[i]))
            i += 1
    return "".join(regex)


def _compile(rules: list[tuple[int, str]]) -> re.Pattern[str] | None:
    by_rule: dict[int, list[str]] = {}
    for index, pattern in rules:
        by_rule.setdefault(index, []).append(_translate(pattern))
    if not by_rule:
        return None
    return re.compile("|".join(
        f"(?P<k{index}>{'|'.join(parts)})" for index, parts in sorted(by_rule.items())))


@cache
def _matchers() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, frozenset[str]]:
    """One regex over file names (for ``**/name`` patterns, the common case and cheap to
    match), one over whole paths (for patterns that name folders), and the folder names those
    patterns mention: a path with none of them, below the top, cannot match the second."""
    names: list[tuple[int, str]] = []
    paths: list[tuple[int, str]] = []
    anchors: set[str] = set()
    for index, (_, patterns) in enumerate(RULES):
        for pattern in patterns:
            rest = pattern.removeprefix("**/")
            if rest != pattern and "/" not in rest:
                names.append((index, rest))
            else:
                paths.append((index, pattern))
                anchors.update(p for p in pattern.split("/")[:-1] if "*" not in p)
    return _compile(names), _compile(paths), frozenset(anchors)


def _rule(match: re.Match[str] | None) -> int:
    if match is None or match.lastgroup is None:
        return len(RULES)
    return int(match.lastgroup[1:])


def classify(path: str) -> str:
    """The kind of the file at ``path`` (POSIX, relative to the repository), or ``other``;
    ``template`` for a file of a project template (a cookiecutter or copier folder named
    ``{{ cookiecutter.name }}``), which is not the repository's own code or configuration."""
    if is_template(path):
        return "template"
    by_name, by_path, anchors = _matchers()
    folder, _, name = path.rpartition("/")
    if by_path is not None and (not folder or not anchors.isdisjoint(folder.split("/"))):
        best = _rule(by_name.fullmatch(name)) if by_name else len(RULES)
        best = min(best, _rule(by_path.fullmatch(path)))
        return RULES[best][0] if best < len(RULES) else "other"
    return _classify_name(name)


@cache
def _classify_name(name: str) -> str:
    """The kind decided by the file name alone (most files: ``django.po`` repeats a lot)."""
    by_name = _matchers()[0]
    best = _rule(by_name.fullmatch(name)) if by_name else len(RULES)
    return RULES[best][0] if best < len(RULES) else "other"
