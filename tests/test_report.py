"""``syspatterns report``: the HTML page, the component graph's layout and views, and the
check of the document on disk (the page itself is driven in a browser in
test_report_browser.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from click.testing import CliRunner, Result

from syspatterns.check import check_repository
from syspatterns.cli import main
from syspatterns.core.sections import SECTIONS
from syspatterns.model import SystemModel
from syspatterns.pipeline import run_analysis
from syspatterns.report.component_graph import (
    NODE_HEIGHT,
    component_views,
    group_key,
    groups_of,
)

from .conftest import MakeRepo

SHOP = {
    "shop/__init__.py": '"""The shop."""\n',
    "shop/api.py": "from shop.core import models\nfrom typing import TYPE_CHECKING\n"
                   "if TYPE_CHECKING:\n    import ops\n",
    "shop/core/__init__.py": '"""Core of the shop."""\n',
    "shop/core/models.py": "import yaml\nclass Order:\n    def total(self): ...\n",
    "ops/__init__.py": '"""Operations tooling."""\nfrom shop import api\n',
    "lib_a/__init__.py": "import lib_b\n",
    "lib_b/__init__.py": "import lib_a\n",
    "tests/test_api.py": "from shop import api\n",
}

DOMAINS = ("billing", "catalog", "checkout", "identity", "inventory", "ledger", "mailer",
           "orders", "pricing", "search", "shipping", "tax")
PARTS = ("util", "models", "schemas", "core", "repo", "events", "service", "jobs", "api",
         "cli")  # lowest layer first


def many_packages() -> dict[str, str | bytes]:
    """120 top-level packages: twelve domains of ten layered packages each, domains linked
    through their services."""
    files: dict[str, str | bytes] = {}
    for number, domain in enumerate(DOMAINS):
        for level, part in enumerate(PARTS):
            imports = [f"import {domain}_{below}" for below in PARTS[max(0, level - 2):level]]
            if part == "service" and number:
                imports.append(f"import {DOMAINS[(number - 1) // 2]}_core")
            files[f"{domain}_{part}/__init__.py"] = (
                f'"""The {part} of {domain}."""\n' + "\n".join(imports) + "\n")
            files[f"{domain}_{part}/main.py"] = (
                f"class {domain.title()}{part.title()}:\n    def run(self): ...\n")
    return files


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def report_of(root: Path, *args: str) -> str:
    result = run("report", str(root), "-o", "-", "-q", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


# The component graph


def test_group_key_is_the_package_prefix() -> None:
    assert group_key("billing_api") == "billing_*"
    assert group_key("django.contrib.admin") == "django.contrib.*"
    assert group_key("_private_thing") == "private_*"
    assert group_key("shop") == "shop"
    assert groups_of(["shop", "billing_api", "billing_core", "search_api"]) == {
        "billing_*": ["billing_api", "billing_core"]}


def test_layout_puts_importers_above_what_they_import_without_overlaps(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo(SHOP)
    [view] = component_views(model)
    nodes = {n.label: n for n in view.nodes}
    assert set(nodes) == {"shop", "ops", "lib_a", "lib_b"}  # tests are not drawn
    by_id = {n.id: n for n in view.nodes}
    for edge in view.edges:
        source, target = by_id[edge.source], by_id[edge.target]
        if not edge.type_only and source.layer != target.layer:
            assert source.layer > target.layer and source.y < target.y
    # ops -> shop is a run-time import, shop -> ops only under TYPE_CHECKING.
    kinds = {(by_id[e.source].label, by_id[e.target].label): e.type_only for e in view.edges}
    assert kinds[("ops", "shop")] is False and kinds[("shop", "ops")] is True
    # The cycle lib_a <-> lib_b shares one layer.
    assert nodes["lib_a"].layer == nodes["lib_b"].layer
    for a, b in combinations(view.nodes, 2):
        if a.y == b.y:
            assert a.x + a.width <= b.x or b.x + b.width <= a.x
        else:
            assert abs(a.y - b.y) >= NODE_HEIGHT


def test_a_few_components_get_one_view_and_many_also_a_grouped_one(
        analyse_repo: Callable[..., SystemModel]) -> None:
    assert [v.key for v in component_views(analyse_repo(SHOP))] == ["components"]
    views = component_views(analyse_repo(many_packages()))
    assert [v.key for v in views] == ["components", "groups"]
    everything, grouped = views
    assert len(everything.nodes) == 120 and len(grouped.nodes) == 12
    assert {n.label for n in grouped.nodes} == {f"{d}_* (10)" for d in DOMAINS}
    assert len(everything.bands) == 10
    # Wide layers wrap: no row is wider than the graph.
    assert all(n.x + n.width <= everything.width for n in everything.nodes)
    labels = {n.id: n.label for n in grouped.nodes}
    assert ("catalog_* (10)", "billing_* (10)") in {
        (labels[e.source], labels[e.target]) for e in grouped.edges}


# The page


def test_the_page_has_every_section_in_order_with_navigation(make_repo: MakeRepo) -> None:
    page = report_of(make_repo(SHOP))
    titles = re.findall(r'<section id="[^"]+" class="doc-section"><h2>([^<]+)</h2>', page)
    assert titles == [s.title for s in SECTIONS] + ["Analysis notes"]
    nav = re.findall(r'<li><a href="#([^"]+)">', page)
    assert nav == [s.key for s in SECTIONS] + ["analysis-notes"]
    assert page.count('<g class="node component"') == 4
    # The panel content of each component: its responsibility, neighbours and interfaces.
    template = re.search(r'<template data-id="c\d+" data-name="ops">(.*?)</template>', page)
    assert template is not None
    assert "Operations tooling." in template.group(1)
    assert "Dependencies:" in template.group(1) and "Dependents:" in template.group(1)
    assert 'href="#component-ops"' in template.group(1)
    assert 'id="component-ops"' in page


def test_evidence_links_lead_from_the_report_to_the_files(make_repo: MakeRepo,
                                                          tmp_path: Path) -> None:
    root = make_repo(SHOP)
    page = report_of(root)
    assert '<a class="ev" href="shop/core/models.py#L1">shop/core/models.py:1</a>' in page
    target = tmp_path / "out" / "report.html"
    assert run("report", str(root), "-o", str(target), "-q").exit_code == 0
    written = target.read_text()
    prefix = f"../{root.name}/"
    assert f'href="{prefix}shop/core/models.py#L1"' in written
    # Every linked file exists.
    for href in re.findall(r'class="ev" href="([^"#]+)#L\d+"', written):
        assert (target.parent / href).is_file(), href


def test_the_page_loads_nothing_from_elsewhere(make_repo: MakeRepo) -> None:
    page = report_of(make_repo(SHOP))
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"]
    assert "pointerdown" in page and ".node rect" in page  # script and style inlined


def test_the_page_is_deterministic(make_repo: MakeRepo) -> None:
    root = make_repo(many_packages())
    first = report_of(root)
    assert first == report_of(root) == report_of(root, "--no-cache", "-j", "2")
    assert first.count('<g class="node group"') == 12
    assert "Show all 120 components" in first


def test_default_location_and_a_repository_without_code(make_repo: MakeRepo) -> None:
    root = make_repo({"README.md": "# Nothing to see\n"})
    result = run("report", str(root))
    assert result.exit_code == 0, result.output
    page = (root / "memory-bank" / "systemPatterns.html").read_text()
    assert "<figure" not in page and "Analysis notes" in page
    assert run("report", str(root / "missing")).exit_code == 2


def test_the_page_shows_what_the_document_check_found(make_repo: MakeRepo) -> None:
    root = make_repo(SHOP)
    # Twice: the file count in the notes includes the document once it exists.
    for _ in range(2):
        assert run("generate", str(root), "-q").exit_code == 0
    page = report_of(root)
    assert 'id="document-check"' not in page
    assert "<code>memory-bank/systemPatterns.md</code> matches the code." in page
    (root / "shop" / "extra.py").write_text("import ops\n")
    page = report_of(root)
    check = re.search(r'<section id="document-check".*?</section>', page, flags=re.S)
    assert check is not None
    assert "generated block <code>architecture</code> is out of date" in check.group(0)
    assert '<a class="ev" href="memory-bank/systemPatterns.md#L' in check.group(0)
    assert '<pre class="detail">' in check.group(0)  # the short diff
    assert '<li class="nav-check"><a href="#document-check">' in page


def test_a_document_that_cannot_be_checked_is_left_out_with_a_warning(
        make_repo: MakeRepo) -> None:
    root = make_repo({**SHOP, "memory-bank/systemPatterns.md":
                      "<!-- syspatterns:begin architecture -->\nno end\n"})
    result = CliRunner().invoke(main, ["report", str(root), "-o", "-", "-q"])
    assert result.exit_code == 0
    assert "warning: the document was not checked:" in result.stderr
    assert "no end marker" in result.stderr
    assert 'id="document-check"' not in result.stdout


# The check on an analysis already made


def test_check_analysis_finds_what_syspatterns_check_finds(make_repo: MakeRepo) -> None:
    root = make_repo(SHOP)
    assert check_repository(root, run_analysis(root, use_cache=False, jobs=1)) is None
    for _ in range(2):
        assert run("generate", str(root), "-q").exit_code == 0
    document = root / "memory-bank" / "systemPatterns.md"
    document.write_text(document.read_text() + "\nThe `shop/missing.py` module sends mail.\n")
    (root / "shop" / "extra.py").write_text("import lib_a\n")
    report = check_repository(root, run_analysis(root, use_cache=False, jobs=1))
    assert report is not None
    found = {(p.kind, p.message.split(" ")[2]) for p in report.problems}
    assert ("stale", "`architecture`") in found
    assert any(p.kind == "path" and "shop/missing.py" in p.message for p in report.problems)
    cli = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    assert len(json.loads(cli.stdout)["findings"]) == len(report.problems)
