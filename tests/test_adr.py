"""Architecture decision records in Nygard's and MADR's formats."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from syspatterns.model import SystemModel
from syspatterns.model.adr import adrs_of, parse_adr

NYGARD = textwrap.dedent("""\
    # 2. Use PostgreSQL for orders

    Date: 2024-03-01

    ## Status

    Superseded by [ADR 7](0007-use-aurora.md)

    ## Context

    Orders need transactions (e.g. stock and payment together). We run Postgres elsewhere.

    ## Decision

    We will store orders in PostgreSQL through SQLAlchemy.

    ## Consequences

    Migrations are managed with Alembic.
""")

MADR_FRONT_MATTER = textwrap.dedent("""\
    ---
    status: accepted
    date: 2024-05-02
    ---
    # Cache product pages in Redis

    ## Context and Problem Statement

    Product pages are slow.

    ## Considered Options

    * Redis
    * [Memcached](https://memcached.org)
    * In-process LRU

    ## Decision Outcome

    Chosen option: "Redis", because

    * it is already deployed.
    * it supports expiry.

    ### Consequences

    * Good, because pages are fast.
    * Bad, because Redis becomes a dependency.
""")

MADR_BULLETS = textwrap.dedent("""\
    # Use Markdown Architectural Decision Records

    * Status: proposed
    * Date: 2018-01-02

    ## Context and Problem Statement

    We want to record decisions.

    ## Decision Outcome

    Chosen option: "MADR", because it is lean.

    ### Positive Consequences

    * Structured records.

    ### Negative Consequences

    * One more format.
""")


def test_nygard_record() -> None:
    record = parse_adr("doc/adr/0002-use-postgresql.md", NYGARD)
    assert record is not None
    assert (record.number, record.title, record.title_line, record.format) == (
        2, "Use PostgreSQL for orders", 1, "Nygard")
    assert record.status is not None and record.status.text == "Superseded by ADR 7"
    assert record.status.line == 7
    assert record.date is not None and (record.date.text, record.date.line) == ("2024-03-01", 3)
    assert record.context is not None and record.context.line == 11
    assert record.decision is not None and "SQLAlchemy" in record.decision.text
    assert [c.text for c in record.consequences] == ["Migrations are managed with Alembic."]
    assert record.options == []


def test_madr_with_front_matter_options_and_consequences() -> None:
    record = parse_adr("docs/decisions/0005-cache.md", MADR_FRONT_MATTER)
    assert record is not None and record.format == "MADR"
    assert record.status is not None and (record.status.text, record.status.line) == (
        "accepted", 2)
    assert [(o.text, o.line) for o in record.options] == [
        ("Redis", 13), ("Memcached", 14), ("In-process LRU", 15)]
    assert record.decision is not None and record.decision.text == (
        'Chosen option: "Redis", because it is already deployed; it supports expiry')
    assert [c.text for c in record.consequences] == [
        "Good, because pages are fast; Bad, because Redis becomes a dependency"]


def test_madr_with_status_bullets_and_split_consequences() -> None:
    record = parse_adr("adr/0000-use-madr.md", MADR_BULLETS)
    assert record is not None
    assert record.status is not None and (record.status.text, record.status.line) == (
        "proposed", 3)
    assert record.date is not None and record.date.text == "2018-01-02"
    assert [c.text for c in record.consequences] == ["Structured records", "One more format"]
    assert record.number == 0


def test_what_is_not_a_decision_record() -> None:
    assert parse_adr("docs/adr/README.md", "# Decisions\n\n## Context\n\nx\n") is None
    assert parse_adr("docs/adr/adr-template.md", MADR_BULLETS) is None
    assert parse_adr("docs/adr/index.md", MADR_BULLETS) is None
    assert parse_adr("docs/adr/0001-notes.md", "# Notes\n\nJust text.\n") is None
    assert parse_adr("docs/adr/0001-empty.md", "") is None


def test_headings_inside_code_fences_are_not_sections() -> None:
    text = "# Use YAML\n\n## Context\n\nWhy.\n\n```markdown\n## Decision\n```\n"
    record = parse_adr("adr/0001-yaml.md", text)
    assert record is not None and record.decision is None


def test_records_of_a_repository(analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "docs/adr/0010-later.md": NYGARD.replace("# 2. ", "# 10. "),
        "docs/adr/0002-use-postgresql.md": NYGARD,
        "docs/adr/README.md": "# Index\n",
        "src/app.py": "x = 1\n",
    })
    records = adrs_of(model)
    assert [(r.number, r.path) for r in records.records] == [
        (2, "docs/adr/0002-use-postgresql.md"), (10, "docs/adr/0010-later.md")]
    assert records.skipped == ["docs/adr/README.md"]
    assert records.folders == ["docs/adr"]
