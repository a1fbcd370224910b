"""Claims a hand-written document makes about the code, read from its Markdown.

A claim is something the code can prove or refute: a path, a module, class or function name,
a library, or an import between two modules. They are read from inline code, bare file names
and calls in prose, Markdown links, directory trees, Mermaid diagrams (node
labels, and edges between modules), ASCII box diagrams and arrow chains (``A → B → C``);
trees and Mermaid graphs are read whether fenced or not.
Fenced code snippets are examples, not claims, and are skipped, as is text in generated blocks.

Each claim records whether it is hedged: said of a plan, a proposal, a concept or an
alternative (:data:`~syspatterns.check.vocabulary.HEDGE`) in its own line or item, in a
heading above it, or next to the fenced block that holds it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

from syspatterns.check.vocabulary import (
    BARE_FILE_NAMES,
    CODE_EXTENSIONS,
    DOTFILES,
    HEDGE,
    LIBRARY_CONTEXT,
)
from syspatterns.document.markdown import (
    Fence,
    Markdown,
    code_spans,
    heading_of,
    without_code,
)

IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_IDENTIFIER = re.compile(rf"^{IDENTIFIER}$")
_DOTTED = re.compile(rf"^{IDENTIFIER}(?:\.{IDENTIFIER})+$")
_CALL = re.compile(rf"^@?({IDENTIFIER}(?:\.{IDENTIFIER})*)\s*\((.*)\)$", re.DOTALL)
_DECORATOR = re.compile(rf"^@({IDENTIFIER}(?:\.{IDENTIFIER})*)$")
_ENTRY_POINT = re.compile(rf"^({IDENTIFIER}(?:\.{IDENTIFIER})*):({IDENTIFIER})$")
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_PATH_CHARS = re.compile(r"^[\w.@+-]+(?:/[\w.@+-]+)*/?$")
_BARE_PATH = re.compile(r"(?<![\w/.@:\\-])((?:\.{1,2}/)?[\w.@+-]+(?:/[\w.@+-]+)*/?)(?![\w/])")
_BARE_CALL = re.compile(rf"(?<![\w.`])({IDENTIFIER}(?:\.{IDENTIFIER})*)\(([^()\n]{{0,40}})\)")
_WORD = re.compile(r"(?<![\w.-])([A-Za-z][A-Za-z0-9_.+-]*[A-Za-z0-9])(?![\w-])")
_COMMENT = re.compile(r"<!--.*?-->")
_ARROW = re.compile(r"\s*(?:→|⟶|⇒|->|=>|-->)\s*")
_ITEM_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#|>|(?:\*\*|__)[^*_]+(?:\*\*|__)\s*:)")
# CamelCase names of classes: UIState, PipelineRunner (not Python, not URL_CONFIGS).
CAMEL_CASE = re.compile(
    r"^(?=[A-Za-z0-9]*[a-z])(?:[A-Z][a-z0-9]*){2,}$|^[A-Z]{2,}[a-z][A-Za-z0-9]*$")
# A word written like a product name (FastAPI, boto3, slack_sdk), not like a common word.
_DISTINCTIVE = re.compile(r"^.+[A-Z]|\d|_|-")
_TREE_GLYPH = re.compile(r"[├└┣┗]|\|--|\+--|`--|\|__")
_BOX = re.compile(r"[┌┐┘╔╗╚╝]|\+-{3,}\+")
_TREE_PREFIX = " \t│|├└┣┗┃─━-+`'"
_ANNOTATION = re.compile(r"\s{2,}|\s#|\s←|\s<-|\s//|\s\(|\s-\s|\s—\s|\s:\s")


class Claim(NamedTuple):
    """One checkable statement of a document."""

    line: int  # 1-based line in the document
    kind: str  # "path", "name", "library" or "import"
    text: str  # the path, name or library as written; for "import": the importing side
    hedged: bool
    form: str  # "code", "prose", "link", "tree", "mermaid", "diagram" or "arrow"
    called: bool = False  # a name written as a call or decorator: a function or method
    other: str = ""  # for "import": the imported side
    prefix: str = ""  # for tree paths: the tree's root label, dropped if it is no folder
    context: str = ""  # the line, for the reader of the claim


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u0131", "i").replace("\u0130", "I"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def is_hedged(text: str) -> bool:
    """Whether ``text`` (prose, inline code ignored) states a plan, a concept or an
    alternative rather than what is."""
    return HEDGE.search(_folded(without_code(text))) is not None


def is_extension(token: str) -> bool:
    """``.jpg``, ``.env``: a file type, not a file."""
    return re.fullmatch(r"\.[A-Za-z0-9]{1,5}", token) is not None


def looks_like_path(token: str) -> bool:
    """Whether a token names a file or folder of a repository."""
    token = token.rstrip(".,;:")
    if not token or not _PATH_CHARS.match(token) or is_extension(token):
        return False
    name = token.rstrip("/").rpartition("/")[2]
    if token.endswith("/") or name in BARE_FILE_NAMES:
        return any(c.isalpha() for c in name)
    if name.startswith(".") and name.count(".") == 1:
        return name in DOTFILES
    stem, dot, extension = name.rpartition(".")
    return bool(dot and (stem or name.startswith(".")) and extension.lower() in CODE_EXTENSIONS)


def clean_path(token: str) -> str | None:
    """``token`` as a repository-relative path (anchors, line numbers and ``./`` removed),
    or ``None`` when it is no path of the repository (absolute, a pattern, outside it)."""
    token = token.strip().strip("\"'").replace("\\", "/")
    token = re.sub(r"(?:#L?\d+(?:-L?\d+)?|:\d+(?::\d+)?(?:-\d+)?)$", "", token)
    token = token.split("::", 1)[0]
    for glob in ("*", "?", "["):
        if glob in token:
            head = token[:token.index(glob)]
            token = head if head.endswith("/") else ""
    while token.startswith("./"):
        token = token[2:]
    if not token or token.startswith(("/", "../", "~")) or re.match(r"^[A-Za-z]:/", token):
        return None
    if any(c in token for c in "<>{}$%…") or "..." in token or "//" in token:
        return None
    return token if looks_like_path(token) else None


def _code_claims(content: str) -> list[tuple[str, str, bool]]:
    """``(kind, text, called)`` for what an inline code span names."""
    content = content.strip().strip("\"'").strip()
    if not content or _URL.search(content) or _EMAIL.fullmatch(content):
        return []
    if content.startswith("-"):
        return []  # a command-line option
    if call := _CALL.match(content):
        return [("name", call.group(1), True)]
    if any(c.isspace() for c in content):
        found: list[tuple[str, str, bool]] = []
        tokens = content.split()
        for position, token in enumerate(tokens):
            if position and tokens[position - 1] == "-m" and _DOTTED.match(token):
                found.append(("name", token, False))
            elif (entry := _ENTRY_POINT.match(token)) and "." in entry.group(1):
                found.append(("name", f"{entry.group(1)}.{entry.group(2)}", False))
            elif (path := clean_path(token)) is not None:
                found.append(("path", path, False))
        return found
    if decorator := _DECORATOR.match(content):
        return [("name", decorator.group(1), True)]
    if entry := _ENTRY_POINT.match(content):
        return [("name", f"{entry.group(1)}.{entry.group(2)}", False)]
    path = clean_path(content)
    if path is not None:
        return [("path", path, False)]
    if _DOTTED.match(content) or _IDENTIFIER.match(content):
        return [("name", content, False)]
    return []


class _Reader:
    """Collects the claims of one document."""

    def __init__(self, doc: Markdown, is_library: Callable[[str], bool]) -> None:
        self.doc = doc
        self.is_library = is_library
        self.claims: list[Claim] = []
        self._heading_hedge: dict[int, bool] = {}

    def hedged_at(self, index: int) -> bool:
        """Whether a heading whose section holds line ``index`` is hedged."""
        return any(self._heading_hedged(h.index) for h in self.doc.enclosing(index)
                   if h.index != index)

    def _heading_hedged(self, index: int) -> bool:
        if index not in self._heading_hedge:
            self._heading_hedge[index] = is_hedged(self.doc.lines[index])
        return self._heading_hedge[index]

    def item_text(self, index: int) -> str:
        """The list item, table row or paragraph that line ``index`` belongs to."""
        lines, kinds = self.doc.lines, self.doc.kinds
        start = index
        while (start > 0 and not _ITEM_START.match(lines[start]) and kinds[start - 1] == "prose"
               and lines[start - 1].strip()):
            start -= 1
        end = index + 1
        while (end < len(lines) and kinds[end] == "prose" and lines[end].strip()
               and not _ITEM_START.match(lines[end])):
            end += 1
        return " ".join(lines[start:end])

    def add(self, index: int, kind: str, text: str, form: str, hedged: bool, *,
            called: bool = False, other: str = "", prefix: str = "") -> None:
        self.claims.append(Claim(index + 1, kind, text, hedged, form, called, other, prefix,
                                 self.doc.lines[index].strip()))

    # Prose -------------------------------------------------------------------------------

    def prose(self, index: int) -> None:
        line = _COMMENT.sub(lambda m: " " * len(m.group(0)), self.doc.lines[index])
        item = self.item_text(index)
        hedged = self.hedged_at(index) or is_hedged(item)
        for _, content in code_spans(line):
            for kind, text, called in _code_claims(content):
                self.add(index, kind, text, "code", hedged, called=called)
        bare = without_code(line).replace("\\_", "_")
        for match in _LINK.finditer(bare):
            target = re.sub(r"#.*$", "", match.group(2))
            climbs = re.match(r"^(?:\.{1,2}/)*", target)
            up = climbs.group(0) if climbs else ""
            path = clean_path(target[len(up):]) if not _URL.match(target) else None
            if path is not None:
                self.add(index, "path", up + path, "link", hedged)
        bare = _LINK.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), bare)
        bare = _URL.sub(lambda m: " " * len(m.group(0)), bare)
        bare = _EMAIL.sub(lambda m: " " * len(m.group(0)), bare)
        taken: list[tuple[int, int]] = []
        for match in _BARE_PATH.finditer(bare):
            token = match.group(1).rstrip(".,;:")
            name = token.rstrip("/").rpartition("/")[2]
            if "/" not in token and name[:1].isupper() and name.endswith(".js"):
                continue  # Node.js, Vue.js: products, not files
            if "/" in token.rstrip("/") and not (token.endswith("/") or "." in name):
                continue  # and/or, CI/CD, read/write
            path = clean_path(token)
            if path is not None:
                self.add(index, "path", path, "prose", hedged)
                taken.append(match.span())
        for match in _BARE_CALL.finditer(bare):
            name = match.group(1)
            if _code_shaped(name) and not _inside(match.start(), taken):
                self.add(index, "name", name, "prose", hedged, called=True)
        self.arrows(index, bare, hedged)
        for match in _WORD.finditer(bare):
            word = match.group(1)
            if (not _inside(match.start(), taken) and self.is_library(word)
                    and (_DISTINCTIVE.search(word) or LIBRARY_CONTEXT.search(item))):
                self.add(index, "library", word, "prose", hedged)

    def arrows(self, index: int, text: str, hedged: bool) -> None:
        """Code-shaped items of an arrow chain (``UIState → PipelineRunner → save_output``);
        paths in the chain are read as paths already."""
        items = _ARROW.split(text)
        if len(items) < 2:
            return
        for item in items:
            token = item.strip().strip("*_[](){}\"'`.,;:|").strip()
            if not token or " " in token or clean_path(token) is not None:
                continue
            if _DOTTED.match(token) or CAMEL_CASE.match(token) or (
                    _IDENTIFIER.match(token) and "_" in token.strip("_")):
                self.add(index, "name", token, "arrow", hedged)

    # Fenced blocks -------------------------------------------------------------------------

    def fence(self, fence: Fence) -> None:
        first = next((line.strip() for line in fence.body if line.strip()), "")
        hedged = self.hedged_at(fence.start) or self._fence_hedged(fence)
        if fence.info == "mermaid" or re.match(
                r"(?:graph|flowchart|classDiagram|sequenceDiagram)\b", first):
            _Mermaid(self, fence, hedged).read()
        elif fence.info in ("", "text", "txt", "plaintext", "tree", "sh", "bash", "console",
                            "shell", "ascii", "none"):
            if is_tree(fence.body):
                self.tree(fence, hedged)
            elif any(_BOX.search(line) for line in fence.body):
                self.box(fence, hedged)

    def _fence_hedged(self, fence: Fence) -> bool:
        """A plan or a concept said of the whole block just before or after it."""
        lines = self.doc.lines
        near: list[str] = []
        for step, start in ((-1, fence.start - 1), (1, fence.end + 1)):
            position, seen = start, 0
            while 0 <= position < len(lines) and seen < 2:
                if heading_of(lines[position]) is not None:
                    break
                if lines[position].strip():
                    near.append(lines[position])
                    seen += 1
                elif seen:
                    break
                position += step
        return any(is_hedged(line) for line in near)

    def tree(self, fence: Fence, hedged: bool) -> None:
        entries = tree_entries(fence.body)
        if not entries:
            return
        tops = [e for e in entries if e.parent is None]
        root = tops[0].name if len(tops) == 1 and len(entries) > 1 else ""
        for entry in entries:
            if root and entry is tops[0]:
                continue
            line_index = fence.body_start + entry.offset
            own = hedged or is_hedged(fence.body[entry.offset])
            self.add(line_index, "path", entry.path, "tree", own,
                     prefix=f"{root.rstrip('/')}/" if root else "")

    def box(self, fence: Fence, hedged: bool) -> None:
        for offset, line in enumerate(fence.body):
            index = fence.body_start + offset
            for match in _BARE_PATH.finditer(line):
                token = match.group(1)
                if "." in token.rpartition("/")[2] or "/" in token.rstrip("/"):
                    path = clean_path(token)
                    if path is not None:
                        self.add(index, "path", path, "diagram", hedged or is_hedged(line))


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _code_shaped(name: str) -> bool:
    """A name that can only be code: dotted, snake_case, or CamelCase."""
    last = name.rpartition(".")[2]
    return "." in name or "_" in last.strip("_") or CAMEL_CASE.match(last) is not None


class TreeEntry(NamedTuple):
    offset: int  # line within the fenced block
    name: str  # as written, with a trailing "/" for folders
    path: str  # from the tree's top, folders joined with "/"
    parent: str | None  # the parent entry's path, None at the top


def is_tree(body: Iterable[str]) -> bool:
    """Whether a fenced block draws a directory tree (``├──`` branches, or indented names
    with folders ending in ``/``)."""
    lines = [line for line in body if line.strip()]
    if sum(1 for line in lines if _TREE_GLYPH.search(line)) >= 2:
        return not any(_BOX.search(line) for line in lines)
    names = [_entry_text(line) for line in lines]
    entries = [n for n in names if n and _PATH_CHARS.match(n.split()[0] if n.split() else "")]
    indents = {len(line) - len(line.lstrip()) for line in lines}
    return (len(lines) >= 3 and len(entries) >= 0.8 * len(lines) and len(indents) > 1
            and any(n.split()[0].endswith("/") for n in entries))


def _entry_text(line: str) -> str:
    text = line.lstrip(_TREE_PREFIX)
    cut = _ANNOTATION.search(text)
    return (text[:cut.start()] if cut else text).strip().strip("*`")


def _entry_names(text: str) -> list[str]:
    """The file and folder names of one tree line: one name, or several separated by commas;
    words that are no names (``other test files``) are left out."""
    names: list[str] = []
    for part in re.split(r",\s*", text):
        words = part.split()
        if len(words) > 1:
            words = [w for w in words if looks_like_path(w)]
        names.extend(w for w in words if _PATH_CHARS.match(w) and w.strip("./"))
    return names


def tree_entries(body: tuple[str, ...]) -> list[TreeEntry]:
    """The entries of a directory tree with their paths, from the columns of the names.
    Several files on one line are siblings; comments after the names are left out."""
    entries: list[TreeEntry] = []
    stack: list[tuple[int, str]] = []  # (column, path) of the entries that may have children
    for offset, line in enumerate(body):
        if not line.strip():
            continue
        column = len(line) - len(line.lstrip(_TREE_PREFIX))
        names = _entry_names(_entry_text(line))
        if not names:
            continue
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent = stack[-1][1] if stack else None
        for name in names:
            path = f"{parent.rstrip('/')}/{name}" if parent else name
            entries.append(TreeEntry(offset, name, path, parent))
        if len(names) == 1:
            stack.append((column, entries[-1].path))
    return entries


_NODE = re.compile(
    r"(?P<id>[A-Za-z_][\w-]*)\s*(?:\[\[|\[\(|\(\(|\(\[|\{\{|\[/|\[\\|\[|\(|\{|>)\s*"
    r"(?P<label>\"[^\"]*\"|[^\]\)\}]*?)\s*(?:\]\]|\)\]|\)\)|\]\)|\}\}|/\]|\\\]|\]|\)|\})")
_EDGE = re.compile(r"\s*(?:<?(?:-{2,}|={2,}|-\.+-)[->ox]?|<?-\.+->)(?:\|(?P<label>[^|]*)\|)?\s*")
_TEXT_EDGE = re.compile(r"(--|==|-\.)\s+([^|>]+?)\s+(-->|==>|\.->)")
_IMPORT_LABEL = re.compile(r"import|depend|uses|requires|calls", re.IGNORECASE)


class _Mermaid:
    """Claims of one Mermaid diagram."""

    def __init__(self, reader: _Reader, fence: Fence, hedged: bool) -> None:
        self.reader = reader
        self.fence = fence
        self.hedged = hedged
        self.labels: dict[str, str] = {}

    def add(self, offset: int, kind: str, text: str, *, called: bool = False,
            other: str = "") -> None:
        hedged = self.hedged or is_hedged(self.fence.body[offset])
        self.reader.add(self.fence.body_start + offset, kind, text, "mermaid", hedged,
                        called=called, other=other)

    def read(self) -> None:
        body = self.fence.body
        kind = next((line.split()[0] for line in body if line.strip()
                     and not line.strip().startswith("%%")), "")
        if kind in ("graph", "flowchart"):
            self.flowchart()
        elif kind == "classDiagram":
            self.class_diagram()
        elif kind == "sequenceDiagram":
            self.sequence()

    def label_claims(self, offset: int, label: str) -> None:
        for part in re.split(r"<br\s*/?>|\\n", label):
            text = re.sub(r"<[^>]+>|[*`\"']", "", part).strip()
            if not text:
                continue
            path = clean_path(text) if " " not in text else None
            if path is not None:
                self.add(offset, "path", path)
            elif " " not in text and (_DOTTED.match(text) or CAMEL_CASE.match(text)):
                self.add(offset, "name", text)

    def flowchart(self) -> None:
        statements: list[tuple[int, str]] = []
        for offset, line in enumerate(self.fence.body):
            stripped = line.strip()
            if not stripped or stripped.startswith(("%%", "classDef", "style", "linkStyle",
                                                    "click", "class ", "direction")):
                continue
            if stripped.startswith("subgraph"):
                continue
            for node in _NODE.finditer(stripped):
                label = node.group("label").strip().strip('"')
                self.labels.setdefault(node.group("id"), label)
                self.label_claims(offset, label)
            statements.append((offset, _NODE.sub(lambda m: m.group("id"), stripped)))
        for offset, statement in statements:
            statement = _TEXT_EDGE.sub(lambda m: f"-->|{m.group(2)}|", statement)
            parts = _EDGE.split(statement)
            # re.split with one named group gives [node, label, node, label, node...]
            nodes = parts[0::2]
            labels = parts[1::2]
            for position in range(len(nodes) - 1):
                label = labels[position] or ""
                if label and not _IMPORT_LABEL.search(label):
                    continue
                for source in nodes[position].split("&"):
                    for target in nodes[position + 1].split("&"):
                        self.edge(offset, source.strip(" ;"), target.strip(" ;"))

    def edge(self, offset: int, source: str, target: str) -> None:
        ends = [self.module_reference(source), self.module_reference(target)]
        if ends[0] and ends[1]:
            self.add(offset, "import", ends[0], other=ends[1])

    def module_reference(self, node: str) -> str | None:
        """The path or dotted module a node stands for, when its label names one."""
        label = self.labels.get(node, node)
        text = re.sub(r"<[^>]+>|[*`\"']", "", label).strip()
        path = clean_path(text) if " " not in text else None
        if path is not None and (path.endswith((".py", "/")) or "." not in path):
            return path
        if _DOTTED.match(text) and text == text.lower():
            return text
        return None

    def class_diagram(self) -> None:
        for offset, line in enumerate(self.fence.body):
            stripped = line.strip()
            declared = re.match(rf"class\s+({IDENTIFIER})", stripped)
            if declared:
                self.add(offset, "name", declared.group(1))
                continue
            relation = re.match(
                rf"({IDENTIFIER})\s*(?:\"[^\"]*\"\s*)?(?:<\|--|--\|>|\*--|--\*|o--|--o|-->|<--|"
                rf"\.\.>|<\.\.|\.\.\|>|<\|\.\.|--|\.\.)\s*(?:\"[^\"]*\"\s*)?({IDENTIFIER})",
                stripped)
            if relation:
                for name in relation.groups():
                    if CAMEL_CASE.match(name):
                        self.add(offset, "name", name)

    def sequence(self) -> None:
        for offset, line in enumerate(self.fence.body):
            stripped = line.strip()
            participant = re.match(rf"(?:participant|actor)\s+({IDENTIFIER})(?:\s+as\s+(.+))?$",
                                   stripped)
            if participant:
                name = (participant.group(2) or participant.group(1)).strip()
                if CAMEL_CASE.match(name):
                    self.add(offset, "name", name)
                continue
            message = re.match(r"[^:]+:\s*(.*)$", stripped)
            if message and re.search(r"-+>>?|--?[x)]", stripped.split(":", 1)[0]):
                call = re.match(rf"({IDENTIFIER}(?:\.{IDENTIFIER})*)\(", message.group(1))
                if call and _code_shaped(call.group(1)):
                    self.add(offset, "name", call.group(1), called=True)


def extract_claims(doc: Markdown,
                   is_library: Callable[[str], bool] = lambda _word: False) -> list[Claim]:
    """Every claim of the document's human text (generated blocks are left out), in
    document order. ``is_library`` tells which bare words of prose name a library."""
    reader = _Reader(doc, is_library)
    fences = {fence.start: fence for fence in doc.fences}
    for index, kind in enumerate(doc.kinds):
        if kind == "prose":
            reader.prose(index)
        elif index in fences:
            reader.fence(fences[index])
    return sorted(reader.claims, key=lambda c: (c.line, c.kind, c.text))
