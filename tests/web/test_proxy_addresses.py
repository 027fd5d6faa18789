"""Behind a load balancer the client's address comes from the trusted proxy's X-Forwarded-For, and only then."""

from __future__ import annotations

import pytest
from sqlmodel import select

from catalog.models import LoginFailure
from marketplace import create_app
from tests.conftest import app_settings, csrf_from

BALANCER, CLIENT = "10.0.0.2", "203.0.113.7"


def failed_sign_in_address(database_url, session, tmp_path, hops: int) -> str:
    app = create_app(app_settings(database_url, tmp_path, TRUSTED_PROXIES=hops))
    try:
        client = app.test_client()
        through = {"environ_base": {"REMOTE_ADDR": BALANCER}, "headers": {"X-Forwarded-For": CLIENT}}
        token = csrf_from(client.get("/login", **through).get_data(as_text=True))
        data = {"email": "nobody@example.com", "password": "wrong-password-1", "csrf_token": token}
        assert client.post("/login", data=data, **through).status_code == 401
    finally:
        app.extensions["db_engine"].dispose()
    return session.exec(select(LoginFailure.ip)).one()


@pytest.mark.parametrize(("hops", "recorded"), [(1, CLIENT), (0, BALANCER)])
def test_the_recorded_address_is_the_clients_only_through_a_trusted_proxy(
    database_url, session, tmp_path, hops, recorded
):
    assert failed_sign_in_address(database_url, session, tmp_path, hops) == recorded


def test_a_bad_proxy_count_stops_start_up_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_PROXIES", "two")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app({"TESTING": True, "SEARCH_INDEX_PATH": str(tmp_path / "search.db")})
