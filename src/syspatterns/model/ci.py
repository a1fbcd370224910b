"""The repository's CI and task automation: GitHub Actions workflows, GitLab CI, pre-commit
hooks, tox environments, nox sessions and Makefile targets, read statically into workflows,
jobs and steps. Each step is classified by purpose (test, lint, build, publish, deploy, ...)
through the table in ``knowledge/ci_steps.toml``; each keeps the line it stands on.

YAML is read with a safe loader that records lines (:func:`load_yaml`); the INI reader
(:func:`read_ini`) and the YAML reader are shared with :mod:`syspatterns.model.deployment`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from syspatterns.evidence import Evidence
from syspatterns.knowledge import read_table

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel

MAX_BYTES = 1_000_000  # configuration files larger than this are passed over (noted)


# --- YAML and INI with line numbers -----------------------------------------------------------

class YamlMap(dict[Any, Any]):
    """A YAML mapping that knows its own 1-based line and the line of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any, default: int | None = None) -> int:
        """The line of ``key``, else ``default``, else the mapping's own line."""
        return self.key_lines.get(key, self.line if default is None else default)


class YamlList(list[Any]):
    """A YAML sequence that knows its own 1-based line and the line of each item."""

    line: int
    item_lines: list[int]


class YamlError(Exception):
    """A YAML document that could not be read; ``line`` is where the reader stopped."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@cache
def _line_loader() -> type[Any]:
    import yaml  # type: ignore[import-untyped,unused-ignore]

    # libyaml's parser when PyYAML was built with it (several times faster), else Python's.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc,valid-type,unused-ignore]
        """A safe loader whose mappings and sequences record their lines."""

    def construct_map(loader: Any, node: Any) -> Iterator[YamlMap]:
        result = YamlMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        yield result
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1

    def construct_list(loader: Any, node: Any) -> Iterator[YamlList]:
        result = YamlList()
        result.line = node.start_mark.line + 1
        result.item_lines = []
        yield result
        for item in node.value:
            result.append(loader.construct_object(item, deep=True))
            result.item_lines.append(item.start_mark.line + 1)

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_list)
    return LineLoader


def load_yaml(text: str) -> list[Any]:
    """Every document of a YAML stream, mappings as :class:`YamlMap` and sequences as
    :class:`YamlList`. Only plain data is built (a ``yaml.SafeLoader``). Raises
    :class:`YamlError` when the text is not valid YAML."""
    import yaml  # type: ignore[import-untyped,unused-ignore]

    documents: list[Any] = []
    try:
        documents.extend(yaml.load_all(text, Loader=_line_loader()))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise YamlError(f"not valid YAML: {problem} (line {line})", line) from None
    except RecursionError:
        raise YamlError("not valid YAML: nested too deeply", 1) from None
    return documents


def line_of(value: Any, key: Any, default: int) -> int:
    """The line of ``key`` in a YAML mapping, or ``default`` for anything else."""
    return value.line_of(key, default) if isinstance(value, YamlMap) else default


def items_with_lines(value: Any, default: int) -> list[tuple[Any, int]]:
    """The items of a YAML sequence (or a lone scalar) with their lines."""
    if isinstance(value, YamlList):
        return list(zip(value, value.item_lines, strict=True))
    if isinstance(value, list):
        return [(item, default) for item in value]
    if value is None:
        return []
    return [(value, default)]


TEXT_LIMIT = 1_000  # characters of a list or mapping shown as text


def text_of(value: Any) -> str:
    """A YAML scalar as the text a person wrote (``true``, ``3``, ``a b``); lists and
    mappings joined, cut after :data:`TEXT_LIMIT` characters (aliases can nest a small file
    into an enormous value). Helm actions neutralised by
    :func:`syspatterns.model.deployment.neutralise_helm` are shown as ``{{ expression }}``."""
    if isinstance(value, str):
        return value.strip().replace("⟦", "{{ ").replace("⟧", " }}")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        parts: list[str] = []
        size = 0
        for key, item in items:
            if size > TEXT_LIMIT:
                parts.append("...")
                break
            part = text_of(item) if key is None else f"{text_of(key)}: {text_of(item)}"
            parts.append(part)
            size += len(part) + 2
        return ", ".join(parts)
    return str(value).strip()


class IniEntry(NamedTuple):
    """``key = value`` of an INI file; ``lines`` holds each line of the value (continuation
    lines of a multi-line value included) with its number."""

    key: str
    lines: tuple[tuple[str, int], ...]
    line: int

    @property
    def value(self) -> str:
        return "\n".join(text for text, _ in self.lines).strip()


class IniSection(NamedTuple):
    name: str
    line: int
    entries: tuple[IniEntry, ...]

    def get(self, key: str) -> IniEntry | None:
        """The last entry named ``key`` (case-insensitive)."""
        found = [e for e in self.entries if e.key.lower() == key.lower()]
        return found[-1] if found else None


def read_ini(text: str) -> list[IniSection]:
    """Sections of an INI-style file (tox.ini, systemd units), keeping every entry, repeated
    keys included, and line numbers. Comment lines (``#``, ``;``) are skipped."""
    sections: list[IniSection] = []
    name, start, entries = "", 1, []  # entries before the first header belong to ""
    current: tuple[str, list[tuple[str, int]], int] | None = None

    def close_entry() -> None:
        nonlocal current
        if current is not None:
            entries.append(IniEntry(current[0], tuple(current[1]), current[2]))
            current = None

    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if raw[0] in " \t" and current is not None:
            current[1].append((stripped, number))
            continue
        close_entry()
        if stripped.startswith("[") and stripped.endswith("]"):
            if entries or name:
                sections.append(IniSection(name, start, tuple(entries)))
            name, start, entries = stripped[1:-1].strip(), number, []
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            key, sep, value = stripped.partition(":")
        if sep:
            value = value.strip()
            current = (key.strip(), [(value, number)] if value else [], number)
    close_entry()
    if entries or name:
        sections.append(IniSection(name, start, tuple(entries)))
    return sections


# --- the purpose table ------------------------------------------------------------------------

class CommandRule(NamedTuple):
    pattern: tuple[str, ...]
    purposes: tuple[str, ...]
    job: str  # the purpose the enclosing job's name must have, "" for any job


class ActionRule(NamedTuple):
    uses: str
    when: tuple[tuple[str, str], ...]
    purposes: tuple[str, ...]
    show: tuple[str, ...]


@dataclass(frozen=True)
class StepRules:
    """``knowledge/ci_steps.toml``: purposes, command and action patterns, name patterns,
    wrappers and the CI systems that are recognised but not read."""

    purposes: dict[str, str]  # key -> phrase, in document order
    commands: tuple[CommandRule, ...]
    actions: tuple[ActionRule, ...]
    sessions: tuple[tuple[str, tuple[str, ...]], ...]
    wrappers: tuple[tuple[str, ...], ...]
    systems: tuple[tuple[str, str, bool], ...]  # (path glob, name, is a pipeline)

    def order(self, purposes: Iterable[str]) -> tuple[str, ...]:
        """``purposes`` without repeats, in the table's order."""
        wanted = set(purposes)
        return tuple(p for p in self.purposes if p in wanted)


@cache
def load_step_rules() -> StepRules:
    """The packaged purpose table, validated: a row naming an unknown purpose is an error."""
    data = read_table("ci_steps.toml")
    purposes = {str(k): str(v) for k, v in data["purposes"].items()}

    def checked(row: Mapping[str, Any]) -> tuple[str, ...]:
        found = tuple(str(p) for p in row["purposes"])
        unknown = [p for p in found if p not in purposes]
        if unknown:
            raise ValueError(f"ci_steps.toml: unknown purpose {unknown[0]!r} in {dict(row)}")
        return found

    return StepRules(
        purposes=purposes,
        commands=tuple(CommandRule(tuple(r["pattern"]), checked(r), str(r.get("job", "")))
                       for r in data.get("command", [])),
        actions=tuple(
            ActionRule(r["uses"], tuple((k, str(v)) for k, v in r.get("when", {}).items()),
                       checked(r), tuple(r.get("show", ())))
            for r in data.get("action", [])),
        sessions=tuple((str(r["name"]), checked(r)) for r in data.get("session", [])),
        wrappers=tuple(tuple(w) for w in data["wrappers"]["prefixes"]),
        systems=tuple((str(r["pattern"]), str(r["name"]), bool(r.get("pipeline", True)))
                      for r in data.get("system", [])),
    )


_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_MAKE_VARIABLE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.]*)\)")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;", "|&"})
_SHELL_WORDS = frozenset({"then", "do", "else", "!", "{", "}", "if", "while", "until", "xargs"})


def simple_commands(text: str) -> list[list[str]]:
    """The simple commands of a shell snippet, as words: lines joined at trailing
    backslashes, comment lines dropped, split at ``&&``, ``||``, ``;`` and pipes."""
    commands: list[list[str]] = []
    for line in re.sub(r"\\\r?\n", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # Make's `$(NAME)` is one word, not a subshell: hide its parentheses from the lexer.
        line = _MAKE_VARIABLE.sub(lambda m: f"\0{m.group(1)}\1", line)
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            lexer.commenters = ""
            words = list(lexer)
        except ValueError:
            words = line.split()
        words = [w.replace("\0", "$(").replace("\1", ")") for w in words]
        current: list[str] = []
        for word in [*words, ";"]:
            if word in _SEPARATORS:
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(word)
    return commands


def join_words(words: list[str]) -> str:
    """Words back into a command line; a word with spaces or shell syntax in double quotes
    (variables stay as written: ``$VERSION``)."""
    return " ".join(
        '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if not w or re.search(r"[\s;&|<>()'\"]", w) else w for w in words)


def _matches(pattern: tuple[str, ...], words: list[str]) -> bool:
    if not words or not fnmatchcase(words[0], pattern[0]):
        return False
    position = 1
    for wanted in pattern[1:]:
        while position < len(words) and not fnmatchcase(words[position], wanted):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _unwrapped(words: list[str], rules: StepRules) -> Iterator[list[str]]:
    """``words`` and each shorter command left after removing a wrapper (``python -m``,
    ``uv run``, ...) and the options that follow it."""
    while True:
        while words and (_ASSIGNMENT.match(words[0]) or words[0] in _SHELL_WORDS):
            words = words[1:]
        if not words:
            return
        if "/" in words[0].rstrip("/"):
            words = [words[0].rstrip("/").rsplit("/", 1)[1], *words[1:]]
        yield words
        for wrapper in rules.wrappers:
            if len(words) > len(wrapper) and all(
                    fnmatchcase(w, p) for w, p in zip(words, wrapper, strict=False)):
                words = words[len(wrapper):]
                while words and words[0].startswith("-"):
                    words = words[1:]
                break
        else:
            return


def classify_words(words: list[str], context: frozenset[str] = frozenset()) -> list[str]:
    """The purposes of one simple command (and of what it wraps): those of the most specific
    ``[[command]]`` row that matches. ``context``: the purposes of the enclosing job's name."""
    rules = load_step_rules()
    found: list[str] = []
    for candidate in _unwrapped(words, rules):
        best: CommandRule | None = None
        for rule in rules.commands:
            if (best is None or len(rule.pattern) > len(best.pattern)) \
                    and (not rule.job or rule.job in context) \
                    and _matches(rule.pattern, candidate):
                best = rule
        if best is not None:
            found.extend(best.purposes)
    return found


def classify_command(text: str, context: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The purposes of a shell snippet, in table order (see :func:`classify_words`)."""
    rules = load_step_rules()
    return rules.order(p for words in simple_commands(text)
                       for p in classify_words(words, context))


def classify_action(uses: str, inputs: Mapping[str, str]) -> tuple[tuple[str, ...],
                                                                   tuple[str, ...]]:
    """The purposes of ``uses: owner/name@ref`` with its ``with:`` inputs, and the names of
    the inputs worth quoting, from the most specific ``[[action]]`` row that matches."""
    reference = uses.split("@", 1)[0].strip()
    best: ActionRule | None = None
    for rule in load_step_rules().actions:
        if not fnmatchcase(reference.lower(), rule.uses.lower()):
            continue
        if any(inputs.get(k, "").lower() != v.lower() for k, v in rule.when):
            continue
        if best is None or len(rule.when) > len(best.when):
            best = rule
    return (best.purposes, best.show) if best else ((), ())


def classify_name(name: str) -> tuple[str, ...]:
    """Purposes of a nox session, tox environment or Makefile target from its name alone."""
    for pattern, purposes in load_step_rules().sessions:
        if fnmatchcase(name.lower(), pattern):
            return purposes
    return ()


# --- the CI model -----------------------------------------------------------------------------

class Step(NamedTuple):
    """One thing a job does.

    ``name``: the step's own name (GitHub ``name:``, a pre-commit hook's id), "" if none.
    ``command``: the shell text as written (a GitHub ``run:`` block, one GitLab ``script:``
    line, one tox command, one Makefile recipe line, a pre-commit hook id or a local hook's
    ``entry``); "" for an action.
    ``uses``: the action or reusable workflow (``owner/name@ref``) or the pre-commit hook's
    repository (``URL@rev``); "" for a shell command.
    ``inputs``: the action's ``with:`` inputs as text, in file order.
    ``purposes``: keys of the purpose table (``setup``, ``test``, ``coverage``, ``lint``,
    ``type-check``, ``security``, ``docs``, ``build``, ``publish``, ``deploy``, ``migrate``,
    ``rollback``) in the table's order; empty when no row matches.
    ``condition``: the step's ``if:`` expression, "" if none.
    ``evidence``: where the step starts.
    ``scripts``: repository scripts the command runs (``bash scripts/test.sh``), followed two
    levels deep; their commands count toward ``purposes``.
    ``matched``: the simple commands of ``command`` that have a purpose, as
    (command, purposes) pairs in order: ``pytest -x`` out of a multi-line ``run:`` block.
    ``tasks``: the tox environments, nox sessions and Makefile targets of the repository that
    a CI step runs (``tox -e py312,lint``), as ``path:name``; their purposes count toward
    ``purposes``.
    """

    name: str
    command: str
    uses: str
    inputs: tuple[tuple[str, str], ...]
    purposes: tuple[str, ...]
    condition: str
    evidence: Evidence
    scripts: tuple[str, ...] = ()
    matched: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tasks: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The command, or the action when the step runs one."""
        return self.command or self.uses


@dataclass(frozen=True)
class Job:
    """A GitHub or GitLab job, the hook list of a pre-commit file, a tox environment, a nox
    session or a Makefile target.

    ``name``: its id (job key, tox environment name, nox session function, target).
    ``title``: its display name (GitHub ``name:``), "" if none.
    ``steps``: what it runs, in order (empty for nox sessions: their commands are in Python
    code the facts do not hold).
    ``purposes``: its steps' purposes in table order; for tox environments, nox sessions and
    Makefile targets without a classified step, the purposes its name implies; for a job that
    calls a reusable workflow of the repository, the purposes of that workflow's jobs.
    ``needs``: the jobs (or prerequisite targets) it waits for.
    ``condition``: when it runs (GitHub ``if:``; GitLab ``rules: if``, ``only``, ``except``,
    ``when``), "" if always.
    ``runner``: GitHub ``runs-on`` or GitLab ``image``, "" if none.
    ``matrix``: GitHub ``strategy.matrix`` axes as (name, values); an expression is one value.
    ``services``: service containers as ``name (image)`` or the image.
    ``environment``: the deployment environment it targets (``environment:``), "" if none.
    ``stage``: the GitLab stage, "" if not declared.
    ``evidence``: where the job is declared.
    """

    name: str
    title: str
    steps: tuple[Step, ...]
    purposes: tuple[str, ...]
    evidence: Evidence
    needs: tuple[str, ...] = ()
    condition: str = ""
    runner: str = ""
    matrix: tuple[tuple[str, tuple[str, ...]], ...] = ()
    services: tuple[str, ...] = ()
    environment: str = ""
    stage: str = ""


class Trigger(NamedTuple):
    """An event that starts a workflow (``push``, ``pull_request``, ``schedule``, a GitLab
    ``workflow: rules`` condition, ...) with its filters as text (``branches: main``)."""

    event: str
    detail: str
    evidence: Evidence


@dataclass(frozen=True)
class Workflow:
    """One CI or automation file.

    ``kind``: ``github-actions``, ``gitlab-ci``, ``pre-commit``, ``tox``, ``nox`` or ``make``.
    ``name``: its ``name:``, else the file name.
    ``triggers``: GitHub ``on:`` events; GitLab ``workflow: rules``; pre-commit.ci. Empty when
    the file declares none (tox, nox and make run when someone runs them).
    """

    path: str
    kind: str
    name: str
    triggers: tuple[Trigger, ...]
    jobs: tuple[Job, ...]
    evidence: Evidence


class FileNote(NamedTuple):
    """A file that was passed over, wholly or partly, and why."""

    evidence: Evidence
    reason: str


class OtherSystem(NamedTuple):
    """A CI or automation file that is recognised but not read step by step; ``pipeline`` is
    false for dependency-update bots (Dependabot, Renovate)."""

    path: str
    system: str
    pipeline: bool = True


@dataclass(frozen=True)
class CI:
    """Every workflow, sorted by path; recognised files that are not read; notes."""

    workflows: tuple[Workflow, ...] = ()
    other_systems: tuple[OtherSystem, ...] = ()
    notes: tuple[FileNote, ...] = ()

    def of_kind(self, *kinds: str) -> list[Workflow]:
        return [w for w in self.workflows if w.kind in kinds]

    def jobs_with(self, purpose: str, *kinds: str) -> list[tuple[Workflow, Job]]:
        """Jobs (of workflows of ``kinds``, or all) that have ``purpose``."""
        return [(w, j) for w in self.workflows if not kinds or w.kind in kinds
                for j in w.jobs if purpose in j.purposes]

    def steps_with(self, purpose: str, *kinds: str) -> list[tuple[Workflow, Job, Step]]:
        """Steps (of workflows of ``kinds``, or all) that have ``purpose``."""
        return [(w, j, s) for w in self.workflows if not kinds or w.kind in kinds
                for j in w.jobs for s in j.steps if purpose in s.purposes]


# --- readers ----------------------------------------------------------------------------------

SCRIPT_DEPTH = 2
SCRIPT_BYTES = 256_000
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "source", "."})


class _Commands:
    """Classifies commands, following the repository scripts they run."""

    def __init__(self, model: SystemModel) -> None:
        self.model = model
        self.paths = {path for path, _, _ in model.scan.listing}
        self.scripts_by_name: dict[str, list[str]] = {}
        for path, _, _ in model.scan.listing:
            self.scripts_by_name.setdefault(PurePosixPath(path).name, []).append(path)
        self.texts: dict[str, str | None] = {}

    def step(self, command: str, line: int, path: str, *, name: str = "",
             condition: str = "", cwd: str = "",
             context: frozenset[str] = frozenset()) -> Step:
        rules = load_step_rules()
        purposes: list[str] = []
        scripts: list[str] = []
        matched: list[tuple[str, tuple[str, ...]]] = []
        for words in simple_commands(command):
            found, followed = self._simple(words, cwd, context, 0, ())
            purposes.extend(found)
            scripts.extend(followed)
            own = rules.order(classify_words(words, context))
            if own:
                matched.append((join_words(words), own))
        return Step(name, command, "", (), rules.order(purposes), condition,
                    Evidence(path, line), tuple(dict.fromkeys(scripts)), tuple(matched))

    def _simple(self, words: list[str], cwd: str, context: frozenset[str], depth: int,
                seen: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The purposes of one simple command and of the scripts it runs, and those scripts."""
        purposes = classify_words(words, context)
        scripts: list[str] = []
        if depth >= SCRIPT_DEPTH:
            return purposes, scripts
        for script in self._scripts(words, cwd):
            body = self._text(script)
            if script in seen or body is None:
                continue
            scripts.append(script)
            for inner_words in simple_commands(body):
                inner, deeper = self._simple(inner_words, cwd, context, depth + 1,
                                             (*seen, script))
                purposes.extend(inner)
                scripts.extend(deeper)
        return purposes, scripts

    def _scripts(self, words: list[str], cwd: str) -> list[str]:
        """Repository files that ``words`` runs: ``bash x.sh``, ``./x.sh``, ``sh ./run``."""
        candidates = [w for i, w in enumerate(words)
                      if w.endswith(".sh") or (i > 0 and words[i - 1] in _SHELLS
                                              and not w.startswith("-"))
                      or (i == 0 and w.startswith("./"))]
        found = []
        for candidate in candidates:
            path = self._resolve(candidate, cwd)
            if path is not None:
                found.append(path)
        return found

    def _resolve(self, candidate: str, cwd: str) -> str | None:
        if "$" in candidate or candidate.startswith("/"):
            return None
        joined = _normalise(f"{cwd}/{candidate}" if cwd else candidate)
        if joined in self.paths:
            return joined
        # Run from elsewhere (a container's working directory): accept one unique match.
        suffix = _normalise(candidate)
        matches = [p for p in self.scripts_by_name.get(PurePosixPath(suffix).name, [])
                   if p == suffix or p.endswith("/" + suffix)]
        return matches[0] if len(matches) == 1 else None

    def _text(self, path: str) -> str | None:
        if path not in self.texts:
            small = self.model.size_of(path) <= SCRIPT_BYTES
            self.texts[path] = self.model.read_text(path) if small else None
        return self.texts[path]


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def _job_purposes(steps: Iterable[Step], name: str = "") -> tuple[str, ...]:
    found = load_step_rules().order(p for s in steps for p in s.purposes)
    return found or (classify_name(name) if name else ())


def name_purposes(*names: str) -> frozenset[str]:
    """The purposes the names of a job and its workflow imply (``deploy`` for ``Deploy``)."""
    return frozenset(p for name in names if name for p in classify_name(name))


def _github_triggers(data: YamlMap, path: str) -> tuple[Trigger, ...]:
    key = "on" if "on" in data else True  # YAML 1.1 reads a bare `on` as true
    value = data.get(key)
    line = data.line_of(key)
    triggers = []
    if isinstance(value, dict):
        for event, spec in value.items():
            details = []
            if isinstance(spec, dict):
                for name in ("branches", "branches-ignore", "tags", "tags-ignore", "paths",
                             "types", "workflows"):
                    if spec.get(name):
                        details.append(f"{name}: {text_of(spec[name])}")
            elif isinstance(spec, list):
                details.extend(text_of(item.get("cron")) for item in spec
                               if isinstance(item, dict) and item.get("cron"))
            triggers.append(Trigger(str(event), "; ".join(details),
                                    Evidence(path, line_of(value, event, line))))
    else:
        for event, event_line in items_with_lines(value, line):
            triggers.append(Trigger(text_of(event), "", Evidence(path, event_line)))
    return tuple(triggers)


def _working_directory(*holders: Any) -> str:
    """``working-directory`` of a step, else ``defaults.run`` of its job or workflow."""
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        value = holder.get("working-directory")
        defaults = holder.get("defaults")
        if value is None and isinstance(defaults, dict) and isinstance(defaults.get("run"),
                                                                         dict):
            value = defaults["run"].get("working-directory")
        if value is not None:
            text = text_of(value)
            return "" if "${{" in text else text
    return ""


def _github_step(item: Any, line: int, path: str, commands: _Commands, cwd: str,
                 context: frozenset[str]) -> Step | None:
    if not isinstance(item, dict):
        return None
    condition = text_of(item.get("if"))
    name = text_of(item.get("name"))
    if item.get("uses"):
        uses = text_of(item["uses"])
        raw = item.get("with")
        inputs = tuple((str(k), text_of(v)) for k, v in raw.items()) \
            if isinstance(raw, dict) else ()
        purposes, _ = classify_action(uses, dict(inputs))
        return Step(name, "", uses, inputs, purposes, condition, Evidence(path, line))
    if item.get("run"):
        return commands.step(text_of(item["run"]), line, path, name=name, condition=condition,
                             cwd=_working_directory(item) or cwd, context=context)
    return None


def _matrix(strategy: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if isinstance(matrix, str):
        return (("matrix", (matrix,)),)
    if not isinstance(matrix, dict):
        return ()
    return tuple(
        (str(k), tuple(text_of(x) for x in v) if isinstance(v, list) else (text_of(v),))
        for k, v in matrix.items() if k not in ("include", "exclude"))


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(text_of(v.get("job") if isinstance(v, dict) else v) for v in value)
    return (text_of(value),) if value else ()


def _environment(value: Any) -> str:
    return text_of(value.get("name")) if isinstance(value, dict) else text_of(value)


def _github_job(job_id: str, spec: Any, line: int, path: str, workflow: YamlMap,
                commands: _Commands) -> Job:
    if not isinstance(spec, dict):
        return Job(job_id, "", (), (), Evidence(path, line))
    title = text_of(spec.get("name"))
    context = name_purposes(job_id, title) or name_purposes(text_of(workflow.get("name")))
    cwd = _working_directory(spec, workflow)
    steps: list[Step] = []
    if spec.get("uses"):  # a job that calls a reusable workflow
        step = _github_step({"uses": spec["uses"], "with": spec.get("with")},
                            line_of(spec, "uses", line), path, commands, cwd, context)
        steps.extend([step] if step else [])
    for item, item_line in items_with_lines(spec.get("steps"), line_of(spec, "steps", line)):
        step = _github_step(item, item_line, path, commands, cwd, context)
        if step is not None:
            steps.append(step)
    services = spec.get("services")
    runs_on = spec.get("runs-on")
    return Job(
        name=job_id,
        title=title,
        steps=tuple(steps),
        purposes=_job_purposes(steps),
        evidence=Evidence(path, line),
        needs=_names(spec.get("needs")),
        condition=text_of(spec.get("if")),
        runner=text_of(runs_on) if not isinstance(runs_on, dict) else text_of(runs_on.get(
            "labels", runs_on.get("group"))),
        matrix=_matrix(spec.get("strategy")),
        services=tuple(
            f"{name} ({text_of(s.get('image'))})" if isinstance(s, dict) else str(name)
            for name, s in services.items()) if isinstance(services, dict) else (),
        environment=_environment(spec.get("environment")),
    )


def _read_github(path: str, data: Any, commands: _Commands) -> Workflow | None:
    if not isinstance(data, YamlMap):
        return None
    jobs_value = data.get("jobs")
    jobs = tuple(
        _github_job(str(job_id), spec, line_of(jobs_value, job_id, 1), path, data, commands)
        for job_id, spec in jobs_value.items()) if isinstance(jobs_value, dict) else ()
    name = text_of(data.get("name")) or PurePosixPath(path).name
    return Workflow(path, "github-actions", name, _github_triggers(data, path), jobs,
                    Evidence(path, data.line_of("name", 1)))


_GITLAB_GLOBALS = frozenset({
    "default", "include", "stages", "variables", "workflow", "image", "services", "cache",
    "before_script", "after_script",
})


def _gitlab_resolved(name: str, jobs: Mapping[Any, Any], depth: int = 0) -> dict[Any, Any]:
    """A job with the templates it ``extends`` merged in (its own keys win)."""
    spec = jobs.get(name)
    if not isinstance(spec, dict) or depth > 10:
        return {}
    merged: dict[Any, Any] = {}
    for parent in _names(spec.get("extends")):
        merged.update(_gitlab_resolved(parent, jobs, depth + 1))
    merged.update(spec)
    return merged


MAX_SCRIPT_LINES = 500  # per GitLab job; aliases can nest a small file into a huge list


def _flatten_lines(value: Any, default: int) -> list[tuple[str, int]]:
    """Script lines with their lines; nested lists (from YAML anchors) are flattened, up to
    :data:`MAX_SCRIPT_LINES`."""
    lines: list[tuple[str, int]] = []

    def walk(current: Any, line: int) -> None:
        for item, item_line in items_with_lines(current, line):
            if len(lines) >= MAX_SCRIPT_LINES:
                return
            if isinstance(item, list):
                walk(item, item_line)
            elif item is not None:
                lines.append((text_of(item), item_line))

    walk(value, default)
    return lines


def _gitlab_condition(spec: Mapping[Any, Any]) -> str:
    parts: list[str] = []
    rules = spec.get("rules")
    if isinstance(rules, list):
        parts.extend(f"if {text_of(r['if'])}" for r in rules
                     if isinstance(r, dict) and r.get("if"))
    for key in ("only", "except"):
        value = spec.get(key)
        if isinstance(value, dict):
            value = value.get("refs")
        if value:
            parts.append(f"{key}: {text_of(value)}")
    if spec.get("when") not in (None, "on_success"):
        parts.append(f"when: {text_of(spec['when'])}")
    return "; ".join(parts)


def _read_gitlab(path: str, data: Any, commands: _Commands) -> tuple[Workflow | None,
                                                                     list[FileNote]]:
    if not isinstance(data, YamlMap):
        return None, []
    notes = []
    if "include" in data:
        notes.append(FileNote(Evidence(path, data.line_of("include")),
                              "included CI files (`include:`) are not followed"))
    default: Mapping[Any, Any] = data["default"] if isinstance(data.get("default"), dict) \
        else {}
    jobs = []
    for name, spec in data.items():
        if name in _GITLAB_GLOBALS or not isinstance(spec, dict) or str(name).startswith("."):
            continue
        line = data.line_of(name)
        job = _gitlab_resolved(name, data)
        context = name_purposes(str(name)) or name_purposes(text_of(job.get("stage")))
        steps = [
            commands.step(command, command_line, path, context=context)
            for key in ("before_script", "script", "after_script")
            for command, command_line in _flatten_lines(
                job.get(key, default.get(key, data.get(key))), line_of(job, key, line))
        ]
        image = job.get("image", default.get("image", data.get("image")))
        services = job.get("services", default.get("services", data.get("services")))
        jobs.append(Job(
            name=str(name), title="", steps=tuple(steps), purposes=_job_purposes(steps),
            evidence=Evidence(path, line), needs=_names(job.get("needs")),
            condition=_gitlab_condition(job),
            runner=text_of(image.get("name") if isinstance(image, dict) else image),
            services=tuple(text_of(s.get("name") if isinstance(s, dict) else s)
                           for s in services) if isinstance(services, list) else (),
            environment=_environment(job.get("environment")),
            stage=text_of(job.get("stage"))))
    workflow = data.get("workflow")
    triggers = tuple(
        Trigger("rule", f"if {text_of(rule['if'])}", Evidence(path, rule_line))
        for rule, rule_line in items_with_lines(
            workflow.get("rules") if isinstance(workflow, dict) else None, 1)
        if isinstance(rule, dict) and rule.get("if"))
    name = text_of(workflow.get("name")) if isinstance(workflow, dict) else ""
    return Workflow(path, "gitlab-ci", name or PurePosixPath(path).name, triggers,
                    tuple(jobs), Evidence(path, 1)), notes


def _read_pre_commit(path: str, data: Any, commands: _Commands) -> Workflow | None:
    if not isinstance(data, YamlMap):
        return None
    steps = []
    for repo, _ in items_with_lines(data.get("repos"), 1):
        if not isinstance(repo, dict):
            continue
        source = text_of(repo.get("repo"))
        uses = f"{source}@{text_of(repo.get('rev'))}" if repo.get("rev") else source
        for hook, hook_line in items_with_lines(repo.get("hooks"), line_of(repo, "hooks", 1)):
            if not isinstance(hook, dict) or not hook.get("id"):
                continue
            hook_id = text_of(hook["id"])
            entry = text_of(hook.get("entry"))
            step = commands.step(entry, hook_line, path) if entry else None
            purposes = step.purposes if step and step.purposes else classify_command(hook_id)
            steps.append(Step(hook_id, entry or hook_id, uses, (), purposes, "",
                              Evidence(path, line_of(hook, "id", hook_line)),
                              step.scripts if step else ()))
    triggers = (Trigger("pre-commit.ci", "", Evidence(path, data.line_of("ci"))),) \
        if "ci" in data else ()
    job = Job("hooks", "", tuple(steps), _job_purposes(steps), Evidence(path,
              data.line_of("repos", 1)))
    return Workflow(path, "pre-commit", "pre-commit", triggers, (job,), Evidence(path, 1))


def _read_tox(path: str, text: str, commands: _Commands) -> Workflow:
    sections = read_ini(text)
    folder = str(PurePosixPath(path).parent).removeprefix(".")
    base: list[Step] = []
    envlist = ""
    for section in sections:
        entry = section.get("envlist")
        if section.name in ("tox", "tox:tox") and entry is not None:
            envlist = " ".join(entry.value.split())
        if section.name == "testenv":
            base = _tox_commands(section, path, commands, folder)
    jobs = []
    for section in sections:
        if section.name != "testenv" and not section.name.startswith("testenv:"):
            continue
        name = section.name.partition(":")[2] or "testenv"
        steps = _tox_commands(section, path, commands, folder) if section.get("commands") \
            else base
        title = f"default environment (envlist: {envlist})" if name == "testenv" and envlist \
            else ""
        jobs.append(Job(name, title, tuple(steps), _job_purposes(steps, name),
                        Evidence(path, section.line)))
    return Workflow(path, "tox", PurePosixPath(path).name, (), tuple(jobs), Evidence(path, 1))


def _tox_commands(section: IniSection, path: str, commands: _Commands,
                  folder: str) -> list[Step]:
    entry = section.get("commands")
    if entry is None:
        return []
    steps = []
    pending, pending_line = "", 0
    for text, line in [*entry.lines, ("", 0)]:
        if pending and (not pending.endswith("\\") or not text):
            command = pending.removesuffix("\\").lstrip("-! ").strip()
            steps.append(commands.step(command, pending_line, path, cwd=folder))
            pending, pending_line = "", 0
        if text:
            joined = f"{pending.removesuffix(chr(92)).rstrip()} {text}" if pending else text
            pending, pending_line = joined.strip(), pending_line or line
    return steps


def _read_nox(path: str, model: SystemModel) -> Workflow | None:
    facts = model.facts.get(path)
    if facts is None:
        return None
    jobs = tuple(
        Job(f.name, "", (), classify_name(f.name), Evidence(path, f.line))
        for f in facts.functions
        if any(d in ("nox.session", "session") or d.endswith(".session") for d in f.decorators))
    return Workflow(path, "nox", PurePosixPath(path).name, (), jobs, Evidence(path, 1))


_MAKE_TARGET = re.compile(r"^([A-Za-z0-9_./-][A-Za-z0-9_./ -]*?)\s*::?(?!=)\s*([^=]*)$")


def _read_make(path: str, text: str, commands: _Commands) -> Workflow:
    folder = str(PurePosixPath(path).parent).removeprefix(".")
    targets: list[tuple[list[str], int, list[str], list[tuple[str, int]]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        raw, number = lines[index], index + 1
        index += 1
        if raw.startswith("\t") and targets:
            command = raw.strip()
            while command.endswith("\\") and index < len(lines):
                command = command[:-1].rstrip() + " " + lines[index].strip()
                index += 1
            command = command.lstrip("@-+ ")
            if command and not command.startswith("#"):
                targets[-1][3].append((command, number))
            continue
        match = _MAKE_TARGET.match(raw.split("#", 1)[0].rstrip())
        if match and not raw.startswith((" ", "\t")):
            names = [n for n in match.group(1).split() if not n.startswith(".")]
            targets.append((names, number, match.group(2).split(), []))
    known = {n for names, *_ in targets for n in names}
    jobs = []
    for names, line, prerequisites, recipe in targets:
        for name in names:
            steps = [commands.step(c, n, path, cwd=folder, context=name_purposes(name))
                     for c, n in recipe]
            jobs.append(Job(name, "", tuple(steps), _job_purposes(steps, name),
                            Evidence(path, line),
                            needs=tuple(p for p in prerequisites if p in known)))
    return Workflow(path, "make", PurePosixPath(path).name, (), tuple(jobs), Evidence(path, 1))


def _yaml_document(path: str, text: str, notes: list[FileNote]) -> Any:
    try:
        documents = load_yaml(text)
    except YamlError as error:
        notes.append(FileNote(Evidence(path, error.line), str(error)))
        return None
    return documents[0] if documents else None


def _ci_kind(path: str) -> str | None:
    name = PurePosixPath(path).name
    if path.startswith(".github/workflows/"):
        return "github-actions"
    if path == ".gitlab-ci.yml":
        return "gitlab-ci"
    return {".pre-commit-config.yaml": "pre-commit", "tox.ini": "tox", "noxfile.py": "nox",
            "Makefile": "make", "GNUmakefile": "make", "makefile": "make"}.get(name)


def _build_ci(model: SystemModel) -> CI:
    rules = load_step_rules()
    commands = _Commands(model)
    workflows: list[Workflow] = []
    others: list[OtherSystem] = []
    notes: list[FileNote] = []
    candidates = [*model.files_of_kind("ci"),
                  *(p for p in model.files_of_kind("deployment") if _ci_kind(p) == "make")]
    for path in sorted(candidates):
        kind = _ci_kind(path)
        if kind is None:
            system = next(((name, pipeline) for pattern, name, pipeline in rules.systems
                           if fnmatchcase(path, pattern)), None)
            if system is not None:
                others.append(OtherSystem(path, *system))
            continue
        if kind == "nox":
            workflow = _read_nox(path, model)
            workflows.extend([workflow] if workflow else [])
            continue
        if model.size_of(path) > MAX_BYTES:
            notes.append(FileNote(Evidence(path, 1), f"larger than {MAX_BYTES:,} bytes"))
            continue
        text = model.read_text(path)
        if text is None:
            notes.append(FileNote(Evidence(path, 1), "could not be read"))
            continue
        found: Workflow | None
        if kind == "tox":
            found = _read_tox(path, text, commands)
        elif kind == "make":
            found = _read_make(path, text, commands)
        else:
            data = _yaml_document(path, text, notes)
            if kind == "gitlab-ci":
                found, extra = _read_gitlab(path, data, commands)
                notes.extend(extra)
            elif kind == "github-actions":
                found = _read_github(path, data, commands)
            else:
                found = _read_pre_commit(path, data, commands)
            if found is None and data is not None:
                notes.append(FileNote(Evidence(path, 1), "not a mapping at the top level"))
        if found is not None:
            workflows.append(found)
    workflows = _with_tasks(workflows)
    return CI(tuple(_with_called_workflows(workflows)), tuple(others), tuple(notes))


def _task_names(words: list[str]) -> tuple[str, list[str]] | None:
    """``(runner file, task names)`` for ``tox -e a,b``, ``nox -s a b`` and ``make -C dir a``;
    an empty list means the runner's default."""
    runner, rest = words[0], words[1:]
    if runner == "tox":
        envs: list[str] = []
        for index, word in enumerate(rest):
            if word in ("-e", "--env") and index + 1 < len(rest):
                envs.extend(rest[index + 1].split(","))
            elif word.startswith(("-e=", "--env=")):
                envs.extend(word.partition("=")[2].split(","))
        return "tox.ini", [e for e in envs if e]
    if runner == "nox":
        sessions: list[str] = []
        taking = False
        for word in rest:
            if word in ("-s", "--session", "--sessions"):
                taking = True
            elif word.startswith("-"):
                taking = False
            elif taking:
                sessions.append(word)
        return "noxfile.py", sessions
    if runner in ("make", "gmake", "$(MAKE)"):
        folder, targets = "", []
        skip = False
        for index, word in enumerate(rest):
            if skip:
                skip = False
            elif word == "-C" and index + 1 < len(rest):
                folder, skip = rest[index + 1].rstrip("/") + "/", True
            elif not word.startswith("-") and "=" not in word:
                targets.append(word)
        return f"{_normalise(folder)}/Makefile".lstrip("/"), targets
    return None


def _with_tasks(workflows: list[Workflow]) -> list[Workflow]:
    """CI steps that run a tox environment, nox session or Makefile target of the repository
    take its purposes too."""
    runners = {w.path: {j.name: j for j in w.jobs} for w in workflows
               if w.kind in ("tox", "nox", "make")}
    if not runners:
        return workflows
    rules = load_step_rules()

    def tasks(step: Step) -> list[tuple[str, Job]]:
        found: list[tuple[str, Job]] = []
        for words in simple_commands(step.command):
            for candidate in _unwrapped(words, rules):
                named = _task_names(candidate)
                if named is None or named[0] not in runners:
                    continue
                jobs = runners[named[0]]
                wanted = named[1] or (["testenv"] if named[0] == "tox.ini" else
                                      list(jobs)[:1] if named[0].endswith("Makefile")
                                      else list(jobs))
                for name in wanted:
                    # tox runs an environment without a section of its own (`py312`) with
                    # the `[testenv]` settings.
                    task = jobs.get(name) or (jobs.get("testenv") if named[0] == "tox.ini"
                                              else None)
                    if task is not None:
                        found.append((f"{named[0]}:{name}", task))
        return found

    result = []
    for workflow in workflows:
        if workflow.kind not in ("github-actions", "gitlab-ci"):
            result.append(workflow)
            continue
        jobs = []
        for job in workflow.jobs:
            steps = []
            for step in job.steps:
                ran = tasks(step) if step.command else []
                if ran:
                    step = step._replace(
                        purposes=rules.order([*step.purposes,
                                              *(p for _, j in ran for p in j.purposes)]),
                        tasks=tuple(dict.fromkeys(name for name, _ in ran)))
                steps.append(step)
            jobs.append(replace(job, steps=tuple(steps), purposes=rules.order(
                [*job.purposes, *(p for s in steps for p in s.purposes)])))
        result.append(replace(workflow, jobs=tuple(jobs)))
    return result


def _with_called_workflows(workflows: list[Workflow]) -> list[Workflow]:
    """Jobs that call a reusable workflow of the repository (``uses:
    ./.github/workflows/x.yml``) take the purposes of that workflow's jobs."""
    by_path = {w.path: w for w in workflows if w.kind == "github-actions"}

    def called(job: Job, depth: int = 0) -> tuple[str, ...]:
        target = by_path.get(_normalise(job.steps[0].uses.split("@", 1)[0])) \
            if job.steps and job.steps[0].uses.startswith("./") else None
        if target is None or depth > 5:
            return job.purposes
        return load_step_rules().order(
            p for inner in target.jobs for p in called(inner, depth + 1))

    result = []
    for workflow in workflows:
        if workflow.kind != "github-actions":
            result.append(workflow)
            continue
        jobs = []
        for job in workflow.jobs:
            purposes = called(job)
            if purposes != job.purposes:
                step = job.steps[0]._replace(purposes=purposes)
                job = replace(job, steps=(step, *job.steps[1:]), purposes=purposes)
            jobs.append(job)
        result.append(replace(workflow, jobs=tuple(jobs)))
    return result


def read_ci(model: SystemModel) -> CI:
    """The repository's CI and task automation, computed once per model."""
    return model.memo("ci", _build_ci)
