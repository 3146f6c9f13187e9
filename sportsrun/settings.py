"""Configuration from SPORTSRUN_* environment variables, read once per process."""

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALES = ("ar", "ckb", "en")
FONTS_DIR = "/usr/share/fonts/truetype/noto"  # Debian's fonts-noto-core


class ConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    secret_key: str
    default_locale: str
    max_upload_mb: int
    registration_rate_limit: int
    login_rate_limit: int
    secure_cookies: bool
    public_url: str  # scheme and host the public reaches the site at: absolute links and QR codes use it
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    db_pool_min: int = 2
    db_pool_max: int = 20
    db_connect_timeout_s: float = 10.0
    db_command_timeout_s: float | None = None  # None: a statement may run as long as it needs
    db_statement_cache_size: int = 100  # asyncpg's default; 0 behind a PgBouncer in transaction mode
    # This process made the SQLite key file (there was none): `sportsrun restore` may replace a key nothing
    # has signed with yet by the backup's.
    secret_key_file_made: bool = False
    fonts_dir: str = FONTS_DIR  # the share cards' fonts (core/cards/fonts.py names the files)
    page_cache_mb: float = 64.0  # rendered pages and answers each worker keeps (bodies and gzipped copies)
    export_cache_mb: float = 64.0  # results exports each worker keeps (files and gzipped copies)
    # Where messages go (messages/transports.py); unset, they wait in the outbox for an admin to read.
    email_url: str = ""  # smtp://user:pass@host:port (smtps:// for TLS from the start), ?from=address
    sms_url: str = ""  # an HTTP gateway taking a JSON POST {"to", "text"}, credentials in the address

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> str:
        """`sqlite:///relative.db` → `relative.db`, `sqlite:////abs.db` → `/abs.db` (SQLAlchemy's form)."""
        return self.database_url.removeprefix("sqlite:///")

    @property
    def secret_key_path(self) -> Path:
        """Where the key is kept for a SQLite database when SPORTSRUN_SECRET_KEY is unset."""
        return secret_key_path(self.database_url)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def page_cache_bytes(self) -> int:
        return int(self.page_cache_mb * 1024 * 1024)

    @property
    def export_cache_bytes(self) -> int:
        return int(self.export_cache_mb * 1024 * 1024)


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def secret_key_path(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///") + ".secret")


def _secret_key(database_url: str) -> tuple[str, bool]:
    """Without SPORTSRUN_SECRET_KEY, a random key is kept beside a SQLite database so that every worker
    and restart share it; PostgreSQL installations must configure one. Also says whether the key file
    was made now."""
    key = os.environ.get("SPORTSRUN_SECRET_KEY", "").strip()
    if key:
        if len(key) < 16:
            raise ConfigError("SPORTSRUN_SECRET_KEY must have at least 16 characters")
        return key, False
    if not database_url.startswith("sqlite:"):
        raise ConfigError("set SPORTSRUN_SECRET_KEY (at least 16 random characters) for a PostgreSQL database")
    path = secret_key_path(database_url)
    try:
        return path.read_text().strip(), False
    except FileNotFoundError:
        key = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key, True
    except OSError as exc:
        raise ConfigError(f"cannot read the secret key file {path}: {exc}") from None


def _seconds(name: str, default: float | None) -> float | None:
    """Seconds from the environment; `0` means no limit."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return value or None


def _megabytes(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of megabytes, not {raw!r}") from None
    if not 0 <= value < 1_000_000:
        raise ConfigError(f"{name} must be from 0 to 1000000")
    return value


def _connect_timeout() -> float:
    seconds = _seconds("SPORTSRUN_DB_CONNECT_TIMEOUT", 10.0)
    if seconds is None:
        raise ConfigError("SPORTSRUN_DB_CONNECT_TIMEOUT must be more than 0 seconds")
    return seconds


def _trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    raw = os.environ.get("SPORTSRUN_TRUSTED_PROXIES", "")
    networks = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"SPORTSRUN_TRUSTED_PROXIES must list addresses or networks (10.0.0.5, 10.0.0.0/24), not {item!r}"
            ) from None
    return tuple(networks)


def _pool() -> tuple[int, int]:
    low = _int("SPORTSRUN_DB_POOL_MIN", 2)
    high = _int("SPORTSRUN_DB_POOL_MAX", 20, minimum=1)
    if low > high:
        raise ConfigError(f"SPORTSRUN_DB_POOL_MIN ({low}) must not exceed SPORTSRUN_DB_POOL_MAX ({high})")
    return low, high


def _public_url() -> str:
    raw = os.environ.get("SPORTSRUN_PUBLIC_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
    scheme, _sep, rest = raw.partition("://")
    if scheme not in ("http", "https") or not rest or "/" in rest or "?" in rest or "#" in rest:
        raise ConfigError(f"SPORTSRUN_PUBLIC_URL must look like https://runs.example.org, not {raw!r}")
    return raw


def _message_url(name: str, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    scheme, _sep, rest = raw.partition("://")
    if scheme not in schemes or not rest.split("/")[0].rpartition("@")[2]:
        raise ConfigError(f"{name} must look like {schemes[0]}://user:password@host:port")
    return raw


def load() -> Settings:
    database_url = os.environ.get("SPORTSRUN_DATABASE_URL", "").strip() or "sqlite:///sportsrun.db"
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(
            "SPORTSRUN_DATABASE_URL must look like sqlite:///file.db, sqlite:////abs/file.db "
            "or postgresql://user:pass@host:port/db"
        )
    locale = os.environ.get("SPORTSRUN_DEFAULT_LOCALE", "").strip() or "ar"
    if locale not in LOCALES:
        raise ConfigError(f"SPORTSRUN_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
    pool_min, pool_max = _pool()
    secret_key, secret_key_file_made = _secret_key(database_url)
    return Settings(
        database_url=database_url,
        secret_key=secret_key,
        default_locale=locale,
        max_upload_mb=_int("SPORTSRUN_MAX_UPLOAD_MB", 10, minimum=1),
        registration_rate_limit=_int("SPORTSRUN_REGISTRATION_RATE_LIMIT", 60),
        login_rate_limit=_int("SPORTSRUN_LOGIN_RATE_LIMIT", 10),
        secure_cookies=os.environ.get("SPORTSRUN_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
        public_url=_public_url(),
        trusted_proxies=_trusted_proxies(),
        db_pool_min=pool_min,
        db_pool_max=pool_max,
        db_connect_timeout_s=_connect_timeout(),
        db_command_timeout_s=_seconds("SPORTSRUN_DB_COMMAND_TIMEOUT", None),
        db_statement_cache_size=_int("SPORTSRUN_DB_STATEMENT_CACHE_SIZE", 100),
        secret_key_file_made=secret_key_file_made,
        fonts_dir=os.environ.get("SPORTSRUN_FONTS_DIR", "").strip() or FONTS_DIR,
        page_cache_mb=_megabytes("SPORTSRUN_PAGE_CACHE_MB", 64.0),
        export_cache_mb=_megabytes("SPORTSRUN_EXPORT_CACHE_MB", 64.0),
        email_url=_message_url("SPORTSRUN_EMAIL_URL", ("smtp", "smtps")),
        sms_url=_message_url("SPORTSRUN_SMS_URL", ("https", "http")),
    )


@cache
def get_settings() -> Settings:
    return load()
