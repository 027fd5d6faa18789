"""Sign-in limits kept in Redis (RATELIMIT_STORAGE_URI=redis://...), as production runs them: counted once across
every worker (two apps on one Redis stand for two gunicorn workers, or two hosts); and a Redis that cannot be
reached neither stops sign-in nor lifts the limits (each worker counts on its own until it is back)."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from marketplace import create_app
from tests.conftest import Auth, app_settings, closed_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 6  # sign-in attempts per minute and address in these tests (production: LOGIN_RATE_LIMIT)


def _redis_answers() -> bool:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


# CI has Redis on this machine (as it has PostgreSQL): there the tests must run, never skip.
pytestmark = pytest.mark.skipif(
    os.environ.get("CI") != "true" and not _redis_answers(), reason=f"no Redis answers at {REDIS_URL}"
)


def worker(database_url: str, tmp_path, name: str, storage: str, prefix: str):
    folder = tmp_path / name
    folder.mkdir()
    return create_app(
        app_settings(
            database_url,
            folder,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=prefix,
            LOGIN_RATE_LIMIT=f"{LIMIT} per minute",
        )
    )


def failed_sign_ins(apps, attempts: int) -> list[int]:
    """Wrong passwords for distinct unknown accounts (so no account's own lockout answers), taking turns between
    the apps; the status of each answer."""
    signers = [Auth(app.test_client()) for app in apps]
    return [
        signers[n % len(signers)].login(f"nobody-{n}@example.cn", "wrong-password-here").status_code
        for n in range(attempts)
    ]


def test_the_sign_in_limit_is_shared_by_every_worker(database_url, session, tmp_path):
    prefix = f"mkt-test-{uuid.uuid4().hex}"
    first, second = (worker(database_url, tmp_path, name, REDIS_URL, prefix) for name in ("one", "two"))
    try:
        assert failed_sign_ins([first, second], LIMIT + 2) == [401] * LIMIT + [429, 429]
    finally:
        for app in (first, second):
            app.extensions["db_engine"].dispose()


def test_without_redis_sign_in_still_works_and_each_worker_still_limits(database_url, session, tmp_path):
    app = worker(database_url, tmp_path, "alone", f"redis://127.0.0.1:{closed_port()}/0", "mkt-test-down")
    try:
        assert failed_sign_ins([app], LIMIT + 1) == [401] * LIMIT + [429]
    finally:
        app.extensions["db_engine"].dispose()
