"""The environment the code reads: variables read by a literal name with ``os.environ.get``/
``os.getenv`` (and ``setdefault``), with ``os.environ["NAME"]`` in a module-level setting,
with ``decouple.config``, or with a module-level reader object (``config = Config(".env")``
of Starlette, python-decouple's, django-environ's or environs' ``Env()``, called as
``config("NAME")`` or ``env.str("NAME")``), with their defaults; and settings classes that
read the environment (pydantic-settings, environs). Variables read through other names or
built at run time cannot be seen and are not guessed."""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from syspatterns.analysis.source import code_modules
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.model import SystemModel

READERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "decouple.config"})
# Classes whose instances read a variable when called or through a typed method.
READER_CLASSES = frozenset({"starlette.config.Config", "decouple.Config", "decouple.AutoConfig",
                            "environ.Env", "environ.environ.Env", "environs.Env"})
SUBSCRIPT = re.compile(r"""\bos\.environ\[\s*(['"])([^'"]+)\1\s*\]""")
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic.BaseSettings",
                            "pydantic.v1.BaseSettings", "environs.Env"})
LIMIT = 40


def _literal(text: str) -> str | None:
    """The string a literal's source text stands for, or ``None``."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def environment_findings(model: SystemModel, aspect: str) -> list[Finding]:
    """One finding per variable the code reads (with its defaults), and one per settings
    class."""
    reads: dict[str, list[Evidence]] = defaultdict(list)
    defaults: dict[str, set[str]] = defaultdict(set)
    settings: list[Finding] = []
    modules = code_modules(model)
    readers = {f"{item.module.name}.{target}" for item in modules
               for assignment in item.facts.assignments if not assignment.scope
               and item.resolve(assignment.callee) in READER_CLASSES
               for target in assignment.targets}
    for item in modules:
        for constant in item.facts.constants:
            for match in SUBSCRIPT.finditer(constant.value):
                reads[match.group(2)].append(item.at(constant.line))
        for call in item.facts.calls:
            # (a reader object of the module itself is not bound by an import)
            callees = (item.resolve(call.callee), f"{item.module.name}.{call.callee}")
            if not call.args or not any(c in READERS or c in readers
                                        or c.rpartition(".")[0] in readers for c in callees):
                continue
            name = _literal(call.args[0])
            if name is None:
                continue
            reads[name].append(item.at(call.line))
            default = call.args[1] if len(call.args) > 1 else dict(call.keywords).get("default")
            if default:
                defaults[name].add(default)
        for cls in item.facts.classes:
            if any(item.resolve(base) in SETTINGS_BASES for base in cls.bases):
                settings.append(Finding(
                    aspect, f"Settings class {code(cls.name)} reads its fields from the "
                    "environment.", (item.at(cls.line),)))
    findings = []
    for name in sorted(reads)[:LIMIT]:
        places = sorted(set(reads[name]))
        shown = sorted(defaults[name])
        default = (f", default {', '.join(code(d) for d in shown)}" if shown
                   else ", no default")
        findings.append(Finding(
            aspect, f"The code reads the environment variable {code(name)}{default} "
            f"({plural(len(places), 'place')}).", tuple(places[:2])))
    if len(reads) > LIMIT:
        rest = sorted(reads)[LIMIT:]
        findings.append(Finding(aspect, f"And {len(rest)} more variables: {names(rest)}."))
    return findings + settings
