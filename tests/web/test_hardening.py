"""Headers, error pages, CSRF on every state-changing route, cookies."""

import re

import pytest

from tests.conftest import Auth


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/products", "/definitely-missing", "/api/v1/products/none"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_crash_shows_a_generic_page_without_internals(app, client):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret path /srv/app.py and SELECT * FROM app_user")

    response = client.get("/boom-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "服务器出错了" in page and "Traceback" not in page and "SELECT" not in page and "/srv" not in page
    assert "Content-Security-Policy" in response.headers


def test_no_template_contains_inline_script_or_style(app):
    from pathlib import Path

    for template in (Path(app.template_folder)).rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert " style=" not in text and " onclick=" not in text, template


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/static"):
            yield re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_every_state_changing_route_refuses_a_missing_or_forged_csrf_token(app, make, token):
    client = app.test_client()
    Auth(client).login(make.user("staff").email)
    for path in post_routes(app):
        data = {} if token is None else {"csrf_token": token}
        response = client.post(path, data=data)
        assert response.status_code == 400, path


def test_session_cookie_is_httponly_and_samesite(client, auth, make):
    response = auth.login(make.user("enterprise").email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    from marketplace.config import from_environment

    settings = from_environment(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


def test_no_state_changes_through_get(app):
    mutating = (
        "approve",
        "decide",
        "submit",
        "archive",
        "remove",
        "add",
        "respond",
        "cancel",
        "reviews",
        "acceptance",
        "logout",
        "reply",
        "moderate",
        "weights",
        "note",
    )
    for rule in app.url_map.iter_rules():
        last = rule.rule.rstrip("/").rsplit("/", 1)[-1]
        if last in mutating and "POST" in rule.methods:
            assert "GET" not in rule.methods, rule.rule


def unreachable_database_app(tmp_path):
    """An app whose PostgreSQL does not answer (a loopback port nobody listens on): a restart or failover as the
    app sees it."""
    from marketplace import create_app
    from tests.conftest import app_settings, closed_port

    return create_app(app_settings(f"postgresql://postgres@127.0.0.1:{closed_port()}/postgres", tmp_path))


def test_an_unreachable_database_is_a_503_to_retry_not_a_crash(tmp_path):
    client = unreachable_database_app(tmp_path).test_client()
    client.set_cookie("lang", "en")
    for path in ("/products", "/products/1", "/search?q=视觉"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert int(response.headers["Retry-After"]) > 0
        assert "briefly unavailable" in page and "Traceback" not in page and "127.0.0.1" not in page
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    answer = client.get("/api/v1/products")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert answer.get_json()["error"]["status"] == 503


def test_a_signed_in_visitor_also_gets_the_retry_page_when_the_database_is_unreachable(
    client, make, tmp_path
):
    Auth(client).login(make.user("enterprise").email)
    down = unreachable_database_app(tmp_path).test_client()
    down.set_cookie("session", client.get_cookie("session").value)
    response = down.get("/workspace/recommendations")
    assert response.status_code == 503 and "服务暂时不可用" in response.get_data(as_text=True)


def test_error_pages_speak_the_visitors_language(client):
    client.set_cookie("lang", "en")
    assert "There is nothing here." in client.get("/definitely-missing").get_data(as_text=True)
    client.set_cookie("lang", "zh")
    assert "页面不存在" in client.get("/definitely-missing").get_data(as_text=True)
