"""Configuration from the environment, with zero-setup defaults for the demo (SQLite and embedded search)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment; otherwise one generated once and kept under instance/ for the demo."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def from_environment(instance: Path) -> dict[str, Any]:
    """Settings read from environment variables; production is signalled by MARKETPLACE_ENV=production."""
    production = os.environ.get("MARKETPLACE_ENV") == "production"
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'marketplace.db'}"),
        "SEARCH_INDEX_PATH": os.environ.get("SEARCH_INDEX_PATH", str(instance / "search.db")),
        "MEILI_URL": os.environ.get("MEILI_URL", ""),
        "MEILI_API_KEY": os.environ.get("MEILI_API_KEY", ""),
        "MEILI_TIMEOUT_S": float(os.environ.get("MEILI_TIMEOUT_S", "2.0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        # Relayed search-outbox rows are deleted after this many days; a week leaves time to look into a relay
        # problem (which product change failed, when it went through) before the record goes.
        "SEARCH_OUTBOX_KEEP_DAYS": _whole_number("SEARCH_OUTBOX_KEEP_DAYS", 7),
        "PRODUCTION": production,
        # Behind a load balancer every request comes from the balancer: the client's address (sign-in limits,
        # review flags, the audit log) is then the one the trusted proxies put in X-Forwarded-For. Headers from
        # anyone else are ignored, so a client cannot choose its own address.
        "TRUSTED_PROXIES": _whole_number("TRUSTED_PROXIES", 0),
    }


def _whole_number(name: str, default: int) -> int:
    """A non-negative whole number from the environment; a bad value stops start-up naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number >= 0, got {raw!r}")
    return int(raw)


DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "BOOTSTRAP_SERVE_LOCAL": True,
    "BABEL_DEFAULT_LOCALE": "zh",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).with_name("translations")),
    "LANGUAGES": ("zh", "en"),
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
    # When the shared limit store (Redis) cannot be reached, each worker counts in its own memory until it is back,
    # rather than refusing every sign-in: the limits go on, per worker, and the per-account lockout is counted in the
    # database either way.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # A Redis host that is down (rather than refusing) must not hold a sign-in for the system's TCP timeout.
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    "LOGIN_RATE_LIMIT": "20 per minute",
    "JSON_AS_ASCII": False,
}
