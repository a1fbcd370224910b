"""Shell commands: split into simple commands, classified by purpose with the rules of
:mod:`syspatterns.model.ci.step_rules`, and followed into the repository scripts they run
and the project scripts of ``pyproject.toml`` they name (``hatch run test``, ``pdm run lint``;
:class:`Commands`)."""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.step_rules import ActionRule, CommandRule, StepRules, load_step_rules
from syspatterns.model.ci.workflows import Step

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel


_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_VARIABLE_PREFIX = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*(?=/))")
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
        # ``$(...)`` (a command substitution, or Make's ``$(NAME)``) belongs to the word it
        # is written in: hidden from the lexer, put back in the words.
        line, hidden = _hide_substitutions(line)
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            lexer.commenters = ""
            words = list(lexer)
        except ValueError:
            words = line.split()
        if hidden:
            words = [_shown(w, hidden) for w in words]
        current: list[str] = []
        for word in [*words, ";"]:
            if word in _SEPARATORS:
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(word)
    return commands


_HIDDEN = re.compile("\0(\\d+)\1")


def _hide_substitutions(line: str) -> tuple[str, list[str]]:
    """``line`` with each outermost ``$(...)`` replaced by a placeholder, and the texts they
    stand for; an unbalanced one is left as written."""
    hidden: list[str] = []
    pieces: list[str] = []
    position = 0
    while (start := line.find("$(", position)) != -1:
        depth, end = 0, start + 1
        while end < len(line):
            if line[end] == "(":
                depth += 1
            elif line[end] == ")":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        if depth:
            break
        pieces.append(line[position:start] + f"\0{len(hidden)}\1")
        hidden.append(line[start:end + 1])
        position = end + 1
    pieces.append(line[position:])
    return "".join(pieces), hidden


def _shown(word: str, hidden: list[str]) -> str:
    """``word`` with the substitutions :func:`_hide_substitutions` hid put back."""
    return _HIDDEN.sub(lambda match: hidden[int(match.group(1))], word)


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


def unwrapped(words: list[str], rules: StepRules) -> Iterator[list[str]]:
    """``words`` and each shorter command left after removing a wrapper (``python -m``,
    ``uv run``, ...) and the options that follow it."""
    while True:
        while words and (_ASSIGNMENT.match(words[0]) or words[0] in _SHELL_WORDS):
            words = words[1:]
        if not words:
            return
        prefixed = _VARIABLE_PREFIX.match(words[0])
        if prefixed and prefixed.end() < len(words[0]):  # ``${PREFIX}pytest``: a tool's folder
            words = [words[0][prefixed.end():], *words[1:]]
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
    # ``python ./setup.py sdist`` is ``python setup.py sdist``
    words = [w[2:] if w.startswith("./") and len(w) > 2 else w for w in words]
    for candidate in unwrapped(words, rules):
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
    """Purposes of a nox session, tox environment, Makefile target or CircleCI orb job or
    command from its name alone."""
    for pattern, purposes in load_step_rules().sessions:
        if fnmatchcase(name.lower(), pattern):
            return purposes
    return ()


def classify_provider(provider: str) -> tuple[str, ...]:
    """Purposes of a Travis CI ``deploy:`` provider: its ``[[provider]]`` row, else deploy."""
    return load_step_rules().providers.get(provider.lower(), ("deploy",))


SCRIPT_DEPTH = 2
SCRIPT_BYTES = 256_000
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "source", "."})


class Commands:
    """Classifies commands, following the repository scripts they run."""

    def __init__(self, model: SystemModel) -> None:
        self.model = model
        self.paths = {path for path, _, _ in model.scan.listing}
        self.scripts_by_name: dict[str, list[str]] = {}
        for path, _, _ in model.scan.listing:
            self.scripts_by_name.setdefault(PurePosixPath(path).name, []).append(path)
        self.texts: dict[str, str | None] = {}
        self._tasks: dict[str, dict[str, str]] | None = None

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
        task = self._task(words)
        if task is not None and task[0] not in seen:
            for inner_words in simple_commands(task[1]):
                inner, deeper = self._simple(inner_words, cwd, context, depth + 1,
                                             (*seen, task[0]))
                purposes.extend(inner)
                scripts.extend(deeper)
        return purposes, scripts

    def _task(self, words: list[str]) -> tuple[str, str] | None:
        """``(key, commands)`` of the project script that ``hatch run [env:]name`` or ``pdm
        run name`` runs, as ``pyproject.toml`` defines it."""
        while words and _ASSIGNMENT.match(words[0]):
            words = words[1:]
        if len(words) < 3 or words[1] != "run" or words[0] not in ("hatch", "pdm"):
            return None
        name = next((w for w in words[2:] if not w.startswith("-")), "")
        env, _, script = name.rpartition(":") if words[0] == "hatch" else ("", "", name)
        tables = self._project_tasks()
        commands = tables.get(f"{words[0]}:{env or 'default'}", {}).get(script)
        if commands is None and words[0] == "hatch" and not env:
            commands = next((t[script] for k, t in sorted(tables.items())
                             if k.startswith("hatch:") and script in t), None)
        return (f"{words[0]} {name}", commands) if commands else None

    def _project_tasks(self) -> dict[str, dict[str, str]]:
        """``tool:env`` -> script name -> its commands, from the root ``pyproject.toml``:
        Hatch environments' ``scripts`` and PDM's ``[tool.pdm.scripts]``."""
        if self._tasks is None:
            self._tasks = {}
            text = self.model.read_text("pyproject.toml") if "pyproject.toml" in self.paths \
                else None
            try:
                tool = tomllib.loads(text or "").get("tool", {})
            except tomllib.TOMLDecodeError:
                tool = {}
            envs = tool.get("hatch", {}).get("envs", {}) if isinstance(tool, dict) else {}
            for env, table in envs.items() if isinstance(envs, dict) else ():
                if isinstance(table, dict) and isinstance(table.get("scripts"), dict):
                    self._tasks[f"hatch:{env}"] = _task_texts(table["scripts"])
            pdm = tool.get("pdm", {}).get("scripts") if isinstance(tool, dict) else None
            if isinstance(pdm, dict):
                self._tasks["pdm:default"] = _task_texts(pdm)
        return self._tasks

    def _scripts(self, words: list[str], cwd: str) -> list[str]:
        """Repository files that ``words`` runs: ``bash x.sh``, ``./x.sh``, ``sh ./run``,
        ``scripts/test``."""
        candidates = [w for i, w in enumerate(words)
                      if w.endswith(".sh") or (i > 0 and words[i - 1] in _SHELLS
                                              and not w.startswith("-"))
                      or (i == 0 and (w.startswith("./") or "/" in w.strip("/")))]
        found = []
        for candidate in candidates:
            path = self._resolve(candidate, cwd)
            if path is not None:
                found.append(path)
        return found

    def _resolve(self, candidate: str, cwd: str) -> str | None:
        if "$" in candidate or candidate.startswith("/"):
            return None
        joined = normalise_path(f"{cwd}/{candidate}" if cwd else candidate)
        if joined in self.paths:
            return joined
        # Run from elsewhere (a container's working directory): accept one unique match.
        suffix = normalise_path(candidate)
        matches = [p for p in self.scripts_by_name.get(PurePosixPath(suffix).name, [])
                   if p == suffix or p.endswith("/" + suffix)]
        return matches[0] if len(matches) == 1 else None

    def _text(self, path: str) -> str | None:
        if path not in self.texts:
            small = self.model.size_of(path) <= SCRIPT_BYTES
            self.texts[path] = self.model.read_text(path) if small else None
        return self.texts[path]


def _task_texts(table: dict[str, object]) -> dict[str, str]:
    """Script name -> its commands as one shell text: a string, a list of strings (run one
    after the other), or PDM's ``{cmd = ...}`` / ``{shell = ...}`` / ``{composite = [...]}``."""
    found = {}
    for name, value in table.items():
        if isinstance(value, dict):
            value = value.get("cmd") or value.get("shell") or value.get("composite") or ""
        if isinstance(value, list):
            value = "; ".join(v if isinstance(v, str) else " ".join(map(str, v))
                              for v in value)
        if isinstance(value, str) and value:
            found[name] = value
    return found


def normalise_path(path: str) -> str:
    """A relative path without ``.``, ``..`` and empty parts (``a/./b/../c`` is ``a/c``)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)
