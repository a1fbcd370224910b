"""What the repository holds, indexed to settle a document's claims: its files and folders,
modules, classes, functions and methods, the names it imports, its components and the
libraries it depends on.

Resolution is generous (``api/routes.py`` may mean ``src/app/api/routes.py``; ``api.routes``
may mean ``app.api.routes``) and a claim is called false only when the code leaves no doubt:
a path no file has, a class no file defines or imports, a function or variable whose name
appears in no file, a library no manifest declares and no module imports. Names that could
be anything (a plain word, a constant, an attribute of an object) are not claims.
"""

from __future__ import annotations

import builtins
import keyword
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any, NamedTuple

from syspatterns.check.claims import CAMEL_CASE, Claim
from syspatterns.check.vocabulary import COMMON_WORDS, LIBRARY_CONTEXT, PRODUCT_NAMES
from syspatterns.core.evidence import Evidence
from syspatterns.knowledge import Library, normalize
from syspatterns.model import SystemModel
from syspatterns.model.imports import STDLIB
from syspatterns.scan.discover import KEPT_HIDDEN_DIRS, SKIPPED_DIRS

_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IGNORED_NAMES = frozenset({"self", "cls", "args", "kwargs", "__init__", "__main__", "main"})
TEXT_KINDS = ("manifest", "config", "environment", "ci", "docker", "compose", "kubernetes",
              "deployment")
TEXT_LIMIT = 1_000_000  # bytes of one file read for names


class Verdict(NamedTuple):
    """The outcome of checking one claim: ``ok`` is ``None`` when the text is no claim the
    code can settle (a plain word, a standard-library name)."""

    ok: bool | None
    reason: str = ""
    kind: str = ""  # what the claim turned out to be: path, name, library or import


NOT_A_CLAIM = Verdict(None)


class RepositoryNames:
    """The repository's names, built from the model; texts are read lazily, once."""

    def __init__(self, model: SystemModel) -> None:
        self.model = model
        self.files = {f.path for f in model.scan.files}
        self.dirs = {p for path in self.files for p in _parents(path)}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for path in sorted(self.files):
            self.by_name[path.rpartition("/")[2]].append(path)
        self.stems = {name.partition(".")[0] for name in self.by_name}
        self.dirs_by_name: dict[str, list[str]] = defaultdict(list)
        for folder in sorted(self.dirs):
            self.dirs_by_name[folder.rpartition("/")[2]].append(folder)
        self.classes: dict[str, list[Evidence]] = defaultdict(list)
        self.functions: set[str] = set()
        self.methods: dict[str, set[str]] = defaultdict(set)
        self.imported: set[str] = set()
        self.assigned: set[str] = set()
        self.exported: set[str] = set()
        for path, facts in model.facts.items():
            for cls in facts.classes:
                self.classes[cls.name].append(Evidence(path, cls.line))
                self.methods[cls.name].update(m.name for m in cls.methods)
                self.functions.update(m.name for m in cls.methods)
            self.functions.update(f.name for f in facts.functions)
            for fact in facts.imports:
                self.imported.add(fact.target.rpartition(".")[2])
                self.imported.add(fact.target.partition(".")[0])
                if fact.alias:
                    self.imported.add(fact.alias)
            for assignment in facts.assignments:
                self.assigned.update(t.rpartition(".")[2] for t in assignment.targets)
            self.exported.update(facts.all_names or ())
        self.module_by_suffix: dict[str, list[str]] = defaultdict(list)
        for name in sorted(model.modules):
            parts = name.split(".")
            for start in range(len(parts)):
                self.module_by_suffix[".".join(parts[start:])].append(name)
        self.components = {c.name.rstrip("/") for c in model.components}
        self.tops = {name.partition(".")[0] for name in model.modules}
        self.requirements = {normalize(r.name) for r in model.manifests.requirements}
        self.external_tops = {x.top for x in model.externals if not x.is_stdlib}
        self.vendored = tuple(model.vendored_packages)

    # Texts, read once and only when a claim needs them ------------------------------------

    def _read(self, path: str) -> str:
        try:
            if (self.model.scan.root / path).stat().st_size > TEXT_LIMIT:
                return ""
        except OSError:
            return ""
        return self.model.read_text(path) or ""

    @cached_property
    def python_texts(self) -> dict[str, str]:
        return {path: self._read(path) for path in sorted(self.model.facts)}

    @cached_property
    def config_texts(self) -> dict[str, str]:
        paths = self.model.files_of_kind(*TEXT_KINDS)
        return {path: self._read(path) for path in sorted(paths)}

    @cached_property
    def words(self) -> frozenset[str]:
        """Every identifier-like word of the Python, manifest and configuration files."""
        found: set[str] = set()
        for text in [*self.python_texts.values(), *self.config_texts.values()]:
            found.update(_WORD.findall(text))
        return frozenset(found)

    @cached_property
    def code_text(self) -> str:
        """All Python, manifest and configuration text, for names that may stand inside
        longer ones or be written with dots (an event ``job_completed``, ``job.completed``)."""
        return "\n".join([*self.python_texts.values(), *self.config_texts.values()])

    @cached_property
    def config_words(self) -> str:
        return "\n".join(self.config_texts.values()).casefold()

    @cached_property
    def ignore_rules(self) -> list[tuple[str, Any]]:
        import pathspec  # only when a claimed path is missing

        rules: list[tuple[str, Any]] = []
        for path in sorted(p for p in self.files if p.rpartition("/")[2] == ".gitignore"):
            folder = path.rpartition("/")[0]
            lines = self._read(path).splitlines()
            rules.append((folder, pathspec.GitIgnoreSpec.from_lines(lines)))
        return rules

    def ignored(self, path: str) -> bool:
        """Whether ``path`` is left out of the repository by a ``.gitignore`` or by the scan
        (virtual environments, build output, hidden folders)."""
        parts = path.rstrip("/").split("/")
        for part in parts[:-1] if not path.endswith("/") else parts:
            if part in SKIPPED_DIRS or part.endswith(".egg-info") or (
                    part.startswith(".") and part not in KEPT_HIDDEN_DIRS and part != "."):
                return True
        for folder, spec in self.ignore_rules:
            if folder and not path.startswith(folder + "/"):
                continue
            local = path[len(folder) + 1:] if folder else path
            if spec.match_file(local):
                return True
        return False

    # Paths ----------------------------------------------------------------------------------

    def path_exists(self, path: str) -> bool:
        """Whether a file or folder ends with ``path`` (``README`` also finds ``README.md``)."""
        name = path.rstrip("/")
        if name in self.files or name in self.dirs:
            return True
        tail, last = "/" + name, name.rpartition("/")[2]
        if any(d.endswith(tail) for d in self.dirs_by_name.get(last, ())):
            return True
        if path.endswith("/"):
            return False
        if any(f.endswith(tail) for f in self.by_name.get(last, ())):
            return True
        if "." in last:
            return False
        pattern = re.compile(rf"(?:^|/){re.escape(name)}\.[^/]+$")
        return any(pattern.search(f) for file_name, paths in self.by_name.items()
                   if file_name.partition(".")[0] == last for f in paths)

    def check_path(self, claim: Claim, document_folder: str) -> Verdict:
        text = claim.text
        if claim.form == "link":
            joined = os.path.normpath(os.path.join(document_folder, text))
            if joined.startswith(".."):
                return NOT_A_CLAIM
            text = joined.replace(os.sep, "/") + ("/" if text.endswith("/") else "")
        candidates = [text]
        if claim.prefix and text.startswith(claim.prefix):
            stripped = text[len(claim.prefix):]
            prefix_is_folder = claim.prefix.rstrip("/") in self.dirs
            candidates = [text, stripped] if prefix_is_folder else [stripped]
        for candidate in candidates:
            if not candidate.strip("/"):
                return NOT_A_CLAIM
            if self.path_exists(candidate):
                return Verdict(True, kind="path")
        if any(self.ignored(candidate) for candidate in candidates):
            return NOT_A_CLAIM
        shown = candidates[0]
        what = "folder" if shown.endswith("/") else "file"
        reason = f"`{shown}`: no such {what} in the repository"
        name = shown.rstrip("/").rpartition("/")[2]
        elsewhere = self.by_name.get(name, []) if not shown.endswith("/") else []
        if elsewhere and "/" in shown:
            reason += f"; a file named `{name}` is at {_listed(elsewhere)}"
        return Verdict(False, reason, "path")

    # Names ----------------------------------------------------------------------------------

    def library(self, name: str) -> Library | None:
        knowledge = self.model.knowledge
        return knowledge.library_for_import(name) or knowledge.library_for_distribution(name)

    def library_used(self, name: str, library: Library | None) -> bool:
        names = {normalize(name)}
        if library is not None:
            names.add(normalize(library.name))
            names.update(normalize(i) for i in library.imports)
        if names & self.requirements or names & {normalize(t) for t in self.external_tops}:
            return True
        text = self.config_words
        return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names
                   | {n.replace("-", "_") for n in names})

    def check_library(self, word: str, context: str) -> Verdict:
        """A library the document names: declared, imported, or mentioned in a manifest or
        configuration file (a Dockerfile that installs it, a compose service)."""
        if self.is_repository_name(word):
            return NOT_A_CLAIM
        library = self.library(word)
        declared = normalize(word) in self.requirements
        if library is None and not declared:
            return NOT_A_CLAIM
        if word.casefold() in COMMON_WORDS and not LIBRARY_CONTEXT.search(context):
            return NOT_A_CLAIM
        if declared or self.library_used(word, library):
            return Verdict(True, kind="library")
        shown = library.name if library else word
        imports = ", ".join(f"`{i}`" for i in (library.imports if library else (word,)))
        return Verdict(False, f"`{word}`: the project does not depend on {shown}; no manifest "
                              f"declares it and no module imports {imports}", "library")

    def is_repository_name(self, name: str) -> bool:
        return (name in self.classes or name in self.functions or name in self.module_by_suffix
                or name in self.components)

    def check_name(self, claim: Claim) -> Verdict:
        parts = claim.text.split(".")
        if len(parts) == 1:
            return self._identifier(claim.text, claim)
        return self._dotted(parts, claim)

    def _identifier(self, name: str, claim: Claim) -> Verdict:
        if (keyword.iskeyword(name) or hasattr(builtins, name) or name in _IGNORED_NAMES
                or len(name) < 3):
            return NOT_A_CLAIM
        if (self.is_repository_name(name) or name in self.imported or name in self.assigned
                or name in self.exported):
            return Verdict(True, kind="name")
        if name in STDLIB:
            return NOT_A_CLAIM
        if self.library(name) is not None or normalize(name) in self.requirements:
            return self.check_library(name, claim.context)
        if _CONSTANT.match(name):
            return NOT_A_CLAIM  # a constant or an environment variable
        if CAMEL_CASE.match(name):
            if name.casefold() in PRODUCT_NAMES:
                return NOT_A_CLAIM
            if self._used_from_library(name):
                return Verdict(True, kind="name")
            return Verdict(False, f"`{name}`: no class or function of that name is defined or "
                                  "imported in the code", "name")
        if claim.called or "_" in name.strip("_"):
            # A function must be a word of the code; a variable, a field or an event name
            # may also stand inside a longer name, be written with dots, or name a file.
            variants = (name, name.replace("_", "."), name.replace("_", "-"))
            if name in self.words if claim.called else (
                    name in self.stems or any(v in self.code_text for v in variants)):
                return Verdict(True, kind="name")
            shown = f"{name}()" if claim.called else name
            return Verdict(False, f"`{shown}`: the name appears in no Python, manifest or "
                                  "configuration file of the repository", "name")
        return NOT_A_CLAIM  # a plain word: a concept, a command, a variable

    def _used_from_library(self, name: str) -> bool:
        """``pd.DataFrame``: a library's class used through the module it imports (a name
        in a docstring or a string is no class of the code)."""
        for path, text in self.python_texts.items():
            if name not in text:
                continue
            modules = {f.alias or f.target.partition(".")[0]
                       for f in self.model.facts[path].imports if not f.is_from}
            if modules and re.search(
                    rf"\b(?:{'|'.join(map(re.escape, sorted(modules)))})\.{re.escape(name)}\b",
                    text):
                return True
        return False

    def _modules(self, dotted: str) -> list[str]:
        return self.module_by_suffix.get(dotted, [])

    def _dotted(self, parts: list[str], claim: Claim) -> Verdict:
        text = ".".join(parts)
        if len(parts[0]) < 2:
            return NOT_A_CLAIM  # e.g., i.e.
        if any(text == v or text.startswith(v + ".") for v in self.vendored):
            return NOT_A_CLAIM  # vendored code, which the scan skips: nothing to check it by
        for depth in range(len(parts), 0, -1):
            modules = self._modules(".".join(parts[:depth]))
            if not modules:
                continue
            if depth == len(parts):
                return Verdict(True, kind="name")
            rest = parts[depth:]
            if any(self._has_attribute(m, rest) for m in modules):
                return Verdict(True, kind="name")
            if depth == 1 and parts[0] not in self.model.modules:
                break  # `configuration.has_changed`: more likely an object than a module
            module = modules[0]
            where = self.model.modules[module].path
            return Verdict(False, f"`{text}`: module `{module}` ({where}) has no "
                                  f"`{'.'.join(rest)}`", "name")
        first = parts[0]
        if first in self.classes:
            owner = parts[1]
            if owner in self.methods[first] or owner in self.words:
                return Verdict(True, kind="name")
            places = self.classes[first]
            return Verdict(False, f"`{text}`: class `{first}` ({places[0]}) has no `{owner}`",
                           "name")
        if first in STDLIB:
            return NOT_A_CLAIM
        if first in self.imported or first in self.external_tops:
            return Verdict(True, kind="name")
        if self.library(first) is not None:
            return self.check_library(first, claim.context)
        if first in self.tops:
            return Verdict(False, f"`{text}`: no module `{'.'.join(parts[:2])}` in the "
                                  "repository", "name")
        if claim.called:  # an object's method: host.schedule_fetch()
            return self._identifier(parts[-1], claim)
        return NOT_A_CLAIM

    def _has_attribute(self, module: str, rest: list[str]) -> bool:
        """Whether ``module`` has ``rest[0]`` (and, for a class, the method ``rest[1]``)."""
        info = self.model.modules[module]
        facts = self.model.facts.get(info.path)
        name = rest[0]
        if f"{module}.{name}" in self.model.modules:
            return len(rest) == 1 or self._has_attribute(f"{module}.{name}", rest[1:])
        if facts is None:
            return False
        classes = {c.name: c for c in facts.classes}
        if name in classes:
            if len(rest) == 1:
                return True
            methods = {m.name for m in classes[name].methods}
            return rest[1] in methods or _word_in(rest[1], self.python_texts.get(info.path, ""))
        names = {f.name for f in facts.functions} | set(facts.all_names or ())
        names |= {i.alias or i.target.rpartition(".")[2] for i in facts.imports}
        names |= {t for a in facts.assignments for t in a.targets}
        return name in names or _word_in(name, self.python_texts.get(info.path, ""))

    # Imports between modules -----------------------------------------------------------------

    def modules_at(self, reference: str) -> set[str]:
        """The modules a diagram's node stands for: a file, a folder (all its modules) or a
        dotted module (with its submodules)."""
        modules = self.model.modules
        if reference.endswith("/") or "." not in reference.rpartition("/")[2]:
            folder = reference.rstrip("/")
            return {m.name for m in modules.values()
                    if m.path.startswith(folder + "/") or f"/{folder}/" in m.path}
        if reference.endswith(".py"):
            return {m.name for m in modules.values()
                    if m.path == reference or m.path.endswith("/" + reference)}
        found = set(self._modules(reference))
        return found | {m for m in modules if any(m.startswith(f + ".") for f in found)}

    def check_import(self, claim: Claim) -> Verdict:
        sources, targets = self.modules_at(claim.text), self.modules_at(claim.other)
        if not sources or not targets or sources & targets:
            return NOT_A_CLAIM
        graph = self.model.module_imports
        for a, b in ((sources, targets), (targets, sources)):
            if any(graph.get(module, set()) & b for module in a):
                return Verdict(True, kind="import")
        return Verdict(False, f"`{claim.text}` and `{claim.other}`: neither imports the other",
                       "import")

    def check(self, claim: Claim, document_folder: str) -> Verdict:
        if claim.kind == "path":
            return self.check_path(claim, document_folder)
        if claim.kind == "library":
            return self.check_library(claim.text, claim.context)
        if claim.kind == "import":
            return self.check_import(claim)
        return self.check_name(claim)


def _word_in(word: str, text: str) -> bool:
    return word in text and re.search(rf"\b{re.escape(word)}\b", text) is not None


def _parents(path: str) -> Iterable[str]:
    folder = path.rpartition("/")[0]
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def _listed(paths: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
