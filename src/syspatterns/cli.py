"""The command line: argument handling and output only; the work is in :mod:`pipeline`."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from syspatterns import __version__
from syspatterns.document.blocks import DocumentError
from syspatterns.document.write import WriteError, updated_document, write_atomic
from syspatterns.pipeline import generate_text

DEFAULT_OUTPUT = Path("memory-bank") / "systemPatterns.md"
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_FAILURE) -> None:
    click.echo(f"syspatterns: error: {message}", err=True)
    sys.exit(code)


def _repository(path: str) -> Path:
    root = Path(path)
    if not root.exists():
        _fail(f"{path}: no such directory", EXIT_USAGE)
    if not root.is_dir():
        _fail(f"{path}: not a directory", EXIT_USAGE)
    return root.resolve()


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syspatterns")
def main() -> None:
    """Write a repository's System Patterns document from its code, with evidence.

    \b
    Quick start:
      syspatterns generate .            # writes memory-bank/systemPatterns.md
      syspatterns generate . -o -       # prints it instead
      syspatterns generate . --format json -o model.json
    """


@main.command()
@click.argument("path", default=".", metavar="[PATH]")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write. Default: memory-bank/systemPatterns.md inside PATH for "
                   "Markdown, standard output for JSON. '-' writes to standard output.")
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]),
              default="markdown", show_default=True, help="Markdown for people, JSON for tools.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for parsing. Default: the number of CPUs.")
@click.option("--no-cache", is_flag=True,
              help="Parse every file again and leave the cache alone.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Keep the cache here instead of PATH/.syspatterns/.")
@click.option("--force", is_flag=True,
              help="Overwrite a hand-written document, or generated blocks edited by hand.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print each stage with its timing.")
def generate(path: str, output: str | None, output_format: str, jobs: int | None,
             no_cache: bool, cache_dir: Path | None, force: bool, quiet: bool,
             verbose: bool) -> None:
    """Analyse the repository at PATH (default: the current folder) and write its System
    Patterns document.

    Text you add outside the generated blocks (marked by <!-- syspatterns:begin/end -->
    comments) is kept when the document is generated again. Files that cannot be analysed
    (syntax errors, undecodable bytes, oversized files) are listed in the document's
    "Analysis notes" section instead of stopping the run.
    """
    started = time.perf_counter()
    root = _repository(path)
    reporter = _Reporter(-1 if quiet else (1 if verbose else 0))
    if output is None:
        output = "-" if output_format == "json" else str(root / DEFAULT_OUTPUT)
    target = None if output == "-" else Path(output).absolute()
    prefix = ""
    if target is not None and output_format == "markdown":
        prefix = Path(os.path.relpath(root, target.parent)).as_posix() + "/"
        prefix = "" if prefix == "./" else prefix
    generated = generate_text(root, output_format=output_format, link_prefix=prefix, jobs=jobs,
                              use_cache=not no_cache, cache_dir=cache_dir, progress=reporter)
    if generated.stats.cache_warning and not verbose and not quiet:
        click.echo(f"syspatterns: warning: {generated.stats.cache_warning}", err=True)
    text = generated.text
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            if output_format == "markdown":
                text = updated_document(target, text, force)
            write_atomic(target, text)
        except (DocumentError, WriteError) as error:
            _fail(str(error))
    if verbose and generated.stats.seconds:
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in generated.stats.seconds.items())
        reporter(f"Timings: {timings}")
    where = "standard output" if target is None else str(target)
    reporter.done(f"Wrote {where}: {generated.summary} "
                  f"({time.perf_counter() - started:.2f}s)")
