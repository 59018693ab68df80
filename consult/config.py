"""Typed configuration, read once from environment variables.

Every setting has a development default so that `make run` works on a fresh
machine; production refuses to start without the settings that matter.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LOCALES = ("ar", "en", "es", "fr")
DEFAULT_STAKEHOLDER_GROUPS = (
    "parliament",
    "government",
    "intergovernmental",
    "civil_society",
    "private_sector",
    "technical_community",
    "academia",
    "media",
    "individual",
)


class ConfigError(RuntimeError):
    """The environment describes a configuration that cannot run."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where `consult send-mail` delivers the outbox."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    # "starttls" (port 587), "ssl" (port 465) or "none" (a relay on the same network).
    security: str = "starttls"
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.security not in {"starttls", "ssl", "none"}:
            raise ConfigError(f"SMTP_SECURITY must be starttls, ssl or none, not {self.security!r}")


@dataclass(frozen=True)
class Config:
    """What the application needs to know about its environment."""

    database_url: str
    secret_key: str
    production: bool = False
    testing: bool = False
    locales: tuple[str, ...] = DEFAULT_LOCALES
    default_locale: str = "en"
    # The address people reach the site at, for links in e-mails sent from the command line.
    base_url: str = "http://127.0.0.1:5000"
    mail_from: str = "Consult <no-reply@localhost>"
    # None: mail stays in the outbox (and, in development, is printed to the console).
    smtp: SmtpSettings | None = None
    # Rate-limit counters: in memory for one process, Redis for several.
    ratelimit_storage_uri: str = "memory://"
    stakeholder_groups: tuple[str, ...] = DEFAULT_STAKEHOLDER_GROUPS
    # How many proxies (load balancers) stand in front of the app and set
    # X-Forwarded-For/-Proto/-Host; 0 trusts no such header.
    trusted_proxies: int = 0
    # Tests turn rate limits off unless they test them.
    rate_limits_in_tests: bool = False
    # Days the audit log keeps the keyed hash of a visitor's network address.
    network_hash_days: int = 30
    # A staff session ends after this many minutes without a request, and in any
    # case this many hours after the password was given.
    staff_idle_minutes: int = 30
    staff_session_hours: int = 12
    # Public forms sent sooner than this after they were shown are taken for a bot's.
    min_fill_seconds: int = 3
    # Tests send forms at once; they turn the fill time on only where they test it.
    fill_time_in_tests: bool = False

    def __post_init__(self) -> None:
        if self.default_locale not in self.locales:
            raise ConfigError(
                f"CONSULT_DEFAULT_LOCALE={self.default_locale!r} is not one of "
                f"CONSULT_LOCALES={','.join(self.locales)}"
            )
        if self.production and self.secret_key.startswith("dev-"):
            raise ConfigError("SECRET_KEY must be set in production")

    @classmethod
    def from_env(cls, instance_path: Path) -> Config:
        """Read the configuration from the environment (see README, "Configuration")."""
        production = os.environ.get("CONSULT_ENV", "development") == "production"
        database_url = os.environ.get("DATABASE_URL") or _default_sqlite_url(instance_path)
        if production and database_url.startswith("sqlite"):
            # Several workers on several machines share nothing but the database.
            raise ConfigError("DATABASE_URL must point to PostgreSQL in production")
        secret_key = os.environ.get("SECRET_KEY") or f"dev-{secrets.token_hex(16)}"
        locales = _split(os.environ.get("CONSULT_LOCALES", ",".join(DEFAULT_LOCALES)))
        return cls(
            database_url=_normalise_database_url(database_url),
            secret_key=secret_key,
            production=production,
            locales=locales,
            default_locale=os.environ.get("CONSULT_DEFAULT_LOCALE", "en"),
            base_url=os.environ.get("CONSULT_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            mail_from=os.environ.get("MAIL_FROM", "Consult <no-reply@localhost>"),
            smtp=_smtp_from_env(),
            ratelimit_storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            trusted_proxies=_int_from_env("TRUSTED_PROXIES", 0),
            network_hash_days=_int_from_env("CONSULT_NETWORK_HASH_DAYS", 30),
            staff_idle_minutes=_int_from_env("CONSULT_STAFF_IDLE_MINUTES", 30),
            staff_session_hours=_int_from_env("CONSULT_STAFF_SESSION_HOURS", 12),
            min_fill_seconds=_int_from_env("CONSULT_MIN_FILL_SECONDS", 3),
            stakeholder_groups=_split(
                os.environ.get("CONSULT_STAKEHOLDER_GROUPS", ",".join(DEFAULT_STAKEHOLDER_GROUPS))
            ),
        )


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _int_from_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, str(default)))
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number") from error


def _smtp_from_env() -> SmtpSettings | None:
    host = os.environ.get("SMTP_HOST")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=_int_from_env("SMTP_PORT", 587),
        username=os.environ.get("SMTP_USERNAME") or None,
        password=os.environ.get("SMTP_PASSWORD") or None,
        security=os.environ.get("SMTP_SECURITY", "starttls"),
    )


def _default_sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'consult.sqlite3'}"


def _normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting providers hand out.

    SQLAlchemy needs the driver named; we use psycopg 3.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
