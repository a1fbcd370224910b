"""``syspatterns check`` end to end: exit codes, the three output formats, generated blocks,
placeholders, hand-written documents in the layouts real repositories use, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from syspatterns.cli import main

from .conftest import MakeRepo

CODE = {
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi"]\n',
    "src/shop/__init__.py": '"""A shop."""\n',
    "src/shop/api/__init__.py": "",
    "src/shop/api/routes.py": ("from fastapi import APIRouter\nfrom shop.core.config import "
                               "Settings\nrouter = APIRouter()\n"),
    "src/shop/core/__init__.py": "",
    "src/shop/core/config.py": '"""OrderService is described in the docs."""\nclass Settings:\n'
                               "    def load(self): ...\n",
    "src/shop/core/pricing.py": "def total_price(items):\n    return sum(items)\n",
}

HAND_WRITTEN = """\
# システムパターン

## 1\\. Architecture Overview

The API lives in `src/shop/api/routes.py` and reads `Settings` from `shop.core.config`.
Prices come from `total_price()`; orders go through `OrderService`.

```
shop/
├── src/shop/
│   ├── api/routes.py
│   ├── core/
│   │   ├── config.py, pricing.py
│   │   └── cache.py        # Redis cache
└── pyproject.toml
```

## 2\\. Key Technical Decisions

- **Web**: FastAPI with the SQLAlchemy library for storage.

### Planned

- A `src/shop/jobs/` folder for background work.

## Component Relationships

```mermaid
graph LR
    routes["src/shop/api/routes.py"] --> config["src/shop/core/config.py"]
    routes --> pricing["src/shop/core/pricing.py"]
```
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def generated(make_repo: MakeRepo, files: dict[str, str | bytes] | None = None) -> Path:
    root = make_repo(files or CODE)
    assert run("generate", str(root), "-q").exit_code == 0
    return root


def test_a_freshly_generated_document_is_true(make_repo: MakeRepo) -> None:
    root = generated(make_repo)
    result = run("check", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "memory-bank/systemPatterns.md: 0 claims checked, 0 false; 14 generated blocks, "
        "0 out of date.\n")


def test_blocks_out_of_date_are_reported_with_a_short_diff(make_repo: MakeRepo) -> None:
    root = generated(make_repo)
    (root / "src" / "shop" / "core" / "tax.py").write_text("RATE = 0.2\n")
    result = run("check", str(root))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    stale = [line for line in lines if ": stale: " in line]
    assert stale and all(line.startswith("memory-bank/systemPatterns.md:") for line in stale)
    assert "generated block `architecture` is out of date with the code" in result.output
    assert any(line.startswith("    -") for line in lines)
    assert any(line.startswith("    +") for line in lines)


def test_hand_edits_in_blocks_are_reported(make_repo: MakeRepo) -> None:
    root = generated(make_repo)
    doc = root / "memory-bank" / "systemPatterns.md"
    doc.write_text(doc.read_text().replace('"A shop."', '"A big shop."'))
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "generated block `components` was edited by hand" in result.output


def test_template_placeholders_are_reported(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "memory-bank/systemPatterns.md": (
        "# System Patterns\n\n## System Architecture\n"
        "[Describe the overall architecture of the system.]\n\n"
        "### Decision 1: [Topic]\n- Decision: [Description]\n")})
    result = run("check", str(root))
    assert result.exit_code == 1
    assert ("memory-bank/systemPatterns.md:4: placeholder: template placeholder "
            "[Describe the overall architecture of the system.] is still in the document"
            ) in result.output
    assert "systemPatterns.md:6: placeholder" in result.output
    assert "systemPatterns.md:7: placeholder" in result.output


def test_a_hand_written_document_is_checked_claim_by_claim(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "docs/memory-bank/systemPatterns.md": HAND_WRITTEN})
    result = run("check", str(root))
    assert result.exit_code == 1
    doc = "docs/memory-bank/systemPatterns.md"
    errors = result.output.split("\n\n")[0].splitlines()
    assert errors == [
        f"{doc}:6: name: `OrderService`: no class or function of that name is defined or "
        "imported in the code",
        f"{doc}:14: path: `src/shop/core/cache.py`: no such file in the repository",
        f"{doc}:20: library: `SQLAlchemy`: the project does not depend on SQLAlchemy; no "
        "manifest declares it and no module imports `sqlalchemy`",
        f"{doc}:31: import: `src/shop/api/routes.py` and `src/shop/core/pricing.py`: neither "
        "imports the other",
    ]
    assert (f"{doc}:24: planned: `src/shop/jobs/`: no such folder in the repository (stated "
            "as a plan, a concept or an alternative)") in result.output
    assert result.output.index("Stated as plans") > result.output.index(f"{doc}:31:")
    assert result.output.endswith(
        f"{doc}: 20 claims checked, 4 false; 1 in plans or alternatives (1 not in the code).\n")


def test_only_plans_are_not_errors(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "memory-bank/systemPatterns.md": (
        "## Future work\n\n- `src/shop/jobs.py` will send e-mails.\n")})
    result = run("check", str(root))
    assert result.exit_code == 0
    assert "planned: `src/shop/jobs.py`" in result.output


def test_json_output(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "docs/memory-bank/systemPatterns.md": HAND_WRITTEN})
    result = run("check", str(root), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["schema_version"] == 1 and data["ok"] is False
    assert data["counts"] == {
        "claims_checked": 20, "false": 4, "hedged": 1, "hedged_false": 1, "blocks": 0,
        "stale_blocks": 0, "placeholders": 0, "rules": 0, "rule_violations": 0, "errors": 4}
    assert data["documents"][0]["path"] == "docs/memory-bank/systemPatterns.md"
    first = data["findings"][0]
    assert set(first) == {"path", "line", "kind", "severity", "message", "detail"}
    assert [f["severity"] for f in data["findings"]].count("planned") == 1


def test_github_annotations(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "docs/memory-bank/systemPatterns.md": HAND_WRITTEN})
    result = run("check", str(root), "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert ("::error file=docs/memory-bank/systemPatterns.md,line=14,title=syspatterns path::"
            "`src/shop/core/cache.py`: no such file in the repository") in lines
    assert any(line.startswith("::notice file=docs/memory-bank/systemPatterns.md,line=24,")
               for line in lines)


def test_rules_are_enforced(make_repo: MakeRepo) -> None:
    rules = ('\n[[tool.syspatterns.rules]]\nname = "Core is low"\ntype = "layers"\n'
             'layers = ["shop.api", "shop.core"]\n\n[[tool.syspatterns.rules]]\n'
             'type = "forbidden"\nfrom = ["shop.core"]\nto = ["fastapi"]\n')
    files = {**CODE, "pyproject.toml": CODE["pyproject.toml"] + rules,
             "src/shop/core/web.py": "import fastapi\nfrom shop.api import routes\n"}
    root = generated(make_repo, files)
    result = run("check", str(root))
    assert result.exit_code == 1
    assert ("src/shop/core/web.py:1: rule: rule `forbidden rule 2` (pyproject.toml:10): "
            "`shop.core.web` imports `fastapi`; `shop.core` must not import `fastapi`"
            ) in result.output
    assert ("src/shop/core/web.py:2: rule: rule `Core is low` (pyproject.toml:5): "
            "`shop.core.web` imports `shop.api.routes`") in result.output
    assert "    shop.core.web -> shop.api.routes (src/shop/core/web.py:2)" in result.output
    assert "2 architecture rules declared in pyproject.toml: 2 violations." in result.output


def test_every_document_found_is_checked_and_doc_overrides(make_repo: MakeRepo) -> None:
    root = make_repo({**CODE, "memory-bank/systemPatterns.md": "- `src/shop/api/routes.py`\n",
                      ".memory-bank/systemPatterns.md": "- `src/shop/gone.py`\n"})
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "memory-bank/systemPatterns.md: 1 claim checked, 0 false." in result.output
    assert ".memory-bank/systemPatterns.md:1: path: `src/shop/gone.py`" in result.output
    only = run("check", str(root), "--doc", str(root / "memory-bank" / "systemPatterns.md"))
    assert only.exit_code == 0


@pytest.mark.parametrize(("files", "args", "message"), [
    ({}, (), "no System Patterns document"),
    ({"memory-bank/systemPatterns.md": b"caf\xe9\n"}, (), "not UTF-8 text (line 1"),
    ({"memory-bank/systemPatterns.md": "<!-- syspatterns:begin components -->\nx\n"}, (),
     "has no end marker"),
    ({"memory-bank/systemPatterns.md": "# x\n", "pyproject.toml":
      '[[tool.syspatterns.rules]]\ntype = "onion"\n'}, (), "type must be one of"),
    ({}, ("--doc", "missing.md"), "missing.md: no such file"),
    ({"memory-bank/systemPatterns.md": "# x\n"}, ("--format", "xml"), "Invalid value"),
])
def test_usage_errors_exit_2(make_repo: MakeRepo, files: dict[str, str | bytes],
                             args: tuple[str, ...], message: str) -> None:
    root = make_repo({**CODE, **files})
    extra = [a if a != "missing.md" else str(root / a) for a in args]
    result = CliRunner().invoke(main, ["check", str(root), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_check_of_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2


def test_a_missing_folder_is_told_once_with_the_entries_under_it(make_repo: MakeRepo) -> None:
    tree = ("```\nshop/\n├── src/shop/api/\n│   └── routes.py\n└── src/shop/jobs/\n"
            "    ├── send.py\n    └── retry.py\n```\n")
    root = make_repo({**CODE, "memory-bank/systemPatterns.md": tree})
    result = run("check", str(root), "--format", "json")
    data = json.loads(result.output)
    assert data["counts"]["false"] == 3
    assert [f["message"] for f in data["findings"]] == [
        "`src/shop/jobs/`: no such folder in the repository, nor the 2 entries drawn under it"]
    assert data["findings"][0]["line"] == 5


def test_windows_line_endings_and_a_byte_order_mark_are_read(make_repo: MakeRepo) -> None:
    root = generated(make_repo)
    doc = root / "memory-bank" / "systemPatterns.md"
    doc.write_bytes(b"\xef\xbb\xbf" + doc.read_bytes().replace(b"\n", b"\r\n"))
    result = run("check", str(root))
    assert result.exit_code == 0, result.output


def test_github_annotations_carry_the_diff_on_one_line(make_repo: MakeRepo) -> None:
    root = generated(make_repo)
    (root / "src" / "shop" / "core" / "tax.py").write_text("RATE = 0.2\n")
    lines = run("check", str(root), "--format", "github").output.splitlines()
    stale = [line for line in lines if "title=syspatterns stale" in line]
    assert stale and all(line.startswith("::error file=memory-bank/systemPatterns.md,line=")
                         for line in stale)
    assert all("%0A-" in line and "%0A+" in line for line in stale)
