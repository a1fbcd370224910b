"""The Maintenance Patterns section: logging, monitoring, alerting, debugging."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.maintenance import MaintenanceAnalyser
from syspatterns.core.evidence import Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]


def section(analyse_repo: Analyse, files: dict[str, str]) -> Section:
    return MaintenanceAnalyser().analyse(analyse_repo(files))


def claims(result: Section, aspect: str) -> list[str]:
    return [f.claim for f in result.findings if f.aspect == aspect]


def test_logger_per_module_through_a_wrapper_and_configuration(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "app/__init__.py": "",
        "app/log.py": """
            import logging
            import logging.config
            def setup(debug):
                logging.config.dictConfig({"version": 1})
                if debug:
                    logging.basicConfig(level=10)
                else:
                    logging.basicConfig(level=20)
            def get_logger(name):
                return logging.getLogger(name)
            def named(name):
                log = logging.getLogger(name)
                log.setLevel(10)
                return log
            def main():
                logging.getLogger("app").info("start")  # creates one, returns none
                return 0
        """,
        "app/a.py": "from app.log import get_logger, named, main\nlogger = get_logger(__name__)\n"
                    "other = named(__name__)\nmain()\n",
        "app/b.py": "import logging\nlog = logging.getLogger(__name__)\n",
        "app/c.py": "import logging\naudit = logging.getLogger('audit')\n",
        "tests/test_a.py": "import logging\nlog = logging.getLogger(__name__)\n",
    })
    assert claims(result, "Logging") == [
        "Logging is configured with `logging.config.dictConfig()`.",
        "Logging is configured with `logging.basicConfig()` (2 places).",
        "Loggers are made by the repository's own `get_logger` and `named` (they return what "
        "a logger factory gives).",
        "Logger per module: 2 modules of 5 create their logger named after `__name__`.",
        "2 loggers created under another name.",  # 'audit', and 'app' in main()
    ]
    (other,) = [f for f in result.findings if "another name" in f.claim]
    assert [str(e) for e in other.evidence] == ["app/c.py:2", "app/log.py:16"]


def test_django_logging_setting(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings.py": "import django\nLOGGING = {'version': 1, 'handlers': {}}\n",
        "site/other.py": "LOGGING = 'off'\n",  # not a configuration dictionary
    })
    (logging,) = [f for f in result.findings if f.aspect == "Logging"]
    assert logging.claim == ("Logging is configured by the `LOGGING` setting (a `dictConfig` "
                             "dictionary that Django applies at start-up).")
    assert [str(e) for e in logging.evidence] == ["site/settings.py:2"]


def test_no_logging_says_what_was_looked_for(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"lib/__init__.py": "def f():\n    print('logging')\n"})
    assert claims(result, "Logging")[0].startswith("No logging found: looked for")


def test_monitoring_and_alerting_libraries_by_category(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "svc/__init__.py": "import sentry_sdk\nsentry_sdk.init(dsn='x')\n",
        "svc/metrics.py": "from prometheus_client import Counter\n"
                          "from opentelemetry import trace\n",
        "ops/alerts.yml": "groups:\n  - name: api\n    rules:\n      - alert: HighErrorRate\n"
                          "        expr: rate(x[5m]) > 1\n",
    })
    assert claims(result, "Monitoring") == [
        "`opentelemetry-api` (tracing) is imported at 1 place.",
        "`prometheus-client` (metrics) is imported at 1 place.",
    ]
    assert claims(result, "Alerting") == [
        "`sentry-sdk` (error tracking and apm) is imported at 1 place.",
        "1 alert rule in `ops/alerts.yml`.",
    ]


def test_nothing_to_monitor_or_alert(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"lib/__init__.py": "import requests\n",
                                    "config.yml": "alerting: false\n"})
    assert claims(result, "Monitoring")[0].startswith("None found")
    assert claims(result, "Alerting")[0].startswith("None found")


def test_debug_settings_deprecations_debuggers_and_update_bots(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "site/__init__.py": "",
        "site/settings.py": "import os\nDEBUG = True\nTEMPLATE_DEBUG = os.environ.get('X')\n",
        "site/old.py": "import warnings\ndef f():\n    warnings.warn('old', DeprecationWarning)\n"
                       "    warnings.warn('careful', UserWarning)\n",
        "site/dbg.py": "import pdb\n",
        ".github/dependabot.yml": "version: 2\n",
    })
    assert claims(result, "Debugging") == [
        "`DEBUG` is set to True in `site/settings.py`.",
        "`TEMPLATE_DEBUG` is set to a value computed at run time in `site/settings.py`.",
        "Deprecation policy: 1 call warn with `DeprecationWarning`.",
        "A debugger is imported in code (not tests) at 1 place.",
        "Dependency updates are automated (`.github/dependabot.yml`).",
    ]


def test_structured_logging(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "app/__init__.py": "",
        "app/log.py": """
            import json
            import logging
            import logging.config
            from pythonjsonlogger import jsonlogger
            import structlog
            class JsonFormatter(logging.Formatter):
                def format(self, record):
                    return json.dumps({"message": record.getMessage()})
            class PlainFormatter(logging.Formatter):
                def format(self, record):
                    return "json.dumps " + record.getMessage()
            class Custom(jsonlogger.JsonFormatter):
                pass
            class Serializer:
                def format(self, value):
                    return json.dumps(value)
            LOGGING_CONFIG = {
                "version": 1,
                "formatters": {"json": {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"},
                               "plain": {"format": "%(message)s"}},
            }
            def setup():
                logging.config.dictConfig(LOGGING_CONFIG)
                structlog.configure(processors=[structlog.processors.JSONRenderer()])
        """,
        "app/settings.py": """
            LOGGING = {"formatters": {"json": {"class": "app.log.JsonFormatter"},
                                      "text": {"class": "logging.Formatter"}}}
        """,
        "app/work.py": """
            import logging
            from pydantic import ConfigDict
            logger = logging.getLogger(__name__)
            logger.info("started", extra={"job": 1})
            logger.info("plain")  # logger.info("x", extra={}) in a comment
            config = ConfigDict(extra="forbid")
        """,
    })
    assert claims(result, "Logging") == [
        "Logging is configured with `logging.config.dictConfig()`.",
        "Logging is configured with `structlog.configure()`.",
        "Logging is configured by the `LOGGING` setting (a `dictConfig` dictionary).",
        "Logger per module: 1 module of 4 create their logger named after `__name__`.",
        "Structured logging: `JsonFormatter` formats log records as JSON (its `format` calls "
        "`json.dumps`).",
        "Structured logging: `Custom` extends `jsonlogger.JsonFormatter`, which writes log "
        "records as JSON.",
        "Structured logging: formatter 'json' of `LOGGING_CONFIG` is "
        "`pythonjsonlogger.jsonlogger.JsonFormatter`, which writes log records as JSON.",
        "Structured logging: formatter 'json' of `LOGGING` is `app.log.JsonFormatter`, which "
        "writes log records as JSON.",
        "Structured logging: `structlog.processors.JSONRenderer()` writes log records as JSON "
        "(1 place).",
        "Structured context: logging calls pass `extra=` at 1 place.",
        "`python-json-logger` (logging) is imported at 1 place.",
        "`structlog` (logging) is imported at 1 place.",
    ]


def test_json_formatters_of_nested_configuration_dictionaries(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "svc/__init__.py": "",
        "svc/logs.py": """
            import logging.config
            log_config = {
                "version": 1,
                "formatters": {
                    "json": {"()": "pythonjsonlogger.jsonlogger.JsonFormatter",
                             "fmt": "%(asctime)s %(message)s"},
                    "computed": {"class": pick_formatter()},
                },
            }
            unused = {"formatters": {"json": {"class": "pythonjsonlogger.json.JsonFormatter"}}}
            # noted = {"formatters": {"j": {"class": "pythonjsonlogger.json.JsonFormatter"}}}
            def setup():
                logging.config.dictConfig(log_config)
        """,
        "svc/settings.py": """
            LOGGING = {"formatters": build_formatters()}
        """,
    })
    assert [c for c in claims(result, "Logging") if c.startswith("Structured logging")] == [
        "Structured logging: formatter 'json' of `log_config` is "
        "`pythonjsonlogger.jsonlogger.JsonFormatter`, which writes log records as JSON.",
    ]


def test_log_handlers_created_configured_and_subclassed(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {
        "web/__init__.py": """
import logging
from logging.handlers import RotatingFileHandler, SMTPHandler

def create_app(app):
    mail = SMTPHandler(mailhost=("smtp", 25), fromaddr="a@b", toaddrs=["ops@b"], subject="x")
    mail.setLevel(logging.ERROR)
    app.logger.addHandler(mail)
    app.logger.addHandler(RotatingFileHandler("app.log", maxBytes=10240))
""",
        "web/settings.py": """
LOGGING = {
    "version": 1,
    "handlers": {
        "mail_admins": {"level": "ERROR", "class": "django.utils.log.AdminEmailHandler"},
        "console": {"class": "web.log.ColourHandler"},
    },
}
""",
        "web/log.py": """
import logging
class ColourHandler(logging.StreamHandler):
    pass
class Unused(ColourHandler):
    pass
class Shipper(logging.StreamHandler):
    def emit(self, record):
        post(self.format(record))
class Webhook(logging.Handler):
    def emit(self, record):
        post(record.getMessage())
class Quiet(logging.Handler):  # writes nothing: not a destination
    pass
""",
    })
    assert claims(result, "Logging") == [
        "Logging is configured by the `LOGGING` setting (a `dictConfig` dictionary).",
        "Log records go to e-mail to the site's `ADMINS` through `AdminEmailHandler` "
        "(1 place, level `ERROR`).",
        "Log records go to a file rotated by size through `RotatingFileHandler` (1 place).",
        "Log records go to e-mail through `SMTPHandler` (1 place).",
        "Log records go to a stream (standard error unless given another) through the "
        "repository's own `ColourHandler`, which extends `StreamHandler` (1 place).",
        "Log records go where the repository's own `Shipper`, which extends `StreamHandler`, "
        "sends them in its own `emit`.",
        "Log records go to a stream (standard error unless given another) through the "
        "repository's own `Unused`, which extends `StreamHandler`.",
        "Log records go where the repository's own `Webhook`, which extends `Handler`, sends "
        "them in its own `emit`.",
    ]
    handlers = {f.claim: [str(e) for e in f.evidence] for f in result.findings}
    assert handlers["Log records go to e-mail through `SMTPHandler` (1 place)."] == [
        "web/__init__.py:5"]
    assert claims(result, "Alerting") == [
        "`AdminEmailHandler` e-mails log records to the site's `ADMINS` (1 place, level `ERROR`).",
        "`SMTPHandler` e-mails log records (1 place).",
    ]


def test_handlers_that_are_not_log_handlers(analyse_repo: Analyse) -> None:
    result = section(analyse_repo, {"srv/__init__.py": """
from http.server import BaseHTTPRequestHandler
from socketserver import StreamRequestHandler
class Api(BaseHTTPRequestHandler):
    pass
def serve(handler=StreamRequestHandler):
    return handler()
CONFIG = {"handlers": {"console": {"class": "logging.StreamHandler"}}}  # never applied
"""})
    assert not [c for c in claims(result, "Logging") if c.startswith("Log records go")]
    assert claims(result, "Alerting")[0].startswith("None found")
