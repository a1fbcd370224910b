"""The command line: argument handling and output only; the work is in
:mod:`syspatterns.pipeline`, imported by the commands that run it so that ``--version`` and
``--help`` load none of it."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import click

from syspatterns.core.version import __version__
from syspatterns.document.locate import find_documents, looked_for

DEFAULT_OUTPUT = Path("memory-bank") / "systemPatterns.md"
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_FAILURE) -> None:
    click.echo(f"syspatterns: error: {message}", err=True)
    sys.exit(code)


def _default_document(root: Path) -> Path:
    """The repository's System Patterns document, or where a new one goes."""
    found = find_documents(root)
    return found[0] if found else root / DEFAULT_OUTPUT


def _repository(path: str) -> Path:
    root = Path(path)
    if not root.exists():
        _fail(f"{path}: no such directory", EXIT_USAGE)
    if not root.is_dir():
        _fail(f"{path}: not a directory", EXIT_USAGE)
    return root.resolve()


def _holds(target: Path, text: str) -> bool:
    """Whether the file at ``target`` already is exactly ``text`` (then nothing is written:
    merging a generated document with itself gives it back unchanged)."""
    try:
        return target.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _write(target: Path, text: str, *, markdown: bool, force: bool) -> None:
    """Write ``text`` to ``target``; a Markdown document keeps the human text it holds."""
    from syspatterns.document.blocks import DocumentError
    from syspatterns.document.write import WriteError, updated_document, write_atomic

    try:
        write_atomic(target, updated_document(target, text, force) if markdown else text)
    except (DocumentError, WriteError) as error:
        _fail(str(error))


class _Reporter:
    """Progress on standard error: stage lines with ``-v``, a transient line on a terminal."""

    def __init__(self, verbosity: int) -> None:
        self.verbosity = verbosity
        self.live = verbosity >= 0 and sys.stderr.isatty()

    def __call__(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, err=True)
        elif self.live:
            click.echo(f"\r\033[K{message}", err=True, nl=False)

    def done(self, message: str) -> None:
        if self.live and self.verbosity <= 0:
            click.echo("\r\033[K", err=True, nl=False)
        if self.verbosity >= 0:
            click.echo(message, err=True)


# Options shared by every command that analyses a repository.
JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
                    help="Worker processes for parsing. Default: the number of CPUs.")
NO_CACHE = click.option("--no-cache", is_flag=True,
                        help="Parse every file again and leave the cache alone.")
CACHE_DIR = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                         metavar="DIR", help="Keep the cache here instead of PATH/.syspatterns/.")


def run() -> None:
    """The ``syspatterns`` command: :func:`main` with the cyclic garbage collector off, then
    an exit that skips freeing the interpreter's objects one by one. A run builds millions
    of objects that live until it ends and form next to no cycles: collecting them, or
    freeing them at exit, takes tens of milliseconds for a large repository and gives
    nothing back to a process that is about to end. (The long-running ``mcp`` server turns
    the collector back on.)"""
    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = EXIT_FAILURE
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``) or a closed stream
            code = code or EXIT_FAILURE
    os._exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syspatterns")
def main() -> None:
    """Write a repository's System Patterns document from its code, with evidence.

    \b
    Quick start:
      syspatterns generate .            # writes memory-bank/systemPatterns.md
      syspatterns generate . -o -       # prints it instead
      syspatterns generate . --format json -o model.json
      syspatterns check .               # exit 1 when the document is no longer true
    """


@main.command()
@click.argument("path", default=".", metavar="[PATH]")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write. Default for Markdown: the repository's existing System "
                   "Patterns document (memory-bank/systemPatterns.md and similar), else "
                   "memory-bank/systemPatterns.md inside PATH; for JSON: standard output. "
                   "'-' writes to standard output.")
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]),
              default="markdown", show_default=True, help="Markdown for people, JSON for tools.")
@JOBS
@NO_CACHE
@CACHE_DIR
@click.option("--force", is_flag=True,
              help="Replace a hand-written document entirely, or overwrite generated blocks "
                   "edited by hand.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print each stage with its timing.")
def generate(path: str, output: str | None, output_format: str, jobs: int | None,
             no_cache: bool, cache_dir: Path | None, force: bool, quiet: bool,
             verbose: bool) -> None:
    """Analyse the repository at PATH (default: the current folder) and write its System
    Patterns document.

    Text you add outside the generated blocks (marked by <!-- syspatterns:begin/end -->
    comments) is kept when the document is generated again. A hand-written document keeps
    its text: the blocks go under its matching headings, replacing template placeholders.
    An existing document in memory-bank/, memory_bank/, docs/memory-bank/ or .memory-bank/
    is the default output. Files that cannot be analysed
    (syntax errors, undecodable bytes, oversized files) are listed in the document's
    "Analysis notes" section instead of stopping the run.
    """
    from syspatterns.pipeline import generate_text

    started = time.perf_counter()
    root = _repository(path)
    reporter = _Reporter(-1 if quiet else (1 if verbose else 0))
    if output is None:
        output = "-" if output_format == "json" else str(_default_document(root))
    target = None if output == "-" else Path(output).absolute()
    prefix = ""
    if target is not None and output_format == "markdown":
        prefix = Path(os.path.relpath(root, target.parent)).as_posix() + "/"
        prefix = "" if prefix == "./" else prefix
    generated = generate_text(root, output_format=output_format, link_prefix=prefix, jobs=jobs,
                              use_cache=not no_cache, cache_dir=cache_dir, progress=reporter,
                              output=target)
    if generated.stats.cache_warning and not verbose and not quiet:
        click.echo(f"syspatterns: warning: {generated.stats.cache_warning}", err=True)
    text = generated.text
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    elif not _holds(target, text):
        _write(target, text, markdown=output_format == "markdown", force=force)
    if verbose and generated.stats.seconds:
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in generated.stats.seconds.items())
        reporter(f"Timings: {timings}")
    where = "standard output" if target is None else str(target)
    reporter.done(f"Wrote {where}: {generated.summary} "
                  f"({time.perf_counter() - started:.2f}s)")


@main.command()
@click.argument("path", default=".", metavar="[PATH]")
@click.option("--doc", "documents", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The document to check (repeatable). Default: every systemPatterns.md in "
                   "memory-bank/, memory_bank/, docs/memory-bank/ or .memory-bank/.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True,
              help="Text for people, JSON for tools, GitHub Actions annotations for CI.")
@JOBS
@NO_CACHE
@CACHE_DIR
def check(path: str, documents: tuple[Path, ...], output_format: str, jobs: int | None,
          no_cache: bool, cache_dir: Path | None) -> None:
    """Check that the System Patterns document of the repository at PATH is still true.

    \b
    Reported, each with its document line and the reason:
      - generated blocks out of date with the code (with a short diff);
      - template placeholders left in the text;
      - names in your text that the code does not have: paths, modules, classes,
        functions, libraries the project does not depend on, imports drawn in diagrams;
      - violations of the architecture rules in pyproject.toml [tool.syspatterns].
    Claims stated as plans ("planned", "proposed", "conceptual") are listed apart.

    Exit status: 0 when the document is true, 1 when it is not, 2 on usage errors (no
    document, a document that is not UTF-8 or has broken markers, malformed rules).
    """
    from syspatterns.check import run_check
    from syspatterns.check.formats import RENDERERS
    from syspatterns.document.blocks import DocumentError
    from syspatterns.model.rules import RulesError

    root = _repository(path)
    targets = [d.absolute() for d in documents] or find_documents(root)
    if not targets:
        _fail(f"no System Patterns document in {root}: looked for {looked_for()}; "
              "pass --doc FILE", EXIT_USAGE)
    reporter = _Reporter(0)
    try:
        outcome = run_check(root, targets, jobs=jobs, use_cache=not no_cache,
                            cache_dir=cache_dir, progress=reporter)
    except (DocumentError, RulesError) as error:
        _fail(str(error), EXIT_USAGE)
    if reporter.live:
        click.echo("\r\033[K", err=True, nl=False)
    sys.stdout.write(RENDERERS[output_format](outcome))
    sys.stdout.flush()
    sys.exit(EXIT_FAILURE if outcome.errors else 0)


@main.command()
@click.argument("path", default=".", metavar="[PATH]")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write. Default: memory-bank/systemPatterns.html inside PATH. "
                   "'-' writes to standard output.")
@click.option("--doc", "document", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="The document whose check the report shows. Default: the "
              "one syspatterns check finds (memory-bank/systemPatterns.md, ...).")
@JOBS
@NO_CACHE
@CACHE_DIR
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def report(path: str, output: str | None, document: Path | None, jobs: int | None,
           no_cache: bool, cache_dir: Path | None, quiet: bool) -> None:
    """Write the System Patterns of the repository at PATH as one HTML page that works
    offline: the sections with navigation, the component graph to pan, zoom and click, and
    evidence linked to the files."""
    from syspatterns.check import check_repository, link_prefix
    from syspatterns.document.blocks import DocumentError
    from syspatterns.document.write import WriteError, write_atomic
    from syspatterns.model.rules import RulesError
    from syspatterns.pipeline import run_analysis
    from syspatterns.report.html import render_html

    started = time.perf_counter()
    root = _repository(path)
    reporter = _Reporter(-1 if quiet else 0)
    target = None if output == "-" else Path(
        output or root / DEFAULT_OUTPUT.with_suffix(".html")).absolute()
    analysis = run_analysis(root, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir,
                            progress=reporter)
    if analysis.stats.cache_warning and not quiet:
        click.echo(f"syspatterns: warning: {analysis.stats.cache_warning}", err=True)
    try:
        check = check_repository(root, analysis, [document] if document else [])
    except (DocumentError, RulesError) as error:
        click.echo(f"syspatterns: warning: the document was not checked: {error}", err=True)
        check = None
    prefix = "" if target is None else link_prefix(root, target)
    text = render_html(analysis.model, analysis.sections, link_prefix=prefix, check=check)
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            write_atomic(target, text)
        except WriteError as error:
            _fail(str(error))
    where = "standard output" if target is None else str(target)
    reporter.done(f"Wrote {where} ({time.perf_counter() - started:.2f}s)")


@main.command()
@click.argument("path", default=".", metavar="[PATH]")
@NO_CACHE
@CACHE_DIR
def mcp(path: str, no_cache: bool, cache_dir: Path | None) -> None:
    """Serve the architecture of the repository at PATH to coding assistants: a Model
    Context Protocol server on standard input and output.

    Answers are computed from the code when they are asked for; files changed since the
    previous answer are read again first.
    """
    gc.enable()  # a server runs for long: its garbage is collected
    root = _repository(path)
    try:
        from syspatterns.mcp.server import serve
    except ModuleNotFoundError as error:
        if error.name != "mcp" and not (error.name or "").startswith("mcp."):
            raise
        _fail("the MCP server needs the mcp package: pip install 'syspatterns[mcp]'",
              EXIT_USAGE)
    serve(root, use_cache=not no_cache, cache_dir=cache_dir)
