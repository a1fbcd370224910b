"""Environment variables and settings classes the code reads."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.deployment.environment import environment_findings
from syspatterns.model import SystemModel


def test_reads_with_defaults_and_settings_classes(analyse_repo: Callable[..., SystemModel]
                                                  ) -> None:
    model = analyse_repo({
        "app/__init__.py": "",
        "app/config.py": """
            import os
            from os import getenv
            from pydantic_settings import BaseSettings
            DEBUG = os.environ.get("DEBUG", "0")
            URL = getenv("DATABASE_URL")
            HOME = os.environ.setdefault("APP_HOME", "/srv")
            DYNAMIC = os.environ.get(name_of_it)  # not a literal name: not listed
            class Settings(BaseSettings):
                redis_url: str = "redis://"
            class Plain:
                pass
        """,
        "app/other.py": "import os\nDEBUG = os.environ.get('DEBUG', '1')\n",
        "tests/test_x.py": "import os\nX = os.getenv('ONLY_IN_TESTS')\n",
    })
    claims = [f.claim for f in environment_findings(model, "Environment setup")]
    assert claims == [
        "The code reads the environment variable `APP_HOME`, default `'/srv'` (1 place).",
        "The code reads the environment variable `DATABASE_URL`, no default (1 place).",
        "The code reads the environment variable `DEBUG`, default `'0'`, `'1'` (2 places).",
        "Settings class `Settings` reads its fields from the environment.",
    ]


def test_a_local_function_named_getenv_is_not_the_environment(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({"m/__init__.py": "def getenv(x):\n    return x\n"
                                           "Y = getenv('NOT_ENV')\n"})
    assert environment_findings(model, "Environment setup") == []


def test_reader_objects_subscripts_and_decouple(analyse_repo: Callable[..., SystemModel]
                                                ) -> None:
    model = analyse_repo({
        "svc/__init__.py": "",
        "svc/config.py": """
            import os
            import environ
            from decouple import config as setting
            from starlette.config import Config
            config = Config(".env")
            env = environ.Env()
            HOST = config("DATABASE_HOSTNAME", default="db")
            PORT = config("DATABASE_PORT", cast=int)
            SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
            DEBUG = env.bool("DJANGO_DEBUG", default=False)
            TOKEN = setting("API_TOKEN")
            LOOKUP = {"a": 1}
            VALUE = LOOKUP["a"]  # a subscript of another mapping
        """,
        "svc/other.py": "def config(name):\n    return name\nX = config('NOT_ENV')\n",
    })
    claims = [f.claim for f in environment_findings(model, "Environment setup")]
    assert claims == [
        "The code reads the environment variable `API_TOKEN`, no default (1 place).",
        "The code reads the environment variable `DATABASE_HOSTNAME`, default `'db'` "
        "(1 place).",
        "The code reads the environment variable `DATABASE_PORT`, no default (1 place).",
        "The code reads the environment variable `DJANGO_DEBUG`, default `False` (1 place).",
        "The code reads the environment variable `DJANGO_SECRET_KEY`, no default (1 place).",
    ]
