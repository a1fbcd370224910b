"""Settling claims against a repository: true, false, or no claim at all; the traps real
documents set (docstrings, imports inside functions, plans, ignored files)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syspatterns.check.claims import Claim
from syspatterns.check.names import RepositoryNames
from syspatterns.model import SystemModel

FILES = {
    "pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi", "PyYAML"]\n',
    "requirements-dev.txt": "pytest\n",
    "Dockerfile": "FROM python:3.12\nRUN pip install gunicorn\n",
    ".gitignore": "output/\n*.log\n",
    "src/app/__init__.py": "",
    "src/app/api/__init__.py": "",
    "src/app/api/routes.py": (
        "from fastapi import APIRouter\nfrom app.core.config import Settings\n"
        "router = APIRouter()\n"
        "def list_orders(): ...\n"),
    "src/app/core/__init__.py": "",
    "src/app/core/config.py": (
        '"""Settings. The OrderService described elsewhere is not here."""\n'
        "import yaml\nTIMEOUT = 3\n"
        "class Settings:\n    def load(self): ...\n"
        "def parse_args():\n    import pandas as pd\n    frame = pd.DataFrame()\n"
        "    retry_budget = 5\n    return frame\n"
        'NAME = "PaymentGateway"\n'
        'def run():\n    """Example::\n\n'
        '        class TradeWorkflow(Base):\n            pass\n    """\n'),
    "src/app/core/util.py": "from app.api import routes\n",
    "tests/test_config.py": "from app.core.config import Settings\n",
    "src/app/_vendor/__init__.py": "",  # vendored code: skipped by the scan
    "src/app/_vendor/tinylib.py": "def helper(): ...\n",
}


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> RepositoryNames:
    from syspatterns.pipeline import run_analysis

    from .conftest import write_files

    root = write_files(tmp_path_factory.mktemp("repo"), FILES)
    model: SystemModel = run_analysis(root, use_cache=False, jobs=1).model
    return RepositoryNames(model)


Verdict = Callable[..., bool | None]


@pytest.fixture
def verdict(names: RepositoryNames) -> Verdict:
    def settle(kind: str, text: str, *, called: bool = False, other: str = "",
               prefix: str = "", form: str = "code", context: str = "",
               folder: str = "memory-bank") -> bool | None:
        claim = Claim(1, kind, text, False, form, called, other, prefix, context or text)
        return names.check(claim, folder).ok

    return settle


@pytest.mark.parametrize(("text", "expected"), [
    ("src/app/api/routes.py", True),
    ("app/api/routes.py", True),  # relative to the source root
    ("api/routes.py", True),  # relative to the package
    ("routes.py", True),
    ("src/app/core/", True),
    ("Dockerfile", True),
    ("pyproject", True),  # a name without its extension
    ("src/app/api/orders.py", False),
    ("src/app/services/", False),
    ("app/core/routes.py", False),  # moved: routes.py is in app/api
    ("output/report.json", None),  # ignored by .gitignore: made at run time
    ("app.log", None),
    (".venv/lib/x.py", None),
])
def test_paths(verdict: Verdict, text: str, expected: bool | None) -> None:
    assert verdict("path", text) is expected


def test_a_moved_file_is_reported_with_where_it_is(names: RepositoryNames) -> None:
    result = names.check(Claim(1, "path", "app/core/routes.py", False, "code"), "")
    assert result.ok is False
    assert "`routes.py` is at `src/app/api/routes.py`" in result.reason


def test_tree_roots_that_are_no_folder_are_dropped(verdict: Verdict) -> None:
    assert verdict("path", "my-project/src/app/core/config.py", prefix="my-project/",
                   form="tree") is True
    assert verdict("path", "src/app/core/config.py", prefix="src/", form="tree") is True
    assert verdict("path", "my-project/src/app/jobs.py", prefix="my-project/",
                   form="tree") is False


def test_links_are_relative_to_the_document(verdict: Verdict) -> None:
    assert verdict("path", "../src/app/core/config.py", form="link") is True
    assert verdict("path", "../src/app/core/gone.py", form="link") is False
    assert verdict("path", "../../elsewhere.py", form="link") is None


@pytest.mark.parametrize(("text", "called", "expected"), [
    ("Settings", False, True),
    ("Settings.load", False, True),
    ("Settings.save", False, False),
    ("app.core.config", False, True),
    ("core.config", False, True),
    ("app.core.config.Settings", False, True),
    ("app.core.config.TIMEOUT", False, True),  # a module-level name
    ("app.core.config.Missing", False, False),
    ("app.core.missing", False, False),
    ("app._vendor.tinylib.helper", False, None),  # vendored: skipped, so nothing to check
    ("app.vendor.tinylib", False, False),  # no such folder
    ("list_orders", True, True),
    ("parse_args", False, True),
    ("retry_budget", False, True),  # a local variable is still in the code
    ("send_invoice", True, False),
    ("invoice_total", False, False),
    ("APIRouter", False, True),  # imported from a library
    ("DataFrame", False, True),  # used as pd.DataFrame
    ("OrderService", False, False),  # only in a docstring: not a class
    ("PaymentGateway", False, False),  # only in a string
    ("TradeWorkflow", False, False),  # only in a docstring's example code
    ("router", False, True),
    # Not claims: plain words, the standard library, builtins, constants, products, objects.
    ("process", False, None),
    ("logging", False, None),
    ("os.path.join", True, None),
    ("dict", False, None),
    ("MAX_RETRIES", False, None),
    ("PostgreSQL", False, None),
    ("logger.error", False, None),
    ("e.g", False, None),
])
def test_names(verdict: Verdict, text: str, called: bool, expected: bool | None) -> None:
    assert verdict("name", text, called=called) is expected


@pytest.mark.parametrize(("word", "context", "expected"), [
    ("FastAPI", "", True),  # declared
    ("PyYAML", "", True),  # the distribution of `import yaml`
    ("yaml", "", None),  # also the name of a file format
    ("pandas", "", True),  # imported inside a function
    ("pytest", "", True),  # a development requirement
    ("gunicorn", "", True),  # installed by the Dockerfile
    ("SQLAlchemy", "", False),
    ("Django", "", False),
    ("requests", "the requests flow in", None),  # an ordinary word
    ("requests", "the requests library", False),
    ("app", "", None),  # the repository's own package
])
def test_libraries(verdict: Verdict, word: str, context: str, expected: bool | None) -> None:
    assert verdict("library", word, context=context) is expected


def test_backticked_library_names_are_library_claims(verdict: Verdict) -> None:
    assert verdict("name", "sqlalchemy") is False
    assert verdict("name", "fastapi") is True


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("src/app/api/routes.py", "src/app/core/config.py", True),
    ("app.core.config", "app.api.routes", True),  # either direction
    ("app/core/", "app/api/", True),  # folders: any of their modules
    ("src/app/core/config.py", "src/app/core/util.py", False),
    ("src/app/gone.py", "src/app/core/config.py", None),  # the path claim reports it
])
def test_imports_drawn_between_modules(verdict: Verdict, source: str, target: str,
                                       expected: bool | None) -> None:
    assert verdict("import", source, other=target) is expected
