"""Static reading of packaging metadata."""

from __future__ import annotations

from pathlib import Path

from syspatterns.model.manifests import read_manifests

from .conftest import MakeRepo


def read(root: Path, *paths: str):  # type: ignore[no-untyped-def]
    return read_manifests(root, list(paths))


def test_requirements_from_pyproject_groups_and_requirements_files(make_repo: MakeRepo) -> None:
    root = make_repo({
        "pyproject.toml": """
            [project]
            name = "x"
            dependencies = ["requests>=2", "PyYAML"]
            [project.optional-dependencies]
            test = ["pytest"]
            [dependency-groups]
            dev = ["ruff", {include-group = "test"}]
        """,
        "requirements.txt": "-r base.txt\nDjango==5.2  # web\n\n--index-url x\ngit+https://x/y\n",
    })
    found = [(r.name, r.group, str(r.evidence)) for r in
             read(root, "pyproject.toml", "requirements.txt").requirements]
    assert found == [
        ("Django", "", "requirements.txt:2"),
        ("PyYAML", "", "pyproject.toml:3"),
        ("pytest", "test", "pyproject.toml:5"),
        ("requests", "", "pyproject.toml:3"),
        ("ruff", "dev", "pyproject.toml:7"),
    ]


def test_setup_py_is_read_without_running_it(make_repo: MakeRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    root = make_repo({"setup.py": f"open({str(marker)!r}, 'w')\nfrom setuptools import setup\n"
                                  "setup(install_requires=['click'])\n"})
    assert [r.name for r in read(root, "setup.py").requirements] == ["click"]
    assert not marker.exists()


def test_broken_manifests_are_noted(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": "[project\n", "setup.cfg": "no section\n",
                      "requirements.txt": b"\xff\xfe"})
    notes = read(root, "pyproject.toml", "setup.cfg", "requirements.txt").notes
    assert [n.path for n in notes] == ["pyproject.toml", "requirements.txt", "setup.cfg"]


def test_the_project_name_comes_from_the_manifest_not_the_folder(make_repo: MakeRepo) -> None:
    from syspatterns.model.manifests import project_name

    assert project_name(make_repo({"pyproject.toml": '[project]\nname = "shop"\n'})) == "shop"
    assert project_name(make_repo({"pyproject.toml": '[tool.poetry]\nname = "p"\n'})) == "p"
    assert project_name(make_repo({"setup.cfg": "[metadata]\nname = legacy\n"})) == "legacy"
    assert project_name(make_repo({"pyproject.toml": "[project\n"})) is None
    assert project_name(make_repo({"README.md": "x"})) is None


def test_keys_written_dotted_or_inline_are_located(make_repo: MakeRepo) -> None:
    root = make_repo({
        "pyproject.toml": """
            [project]
            name = "x"
            description = "runs tool and admin"
            scripts.tool = "x.cli:main"
            optional-dependencies.test = [
              "pytest",
            ]
            gui-scripts = { viewer = "x.gui:run" }
            dependencies = [
              "requests",
            ]
            [tool.poetry.scripts]
            "old-tool" = "x.old:main"
        """,
    })
    manifests = read(root, "pyproject.toml")
    assert sorted((s.name, str(s.evidence)) for s in manifests.scripts) == [
        ("old-tool", "pyproject.toml:13"), ("tool", "pyproject.toml:4"),
        ("viewer", "pyproject.toml:8"),
    ]
    assert sorted((r.name, str(r.evidence)) for r in manifests.requirements) == [
        ("pytest", "pyproject.toml:6"), ("requests", "pyproject.toml:10")]


def test_a_script_not_found_in_the_text_points_at_its_table(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": '[project]\nname = "x"\n\n[project.scripts]\n'
                                        '# the tool\n"a.b" = "x:main"\n'})
    assert [str(s.evidence) for s in read(root, "pyproject.toml").scripts] == ["pyproject.toml:6"]
