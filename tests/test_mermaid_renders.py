"""Generated Mermaid diagrams render in the real Mermaid library (in headless Chromium)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from syspatterns.cli import main

from .conftest import MakeRepo
from .mermaid_renderer import find_tools, render

TOOLS = find_tools()
pytestmark = pytest.mark.skipif(TOOLS is None, reason="needs chromium and mermaid.min.js "
                                "(.ci/run installs both)")

AWKWARD = {
    # Cycles, type-only imports, scripts folders and names Mermaid might choke on.
    "core/__init__.py": "from api import handlers\n",
    "api/__init__.py": "",
    "api/handlers.py": "import core\nfrom typing import TYPE_CHECKING\n"
                       "if TYPE_CHECKING:\n    import end\n",
    "end/__init__.py": "import api.handlers\n",
    "graph/__init__.py": "import subgraph\n",
    "subgraph/__init__.py": "import style\n",
    "style/__init__.py": "",
    "scripts/run.py": "import core\n",
    "manage.py": "import api\n",
}


def test_every_diagram_of_a_generated_document_renders(make_repo: MakeRepo) -> None:
    assert TOOLS is not None
    root = make_repo(AWKWARD)
    text = CliRunner().invoke(main, ["generate", str(root), "-o", "-", "-q"]).stdout
    diagrams = re.findall(r"```mermaid\n(.*?)\n```", text, flags=re.S)
    assert diagrams
    assert render(diagrams, *TOOLS) == ["ok"] * len(diagrams)


def test_the_renderer_reports_broken_diagrams() -> None:
    assert TOOLS is not None
    results = render(["flowchart TD\n  a --> ", "flowchart TD\n  a --> b"], *TOOLS)
    assert results[0].startswith("error") and results[1] == "ok"


FLOWS = {
    # Data flows whose messages hold route syntax Mermaid could misread: <int:pk>, {id}, #, ;
    "shop/__init__.py": "",
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("orders/<int:pk>/#x;y", views.detail),
                       path("end/", views.detail)]
    """,
    "shop/views.py": """
        from django.shortcuts import get_object_or_404, render
        from shop.models import Order

        def detail(request, pk):
            order = get_object_or_404(Order, pk=pk)
            return render(request, "order.html", {"order": order})
    """,
    "shop/models.py": "from django.db import models\n\nclass Order(models.Model):\n    pass\n",
    "api/__init__.py": "",
    "api/app.py": """
        from fastapi import FastAPI
        from shop.views import detail

        app = FastAPI()

        @app.get("/items/{item_id}")
        def item(item_id: int):
            return detail(None, item_id)
    """,
}


def test_data_flow_sequence_diagrams_render(make_repo: MakeRepo) -> None:
    assert TOOLS is not None
    root = make_repo(FLOWS)
    text = CliRunner().invoke(main, ["generate", str(root), "-o", "-", "-q"]).stdout
    sequences = re.findall(r"```mermaid\n(sequenceDiagram\n.*?)\n```", text, flags=re.S)
    assert len(sequences) >= 2
    assert render(sequences, *TOOLS) == ["ok"] * len(sequences)
