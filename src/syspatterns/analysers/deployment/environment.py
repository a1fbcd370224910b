"""The environment the code reads: variables read with ``os.environ.get``/``os.getenv`` (and
``setdefault``) by a literal name, with their defaults, and settings classes that read the
environment (pydantic-settings, environs). Variables read through other names or built at run
time cannot be seen and are not guessed."""

from __future__ import annotations

import ast
from collections import defaultdict

from syspatterns.analysis.source import code_modules
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.model import SystemModel

READERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})
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
    for item in code_modules(model):
        for call in item.facts.calls:
            if item.resolve(call.callee) not in READERS or not call.args:
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
