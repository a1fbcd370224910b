"""The HTML report in a real headless browser (Debian's chromium driven by Playwright, which
downloads no browser of its own): the script runs, the graph pans, zooms and selects, and the
page of a 120-package repository starts grouped and stays usable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, sync_playwright

from syspatterns.cli import main

from .conftest import MakeRepo
from .test_report import SHOP, many_packages

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
    "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 20_000

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, temporary profile (user data dir).
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                              timeout=60_000)
        yield launched
        launched.close()


def open_report(browser: Browser, root: Path, target: Path) -> tuple[Page, list[str]]:
    result = CliRunner().invoke(main, ["report", str(root), "-o", str(target), "-q"])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.goto(target.as_uri())
    page.wait_for_selector("figure.graph[data-ready=true]", state="attached")
    return page, errors


def node_id(page: Page, name: str) -> str:
    found = page.get_attribute(f'template[data-name="{name}"]', "data-id")
    assert found is not None
    return found


def view_box(page: Page) -> list[float]:
    value = page.get_attribute("svg.canvas", "viewBox")
    assert value is not None
    return [float(part) for part in value.split()]


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000


def test_select_a_component_pan_zoom_and_follow_links(browser: Browser, make_repo: MakeRepo,
                                                      tmp_path: Path) -> None:
    page, errors = open_report(browser, make_repo(SHOP), tmp_path / "report.html")
    assert page.locator("nav.toc li").count() == 13
    assert page.locator("g.view[data-view=components] .node").count() == 4
    assert page.is_hidden("aside.panel")
    ops, shop = node_id(page, "ops"), node_id(page, "shop")

    page.locator("figure.graph").scroll_into_view_if_needed()
    page.click(f'.node[data-id="{ops}"]')
    assert page.is_visible("aside.panel")
    assert page.inner_text("aside.panel h3") == "ops"
    panel = page.inner_text("aside.panel")
    assert "Operations tooling." in panel and "Dependencies:" in panel
    assert "Dependents:" in panel and "Interfaces:" in panel
    assert page.get_attribute(f'.node[data-id="{ops}"]', "class") == "node component selected"
    assert "neighbour" in (page.get_attribute(f'.node[data-id="{shop}"]', "class") or "")
    active = page.locator(".edge.active")
    assert active.count() == 2  # ops -> shop, and shop -> ops under TYPE_CHECKING
    assert "focus" in (page.get_attribute("svg.canvas", "class") or "")
    page.screenshot(path=str(tmp_path / "selected.png"), full_page=False)
    assert_png(tmp_path / "selected.png")

    # Escape clears the selection; the wheel zooms; a drag pans.
    page.keyboard.press("Escape")
    assert page.is_hidden("aside.panel") and page.locator(".selected").count() == 0
    before = view_box(page)
    box = page.locator("svg.canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"document.querySelector('svg.canvas').getAttribute('viewBox') "
                           f"!== '{' '.join(str(v) for v in before)}'")
    zoomed = view_box(page)
    assert zoomed[2] < before[2]
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(box["x"] + 260, box["y"] + 160, steps=5)
    page.mouse.up()
    panned = view_box(page)
    assert panned[0] < zoomed[0] and panned[2] == zoomed[2]
    assert page.is_hidden("aside.panel")  # the drag selected nothing

    # The panel leads to the component's entry in Component Relationships, opened.
    page.click("button.fit")
    assert view_box(page)[:2] == [-20.0, -20.0]  # the whole graph
    page.click(f'.node[data-id="{ops}"]')
    page.click("aside.panel >> text=In Component Relationships")
    page.wait_for_function("location.hash === '#component-ops'")
    assert page.get_attribute("#component-ops", "open") is not None
    href = page.get_attribute("#components a.ev", "href")
    assert href is not None and (tmp_path / href.split("#")[0]).is_file()
    assert errors == []


def test_a_repository_of_120_packages_starts_grouped(browser: Browser, make_repo: MakeRepo,
                                                    tmp_path: Path) -> None:
    page, errors = open_report(browser, make_repo(many_packages()), tmp_path / "report.html")
    assert page.get_attribute("figure.graph", "data-current") == "groups"
    assert page.locator("g.view[data-view=groups] .node").count() == 12
    assert page.is_hidden("g.view[data-view=components]")
    page.locator("figure.graph").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "groups.png"))
    assert_png(tmp_path / "groups.png")

    page.click('g.view[data-view=groups] .node:has-text("orders_*")')
    members = page.locator("aside.panel .members button")
    assert members.count() == 10
    page.click('aside.panel button:text-is("orders_service")')
    assert page.get_attribute("figure.graph", "data-current") == "components"
    assert page.locator("g.view[data-view=components] .node").count() == 120
    assert page.inner_text("aside.panel h3") == "orders_service"
    service = node_id(page, "orders_service")
    assert page.get_attribute("figure.graph", "data-selected") == service
    neighbours = page.locator(".node.neighbour text").all_text_contents()
    assert sorted(neighbours) == ["identity_core", "orders_api", "orders_events",
                                  "orders_jobs", "orders_repo"]
    page.screenshot(path=str(tmp_path / "all.png"))
    assert_png(tmp_path / "all.png")

    page.fill("input.find", "tax_cli")
    page.press("input.find", "Enter")
    assert page.inner_text("aside.panel h3") == "tax_cli"
    page.click("button.toggle-view")
    assert page.get_attribute("figure.graph", "data-current") == "groups"
    assert page.is_hidden("aside.panel")

    # The Component Relationships section starts collapsed, with a filter.
    assert page.locator("#components details.subsection[open]").count() == 0
    page.fill("#components .filter-input", "billing_")
    assert page.locator("#components details.subsection:visible").count() == 10
    assert errors == []
