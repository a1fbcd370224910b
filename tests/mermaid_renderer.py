"""Render Mermaid diagrams with the real Mermaid library in headless Chromium.

Used by the tests to prove that generated diagrams render; needs Debian's ``chromium`` and the
``mermaid`` npm package (``.ci/run`` installs both; ``MERMAID_JS`` may point at
``mermaid.min.js`` elsewhere).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=20000",
]


def find_tools() -> tuple[str, Path] | None:
    browser = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    script = Path(os.environ.get("MERMAID_JS") or
                  REPO / ".ci/node/node_modules/mermaid/dist/mermaid.min.js")
    if browser and script.is_file():
        return browser, script
    return None


def render(diagrams: list[str], browser: str, script: Path) -> list[str]:
    """``ok`` or ``error: ...`` for each diagram."""
    page = f"""<html><body><script>{script.read_text()}</script><script>
    mermaid.initialize({{startOnLoad: false}});
    (async () => {{
      const results = [];
      for (const [i, text] of {json.dumps(diagrams)}.entries()) {{
        try {{ await mermaid.render("d" + i, text); results.push("ok"); }}
        catch (e) {{ results.push("error: " + e.message); }}
      }}
      document.title = "DONE " + JSON.stringify(results);
    }})();
    </script></body></html>"""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "page.html"
        target.write_text(page)
        result = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={folder}/profile", "--dump-dom",
             target.as_uri()], capture_output=True, text=True, timeout=180)
    match = re.search(r"<title>DONE (.*?)</title>", result.stdout)
    if match is None:
        raise RuntimeError(f"chromium rendered nothing: {result.stderr[-2000:]}")
    results: list[str] = json.loads(html.unescape(match.group(1)))
    return results
