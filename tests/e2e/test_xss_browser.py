"""In a real browser, pages full of stored XSS payloads run none of them (no alert dialog ever opens)."""

import pytest

from catalog import outbox
from marketplace import search_service
from tests.xss_payloads import payloads

pytestmark = pytest.mark.e2e


def test_no_payload_runs_in_chromium(app, live_server, new_page, make):
    texts = payloads(200)
    provider = make.organisation("provider", name=texts[0][:120], introduction=texts[2])
    products = [
        make.product(
            provider,
            name=texts[n][:120],
            summary=texts[n + 1][:60],
            description="\n".join(texts[n + 2 : n + 4]),
        )
        for n in range(0, 200, 4)
    ]
    outbox.enqueue(make.session, product_ids=[p.id for p in products])
    make.session.commit()
    search_service.sync_once(app)
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
