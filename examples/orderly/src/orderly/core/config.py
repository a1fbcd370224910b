"""Runtime configuration, read from environment variables (and a local ``.env``)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every tunable of the service; field names map to upper-case env vars."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    log_json: bool = False

    database_url: str = "postgresql+psycopg://orderly:orderly@localhost:5432/orderly"
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    db_pool_timeout_seconds: float = 10.0

    redis_url: str = "redis://localhost:6379/0"
    celery_broker_url: str | None = None
    product_cache_ttl_seconds: int = Field(default=300, ge=0)

    jwt_secret: SecretStr = SecretStr("change-me-in-production")
    jwt_algorithm: str = "HS256"
    access_token_ttl_minutes: int = Field(default=30, ge=1)

    payments_base_url: str = "https://payments.example.com"
    payments_api_key: SecretStr = SecretStr("")
    payments_timeout_seconds: float = 5.0

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "orders@orderly.example"

    cors_origins: list[str] = ["http://localhost:3000"]

    @property
    def broker_url(self) -> str:
        """Celery broker; defaults to the same Redis instance as the cache."""
        return self.celery_broker_url or self.redis_url

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


@lru_cache
def get_settings() -> Settings:
    """Build the settings once per process; tests override this via dependency injection."""
    return Settings()
