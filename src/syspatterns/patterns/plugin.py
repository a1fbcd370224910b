"""Plugin: code that is named in configuration or discovered among installed packages, and
loaded at run time.

Rules: calls of loaders (``importlib.import_module``, Django's ``import_string``, ...; see
``knowledge/patterns.toml``) whose first argument is not a string literal (the name comes
from settings or data), and calls that discover installed plug-ins
(``importlib.metadata.entry_points``, ``pkg_resources.iter_entry_points``, ``pluggy``,
``stevedore``).

Not a plugin mechanism: ``import_module("json")`` with a fixed name (a deferred import).
"""

from __future__ import annotations

from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Plugin"


def detect(context: PatternContext) -> Detection | None:
    loaders = names("plugin", "loaders")
    discovery = names("plugin", "discovery")
    found: dict[tuple[str, str], Instance] = {}  # one per function
    for callee in sorted(loaders | discovery):
        for owner, call in context.calls.get(callee, ()):
            first = call.args[0] if call.args else ""
            # a fixed name is no plug-in; an f-string's (``'{base}.{name}'``) is computed
            if callee in loaders and (not call.args or (first[:1] in ("'", '"')
                                                        and "{" not in first)):
                continue
            where = f" in `{call.scope}`" if call.scope else ""
            arguments = first or ", ".join(f"{k}={v or '...'}" for k, v in call.keywords)
            instance = Instance(
                Site(call.scope or call.callee, owner.at(call.line)), context.component(owner),
                f"`{call.callee}({arguments})`{where} "
                + ("discovers installed plug-ins" if callee in discovery
                   else "loads code named at run time"),
                0.9 if callee in discovery else 0.85)
            key = (owner.module.path, call.scope or str(call.line))
            if key not in found or instance.site.evidence < found[key].site.evidence:
                found[key] = instance
    return assemble(PATTERN, "Loads code chosen by configuration or installed packages at run "
                    "time", list(found.values()), context)


DETECTOR = Detector(
    PATTERN,
    "`import_module`/`import_string` calls with a computed name and entry-point discovery "
    "(`importlib.metadata.entry_points`, `pkg_resources`, `pluggy`, `stevedore`)",
    detect)
