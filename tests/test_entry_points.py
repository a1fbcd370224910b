"""Entry points: console scripts, __main__, main guards, manage.py, application objects."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]


def kinds(model: SystemModel) -> list[tuple[str, str, str]]:
    return [(e.kind, e.name, str(e.evidence)) for e in model.entry_points]


def test_console_scripts_from_every_manifest(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "pyproject.toml": """
            [project]
            name = "tool"
            [project.scripts]
            tool = "tool.cli:main"
            "tool-admin" = "tool.admin:run"
            [tool.poetry.scripts]
            legacy = "tool.old:main"
        """,
        "setup.cfg": "[options.entry_points]\nconsole_scripts =\n    cfgtool = tool.cfg:main\n",
        "setup.py": "from setuptools import setup\nsetup(\n    name='tool',\n"
                    "    entry_points={'console_scripts': ['pytool = tool.py:main']},\n)\n",
        "tool/__init__.py": "",
    })
    assert kinds(model) == [
        ("console script", "tool", "pyproject.toml:4"),
        ("console script", "tool-admin", "pyproject.toml:5"),
        ("console script", "legacy", "pyproject.toml:7"),
        ("console script", "cfgtool", "setup.cfg:3"),
        ("console script", "pytool", "setup.py:4"),
    ]


def test_sample_projects_of_the_tests_are_not_entry_points(analyse_repo: Analyse) -> None:
    sample = '[project]\nname = "sample"\n[project.scripts]\nsample = "sample.main:run"\n'
    model = analyse_repo({
        "pyproject.toml": '[project]\nname = "tool"\nscripts.tool = "tool.cli:main"\n',
        "tool/__init__.py": "",
        "testdata/sample/pyproject.toml": sample,
        "tests/data/other/pyproject.toml": sample,
        "testdata/sample/sample/__init__.py": "",
        "testdata/sample/sample/main.py": "if __name__ == '__main__':\n    run()\n",
    })
    assert kinds(model) == [("console script", "tool", "pyproject.toml:3")]
    assert model.modules["sample.main"].is_test


def test_main_modules_guards_and_manage_py(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "app/__init__.py": "",
        "app/__main__.py": "from app.cli import main\nif __name__ == '__main__':\n    main()\n",
        "app/cli.py": "def main(): ...\n",
        "manage.py": "import sys\nif __name__ == '__main__':\n    run(sys.argv)\n",
        "scripts/seed.py": "def seed(): ...\n\nif __name__ == '__main__':\n    seed()\n",
        "tests/test_x.py": "if __name__ == '__main__':\n    pass\n",
    })
    assert kinds(model) == [
        ("python -m", "python -m app", "app/__main__.py:2"),
        ("manage.py", "python manage.py", "manage.py:2"),
        ("main guard", "python scripts/seed.py", "scripts/seed.py:3"),
    ]


def test_main_modules_of_plain_folders_are_run_by_path(analyse_repo: Analyse) -> None:
    # Two ``__main__.py`` in folders without ``__init__.py``: scripts named by their files.
    model = analyse_repo({
        "tools/a/__main__.py": "print('a')\n",
        "tools/b/__main__.py": "print('b')\n",
        "app/__init__.py": "",
        "app/__main__.py": "print('app')\n",
    })
    assert [(e.name, e.target) for e in model.entry_points] == [
        ("python -m app", "app.__main__"),
        ("tools/a/__main__.py", "tools/a/__main__.py"),
        ("tools/b/__main__.py", "tools/b/__main__.py"),
    ]


def test_application_objects_are_resolved_through_imports(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "svc/__init__.py": "",
        "svc/api.py": "from fastapi import FastAPI as F\napp = F()\n",
        "svc/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
                       "application = get_wsgi_application()\n",
        "svc/falcon_app.py": "import falcon\napi = falcon.App()\n",
        "svc/aio.py": "from aiohttp import web\napp = web.Application()\n",
        "svc/factory.py": "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
                          "    return app\n\napp = create_app()\n",
        "svc/wsgi_main.py": "from svc.factory import create_app\nserver = create_app()\n"
                            "other = make_thing()\n",
    })
    assert kinds(model) == [
        ("aiohttp application (aiohttp)", "svc.aio:app", "svc/aio.py:2"),
        ("ASGI application (FastAPI)", "svc.api:app", "svc/api.py:2"),
        ("WSGI application factory (Flask)", "svc.factory:create_app()", "svc/factory.py:3"),
        ("WSGI application (Flask)", "svc.factory:app", "svc/factory.py:6"),
        ("WSGI application (Falcon)", "svc.falcon_app:api", "svc/falcon_app.py:2"),
        ("WSGI application (Django)", "svc.wsgi:application", "svc/wsgi.py:2"),
        ("WSGI application (Flask)", "svc.wsgi_main:server", "svc/wsgi_main.py:2"),
    ]


def test_look_alike_names_are_not_applications(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "svc/__init__.py": "",
        # FastAPI defined locally, not imported from fastapi: not the framework's class.
        "svc/fake.py": "class FastAPI: ...\napp = FastAPI()\n",
        "svc/other.py": "from mylib import Flask\napp = Flask()\n",
        "svc/text.py": "doc = 'app = FastAPI()'\n# app = Flask(__name__)\n",
    })
    assert model.entry_points == []


def test_a_project_template_is_neither_code_nor_configuration(analyse_repo: Analyse) -> None:
    template = "templates/{{ cookiecutter.repo_name }}"
    model = analyse_repo({
        "tool/__init__.py": "",
        f"{template}/pyproject.toml": '[project]\nname = "{{ cookiecutter.repo_name }}"\n'
                                      '[project.scripts]\nrun = "app.main:run"\n',
        f"{template}/app/__init__.py": "",
        f"{template}/app/main.py": "VERSION = {{ cookiecutter.version }}\n"
                                   "if __name__ == '__main__':\n    run()\n",
    })
    assert list(model.modules) == ["tool"]
    assert model.entry_points == [] and model.notes == []


def test_loose_scripts_that_work_at_their_top_level(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "model.py": "class GPT:\n    pass\n",
        "train.py": "import torch\nfrom model import GPT\nconfig = dict(lr=1)\n"
                    "gpt = GPT()\nfor step in range(3):\n    torch.save(gpt, 'ckpt.pt')\n"
                    "print('done')\n",
        "config/small.py": "import time\nrun_name = 'run-' + str(time.time())\nlr = 1e-3\n",
        "helpers.py": "import os\nos.makedirs('out', exist_ok=True)\n",  # imported: a library
        "report.py": "import helpers\nprint(helpers)\n",
        "docs/conf.py": "import sys\nsys.path.insert(0, '..')\n",
        "sitecustomize.py": "import os\nos.environ.setdefault('A', '1')\n",
        "alembic/env.py": "from alembic import context\ncontext.run_migrations()\n",
        "alembic/versions/0001_init.py": "import sqlalchemy as sa\nsa.Table('t', None)\n",
        "pkg/__init__.py": "", "pkg/mod.py": "print('imported as part of a package')\n",
    })
    assert [(e.kind, e.name, str(e.evidence)) for e in model.entry_points] == [
        ("script", "python report.py", "report.py:2"),
        ("script", "python train.py", "train.py:7"),  # its first statement that is a call
    ]


def test_a_streamlit_script_is_started_by_streamlit(analyse_repo: Analyse) -> None:
    model = analyse_repo({
        "app.py": "import streamlit as st\nimport pandas as pd\n"
                  "data = pd.DataFrame({\n    'x': range(3),\n})\n"
                  "st.title('Demo')\nst.line_chart(data)\n",
    })
    assert [(e.kind, e.name, str(e.evidence)) for e in model.entry_points] == [
        ("script", "streamlit run app.py", "app.py:6")]  # its first statement, not line 4
