"""Configuration read from environment variables; every variable is documented in README.md."""

import os
import secrets
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def session_cookie(secure: bool) -> dict:
    """The session cookie's attributes. Behind HTTPS it is `SameSite=None; Secure; Partitioned`, so a
    customer's editor framed by the store's shop (another site) keeps its session: the browser keeps
    a separate cookie for each site the editor is framed in (CHIPS), and another site's page never
    sends the one Presswork's own pages use. CSRF tokens guard every form and session-authenticated
    API call either way. Without HTTPS browsers refuse `SameSite=None`, so it is `Lax`: the editor
    then works in a frame of the same site only (another port of localhost, say)."""
    if secure:
        return {
            "SESSION_COOKIE_SECURE": True,
            "SESSION_COOKIE_SAMESITE": "None",
            "SESSION_COOKIE_PARTITIONED": True,
        }
    return {
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PARTITIONED": False,
    }


# Preflight limits; their defaults live with the checks (designer/files/preflight).
_PREFLIGHT_LIMITS = (
    "PREFLIGHT_MAX_IMAGE_PIXELS",
    "PREFLIGHT_MIN_IMAGE_PX",
    "PREFLIGHT_MAX_PDF_PAGES",
    "PREFLIGHT_MAX_SVG_BYTES",
    "PREFLIGHT_MAX_SVG_ELEMENTS",
    "THUMBNAIL_PX",
    "PREFLIGHT_CONCURRENT_DECODES",
)


def from_environment(instance_path: str) -> dict:
    """Build the app's config from the environment, with embedded defaults under instance/."""
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'presswork.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        "RATE_LIMIT_PER_MINUTE": int(os.environ.get("RATE_LIMIT_PER_MINUTE", "1000")),
        "RATELIMIT_ENABLED": _flag("RATE_LIMIT_ENABLED", True),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))),
        "MAX_JSON_BYTES": int(os.environ.get("MAX_JSON_BYTES", str(1024 * 1024))),
        "IDEMPOTENCY_TTL_S": 24 * 3600,
        # File storage: a directory (instance/files by default), or an S3-compatible bucket.
        "STORAGE_PATH": os.environ.get("STORAGE_PATH", ""),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": os.environ.get("S3_REGION", ""),
        "LIBRARY_PATH": os.environ.get("LIBRARY_PATH", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        **session_cookie(_flag("SESSION_COOKIE_SECURE", False)),
        # "Keep me logged in" (Flask-Login's remember_token) goes only where the session cookie goes,
        # and never into a shop's frame.
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Log-in: wrong passwords allowed per email, and per client address, in a window of
        # LOGIN_WINDOW_S; past them log-in waits for the window's end (accounts/login_limits.py).
        "LOGIN_FAILURES_PER_EMAIL": int(os.environ.get("LOGIN_FAILURES_PER_EMAIL", "5")),
        "LOGIN_FAILURES_PER_ADDRESS": int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "50")),
        "LOGIN_WINDOW_S": int(os.environ.get("LOGIN_WINDOW_S", str(15 * 60))),
        "WTF_CSRF_TIME_LIMIT": None,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # What one render job may allocate beyond the worker's own memory.
        "RENDER_MEMORY_MB": int(os.environ.get("RENDER_MEMORY_MB", "1024")),
        # Variable-data batches (designer/batches): the most rows one may have, and the largest
        # spreadsheet (CSV or XLSX) accepted for one.
        "BATCH_MAX_ROWS": int(os.environ.get("BATCH_MAX_ROWS", "5000")),
        "BATCH_MAX_SPREADSHEET_BYTES": int(
            os.environ.get("BATCH_MAX_SPREADSHEET_BYTES", str(5 * 1024 * 1024))
        ),
        # werkzeug's method string; tests use a cheap one, production keeps scrypt.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # Webhooks: a receiver on this machine (loopback) is refused unless allowed (`flask serve`
        # allows it for development); the timeouts of one delivery attempt.
        "WEBHOOKS_ALLOW_LOOPBACK": _flag("WEBHOOKS_ALLOW_LOOPBACK", False),
        "WEBHOOK_CONNECT_TIMEOUT_S": float(os.environ.get("WEBHOOK_CONNECT_TIMEOUT_S", "5")),
        "WEBHOOK_TIMEOUT_S": float(os.environ.get("WEBHOOK_TIMEOUT_S", "15")),
        **{name: int(os.environ[name]) for name in _PREFLIGHT_LIMITS if os.environ.get(name)},
    }


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept in instance/, so sessions survive restarts without setup."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
