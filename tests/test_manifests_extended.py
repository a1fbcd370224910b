"""Manifests beyond PEP 621: Poetry, PDM and Hatch groups, Pipfile, requirements includes and
markers, lock files, build backends and package.json."""

from __future__ import annotations

from pathlib import Path

from syspatterns.model.manifests import Manifests, parse_requirement, read_manifests

from .conftest import MakeRepo


def read(root: Path, *paths: str) -> Manifests:
    return read_manifests(root, list(paths))


def triples(manifests: Manifests) -> list[tuple[str, str, str]]:
    return [(r.name, r.group, str(r.evidence)) for r in manifests.requirements]


def test_parse_requirement_splits_name_constraint_and_markers() -> None:
    assert parse_requirement('requests[socks] >=2.0, <3 ; python_version < "3.11"') == (
        "requests", ">=2.0,<3", 'python_version < "3.11"')
    assert parse_requirement("pkg @ https://example.com/pkg.whl") == ("pkg", "", "")
    assert parse_requirement("old (>=1.0)") == ("old", ">=1.0", "")


def test_parse_requirement_rejects_what_names_no_distribution() -> None:
    assert parse_requirement("./local/path") is None
    assert parse_requirement("") is None


def test_poetry_pdm_and_hatch_groups(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": """
        [tool.poetry]
        name = "svc"
        [tool.poetry.dependencies]
        python = "^3.11"
        fastapi = "^0.110"
        redis = {version = "5.0.1", markers = "sys_platform != 'win32'"}
        [tool.poetry.group.test.dependencies]
        pytest = "*"
        [tool.pdm.dev-dependencies]
        lint = ["ruff>=0.4"]
        [tool.hatch.envs.docs]
        dependencies = ["mkdocs"]
    """})
    found = read(root, "pyproject.toml")
    assert triples(found) == [
        ("fastapi", "", "pyproject.toml:5"),
        ("mkdocs", "hatch.envs.docs", "pyproject.toml:12"),
        ("pytest", "test", "pyproject.toml:8"),
        ("redis", "", "pyproject.toml:6"),
        ("ruff", "lint", "pyproject.toml:10"),
    ]
    by_name = {r.name: r for r in found.requirements}
    assert by_name["fastapi"].specifier == "^0.110"
    assert by_name["redis"].markers == "sys_platform != 'win32'"
    assert by_name["pytest"].specifier == ""
    assert found.project_names == ["svc"]
    assert [(lock.name, lock.version) for lock in found.locked] == [("redis", "5.0.1")]


def test_build_backend_from_build_system(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": """
        [build-system]
        requires = ["hatchling>=1.18", "hatch-vcs"]
        build-backend = "hatchling.build"
    """})
    (build,) = read(root, "pyproject.toml").build_systems
    assert (build.backend, build.requires, str(build.evidence), build.declared) == (
        "hatchling.build", ("hatch-vcs", "hatchling"), "pyproject.toml:3", True)


def test_setup_py_without_build_system_is_the_legacy_route(make_repo: MakeRepo) -> None:
    root = make_repo({
        "pyproject.toml": "[tool.black]\nline-length = 100\n",
        "setup.py": """
            from setuptools import setup
            BASE = ["click>=8"]
            setup(name="x", install_requires=BASE + ["rich"],
                  extras_require={"yaml": ["PyYAML"]})
        """,
    })
    found = read(root, "pyproject.toml", "setup.py")
    assert [(b.backend, b.declared) for b in found.build_systems] == [
        ("setuptools (setup.py)", False)]
    assert triples(found) == [("PyYAML", "yaml", "setup.py:4"), ("click", "", "setup.py:2"),
                              ("rich", "", "setup.py:3")]


def test_a_declared_build_system_is_not_doubled_by_setup_py(make_repo: MakeRepo) -> None:
    root = make_repo({
        "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n"
                          "build-backend = 'setuptools.build_meta'\n",
        "setup.py": "from setuptools import setup\nsetup()\n",
    })
    assert [b.backend for b in read(root, "pyproject.toml", "setup.py").build_systems] == [
        "setuptools.build_meta"]


def test_setup_cfg_extras_and_markers(make_repo: MakeRepo) -> None:
    root = make_repo({"setup.cfg": """
        [options]
        install_requires =
            requests>=2.22
            colorama>=0.2.4; sys_platform=="win32"
        [options.extras_require]
        test =
            pytest
    """})
    found = read(root, "setup.cfg")
    assert triples(found) == [("colorama", "", "setup.cfg:4"), ("pytest", "test", "setup.cfg:7"),
                              ("requests", "", "setup.cfg:3")]
    assert found.requirements[0].markers == 'sys_platform=="win32"'


def test_requirements_includes_are_followed_once(make_repo: MakeRepo) -> None:
    root = make_repo({
        "requirements-dev.txt": "-r base-deps.txt\n-c constraints.txt\n"
                                "pytest ; python_version >= '3.8'\n",
        "base-deps.txt": "-r requirements-dev.txt\nflask==3.0.0 \\\n    --hash=sha256:abc\n",
        "constraints.txt": "werkzeug==3.0.1\n",
    })
    found = read(root, "requirements-dev.txt")
    assert triples(found) == [("flask", "base-deps", "base-deps.txt:2"),
                              ("pytest", "dev", "requirements-dev.txt:3")]
    assert found.requirements[1].markers == "python_version >= '3.8'"
    assert {(lock.name, lock.version, str(lock.evidence)) for lock in found.locked} == {
        ("flask", "3.0.0", "base-deps.txt:2"), ("werkzeug", "3.0.1", "constraints.txt:1")}
    assert found.notes == []


def test_a_missing_include_is_noted(make_repo: MakeRepo) -> None:
    root = make_repo({"requirements.txt": "-r nowhere.txt\nclick\n"})
    found = read(root, "requirements.txt")
    assert [r.name for r in found.requirements] == ["click"]
    assert [(n.path, n.reason) for n in found.notes] == [
        ("requirements.txt", "includes nowhere.txt (requirement), which does not exist")]


def test_compiled_requirements_are_locks_not_declarations(make_repo: MakeRepo) -> None:
    root = make_repo({
        "requirements/tests.in": "pytest\n",
        "requirements/tests.txt": "iniconfig==2.0.0\n    # via pytest\npytest==8.3.3\n",
        "requirements/docs.txt": "# This file is autogenerated by pip-compile\nsphinx==8.1\n",
    })
    found = read(root, "requirements/tests.in", "requirements/tests.txt", "requirements/docs.txt")
    assert triples(found) == [("pytest", "tests", "requirements/tests.in:1")]
    assert sorted((lock.name, lock.version) for lock in found.locked) == [
        ("iniconfig", "2.0.0"), ("pytest", "8.3.3"), ("sphinx", "8.1")]


def test_exported_requirements_with_via_comments_are_locks(make_repo: MakeRepo) -> None:
    root = make_repo({
        "requirements.txt": "# This file was autogenerated by uv via the following command:\n"
                            "#    uv export --frozen --output-file requirements.txt\n"
                            "alembic==1.16.4\n    # via\n    #   flask-migrate\n",
        "requirements-dev.txt": "click==8.1.0\n    # via app\n",
        "requirements-docs.txt": "# via the docs build\nsphinx>=8\n",  # a comment, not pip's
    })
    found = read(root, "requirements.txt", "requirements-dev.txt", "requirements-docs.txt")
    assert triples(found) == [("sphinx", "docs", "requirements-docs.txt:2")]
    assert sorted((lock.name, lock.version) for lock in found.locked) == [
        ("alembic", "1.16.4"), ("click", "8.1.0")]


def test_a_file_that_installs_the_project_declares_development_tools(
        make_repo: MakeRepo) -> None:
    root = make_repo({
        "requirements.txt": "# tooling\n-e .[cli,http2]\n\npytest==8.4.1\ntrio==0.31.0\n",
        "backend/requirements.txt": "fastapi>=0.110\n",
        "requirements-test.txt": "-e .\ncoverage\n",
    })
    found = read(root, "requirements.txt", "backend/requirements.txt", "requirements-test.txt")
    assert triples(found) == [
        ("coverage", "test", "requirements-test.txt:2"),
        ("fastapi", "", "backend/requirements.txt:1"),
        ("pytest", "dev", "requirements.txt:4"),
        ("trio", "dev", "requirements.txt:5"),
    ]


def test_direct_references_are_declarations_and_urls_are_not(make_repo: MakeRepo) -> None:
    root = make_repo({"requirements.txt": "-e .\nmylib @ git+https://x/mylib\n"
                                          "git+https://x/other\n"})
    assert [r.name for r in read(root, "requirements.txt").requirements] == ["mylib"]


def test_pipfile_tables(make_repo: MakeRepo) -> None:
    root = make_repo({"Pipfile": """
        [[source]]
        url = "https://pypi.org/simple"
        [packages]
        django = "==5.0"
        celery = {version = ">=5", extras = ["redis"]}
        [dev-packages]
        pytest = "*"
    """})
    found = read(root, "Pipfile")
    assert triples(found) == [("celery", "", "Pipfile:5"), ("django", "", "Pipfile:4"),
                              ("pytest", "dev", "Pipfile:7")]
    assert [(lock.name, lock.version) for lock in found.locked] == [("django", "5.0")]


def test_lock_files_give_versions(make_repo: MakeRepo) -> None:
    toml_lock = """
        [[package]]
        name = "fastapi"
        version = "0.115.6"
        dependencies = [{ name = "starlette" }]

        [[package.dependencies]]
        name = "starlette"
        version = "9.9"

        [metadata]
        name = "ignored"
        version = "1"
    """
    root = make_repo({
        "poetry.lock": toml_lock, "uv.lock": toml_lock, "pdm.lock": toml_lock,
        "Pipfile.lock": '{\n  "default": {\n    "django": {\n      "version": "==5.0.1"\n'
                        '    }\n  },\n  "develop": {}\n}\n',
    })
    found = read(root, "poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock")
    assert [(lock.name, lock.version, str(lock.evidence)) for lock in found.locked] == [
        ("django", "5.0.1", "Pipfile.lock:3"), ("fastapi", "0.115.6", "pdm.lock:3"),
        ("fastapi", "0.115.6", "poetry.lock:3"), ("fastapi", "0.115.6", "uv.lock:3")]
    assert found.requirements == []


def test_locked_version_prefers_lock_files_over_pins(make_repo: MakeRepo) -> None:
    root = make_repo({"requirements.txt": "fastapi==0.100.0\n",
                      "uv.lock": '[[package]]\nname = "fastapi"\nversion = "0.115.6"\n'})
    found = read(root, "requirements.txt", "uv.lock")
    locked = found.locked_version("FastAPI")
    assert locked is not None and (locked.version, str(locked.evidence)) == ("0.115.6",
                                                                              "uv.lock:3")
    assert found.locked_version("django") is None
    pinned = found.locked_version("fastapi", lambda path: path != "uv.lock")
    assert pinned is not None and pinned.version == "0.100.0"


def test_locked_version_prefers_the_lock_beside_the_declaring_manifest(
        make_repo: MakeRepo) -> None:
    lock = '[[package]]\nname = "cryptography"\nversion = "{}"\n'
    root = make_repo({"lambda/uv.lock": lock.format("46.0.5"),
                      "server/uv.lock": lock.format("48.0.1")})
    found = read(root, "lambda/uv.lock", "server/uv.lock")
    near = found.locked_version("cryptography", near="server/pyproject.toml")
    assert near is not None and str(near.evidence) == "server/uv.lock:3"
    first = found.locked_version("cryptography")
    assert first is not None and str(first.evidence) == "lambda/uv.lock:3"


def test_package_json_dependencies_and_scripts(make_repo: MakeRepo) -> None:
    root = make_repo({"frontend/package.json": """
        {
          "name": "web",
          "scripts": {"test": "vitest run", "e2e": "playwright test"},
          "dependencies": {
            "react": "^18.2.0"
          },
          "devDependencies": {
            "vitest": "^1.0.0"
          }
        }
    """})
    found = read(root, "frontend/package.json")
    assert [(d.name, d.version, d.group, str(d.evidence)) for d in found.node_dependencies] == [
        ("react", "^18.2.0", "dependencies", "frontend/package.json:5"),
        ("vitest", "^1.0.0", "devDependencies", "frontend/package.json:8")]
    assert [(s.name, s.command) for s in found.node_scripts] == [
        ("e2e", "playwright test"), ("test", "vitest run")]
    assert found.requirements == []


def test_malformed_pipfile_lock_and_package_json_are_noted(make_repo: MakeRepo) -> None:
    root = make_repo({"Pipfile": "[packages\n", "Pipfile.lock": "{not json",
                      "package.json": "[1, 2"})
    found = read(root, "Pipfile", "Pipfile.lock", "package.json")
    assert [n.path for n in found.notes] == ["Pipfile", "Pipfile.lock", "package.json"]
    assert found.locked == [] and found.node_dependencies == []
