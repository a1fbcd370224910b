#!/usr/bin/env python3
"""Benchmark syspatterns against CPython's ``ast.parse``, grimp and pydeps on Django's source.

What it measures
----------------
Every tool reads the same files: the ``django/`` package folder (about 883 ``.py`` files) taken
from Django's source distribution, downloaded once with
``python -m pip download --no-deps --no-binary :all: Django==<version>`` and copied to
``WORKDIR/tree/django``.  ``WORKDIR/tree`` is not a git checkout, so syspatterns walks the
folder (the script sets ``GIT_CEILING_DIRECTORIES`` so that git does not find the repository
this script lives in).

Before any timing, the script byte-compiles the syspatterns package and writes its parsed
knowledge tables beside it, as its first run on a machine does: where Python is told to write
no bytecode (``PYTHONDONTWRITEBYTECODE``) an editable install would otherwise compile its
modules and parse its tables in every timed run.

Each measurement is the wall-clock time (``time.perf_counter`` around ``subprocess.run``) of a
fresh subprocess running under the same interpreter as this script, repeated ``--repeat`` times;
the report gives the median, min and max.  The runs are interleaved (one round runs every
measurement once) so that a burst of load from another process hurts all tools alike.

``ast_parse_1core``
    A subprocess reads every ``.py`` file into memory first, then times only ``ast.parse`` over
    all of them, one after the other on one core, and prints the seconds.  That in-process
    number is used: it is the baseline of the target "a cold run takes under 1.5x the time
    CPython's ast.parse alone takes on the same files".
``syspatterns_cold``
    ``WORKDIR/tree/.syspatterns`` (the cache) is deleted, then
    ``python -m syspatterns generate TREE -q -o WORKDIR/out.md`` runs.
``syspatterns_warm``
    The same command with nothing changed, after one untimed run so the cache is warm.
``syspatterns_one_changed``
    A comment line ``# bench N`` (a distinct N each time) is appended to
    ``django/utils/text.py``, then the same command runs.
    A comment changes the file's bytes, not its facts: the run extracts the file again and
    reuses the last result (early cutoff).
``syspatterns_one_edited``
    Right after it, a function ``_bench_N`` is appended to the same
    file, then the same command runs: an edit that changes the file's facts, so the model
    and every analyser run again (informative; the target is about ``one_changed``).
``grimp_cold``
    ``python -c "import grimp; grimp.build_graph('django', cache_dir=None)"`` with
    ``cwd=TREE`` and ``PYTHONPATH=TREE``.
``pydeps``
    ``python -m pydeps django --show-deps --no-output --max-bacon=0 --no-config`` with
    ``cwd=TREE``: the full dependency set of the package printed as JSON, no graphviz call.
    If pydeps fails its error is reported and the benchmark goes on.

Then it prints the ratios the project tracks with their targets (PASS/FAIL):
cold/ast_parse_1core < 1.5, warm/grimp_cold <= 1.0, one_changed/warm < 2.0, and, for
information, one_edited/warm, cold/grimp_cold, cold/pydeps and warm/pydeps.

How to run
----------
From the repository's root, in a virtualenv::

    pip install -e '.[bench]'
    python benchmarks/bench.py                 # 5 repetitions
    python benchmarks/bench.py --repeat 3 --json results.json

Options: ``--workdir DIR`` (default ``benchmarks/.work/``, git-ignored), ``--django-version``
(default 5.2), ``--repeat N`` (default 5), ``--json FILE``, ``--timeout SECONDS`` (per run).

The exit status is 0 even when a target is missed (this is a report), 1 when syspatterns
itself fails (exits non-zero or times out), 2 when the Django sources cannot be prepared.
Absolute times depend on the machine and on its load: read the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / ".work"
CHANGED_MODULE = Path("django") / "utils" / "text.py"

# Reads every .py file below argv[1] first, then times ast.parse alone over all of them.
AST_PARSE_CHILD = r"""
import ast, json, os, sys, time
root = sys.argv[1]
sources = []
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(filenames):
        if name.endswith(".py"):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                sources.append((path, handle.read()))
failed = 0
started = time.perf_counter()
for path, source in sources:
    try:
        ast.parse(source, path)
    except (SyntaxError, ValueError):
        failed += 1
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "files": len(sources), "failed": failed}))
"""

GRIMP_CHILD = (
    "import grimp; graph = grimp.build_graph('django', cache_dir=None); print(len(graph.modules))"
)

NAMES = [
    "ast_parse_1core",
    "syspatterns_cold",
    "syspatterns_warm",
    "syspatterns_one_changed",
    "syspatterns_one_edited",
    "grimp_cold",
    "pydeps",
]

# (label, numerator, denominator, target operator, target value); operator None = informative.
RATIOS: list[tuple[str, str, str, str | None, float | None]] = [
    ("cold / ast_parse_1core", "syspatterns_cold", "ast_parse_1core", "<", 1.5),
    ("warm / grimp_cold", "syspatterns_warm", "grimp_cold", "<=", 1.0),
    ("one_changed / warm", "syspatterns_one_changed", "syspatterns_warm", "<", 2.0),
    ("one_edited / warm", "syspatterns_one_edited", "syspatterns_warm", None, None),
    ("cold / grimp_cold", "syspatterns_cold", "grimp_cold", None, None),
    ("cold / pydeps", "syspatterns_cold", "pydeps", None, None),
    ("warm / pydeps", "syspatterns_warm", "pydeps", None, None),
]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class SetupError(Exception):
    pass


# --------------------------------------------------------------------------- preparing sources


def find_sdist(workdir: Path, version: str) -> Path | None:
    wanted = {f"django-{version}.tar.gz".lower()}
    for entry in sorted(workdir.iterdir()) if workdir.is_dir() else []:
        if entry.is_file() and entry.name.lower() in wanted:
            return entry
    return None


def download_sdist(workdir: Path, version: str, timeout: float) -> Path:
    found = find_sdist(workdir, version)
    if found is not None:
        log(f"using the already downloaded {found}")
        return found
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               f"Django=={version}", "-d", str(workdir)]
    log("downloading: " + " ".join(command))
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise SetupError(f"pip download timed out after {timeout:.0f}s") from error
    if result.returncode != 0:
        raise SetupError(f"pip download failed (exit {result.returncode}):\n"
                         + tail(result.stderr or result.stdout))
    found = find_sdist(workdir, version)
    if found is None:
        raise SetupError(f"pip download succeeded but no Django-{version}.tar.gz is in {workdir}")
    return found


def extract_package(sdist: Path, workdir: Path, version: str) -> Path:
    """Extract only the ``django/`` package folder of the sdist; return its path."""
    extracted = workdir / f"sdist-{version}"
    marker = extracted / ".complete"
    with tarfile.open(sdist, "r:gz") as archive:
        members = archive.getmembers()
        tops = {m.name.split("/", 1)[0] for m in members if m.name}
        if len(tops) != 1:
            raise SetupError(f"unexpected layout in {sdist.name}: top-level entries {sorted(tops)}")
        top = tops.pop()
        package = extracted / top / "django"
        if marker.exists() and package.is_dir():
            return package
        if extracted.exists():
            shutil.rmtree(extracted)
        wanted = [m for m in members if m.name.startswith(f"{top}/django/")]
        if not wanted:
            raise SetupError(f"no {top}/django/ folder in {sdist.name}")
        log(f"extracting {len(wanted)} entries of {top}/django/ from {sdist.name}")
        if hasattr(tarfile, "data_filter"):
            archive.extractall(extracted, members=wanted, filter="data")
        else:  # Python without extraction filters (before 3.11.4)
            archive.extractall(extracted, members=wanted)
    marker.write_text("ok\n")
    return package


def prepare_tree(package: Path, tree: Path) -> None:
    """A fresh copy of the package at ``tree/django`` (and no cache), every run."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    shutil.copytree(package, tree / "django")


def count_python(tree: Path) -> tuple[int, int]:
    files = lines = 0
    for path in tree.rglob("*.py"):
        if path.is_file():
            files += 1
            lines += len(path.read_bytes().splitlines())
    return files, lines


# --------------------------------------------------------------------------- running


def tail(text: str, limit: int = 40) -> str:
    rows = (text or "").strip().splitlines()
    return "\n".join(rows[-limit:])


class Outcome:
    def __init__(self, seconds: float, returncode: int | None, stdout: str, stderr: str,
                 timed_out: bool = False) -> None:
        self.seconds = seconds
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode == 0

    def describe(self) -> str:
        if self.timed_out:
            head = f"timed out after {self.seconds:.0f}s"
        else:
            head = f"exit status {self.returncode}"
        detail = tail(self.stderr) or tail(self.stdout) or "(no output)"
        return f"{head}\n{detail}"


def timed_run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Outcome:
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                                errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as error:
        elapsed = time.perf_counter() - started
        out = error.stdout.decode("utf-8", "replace") if isinstance(error.stdout, bytes) else ""
        err = error.stderr.decode("utf-8", "replace") if isinstance(error.stderr, bytes) else ""
        return Outcome(elapsed, None, out, err, timed_out=True)
    elapsed = time.perf_counter() - started
    return Outcome(elapsed, result.returncode, result.stdout, result.stderr)


class Measure:
    def __init__(self, name: str) -> None:
        self.name = name
        self.samples: list[float] = []
        self.error: str | None = None
        self.extra: dict[str, Any] = {}

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {"samples": [round(s, 6) for s in self.samples]}
        if self.samples:
            data.update(median=statistics.median(self.samples), min=min(self.samples),
                        max=max(self.samples))
        if self.error:
            data["error"] = self.error
        data.update(self.extra)
        return data

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None


def base_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # WORKDIR may lie inside a git checkout (benchmarks/.work/ does): stop git's upward search
    # at WORKDIR so that syspatterns sees WORKDIR/tree as a plain folder and walks it.
    ceiling = str(workdir.resolve())
    previous = env.get("GIT_CEILING_DIRECTORIES")
    env["GIT_CEILING_DIRECTORIES"] = ceiling + (os.pathsep + previous if previous else "")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def with_pythonpath(env: dict[str, str], tree: Path) -> dict[str, str]:
    env = dict(env)
    previous = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(tree) + (os.pathsep + previous if previous else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # should anything import from the tree, leave no .pyc
    return env


PREPARE_CHILD = """
import compileall, os, syspatterns
from syspatterns.knowledge import load_knowledge
compileall.compile_dir(os.path.dirname(syspatterns.__file__), quiet=1)
load_knowledge()
print(os.path.dirname(syspatterns.__file__))
"""


def prepare_tool(python: str, env: dict[str, str], timeout: float) -> str:
    """Write the files a first run of syspatterns leaves beside its package (its modules'
    bytecode and its parsed knowledge tables), so that no timed run makes them: where Python
    is told to write no bytecode (``PYTHONDONTWRITEBYTECODE``), every run would otherwise
    compile the modules and parse the tables again. Returns the package's folder."""
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([python, "-c", PREPARE_CHILD], env=env, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise SetupError(f"cannot prepare syspatterns: {tail(result.stderr)}")
    return result.stdout.strip()


def discovery_check(tree: Path, env: dict[str, str]) -> str:
    try:
        result = subprocess.run(["git", "-C", str(tree), "rev-parse", "--is-inside-work-tree"],
                                env=env, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "walk (git not available)"
    if result.returncode == 0 and result.stdout.strip() == "true":
        return "git (WARNING: the tree is seen as part of a git checkout)"
    return "walk"


# --------------------------------------------------------------------------- report


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def compute_ratios(measures: dict[str, Measure]) -> list[dict[str, Any]]:
    rows = []
    for label, top, bottom, op, target in RATIOS:
        a, b = measures[top].median, measures[bottom].median
        value = a / b if a is not None and b else None
        if op is None:
            status = "info"
        elif value is None:
            status = "n/a"
        elif op == "<":
            status = "PASS" if value < target else "FAIL"  # type: ignore[operator]
        else:
            status = "PASS" if value <= target else "FAIL"  # type: ignore[operator]
        rows.append({"ratio": label, "value": value,
                     "target": None if op is None else f"{op} {target}", "status": status})
    return rows


def print_report(meta: dict[str, Any], measures: dict[str, Measure],
                 ratios: list[dict[str, Any]]) -> None:
    print(f"syspatterns benchmark: Django {meta['django_version']} package "
          f"({meta['python_files']:,} .py files, {meta['python_lines']:,} lines)")
    print(f"Python {meta['python_version']} ({meta['python_implementation']}), "
          f"{meta['cpu_count']} CPUs ({meta['cpus_usable']} usable), "
          f"load average at start {meta['load_average_start']}, {meta['platform']}")
    print(f"tree: {meta['tree']} (syspatterns discovery: {meta['discovery']})")
    if meta.get("syspatterns_scan"):
        print(f"syspatterns scan: {meta['syspatterns_scan']}")
    print(f"repetitions: {meta['repeat']} (interleaved rounds), wall-clock seconds of a fresh "
          f"subprocess; ast_parse_1core is the child's in-process ast.parse time")
    print()
    width = max(len(n) for n in NAMES)
    print(f"{'name':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}  runs")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 8}  ----")
    for name in NAMES:
        m = measures[name]
        lo = min(m.samples) if m.samples else None
        hi = max(m.samples) if m.samples else None
        note = "  (FAILED, see below)" if m.error else ""
        print(f"{name:<{width}}  {fmt(m.median):>8}  {fmt(lo):>8}  {fmt(hi):>8}  "
              f"{len(m.samples):>4}{note}")
    ast_wall = measures["ast_parse_1core"].extra.get("subprocess_wall_median")
    if ast_wall is not None:
        print(f"(ast_parse_1core subprocess wall time incl. start-up and reading: "
              f"median {ast_wall:.3f}s)")
    counts = []
    if measures["grimp_cold"].extra.get("modules") is not None:
        counts.append(f"grimp graph: {measures['grimp_cold'].extra['modules']} modules")
    if measures["pydeps"].extra.get("modules") is not None:
        counts.append(f"pydeps: {measures['pydeps'].extra['modules']} django modules")
    if counts:
        print("(" + "; ".join(counts) + ")")
    print()
    lwidth = max(len(r["ratio"]) for r in ratios)
    print(f"{'ratio':<{lwidth}}  {'value':>7}  {'target':>7}  result")
    print(f"{'-' * lwidth}  {'-' * 7}  {'-' * 7}  ------")
    for r in ratios:
        value = "-" if r["value"] is None else f"{r['value']:.2f}"
        print(f"{r['ratio']:<{lwidth}}  {value:>7}  {r['target'] or '':>7}  {r['status']}")
    errors = [(n, measures[n].error) for n in NAMES if measures[n].error]
    if errors:
        print()
        print("Errors:")
        for name, error in errors:
            print(f"--- {name}:")
            print(error)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark syspatterns against ast.parse, grimp and pydeps on Django.")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="where to download, extract and analyse (default: %(default)s)")
    parser.add_argument("--django-version", default="5.2",
                        help="Django release to analyse (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per measurement; the median is reported (default: %(default)s)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds before one run is abandoned (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir: Path = args.workdir.absolute()
    version: str = args.django_version
    python = sys.executable
    tree = workdir / "tree"
    cache = tree / ".syspatterns"
    out_md = workdir / "out.md"
    changed = tree / CHANGED_MODULE

    try:
        sdist = download_sdist(workdir, version, args.timeout)
        package = extract_package(sdist, workdir, version)
        prepare_tree(package, tree)
    except (SetupError, OSError, tarfile.TarError) as error:
        print(f"bench: cannot prepare Django {version}: {error}", file=sys.stderr)
        return 2
    if not changed.is_file():
        print(f"bench: {changed} is missing from Django {version}", file=sys.stderr)
        return 2
    files, lines = count_python(tree)
    original_changed = changed.read_bytes()

    env = base_env(workdir)
    env_tree = with_pythonpath(env, tree)
    try:
        load = "/".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        load = "n/a"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    meta: dict[str, Any] = {
        "django_version": version,
        "sdist": str(sdist),
        "tree": str(tree),
        "python_files": files,
        "python_lines": lines,
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "load_average_start": load,
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "python_executable": python,
        "platform": platform.platform(),
        "repeat": args.repeat,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "discovery": discovery_check(tree, env),
        "changed_module": CHANGED_MODULE.as_posix(),
    }

    sp_command = [python, "-m", "syspatterns", "generate", str(tree), "-q", "-o", str(out_md)]
    grimp_command = [python, "-c", GRIMP_CHILD]
    pydeps_command = [python, "-m", "pydeps", "django", "--show-deps", "--no-output",
                      "--max-bacon=0", "--no-config"]
    meta["commands"] = {
        "ast_parse_1core": [python, "-c", "<read all, then time ast.parse>", str(tree)],
        "syspatterns": sp_command,
        "grimp_cold": grimp_command,
        "pydeps": pydeps_command,
    }

    measures = {name: Measure(name) for name in NAMES}
    ast_walls: list[float] = []
    syspatterns_failed = False

    def fail(name: str, outcome: Outcome, what: str = "") -> None:
        measures[name].error = (what + ": " if what else "") + outcome.describe()
        log(f"{name} FAILED: {outcome.describe().splitlines()[0]}")

    try:
        meta["syspatterns_package"] = prepare_tool(python, env, args.timeout)
    except (SetupError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    # One untimed check run: syspatterns works, and what it sees (files, discovery).
    log("checking syspatterns (untimed, --no-cache -v)")
    check = timed_run([*sp_command[:-3], "-v", "--no-cache", "-o", str(out_md)], cwd=workdir,
                      env=env, timeout=args.timeout)
    if not check.ok:
        for name in ("syspatterns_cold", "syspatterns_warm", "syspatterns_one_changed",
                     "syspatterns_one_edited"):
            fail(name, check, "untimed check run")
        syspatterns_failed = True
    else:
        match = re.search(r"Scanned ([\d,]+) files \(([\d,]+) Python\) with (\w+)",
                          check.stdout + check.stderr)
        if match:
            meta["syspatterns_scan"] = (f"{match.group(1)} files ({match.group(2)} Python) "
                                        f"with {match.group(3)}")
            if match.group(3) != "walk" or int(match.group(2).replace(",", "")) != files:
                log(f"WARNING: syspatterns scanned {meta['syspatterns_scan']}, "
                    f"expected {files} Python files with walk")

    for round_number in range(1, args.repeat + 1):
        log(f"round {round_number}/{args.repeat}")

        m = measures["ast_parse_1core"]
        if m.error is None:
            outcome = timed_run([python, "-c", AST_PARSE_CHILD, str(tree)], cwd=workdir, env=env,
                                timeout=args.timeout)
            if outcome.ok:
                try:
                    data = json.loads(outcome.stdout.strip().splitlines()[-1])
                    m.samples.append(float(data["seconds"]))
                    m.extra.update(files=data["files"], syntax_errors=data["failed"])
                    ast_walls.append(outcome.seconds)
                except (ValueError, KeyError, IndexError):
                    fail(m.name, outcome, "unreadable output")
            else:
                fail(m.name, outcome)

        if not syspatterns_failed:
            shutil.rmtree(cache, ignore_errors=True)
            outcome = timed_run(sp_command, cwd=workdir, env=env, timeout=args.timeout)
            if outcome.ok:
                measures["syspatterns_cold"].samples.append(outcome.seconds)
            else:
                fail("syspatterns_cold", outcome)
                syspatterns_failed = True

        if not syspatterns_failed:
            warmup = timed_run(sp_command, cwd=workdir, env=env, timeout=args.timeout)
            outcome = timed_run(sp_command, cwd=workdir, env=env, timeout=args.timeout)
            if not warmup.ok:
                fail("syspatterns_warm", warmup, "warm-up run")
                syspatterns_failed = True
            elif outcome.ok:
                measures["syspatterns_warm"].samples.append(outcome.seconds)
            else:
                fail("syspatterns_warm", outcome)
                syspatterns_failed = True

        # A comment (the file's facts stay the same), then a function (they change).
        for name, appended in (
                ("syspatterns_one_changed", f"# bench {round_number}\n"),
                ("syspatterns_one_edited",
                 f"\n\ndef _bench_{round_number}():\n    return {round_number}\n")):
            if syspatterns_failed:
                break
            with changed.open("ab") as handle:
                handle.write(appended.encode())
            outcome = timed_run(sp_command, cwd=workdir, env=env, timeout=args.timeout)
            if outcome.ok:
                measures[name].samples.append(outcome.seconds)
            else:
                fail(name, outcome)
                syspatterns_failed = True

        m = measures["grimp_cold"]
        if m.error is None:
            outcome = timed_run(grimp_command, cwd=tree, env=env_tree, timeout=args.timeout)
            if outcome.ok:
                m.samples.append(outcome.seconds)
                m.extra["modules"] = int(outcome.stdout.split()[-1]) if outcome.stdout else None
            else:
                fail(m.name, outcome)

        m = measures["pydeps"]
        if m.error is None:
            outcome = timed_run(pydeps_command, cwd=tree, env=env_tree, timeout=args.timeout)
            if outcome.ok:
                try:
                    deps = json.loads(outcome.stdout)
                    m.extra["modules"] = sum(1 for k in deps if k.split(".")[0] == "django")
                    m.samples.append(outcome.seconds)
                except ValueError:
                    fail(m.name, outcome, "output is not JSON")
            else:
                fail(m.name, outcome)

    changed.write_bytes(original_changed)  # leave the tree as it was copied
    if ast_walls:
        measures["ast_parse_1core"].extra["subprocess_wall_median"] = statistics.median(ast_walls)

    ratios = compute_ratios(measures)
    print_report(meta, measures, ratios)

    if args.json:
        results = {"meta": meta, "results": {n: measures[n].summary() for n in NAMES},
                   "ratios": ratios, "syspatterns_failed": syspatterns_failed}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}")
    return 1 if syspatterns_failed else 0


if __name__ == "__main__":
    sys.exit(main())
