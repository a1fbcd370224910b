"""Process-wide logging setup; every module asks for its own logger by ``__name__``."""

import json
import logging
import logging.config
from typing import Any

_RESERVED = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, including any ``extra=`` fields passed to the logger."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(level: str = "INFO", *, json_logs: bool = False) -> None:
    """Install handlers for the application and quieten chatty libraries."""
    formatter = "json" if json_logs else "plain"
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "plain": {"format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s"},
                "json": {"()": "orderly.core.logging.JsonFormatter"},
            },
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "formatter": formatter,
                    "stream": "ext://sys.stderr",
                },
            },
            "loggers": {
                "orderly": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
                "sqlalchemy.engine": {"level": "WARNING"},
                "httpx": {"level": "WARNING"},
            },
            "root": {"level": "WARNING", "handlers": ["stderr"]},
        }
    )


def get_logger(name: str) -> logging.Logger:
    """Return the logger for a module; call as ``logger = get_logger(__name__)``."""
    return logging.getLogger(name)
