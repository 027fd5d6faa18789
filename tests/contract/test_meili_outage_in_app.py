"""A Meilisearch outage as the marketplace lives through it: staff publish 200 products while Meilisearch refuses
every connection; every write commits, every page and API answer is a 200 (search answers from the embedded
fallback and says so), and the first relay pass after Meilisearch is back makes its index equal to the database,
however long the outage lasted."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import time_machine
from sqlmodel import Session, col, func, select

from catalog.models import Product, SearchOutbox, utcnow
from marketplace import create_app, search_service
from search.sync import check
from tests.conftest import Auth, app_settings, csrf_from
from tests.contract.fake_meili import BASE_URL, FakeMeili

WRITES = 200
PAGES = ("/search?q=能耗", "/products", "/api/v1/search?q=能耗", "/api/v1/suggest?q=能耗", "/")


def test_an_outage_loses_no_write_shows_no_error_and_heals_at_the_next_relay_pass(
    fake_meili: FakeMeili, database_url, session, make, tmp_path
):
    app = create_app(app_settings(database_url, tmp_path, MEILI_URL=BASE_URL, MEILI_API_KEY="test-key"))
    provider = make.organisation("provider")
    waiting = [make.product(provider, state="submitted", name=f"能耗监测系统 {n}") for n in range(WRITES)]
    client = app.test_client()
    Auth(client).login(make.user("staff").email)
    token = csrf_from(client.get("/staff/products").get_data(as_text=True))
    started = utcnow()
    statuses: Counter[int] = Counter()

    with time_machine.travel(started, tick=True) as clock:
        fake_meili.down = True
        for n, product in enumerate(waiting):
            answer = client.post(
                f"/staff/products/{product.id}/decide", data={"decision": "approve", "csrf_token": token}
            )
            statuses[answer.status_code] += 1
            if n % 20 == 0:
                for path in PAGES:
                    statuses[client.get(path).status_code] += 1
        assert "备用索引" in client.get("/search?q=能耗").get_data(as_text=True)  # says it is the fallback
        # The relay keeps trying while Meilisearch is down, for three quarters of an hour: every time the rows are
        # due again, so their backoff grows to its five minutes.
        for _pass in range(9):
            clock.shift(timedelta(minutes=5))
            assert search_service.sync_once(app) == 0
        with Session(app.extensions["db_engine"]) as fresh:
            soonest = fresh.exec(select(func.min(SearchOutbox.next_attempt_at))).one()
        assert soonest >= utcnow().replace(tzinfo=soonest.tzinfo) + timedelta(minutes=4)
        fake_meili.down = False
        clock.shift(timedelta(seconds=1))
        applied = search_service.sync_once(app)  # the watching relay's next pass, a second after recovery

    assert statuses == Counter({302: WRITES, 200: len(PAGES) * (WRITES // 20)})
    with Session(app.extensions["db_engine"]) as fresh:
        published = fresh.exec(select(func.count()).where(col(Product.state) == "published")).one()
        pending = fresh.exec(select(func.count()).where(col(SearchOutbox.done_at).is_(None))).one()
        report = check(fresh, search_service.backend(app))
    assert published == WRITES and applied == WRITES and pending == 0
    assert report.ok and len(fake_meili.indexes["products"].documents) == WRITES
    app.extensions["db_engine"].dispose()
