"""Whether database migrations can be rolled back, from their code.

Alembic: each revision (a module under a ``versions/`` folder with an ``upgrade()``) either
defines ``downgrade()`` or cannot be reversed; a ``downgrade()`` is checked against its
``upgrade()``: for each kind of schema operation of the upgrade that has a fixed undo (a table
created, a column added, ...; ``knowledge/migrations.toml``), the downgrade must call one of
the operations that undo it (facts keep each callee of a function once, so calls are compared
by kind, not counted).

Django: migrations are reversible by ``manage.py migrate APP PREVIOUS`` except data operations
given no reverse (``RunPython`` without ``reverse_code``, ``RunSQL`` without ``reverse_sql``),
which are listed.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import PurePosixPath
from typing import NamedTuple

from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.extract.facts import FunctionFact
from syspatterns.knowledge import read_table
from syspatterns.model import SystemModel


class Reverse(NamedTuple):
    """Where a Django data operation takes its reverse."""

    position: int
    keyword: str


@cache
def _undo() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(undo) for kind, undo in
            read_table("migrations.toml")["alembic"]["undo"].items()}


@cache
def _reversible() -> dict[str, Reverse]:
    rows = read_table("migrations.toml")["django"]["reversible"]
    return {name: Reverse(row["position"], row["keyword"]) for name, row in rows.items()}


def migration_files(model: SystemModel, folder: str) -> list[str]:
    """Non-test Python files directly under a folder named ``folder``."""
    tests = {m.path for m in model.modules.values() if m.is_test}
    return sorted(path for path in model.facts
                  if PurePosixPath(path).parent.name == folder and path not in tests
                  and not PurePosixPath(path).name.startswith("__"))


def _operation(callee: str) -> str | None:
    """``create_table`` for ``op.create_table`` or ``batch_op.add_column``, else ``None``."""
    receiver, _, name = callee.rpartition(".")
    receiver = receiver.rpartition(".")[2]
    return name if receiver == "op" or receiver.endswith("_op") else None


def undo_gaps(upgrade: FunctionFact, downgrade: FunctionFact) -> list[str]:
    """The kinds of operation of ``upgrade`` that ``downgrade`` calls nothing to undo."""
    undo = _undo()
    done = {_operation(callee) for callee, _ in downgrade.calls}
    kinds = {op for callee, _ in upgrade.calls if (op := _operation(callee)) in undo}
    return sorted(kind for kind in kinds if done.isdisjoint(undo[kind]))


def _gap_text(gaps: list[str]) -> str:
    return " and ".join(code("op." + kind) for kind in gaps)


def alembic_findings(model: SystemModel, aspect: str) -> list[Finding]:
    with_down: list[Evidence] = []
    without: list[Evidence] = []
    partial: list[tuple[Evidence, list[str]]] = []
    for path in migration_files(model, "versions"):
        functions = {f.name: f for f in model.facts[path].functions}
        if "upgrade" not in functions:
            continue
        if "downgrade" not in functions:
            without.append(Evidence(path, functions["upgrade"].line))
            continue
        down = Evidence(path, functions["downgrade"].line)
        with_down.append(down)
        if gaps := undo_gaps(functions["upgrade"], functions["downgrade"]):
            partial.append((down, gaps))
    total = len(with_down) + len(without)
    if not total:
        return []
    findings = [Finding(aspect, _alembic_summary(total, len(with_down), len(without)),
                        tuple([*without, *with_down][:8]))]
    if with_down:
        findings.append(_alembic_check(len(with_down), partial, aspect))
    return findings


def _alembic_summary(total: int, down: int, missing: int) -> str:
    if not missing:
        return (("The only Alembic migration defines" if total == 1
                 else f"All {total:,} Alembic migrations define")
                + " `downgrade()`, which `alembic downgrade` runs to step back (whether each "
                "undoes its `upgrade()` is checked next).")
    if not down:
        return (("The only Alembic migration defines no `downgrade()`: it cannot" if total == 1
                 else f"None of the {total:,} Alembic migrations defines `downgrade()`: they "
                 "cannot") + " be reversed with `alembic downgrade`.")
    return (f"{down:,} of {total:,} Alembic migrations define `downgrade()`; "
            f"{plural(missing, 'migration')} without one cannot be reversed with "
            "`alembic downgrade`.")


def _alembic_check(checked: int, partial: list[tuple[Evidence, list[str]]],
                   aspect: str) -> Finding:
    unchecked = ("operations without a fixed inverse, such as `op.execute` or "
                 "`op.alter_column`, are not checked")
    if not partial:
        return Finding(aspect, (
            f"Each `downgrade()` ({checked:,}) calls an operation that undoes each kind of "
            f"table, column, index and constraint change of its `upgrade()` ({unchecked})."))
    shown = "; ".join(f"`{e.path}` undoes nothing of {_gap_text(gaps)}"
                      for e, gaps in partial[:5])
    more = f"; and {len(partial) - 5} more" if len(partial) > 5 else ""
    return Finding(aspect, (
        f"{len(partial):,} of the {checked:,} `downgrade()` functions do not undo their "
        f"`upgrade()`: {shown}{more} ({unchecked})."), tuple(e for e, _ in partial[:8]))


def _without_reverse(model: SystemModel, path: str) -> list[tuple[str, Evidence]]:
    """The data operations of a migration file given no reverse."""
    reversible = _reversible()
    found = []
    for call in model.facts[path].calls:
        name = call.callee.rpartition(".")[2]
        rule = reversible.get(name)
        if rule is None or len(call.args) > rule.position or any(
                key == rule.keyword for key, _ in call.keywords):
            continue
        found.append((f"`{name}` without `{rule.keyword}`", Evidence(path, call.line)))
    return found


def django_findings(model: SystemModel, aspect: str) -> list[Finding]:
    apps: dict[str, list[Evidence]] = {}
    irreversible: list[tuple[str, Evidence]] = []
    for path in migration_files(model, "migrations"):
        for cls in model.facts[path].classes:
            if cls.name == "Migration" and any(b.endswith("Migration") for b in cls.bases):
                app = PurePosixPath(path).parent.parent.name
                apps.setdefault(app, []).append(Evidence(path, cls.line))
                irreversible.extend(_without_reverse(model, path))
    if not apps:
        return []
    count = sum(len(v) for v in apps.values())
    text = (f"Django: {plural(count, 'migration')} in {plural(len(apps), 'app')} "
            f"({names(sorted(apps))}); `manage.py migrate APP PREVIOUS` reverses "
            f"{'it' if count == 1 else 'them'}")
    firsts = tuple(evidence[0] for _, evidence in sorted(apps.items()))
    if not irreversible:
        return [Finding(aspect, text + "; every `RunPython` and `RunSQL` operation in them is "
                        "given its reverse.", firsts)]
    kinds = Counter(kind for kind, _ in irreversible)
    listed = ", ".join(f"{kind} ({count:,})" for kind, count in sorted(kinds.items()))
    return [Finding(aspect, text + ", except past the data operations given no reverse, which "
                    f"make `migrate` stop with `IrreversibleError`: {listed}.",
                    firsts + tuple(e for _, e in irreversible[:6]))]
