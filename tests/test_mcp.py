"""The answers of ``syspatterns mcp``, computed in process: sections, components, importers,
entry points, the document check, and the analysis kept up to date between questions (the
server itself is driven over stdio in test_mcp_server.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from syspatterns.cli import main
from syspatterns.mcp import queries
from syspatterns.mcp.live import LiveAnalysis, RepositoryUnavailable
from syspatterns.pipeline import Analysis, run_analysis

from .conftest import MakeRepo

SHOP = {
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["PyYAML"]\n'
                      '[project.scripts]\nshop = "shop.cli:main"\n',
    "shop/__init__.py": '"""The shop: orders and their totals."""\n',
    "shop/cli.py": "from shop.core import models\ndef main(): ...\n",
    "shop/__main__.py": "from shop.cli import main\nmain()\n",
    "shop/api.py": "from shop.core.models import Order\nfrom typing import TYPE_CHECKING\n"
                   "if TYPE_CHECKING:\n    import ops\n",
    "shop/core/__init__.py": "",
    "shop/core/models.py": "import os\nimport yaml\nclass Order:\n    def total(self): ...\n",
    "ops/__init__.py": '"""Operations tooling."""\nfrom shop import api\n',
    "tests/test_api.py": "from shop import api\n",
}


def analysed(root: Path) -> Analysis:
    return run_analysis(root, use_cache=False, jobs=1)


@pytest.fixture
def shop(make_repo: MakeRepo) -> Path:
    return make_repo(SHOP)


def test_a_section_by_key_or_title_and_an_unknown_one(shop: Path) -> None:
    analysis = analysed(shop)
    document = queries.document(analysis)
    text = queries.section(analysis, document, "architecture")
    assert text.startswith("## System Architecture\n\n")
    assert "```mermaid" in text and "syspatterns:begin" not in text
    assert queries.section(analysis, document, " component RELATIONSHIPS ") == \
        queries.section(analysis, document, "components")
    assert "No file was passed over." in queries.section(analysis, document, "analysis-notes")
    with pytest.raises(queries.UnknownName) as error:
        queries.section(analysis, document, "architectur")
    message = str(error.value)
    assert "unknown section 'architectur'" in message
    assert "architecture (System Architecture)" in message
    assert "maintenance (Maintenance Patterns)" in message
    assert "analysis-notes (Analysis notes)" in message


def test_a_component_with_its_neighbours_and_an_unknown_one(shop: Path) -> None:
    analysis = analysed(shop)
    ops = queries.component(analysis, "ops")
    assert ops["location"] == "ops" and ops["role"] == "code"
    assert ops["responsibility"][0] == {
        "claim": '"Operations tooling." (its docstring)', "evidence": ["ops/__init__.py:1"]}
    assert ops["dependencies"] == [
        {"name": "shop", "kind": "component", "imports": 1, "evidence": ["ops/__init__.py:2"]}]
    assert ops["dependents"] == [
        {"name": "shop", "kind": "component", "imports": 1, "evidence": ["shop/api.py:4"]}]
    assert ops["interfaces"][0]["claim"] == "`ops`: imported once by `shop`"
    shop_component = queries.component(analysis, "shop")
    assert {"name": "PyYAML", "kind": "third-party", "imports": 1,
            "evidence": ["shop/core/models.py:2"]} in shop_component["dependencies"]
    assert "shop.core.models" in shop_component["modules"]
    with pytest.raises(queries.UnknownName, match=r"unknown component 'shop\.api'; valid "
                       r"names: ops, shop, tests/$"):
        queries.component(analysis, "shop.api")


def test_who_imports_a_module_a_package_a_library_and_an_unknown_name(shop: Path) -> None:
    analysis = analysed(shop)
    models = queries.who_imports(analysis, "shop.core.models")
    assert models["kind"] == "repository module" and models["component"] == "shop"
    assert [(i["importer"], i["at"]) for i in models["imports"]] == [
        ("shop.api", "shop/api.py:1"), ("shop.cli", "shop/cli.py:1")]
    package = queries.who_imports(analysis, "shop.core")
    assert {i["importer"] for i in package["imports"]} == {"shop.api", "shop.cli"}
    ops = queries.who_imports(analysis, "ops")
    assert ops["imports"] == [{"importer": "shop.api", "imported": "ops",
                               "at": "shop/api.py:4", "flags": ["type-checking only"]}]
    assert queries.who_imports(analysis, "shop.cli")["imports"][0]["at"] == \
        "shop/__main__.py:1"
    yaml = queries.who_imports(analysis, "yaml")
    assert yaml["kind"] == "third-party" and yaml["distribution"] == "PyYAML"
    assert yaml["imports"][0]["at"] == "shop/core/models.py:2"
    assert "note" not in yaml
    assert "recorded by top-level name" in queries.who_imports(analysis, "yaml.loader")["note"]
    assert queries.who_imports(analysis, "os")["kind"] == "standard library"
    with pytest.raises(queries.UnknownName) as error:
        queries.who_imports(analysis, "shop.modles")
    assert str(error.value).startswith("unknown module 'shop.modles': neither a module of "
                                       "the repository nor a name its code imports; valid "
                                       "module names: ops, shop, shop.__main__, shop.api,")


def test_an_unknown_module_in_a_large_repository_lists_the_closest_names(
        make_repo: MakeRepo) -> None:
    root = make_repo({f"pkg/mod{i}.py": "" for i in range(80)} | {"pkg/__init__.py": ""})
    with pytest.raises(queries.UnknownName) as error:
        queries.who_imports(analysed(root), "pkg.mod7x")
    message = str(error.value)
    assert "81 modules" in message and "pkg.mod7" in message and "pkg.mod55" not in message


def test_entry_points_and_the_document_check(shop: Path) -> None:
    analysis = analysed(shop)
    points = queries.entry_points(analysis)
    assert {"kind": "console script", "name": "shop", "target": "shop.cli:main",
            "at": "pyproject.toml:5"} in points
    assert any(p["kind"] == "python -m" for p in points)
    missing = queries.check(analysis, shop)
    assert missing["status"] == "missing"
    assert "looked for memory-bank/systemPatterns.md" in missing["message"]
    for _ in range(2):  # the second run counts the document among the files
        assert CliRunner().invoke(main, ["generate", str(shop), "-q"]).exit_code == 0
    true = queries.check(analysed(shop), shop)
    assert true["status"] == "true" and true["ok"] is True and true["findings"] == []
    (shop / "ops" / "more.py").write_text("import shop.cli\n")
    untrue = queries.check(analysed(shop), shop)
    assert untrue["status"] == "untrue" and untrue["counts"]["stale_blocks"] >= 1
    stale = [f for f in untrue["findings"] if f["kind"] == "stale"]
    assert any("`components`" in f["message"] and f["detail"] for f in stale)
    assert all(f["path"] == "memory-bank/systemPatterns.md" for f in stale)
    document = shop / "memory-bank" / "systemPatterns.md"
    document.write_text("<!-- syspatterns:begin architecture -->\n")
    broken = queries.check(analysed(shop), shop)
    assert broken["status"] == "unusable" and "no end marker" in broken["message"]


def test_the_live_analysis_is_reused_until_a_file_changes(shop: Path, tmp_path: Path) -> None:
    live = LiveAnalysis(shop, cache_dir=tmp_path / "cache")
    first = live.current()
    assert live.current() is first and live.analyses == 1
    before = queries.component(first.analysis, "ops")["dependencies"][0]["evidence"]
    assert before == ["ops/__init__.py:2"]
    (shop / "ops" / "__init__.py").write_text('"""Operations tooling."""\n\nimport shop.cli\n')
    second = live.current()
    assert second is not first and live.analyses == 2
    assert queries.component(second.analysis, "ops")["dependencies"][0]["evidence"] == [
        "ops/__init__.py:3"]
    assert second.memo("x", lambda a: object()) is second.memo("x", lambda a: object())
    shutil.rmtree(shop)
    with pytest.raises(RepositoryUnavailable, match="no longer exists"):
        live.current()
    shop.mkdir()
    (shop / "solo.py").write_text("")
    assert [c.name for c in live.current().analysis.model.components] == ["solo"]


def test_the_command_explains_how_to_install_the_sdk(shop: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):  # as if the SDK had never been installed
        if name.split(".")[0] == "mcp" or name == "syspatterns.mcp.server":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)
    result = CliRunner().invoke(main, ["mcp", str(shop)])
    assert result.exit_code == 2
    assert result.stderr == ("syspatterns: error: the MCP server needs the mcp package: "
                             "pip install 'syspatterns[mcp]'\n")
    assert CliRunner().invoke(main, ["mcp", str(shop / "missing")]).exit_code == 2
