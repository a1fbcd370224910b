"""``syspatterns generate`` end to end: outputs, bad input, and the document on disk."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from syspatterns import __version__, cli
from syspatterns.cli import main
from syspatterns.core.sections import SECTIONS

from .conftest import MakeRepo

SERVICE = {
    "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["PyYAML"]\n'
                      '[project.scripts]\nsvc = "svc.cli:main"\n',
    "svc/__init__.py": '"""Order service."""\n',
    "svc/cli.py": "from svc.core import settings\ndef main(): ...\n",
    "svc/core/__init__.py": '"""Shared foundations."""\n',
    "svc/core/settings.py": "import yaml\nfrom svc.api import routes\n",
    "svc/api/__init__.py": "",
    "svc/api/routes.py": "from svc.core.settings import load\n",
    "tests/test_cli.py": "from svc.cli import main\n",
    # Enough modules that the package splits into svc, svc.api and svc.core.
    **{f"svc/api/view{i}.py": "from svc.core.settings import load\n" for i in range(5)},
    **{f"svc/core/util{i}.py": "" for i in range(4)},
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.M)


def test_help_and_version() -> None:
    assert "Analyse the repository" in run("generate", "--help").output
    assert __version__ in run("--version").output


def test_writes_the_default_document_with_every_template_heading(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    result = run("generate", str(root), "-q")
    assert result.exit_code == 0, result.output
    text = (root / "memory-bank" / "systemPatterns.md").read_text()
    assert headings(text) == [s.title for s in SECTIONS] + ["Analysis notes"]
    assert "[" + "Describe" not in text and "[Name]" not in text and "[Topic]" not in text
    assert "```mermaid\nflowchart TD" in text
    # Links lead from memory-bank/ back to the files.
    assert "[svc/cli.py:1](../svc/cli.py#L1)" in text


def test_output_is_byte_identical_across_runs_and_cache_states(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    first = run("generate", str(root), "-o", "-").stdout
    second = run("generate", str(root), "-o", "-").stdout
    uncached = run("generate", str(root), "-o", "-", "--no-cache", "-j", "2").stdout
    assert first == second == uncached


def test_json_has_schema_facts_with_evidence_and_the_import_graph(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    data = json.loads(run("generate", str(root), "--format", "json").stdout)
    assert data["schema_version"] == 1
    assert [s["title"] for s in data["sections"]] == [s.title for s in SECTIONS]
    assert {"importer": "svc.cli", "imported": "svc.core.settings", "line": 1,
            "type_checking": False} in data["import_graph"]["edges"]
    core = next(c for c in data["components"] if c["name"] == "svc.core")
    assert core["external_dependencies"][0]["name"] == "PyYAML"
    assert core["external_dependencies"][0]["evidence"] == [
        {"path": "svc/core/settings.py", "line": 1}]
    assert data["entry_points"][0]["name"] == "svc"


@pytest.mark.parametrize("bad", ["missing-folder", "a-file.txt"])
def test_bad_paths_give_one_line_and_exit_2(tmp_path: Path, bad: str) -> None:
    (tmp_path / "a-file.txt").write_text("x")
    result = CliRunner().invoke(main, ["generate", str(tmp_path / bad)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert bad in result.output


def test_broken_files_are_listed_in_the_notes_not_fatal(make_repo: MakeRepo) -> None:
    root = make_repo({
        "pkg/__init__.py": "",
        "pkg/old.py": "print 'python 2'\n",
        "pkg/binary.py": b"x = '\xff'\n",
        "pkg/ok.py": "import pkg\n",
    })
    text = run("generate", str(root), "-o", "-").stdout
    notes = text.split("## Analysis notes")[1]
    assert "`pkg/old.py`: skipped: not valid Python 3" in notes
    assert "`pkg/binary.py`: skipped:" in notes
    data = json.loads(run("generate", str(root), "--format", "json").stdout)
    assert [n["path"] for n in data["notes"]] == ["pkg/binary.py", "pkg/old.py"]


def test_oversized_files_are_skipped(make_repo: MakeRepo) -> None:
    root = make_repo({"big.py": "x = 1\n" * 400_000, "small.py": ""})
    text = run("generate", str(root), "-o", "-").output
    assert "`big.py`: skipped: 2,400,000 bytes, over the 2,000,000-byte limit" in text


def test_a_repository_without_python_gets_a_valid_document(make_repo: MakeRepo) -> None:
    root = make_repo({"README.md": "# docs only\n", "index.js": "console.log(1)\n"})
    text = run("generate", str(root), "-o", "-").output
    assert headings(text)[:12] == [s.title for s in SECTIONS]
    assert "No Python modules were found" in text


def test_an_empty_folder_gets_a_valid_document(tmp_path: Path) -> None:
    result = run("generate", str(tmp_path), "-o", "-")
    assert result.exit_code == 0
    assert "No Python modules were found" in result.output


def test_human_text_outside_blocks_survives_regeneration(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    run("generate", str(root), "-q")
    doc = root / "memory-bank" / "systemPatterns.md"
    edited = doc.read_text().replace(
        "## Key Technical Decisions\n",
        "## Key Technical Decisions\n\nWe chose YAML because operators edit it by hand.\n")
    doc.write_text(edited + "\n## Our notes\n\nKeep this.\n")
    (root / "svc" / "extra.py").write_text("from svc.core import settings\n")
    assert run("generate", str(root), "-q").exit_code == 0
    text = doc.read_text()
    assert "We chose YAML because operators edit it by hand." in text
    assert text.endswith("## Our notes\n\nKeep this.\n")
    assert "holds 17 Python modules" in text  # the generated part was refreshed (16 before)


def test_hand_edits_inside_a_block_are_refused_unless_forced(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    run("generate", str(root), "-q")
    doc = root / "memory-bank" / "systemPatterns.md"
    doc.write_text(doc.read_text().replace("Order service.", "Order service (edited)."))
    before = doc.read_text()
    result = run("generate", str(root), "-q")
    assert result.exit_code == 1
    assert "'components'" in result.output and "--force" in result.output
    assert doc.read_text() == before
    assert run("generate", str(root), "-q", "--force").exit_code == 0
    assert "(edited)" not in doc.read_text()


HAND_WRITTEN = """\
# System Patterns: svc

Notes kept by the team.

## Architecture Overview

We split the service into `svc/api` and `svc/core`.

## Design Patterns in Use

- Settings are loaded once.

## Critical Implementation Paths

1. A request reaches `svc/api/routes.py`.
"""


def test_a_hand_written_document_keeps_its_text_and_gets_blocks_under_its_headings(
        make_repo: MakeRepo) -> None:
    root = make_repo({**SERVICE, "memory-bank/systemPatterns.md": HAND_WRITTEN})
    assert run("generate", str(root), "-q").exit_code == 0
    doc = root / "memory-bank" / "systemPatterns.md"
    text = doc.read_text()
    assert text.startswith("# System Patterns: svc\n\n<!-- syspatterns:begin header -->")
    for kept in ("Notes kept by the team.", "We split the service into `svc/api` and `svc/core`.",
                 "- Settings are loaded once.", "1. A request reaches `svc/api/routes.py`."):
        assert text.count(kept) == 1
    overview = text.index("## Architecture Overview")
    assert overview < text.index("`svc/core`.") < text.index(
        "<!-- syspatterns:begin architecture -->") < text.index("## Design Patterns in Use")
    assert text.index("- Settings are loaded once.") < text.index(
        "<!-- syspatterns:begin patterns -->") < text.index("## Critical Implementation Paths")
    assert text.index("## Critical Implementation Paths") < text.index(
        "<!-- syspatterns:begin data-flow -->")
    # Sections the document lacks are appended with the template's headings.
    assert "## Component Relationships\n\n<!-- syspatterns:begin components -->" in text
    assert "## System Architecture" not in text
    # Generating again changes nothing.
    assert run("generate", str(root), "-q").exit_code == 0
    assert doc.read_text() == text


def test_force_replaces_a_hand_written_document(make_repo: MakeRepo) -> None:
    root = make_repo({**SERVICE, "memory-bank/systemPatterns.md": HAND_WRITTEN})
    assert run("generate", str(root), "-q", "--force").exit_code == 0
    text = (root / "memory-bank" / "systemPatterns.md").read_text()
    assert "Notes kept by the team." not in text
    assert headings(text) == [s.title for s in SECTIONS] + ["Analysis notes"]


TEMPLATE_EXCERPT = """\
# System Patterns

## System Architecture
[Describe the overall architecture of the system. Include diagrams if possible.]

```
[Architecture diagram placeholder]
```

## Key Technical Decisions
[Document important technical decisions that have been made for the project.]

### Decision 1: [Topic]
- Decision: [Description]
- Rationale: [Reasoning]

## Component Relationships
Our own remark stays.

### Component 1: [Name]
- Responsibility: [What it does]
"""


def test_template_placeholders_are_replaced_by_generated_content(make_repo: MakeRepo) -> None:
    root = make_repo({**SERVICE, "memory-bank/systemPatterns.md": TEMPLATE_EXCERPT})
    assert run("generate", str(root), "-q").exit_code == 0
    written = (root / "memory-bank" / "systemPatterns.md").read_text()
    for placeholder in ("[Describe", "[Architecture diagram placeholder]", "[Topic]",
                        "[Description]", "[Name]", "[What it does]"):
        assert placeholder not in written
    assert "Our own remark stays.\n\n<!-- syspatterns:begin components -->" in written
    assert sorted(headings(written)) == sorted([s.title for s in SECTIONS] + ["Analysis notes"])


def test_the_document_is_found_in_other_memory_bank_folders(make_repo: MakeRepo) -> None:
    root = make_repo({**SERVICE, ".memory-bank/systemPatterns.md": HAND_WRITTEN})
    assert run("generate", str(root), "-q").exit_code == 0
    assert "syspatterns:begin" in (root / ".memory-bank" / "systemPatterns.md").read_text()
    assert not (root / "memory-bank").exists()


@pytest.mark.parametrize("content", [
    b"# Notes\n\xff\xfe not UTF-8\n",
    b"<!-- syspatterns:begin architecture -->\nno end marker\n",
    b"<!-- syspatterns:begin a -->\nx\n<!-- syspatterns:end a 00 -->\n"
    b"<!-- syspatterns:begin a -->\ny\n<!-- syspatterns:end a 00 -->\n",
])
def test_a_document_that_cannot_be_trusted_is_never_overwritten(make_repo: MakeRepo,
                                                                content: bytes) -> None:
    root = make_repo({**SERVICE, "memory-bank/systemPatterns.md": content})
    result = run("generate", str(root), "-q")
    assert result.exit_code == 1
    assert "systemPatterns.md" in result.output and "Traceback" not in result.output
    assert (root / "memory-bank" / "systemPatterns.md").read_bytes() == content


def test_windows_line_endings_are_kept(make_repo: MakeRepo) -> None:
    crlf = HAND_WRITTEN.replace("\n", "\r\n").encode()
    root = make_repo({**SERVICE, "memory-bank/systemPatterns.md": crlf})
    assert run("generate", str(root), "-q").exit_code == 0
    data = (root / "memory-bank" / "systemPatterns.md").read_bytes()
    assert b"Notes kept by the team.\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_target_folder(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    target = root / "locked"
    target.mkdir()
    target.chmod(0o500)
    try:
        result = run("generate", str(root), "-q", "-o", str(target / "doc.md"))
    finally:
        target.chmod(0o700)
    assert result.exit_code == 1
    assert str(target) in result.output
    assert list(target.iterdir()) == []


def test_unwritable_target_path_names_the_path(make_repo: MakeRepo) -> None:
    # A regular file where a folder is needed fails even for root.
    root = make_repo({**SERVICE, "blocker": "a file"})
    result = run("generate", str(root), "-q", "-o", str(root / "blocker" / "doc.md"))
    assert result.exit_code == 1
    assert "blocker" in result.output and "Traceback" not in result.output


def test_python_dash_m_runs_the_cli(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE)
    completed = subprocess.run([sys.executable, "-m", "syspatterns", "generate", str(root),
                                "-o", "-", "-q"], capture_output=True, text=True, check=True)
    assert completed.stdout.startswith("# System Patterns")


def test_the_command_flushes_its_output_and_keeps_exit_codes(make_repo: MakeRepo) -> None:
    # The command ends the process without tearing the interpreter down: what it printed
    # must still arrive whole, and its exit codes must stay those of the commands.
    root = make_repo(SERVICE)
    whole = CliRunner().invoke(main, ["generate", str(root), "-o", "-", "-q"]).output
    completed = subprocess.run([sys.executable, "-m", "syspatterns", "generate", str(root),
                                "-o", "-", "-q"], capture_output=True, text=True)
    assert completed.returncode == 0 and completed.stdout == whole
    missing = subprocess.run([sys.executable, "-m", "syspatterns", "generate",
                              str(root / "missing")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such directory" in missing.stderr
    help_text = subprocess.run([sys.executable, "-m", "syspatterns", "--help"],
                               capture_output=True, text=True)
    assert help_text.returncode == 0 and "generate" in help_text.stdout


class _Exited(Exception):
    pass


def test_the_command_runs_without_the_garbage_collector_but_a_server_turns_it_on(
        make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, bool]] = []

    def exit_now(code: int) -> None:
        raise _Exited(code)

    def serve(root: Path, **_options: object) -> None:
        seen.append(("serve", gc.isenabled()))

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(sys, "argv", ["syspatterns", "mcp", str(make_repo(SERVICE))])
    monkeypatch.setattr(cli, "main", lambda: seen.append(("main", gc.isenabled())))
    was_enabled = gc.isenabled()
    try:
        with pytest.raises(_Exited, match="0"):
            cli.run()
        assert seen == [("main", False)]
        monkeypatch.setattr(cli, "main", main)
        server = pytest.importorskip("syspatterns.mcp.server")
        monkeypatch.setattr(server, "serve", serve)
        with pytest.raises(_Exited, match="0"):
            cli.run()
        assert seen[-1] == ("serve", True)
    finally:
        if was_enabled:
            gc.enable()


def test_unwritable_cache_falls_back_with_a_warning(make_repo: MakeRepo) -> None:
    root = make_repo({**SERVICE, ".syspatterns": "a file, not a folder"})
    result = CliRunner().invoke(main, ["generate", str(root), "-o", "-"])
    assert result.exit_code == 0
    assert "running without a cache" in result.output
