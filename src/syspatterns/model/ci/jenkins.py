"""Jenkins (``Jenkinsfile``), read as text and never run: a small Groovy tokenizer (comments
and strings recognised, so that a stage in a comment or a string is not read) finds each
``stage('Name') { ... }`` of a declarative or scripted pipeline, the shell steps in it (``sh``,
``bat``, ``powershell``, ``pwsh``), its ``when {}`` condition and ``agent``, and the
pipeline's ``triggers {}``."""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from pathlib import PurePosixPath
from typing import NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands
from syspatterns.model.ci.jobs import job_purposes, name_purposes
from syspatterns.model.ci.workflows import FileNote, Job, Trigger, Workflow

SHELL_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'''.*?(?:'''|\Z)|\"\"\".*?(?:\"\"\"|\Z)|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\S)
""", re.S | re.X)


class Token(NamedTuple):
    kind: str  # "string", "word" or "punct"
    text: str
    start: int
    end: int
    line: int


class Block(NamedTuple):
    """A ``stage('name') { ... }`` (``open`` and ``close``: its braces' token indexes)."""

    name: str
    line: int
    at: int  # the index of its `stage` token
    open: int
    close: int


def tokenize(source: str) -> list[Token]:
    """Strings, words and punctuation of Groovy source, comments left out."""
    newlines = [m.start() for m in re.finditer("\n", source)]
    return [Token(m.lastgroup or "", m.group(), m.start(), m.end(),
                  bisect_right(newlines, m.start() - 1) + 1)
            for m in _TOKEN.finditer(source) if m.lastgroup != "comment"]


def string_value(token: Token) -> str:
    """A string literal's text: quotes removed, a triple-quoted block dedented."""
    quote = 3 if token.text[:3] in ("'''", '"""') else 1
    body = token.text[quote:]
    if body.endswith(token.text[:quote]):
        body = body[:-quote]
    return textwrap.dedent(re.sub(r"\\([\\'\"$])", r"\1", body)).strip()


def _braces(tokens: list[Token]) -> dict[int, int]:
    """Each ``{``'s index -> its ``}``'s index (an unclosed one runs to the end)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.text == "{" and token.kind == "punct":
            stack.append(index)
        elif token.text == "}" and token.kind == "punct" and stack:
            pairs[stack.pop()] = index
    pairs.update((index, len(tokens)) for index in stack)
    return pairs


def _is(tokens: list[Token], index: int, text: str) -> bool:
    return index < len(tokens) and tokens[index].kind == "punct" and tokens[index].text == text


def _stages(tokens: list[Token], braces: dict[int, int]) -> list[Block]:
    found = []
    for i, token in enumerate(tokens):
        if token.kind == "word" and token.text == "stage" and _is(tokens, i + 1, "(") \
                and i + 4 < len(tokens) and tokens[i + 2].kind == "string" \
                and _is(tokens, i + 3, ")") and _is(tokens, i + 4, "{"):
            found.append(Block(string_value(tokens[i + 2]), token.line, i, i + 4,
                               braces[i + 4]))
    return found


def _shell_call(tokens: list[Token], index: int) -> tuple[str, str] | None:
    """``(script, label)`` of ``sh 'x'``, ``sh('x')``, ``sh script: 'x', label: 'y'`` or
    ``sh(returnStdout: true, script: 'x')`` at ``index``; ``None`` for anything else."""
    if index > 0 and _is(tokens, index - 1, "."):
        return None
    j = index + 1 + _is(tokens, index + 1, "(")
    if j < len(tokens) and tokens[j].kind == "string":
        return string_value(tokens[j]), ""
    named: dict[str, str] = {}
    while j + 2 < len(tokens) and tokens[j].kind == "word" and _is(tokens, j + 1, ":"):
        value = tokens[j + 2]
        named[tokens[j].text] = string_value(value) if value.kind == "string" else value.text
        j += 3
        if not _is(tokens, j, ","):
            break
        j += 1
    return (named["script"], named.get("label", "")) if "script" in named else None


def _innermost(stages: list[Block], index: int) -> Block | None:
    inside = [s for s in stages if s.open < index < s.close]
    return max(inside, key=lambda s: s.open) if inside else None


def _block_after(tokens: list[Token], braces: dict[int, int], index: int) -> tuple[int, int]:
    """The token range inside the ``{ ... }`` right after ``index``, empty if none."""
    if _is(tokens, index + 1, "{"):
        return index + 2, braces[index + 1]
    return index + 1, index + 1


class _Pipeline:
    """The tokens of one Jenkinsfile and what was found in them."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self.tokens = tokenize(source)
        self.braces = _braces(self.tokens)
        self.stages = _stages(self.tokens, self.braces)

    def text(self, start: int, end: int) -> str:
        """The source between two token indexes, on one line."""
        if start >= end:
            return ""
        return " ".join(self.source[self.tokens[start].start:self.tokens[end - 1].end].split())

    def owned(self, word: str) -> list[tuple[int, Block | None]]:
        """Indexes of the word tokens ``word`` with the stage each is directly in."""
        return [(i, _innermost(self.stages, i)) for i, t in enumerate(self.tokens)
                if t.kind == "word" and t.text == word]

    def agent(self, stage: Block | None) -> str:
        """The agent a stage (or, for ``None``, the pipeline) declares: the image or label
        in its block, else the word after ``agent`` (``any``)."""
        for index, owner in self.owned("agent"):
            if owner != stage:
                continue
            start, end = _block_after(self.tokens, self.braces, index)
            inner = self.tokens[start:end] if end > start else self.tokens[index + 1:index + 2]
            strings = [string_value(t) for t in inner if t.kind == "string"]
            words = [t.text for t in inner if t.kind == "word" and t.text != "none"]
            return (strings or words or [""])[0]
        return ""

    def condition(self, stage: Block) -> str:
        for index, owner in self.owned("when"):
            if owner == stage:
                text = self.text(*_block_after(self.tokens, self.braces, index))
                return f"when {{ {text} }}" if text else ""
        return ""

    def triggers(self) -> tuple[Trigger, ...]:
        found = []
        for index, owner in self.owned("triggers"):
            if owner is not None:
                continue
            start, end = _block_after(self.tokens, self.braces, index)
            for i in range(start, end):
                token = self.tokens[i]
                if token.kind == "word" and _is(self.tokens, i + 1, "(") and (
                        i == start or not _is(self.tokens, i - 1, ".")):
                    argument = self.tokens[i + 2] if i + 2 < end else None
                    detail = string_value(argument) if argument and argument.kind == "string" \
                        else ""
                    found.append(Trigger(token.text, detail, Evidence(self.path, token.line)))
        return tuple(found)

    def shell_steps(self) -> list[tuple[Block | None, int, str, str]]:
        """``(stage, line, script, label)`` of every shell step, with its innermost stage."""
        found = []
        for i, token in enumerate(self.tokens):
            if token.kind == "word" and token.text in SHELL_STEPS:
                call = _shell_call(self.tokens, i)
                if call is not None and call[0]:
                    found.append((_innermost(self.stages, i), token.line, *call))
        return found

    def parent(self, stage: Block) -> tuple[int, str]:
        """The block a stage stands in (its ``{`` index) and the word before that block
        (``stages``, ``parallel``)."""
        opens = [o for o, c in self.braces.items() if o < stage.at < c]
        if not opens:
            return -1, ""
        innermost = max(opens)
        before = self.tokens[innermost - 1] if innermost > 0 else None
        return innermost, before.text if before and before.kind == "word" else ""


def read_jenkins(path: str, source: str, commands: Commands,
                 notes: list[FileNote]) -> list[Workflow]:
    if not source.strip():
        return []
    pipeline = _Pipeline(path, source)
    default_runner = pipeline.agent(None)
    by_stage: dict[Block | None, list[tuple[int, str, str]]] = {}
    for stage, line, script, label in pipeline.shell_steps():
        by_stage.setdefault(stage, []).append((line, script, label))
    jobs = []
    previous: dict[int, str] = {}
    for stage in pipeline.stages:
        block, head = pipeline.parent(stage)
        parent = _innermost([s for s in pipeline.stages if s != stage], stage.at)
        needs = (previous[block],) if block in previous and head != "parallel" else ()
        previous[block] = stage.name
        has_children = any(s.open > stage.open and s.close <= stage.close
                           for s in pipeline.stages if s != stage)
        if has_children and stage not in by_stage:
            continue
        context = name_purposes(stage.name, parent.name if parent else "")
        steps = [commands.step(script, line, path, name=label, context=context)
                 for line, script, label in by_stage.get(stage, [])]
        jobs.append(Job(stage.name, "", tuple(steps), job_purposes(steps),
                        Evidence(path, stage.line), needs=needs,
                        condition=pipeline.condition(stage),
                        runner=pipeline.agent(stage) or default_runner,
                        stage=parent.name if parent else ""))
    outside = by_stage.get(None, [])
    if outside:
        steps = [commands.step(script, line, path, name=label)
                 for line, script, label in outside]
        jobs.append(Job("pipeline", "shell steps outside any stage", tuple(steps),
                        job_purposes(steps), steps[0].evidence, runner=default_runner))
    if not jobs:
        notes.append(FileNote(Evidence(path, 1), (
            "no `stage('...') { ... }` with shell steps (`sh`, `bat`, `powershell`) was "
            "found; shared-library steps are not followed"), False))
    return [Workflow(path, "jenkins", PurePosixPath(path).name, pipeline.triggers(),
                     tuple(jobs), Evidence(path, 1))]

