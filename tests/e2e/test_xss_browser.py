"""In a real browser, pages full of stored XSS payloads run none of them (no alert dialog ever opens)."""

import pytest

from tests.xss_payloads import seed_payload_catalogue

pytestmark = pytest.mark.e2e


def test_no_payload_runs_in_chromium(app, live_server, new_page, make):
    provider, products = seed_payload_catalogue(app, make)
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = [
        "/",
        "/products",
        f"/providers/{provider.id}",
        "/search?q=alert",
        "/search?q=视觉质检",
        *[f"/products/{p.id}" for p in products[::5]],
    ]
    for path in paths:
        page.goto(f"{live_server}{path}")
        page.mouse.move(200, 300)  # hover handlers, if any had survived
    assert dialogs == []
    assert page.locator("text=alert(").count() > 0  # the payloads are there, as text
