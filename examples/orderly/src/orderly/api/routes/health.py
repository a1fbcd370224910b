"""Liveness and readiness probes for load balancers and orchestrators."""

from fastapi import APIRouter, Response, status
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from orderly import __version__
from orderly.api.dependencies import SessionDep, SettingsDep
from orderly.core.logging import get_logger
from orderly.storage.cache import get_redis_client

logger = get_logger(__name__)

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up; says nothing about its dependencies."""
    return {"status": "ok", "version": __version__}


@router.get("/ready")
def ready(session: SessionDep, settings: SettingsDep, response: Response) -> dict[str, object]:
    """Ready to take traffic only when the database and Redis both answer."""
    checks = {"database": _database_ok(session), "redis": _redis_ok(settings.redis_url)}
    healthy = all(checks.values())
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "ready" if healthy else "unavailable", "checks": checks}


def _database_ok(session: Session) -> bool:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        logger.warning("readiness: database check failed", exc_info=True)
        return False
    return True


def _redis_ok(url: str) -> bool:
    try:
        return bool(get_redis_client(url).ping())
    except RedisError:
        logger.warning("readiness: redis check failed", exc_info=True)
        return False
