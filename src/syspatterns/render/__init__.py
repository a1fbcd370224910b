"""Renderers: the analysed sections as Markdown or JSON."""

from syspatterns.render.json import render_json
from syspatterns.render.markdown import render_markdown

__all__ = ["render_json", "render_markdown"]
