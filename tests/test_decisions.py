"""The Key Technical Decisions section."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.decisions import ALTERNATIVES_WORDING, DecisionsAnalyser, sentence
from syspatterns.core.evidence import Section, Subsection
from syspatterns.core.sections import SECTION_BY_KEY
from syspatterns.model import SystemModel
from syspatterns.pipeline import run_analysis

from .conftest import MakeRepo, git

Analyse = Callable[..., SystemModel]

SERVICE = {
    "pyproject.toml": """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"
        [project]
        name = "svc"
        dependencies = ["flask>=3", "redis", "gunicorn"]
        [project.optional-dependencies]
        test = ["pytest"]
    """,
    "svc/__init__.py": "",
    "svc/web.py": "from flask import Flask\nimport flask\n",
    "svc/views.py": "from flask import Blueprint\n",
    "svc/cache.py": "import redis\n",
    "tests/test_web.py": "import pytest\ndef test_x(): pass\n",
}


def decisions(model: SystemModel) -> Section:
    return DecisionsAnalyser().analyse(model)


def subsection(section: Section, word: str) -> Subsection:
    return next(s for s in section.subsections if word in s.title)


def claims(found: Subsection, aspect: str) -> list[str]:
    return [f.claim for f in found.findings if f.aspect == aspect]


def test_one_decision_per_category_most_imported_first(analyse_repo: Analyse) -> None:
    section = decisions(analyse_repo(SERVICE))
    assert [s.title for s in section.subsections] == [
        "Decision 1: Web framework", "Decision 2: Cache", "Decision 3: Test framework",
        "Decision 4: Packaging and build backend"]
    aspects = SECTION_BY_KEY["decisions"].aspects
    for found in section.subsections:
        assert {f.aspect for f in found.findings} == set(aspects)
        assert all(f.evidence for f in found.findings)


def test_decision_states_library_constraint_and_use(analyse_repo: Analyse) -> None:
    web = subsection(decisions(analyse_repo(SERVICE)), "Web framework")
    (claim,) = claims(web, "Decision")
    assert claim == ("`Flask`: 3 import statements in 1 code component; declared as "
                     "`flask>=3` (main dependencies).")
    assert [str(e) for e in web.findings[0].evidence] == [
        "pyproject.toml:6", "svc/views.py:1", "svc/web.py:1"]


def test_alternatives_are_worded_as_the_category_not_as_considered(analyse_repo: Analyse) -> None:
    web = subsection(decisions(analyse_repo(SERVICE)), "Web framework")
    (claim,) = claims(web, "Alternatives considered")
    assert claim.startswith(ALTERNATIVES_WORDING + ": ")
    assert "`Django`" in claim and "`Flask`" not in claim
    files = {**SERVICE, "pyproject.toml": SERVICE["pyproject.toml"].replace('"svc"', '"Django"')}
    web = subsection(decisions(analyse_repo(files)), "Web framework")
    (claim,) = claims(web, "Alternatives considered")
    assert "`Django`" not in claim  # the project itself is no alternative of its own


def test_implications_name_the_coupled_components(analyse_repo: Analyse) -> None:
    section = decisions(analyse_repo(SERVICE))
    (web,) = claims(subsection(section, "Web framework"), "Implications")
    assert web.startswith("`Flask`: confined to one component, `svc` (3)")
    (tests,) = claims(subsection(section, "Test framework"), "Implications")
    assert tests == ("`pytest`: the tests depend on it; imported by `tests/` (1) "
                     "(import statements).")


def test_summary_reports_declared_but_not_imported(analyse_repo: Analyse) -> None:
    section = decisions(analyse_repo(SERVICE))
    declared = [f for f in section.summary if f.aspect == "Declared, not imported"]
    assert len(declared) == 1 and "main dependencies: `gunicorn`" in declared[0].claim
    assert [str(e) for e in declared[0].evidence] == ["pyproject.toml:6"]
    assert not any(s.title.endswith("WSGI/ASGI server") for s in section.subsections)


def test_summary_reports_imported_but_not_declared(analyse_repo: Analyse) -> None:
    files = dict(SERVICE)
    files["svc/http.py"] = "import requests\n"
    section = decisions(analyse_repo(files))
    (finding,) = [f for f in section.summary if f.aspect == "Imported, not declared"]
    assert "`requests` (1 in the code)" in finding.claim
    assert [str(e) for e in finding.evidence] == ["svc/http.py:1"]


def test_a_library_imported_only_for_type_checking_is_no_decision(
        analyse_repo: Analyse) -> None:
    files = dict(SERVICE)
    files["svc/aio.py"] = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                           "    import trio\n    import celery\n")
    files["svc/jobs.py"] = "import celery\n"  # imported at run time too: a decision
    section = decisions(analyse_repo(files))
    titles = [s.title for s in section.subsections]
    assert not any("Async" in t for t in titles) and any("Task queue" in t for t in titles)
    (finding,) = [f for f in section.summary if f.aspect == "Type checking only"]
    assert "`trio` (1)" in finding.claim and "celery" not in finding.claim
    assert [str(e) for e in finding.evidence] == ["svc/aio.py:3"]
    undeclared = [f.claim for f in section.summary if f.aspect == "Imported, not declared"]
    assert not any("trio" in claim for claim in undeclared)
    assert any("`celery`" in claim for claim in undeclared)


def test_rationale_without_git_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    web = subsection(decisions(analyse_repo(SERVICE)), "Web framework")
    (claim,) = claims(web, "Rationale")
    assert claim == ("`Flask`: not recorded; no ADR mentions it and the repository is not a git "
                     "checkout, so its history cannot be read.")


def test_libraries_unrecorded_for_one_reason_share_one_rationale(analyse_repo: Analyse) -> None:
    files = dict(SERVICE)
    files["pyproject.toml"] = files["pyproject.toml"].replace('"gunicorn"', '"gunicorn", "fastapi"')
    files["svc/api.py"] = "import fastapi\n"
    web = subsection(decisions(analyse_repo(files)), "Web framework")
    assert claims(web, "Rationale") == [
        "`Flask` and `FastAPI`: not recorded; no ADR mentions them and the repository is not "
        "a git checkout, so its history cannot be read."]
    assert [str(e) for e in web.findings[-3].evidence] == ["pyproject.toml:6"]
    files["svc/api2.py"] = "import starlette\n"
    files["svc/api3.py"] = "import sanic\n"
    web = subsection(decisions(analyse_repo(files)), "Web framework")
    assert ("`sanic` and `starlette`: not recorded; no ADR mentions them and no manifest "
            "declares them, so no commit adding them could be looked for.") in claims(
        web, "Rationale")


def test_rationale_from_the_commit_that_added_the_dependency(make_repo: MakeRepo) -> None:
    root = make_repo(SERVICE, use_git=True)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"redis",', '"redis", "celery",'))
    (root / "svc" / "tasks.py").write_text("import celery\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Run e-mails in Celery workers")
    section = decisions(run_analysis(root, use_cache=False, jobs=1).model)
    (claim,) = claims(subsection(section, "Task queue"), "Rationale")
    assert claim.startswith("`celery`: no ADR mentions it; it was first added to "
                            "`pyproject.toml` in commit `")
    assert claim.endswith(': "Run e-mails in Celery workers".')


def test_adr_decisions_and_rationale(analyse_repo: Analyse) -> None:
    files = dict(SERVICE)
    files["docs/adr/0003-cache-with-redis.md"] = """
        # 3. Cache sessions with Redis

        ## Status

        Accepted

        ## Context

        Sessions must survive restarts. Memory is not enough.

        ## Decision

        We will keep sessions in Redis.

        ## Consequences

        Redis must be highly available.
    """
    section = decisions(analyse_repo(files))
    (cache_rationale,) = claims(subsection(section, "Cache"), "Rationale")
    assert cache_rationale.startswith("`redis`: ADR `docs/adr/0003-cache-with-redis.md` "
                                      "(\"Cache sessions with Redis\", status Accepted)")
    adr = subsection(section, "(ADR 3)")
    assert adr.title == "Decision 5: Cache sessions with Redis (ADR 3)"
    assert claims(adr, "Decision") == ["We will keep sessions in Redis. (status: Accepted)"]
    assert claims(adr, "Rationale") == ["Context: Sessions must survive restarts."]
    assert claims(adr, "Implications") == ["Redis must be highly available."]
    assert claims(adr, "Alternatives considered") == [
        "not recorded: the Nygard record has no considered-options section."]


def test_nothing_found_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    section = decisions(analyse_repo({"app.py": "import os\n"}))
    assert section.subsections == []
    (overview,) = section.summary
    assert overview.claim.startswith("No technical decision found: the code's 0 third-party "
                                     "import statements name no library")
    assert "`**/adr/*.md`" in overview.claim


def test_front_end_framework_decision(analyse_repo: Analyse) -> None:
    section = decisions(analyse_repo({
        "app.py": "x = 1\n",
        "web/package.json": '{\n  "dependencies": {\n    "react": "^18.2.0"\n  }\n}\n',
    }))
    found = subsection(section, "Front-end framework")
    assert claims(found, "Decision") == ["`react` `^18.2.0` in `web/package.json` "
                                         "(dependencies)."]
    assert [str(e) for e in found.findings[0].evidence] == ["web/package.json:3"]


def test_sentence_is_not_cut_after_abbreviations() -> None:
    assert sentence("Packagers (e.g. Homebrew) want it. More.") == (
        "Packagers (e.g. Homebrew) want it.")
    assert sentence("No end") == "No end"


def test_charting_libraries_are_a_decision_of_their_own(analyse_repo: Analyse) -> None:
    files = dict(SERVICE)
    files["svc/charts.py"] = "import altair\nimport numpy\n"
    titles = [s.title for s in decisions(analyse_repo(files)).subsections]
    assert any(t.endswith("Data visualization") for t in titles)
    assert any(t.endswith("Scientific computing") for t in titles)  # numpy stays there
    files["svc/crawl.py"] = "import scrapy\nfrom bs4 import BeautifulSoup\n"
    titles = [s.title for s in decisions(analyse_repo(files)).subsections]
    assert any(t.endswith("Web crawling and scraping") for t in titles)
    assert not any(t.endswith("HTTP client") for t in titles)
    files["svc/browse.py"] = "from selenium import webdriver\n"  # the code drives a browser
    browser = subsection(decisions(analyse_repo(files)), "Browser testing")
    (implication,) = claims(browser, "Implications")
    assert implication.startswith("`selenium`: confined to one component, `svc` (1)")


def test_a_library_takes_the_category_of_the_module_the_code_imports(
        analyse_repo: Analyse) -> None:
    client = {"svc/__init__.py": "", "svc/fetch.py": "import aiohttp\n",
              "tests/test_app.py": "from aiohttp import web\n"}
    titles = [s.title for s in decisions(analyse_repo(client)).subsections]
    assert any(t.endswith("HTTP client") for t in titles)  # tests import aiohttp.web
    assert not any(t.endswith("Web framework") for t in titles)
    server = {**client, "svc/app.py": "from aiohttp import web\napp = web.Application()\n"}
    web = subsection(decisions(analyse_repo(server)), "Web framework")
    assert claims(web, "Decision")[0].startswith("`aiohttp`: 2 import statements")
    assert not any(s.title.endswith("HTTP client")
                   for s in decisions(analyse_repo(server)).subsections)


def test_chat_bot_frameworks_are_a_decision(analyse_repo: Analyse) -> None:
    bot = subsection(decisions(analyse_repo({
        "bot/__init__.py": "", "bot/main.py": "from aiogram import Dispatcher\nimport telegram\n",
    })), "Chat bot framework")
    assert [c.split(":")[0] for c in claims(bot, "Decision")] == ["`aiogram`",
                                                                  "`python-telegram-bot`"]
