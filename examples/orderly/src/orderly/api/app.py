"""Application factory: builds the FastAPI app, its middleware and error mapping."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from orderly import __version__
from orderly.api.dependencies import close_payment_gateway
from orderly.api.routes import auth, health, orders
from orderly.core.config import Settings, get_settings
from orderly.core.errors import (
    AuthenticationError,
    ConflictError,
    InvalidOrderError,
    NotFoundError,
    OrderlyError,
    PaymentDeclinedError,
    UpstreamUnavailableError,
)
from orderly.core.logging import configure_logging, get_logger

logger = get_logger(__name__)

STATUS_BY_ERROR: dict[type[OrderlyError], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    InvalidOrderError: 422,
    PaymentDeclinedError: 402,
    AuthenticationError: 401,
    UpstreamUnavailableError: 503,
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    logger.info("orderly %s starting", __version__)
    yield
    close_payment_gateway()


async def handle_orderly_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, OrderlyError):
        raise exc
    code = next(
        (code for error_type, code in STATUS_BY_ERROR.items() if isinstance(exc, error_type)),
        500,
    )
    if code >= 500:
        logger.error("request failed: %s", exc.message, extra={"path": request.url.path})
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    return JSONResponse(
        status_code=code, content={"error": exc.code, "detail": exc.message}, headers=headers
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_logs=settings.log_json)

    app = FastAPI(
        title="orderly",
        version=__version__,
        lifespan=lifespan,
        docs_url=None if settings.is_production else "/docs",
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_exception_handler(OrderlyError, handle_orderly_error)

    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(orders.router)
    return app


app = create_app()
