"""The import graph equals grimp's on a package that uses every import form.

grimp is the reference implementation for Python import graphs; on Django 5.2 the two agree
edge for edge (see the benchmark), and this fixture keeps the rules that make that true."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from syspatterns.pipeline import run_analysis

from .conftest import MakeRepo

FIXTURE = {
    "shop/__init__.py": "from .core import config\nfrom . import api as api_alias\n",
    "shop/__main__.py": "from shop.cli import main\nmain()\n",
    "shop/cli.py": "import sys\nimport shop.api.routes\nimport shop.api.missing_mod\n"
                   "def main():\n    from .core.config import load\n    load()\n",
    "shop/core/__init__.py": "from shop.core.config import *\n",
    "shop/core/config.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                           "    from shop.api.routes import Router\nimport yaml\n"
                           "def load(): ...\n",
    "shop/core/db.py": "try:\n    from ..core import config\nexcept ImportError:\n"
                       "    config = None\n"
                       "from shop.core.config import load as _load, Missing\n",
    "shop/api/__init__.py": "from . import routes\nfrom .routes import Router\n",
    "shop/api/routes.py": "from ..core import db\nfrom .. import core\nfrom ...outside import x\n"
                          "class Router:\n    def get(self):\n        import shop.core.db\n",
    "shop/api/v2/__init__.py": "from .. import routes\nfrom ..routes import Router\n",
    "shop/api/v2/handlers.py": "from ...core.db import config\nfrom . import *\n"
                               "import shop\nimport shop.api.v2\n",
    "shop/data/readme.txt": "not python",
    "shop/data/tool.py": "import shop.core\n",  # a folder without __init__: not in the package
    "shop/.hidden/x.py": "import shop\n",
}


@pytest.fixture
def on_path(make_repo: MakeRepo) -> Iterator[Path]:
    root = make_repo(FIXTURE)
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[name]


def test_edges_equal_grimps(on_path: Path) -> None:
    graph = grimp.build_graph("shop", cache_dir=None)
    expected = {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }
    model = run_analysis(on_path, use_cache=False, jobs=1).model
    ours = {
        (e.importer, e.imported) for e in model.edges
        if e.importer.startswith("shop") and e.imported.startswith("shop")
    }
    assert expected  # the fixture has edges, so equality is a real check
    assert ours == expected
    assert {m for m in model.modules if m.startswith("shop")} >= set(graph.modules)


def test_type_checking_imports_are_kept_and_marked(on_path: Path) -> None:
    model = run_analysis(on_path, use_cache=False, jobs=1).model
    marked = [(e.importer, e.imported) for e in model.edges if e.flags & 1]
    assert marked == [("shop.core.config", "shop.api.routes")]
