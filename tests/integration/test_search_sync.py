"""The outbox relay keeps the search index equal to the database, through outages."""

from datetime import timedelta

import pytest
from sqlmodel import col, select

from catalog import products, vetting
from catalog.models import OrgState, SearchOutbox, utcnow
from search.backend import SearchQuery, SearchUnavailable
from search.embedded import EmbeddedSearch
from search.sync import check, drain, rebuild


class Switchable:
    """A real embedded index that can be switched off, like a search server going down."""

    def __init__(self):
        self.inner = EmbeddedSearch(":memory:")
        self.inner.ensure_index()
        self.name = "switchable"
        self.down = False
        self.refuses = False  # up, but refusing what it is sent (as a server rejecting a document)

    def health(self):
        return not self.down

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if callable(attribute) and name in {"upsert", "delete", "rebuild", "search", "fingerprints"}:

            def guarded(*args, **kwargs):
                if self.down:
                    raise SearchUnavailable("switched off")
                if self.refuses and name in {"upsert", "delete"}:
                    raise ValueError("document refused")
                return attribute(*args, **kwargs)

            return guarded
        return attribute


@pytest.fixture
def index():
    return Switchable()


def ids(index, q=""):
    return [hit.id for hit in index.search(SearchQuery(q=q, per_page=50)).hits]


def publish(session, provider, staff, name: str, *, scenario: str = "energy_management"):
    """A product created, submitted and approved through the domain's own steps, committed."""
    product = products.create_product(
        session,
        provider=provider,
        actor=None,
        raw={
            "name": name,
            "scenarios": [scenario],
            "price_min_wan": 1,
            "price_max_wan": 2,
            "deployment": "saas",
            "delivery_days": 10,
        },
    )
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)
    session.commit()
    return product


def test_published_products_reach_the_index_and_leave_it_when_archived(session, make, index):
    provider = make.organisation("provider")
    staff = make.user("staff")
    product = publish(session, provider, staff, "智能仓储WMS", scenario="warehouse")
    assert drain(session, index).upserted == 1
    assert ids(index, "仓储") == [product.external_id]
    products.archive_product(session, provider=provider, product_id=product.id, actor=None)
    session.commit()
    assert drain(session, index).deleted == 1
    assert ids(index, "仓储") == []
    assert check(session, index).ok


def test_suspending_a_provider_takes_its_products_out_of_search(session, make, index):
    provider = make.organisation("provider")
    listed = [make.product(provider, name=f"视觉检测 {n}") for n in range(3)]
    rebuild(session, index)
    assert sorted(ids(index)) == sorted(p.external_id for p in listed)
    vetting.set_provider_state(
        session, provider_id=provider.id, state=OrgState.SUSPENDED, reason="违规", actor=make.user("staff")
    )
    session.commit()
    drain(session, index)
    assert ids(index) == [] and check(session, index).ok


def test_with_the_index_down_writes_commit_and_after_recovery_nothing_is_lost(session, make, index):
    provider = make.organisation("provider")
    staff = make.user("staff")
    index.down = True
    for n in range(200):
        publish(session, provider, staff, f"能耗监测 {n}")
    # A long outage: the relay keeps trying each time the rows are due, and their backoff grows to minutes.
    now = utcnow()
    for _attempt in range(9):
        failed = drain(session, index, now=now)
        assert failed.failed > 0 and failed.applied == 0
        now += timedelta(minutes=5)  # past every backoff
    pending = session.exec(select(SearchOutbox).where(col(SearchOutbox.done_at).is_(None))).all()
    assert len(pending) == 200 and min(row.next_attempt_at for row in pending) > now - timedelta(minutes=5)
    assert min(row.next_attempt_at for row in pending) >= now - timedelta(minutes=5) + timedelta(seconds=256)

    index.down = False
    report = drain(
        session, index, now=now - timedelta(minutes=5) + timedelta(seconds=1)
    )  # the next relay pass
    assert report.upserted == 200 and report.failed == 0
    assert check(session, index).ok
    assert len(index.fingerprints()) == 200


def test_rows_the_backend_refused_keep_their_backoff_when_it_is_healthy(session, make, index):
    provider, staff = make.organisation("provider"), make.user("staff")
    publish(session, provider, staff, "被拒收的文档")
    index.refuses = True
    now = utcnow()
    assert drain(session, index, now=now).failed == 1
    index.refuses = False
    # Healthy all along: only the row's own backoff brings it back, not a health check.
    assert drain(session, index, now=now + timedelta(seconds=1)).applied == 0
    assert drain(session, index, now=now + timedelta(seconds=3)).upserted == 1
    assert check(session, index).ok


def test_applying_the_same_change_twice_is_harmless(session, make, index):
    product = make.product(make.organisation("provider"))
    from catalog import outbox

    outbox.enqueue(session, product_ids=[product.id])
    outbox.enqueue(session, product_ids=[product.id])
    session.commit()
    assert drain(session, index).upserted == 1
    outbox.enqueue(session, product_ids=[product.id])
    session.commit()
    drain(session, index)
    assert ids(index) == [product.external_id] and check(session, index).ok


def test_check_names_missing_stale_and_extra_documents(session, make, index):
    provider = make.organisation("provider")
    first, second = make.product(provider, name="甲"), make.product(provider, name="乙")
    rebuild(session, index)
    first.name = "甲改"
    session.add(first)
    session.commit()
    index.delete([second.external_id])
    from search.sync import document_for

    stray = document_for(second, provider)
    index.upsert([type(stray)(**{**stray.__dict__, "id": "GHOST"})])
    report = check(session, index)
    assert (report.missing, report.stale, report.extra) == (
        [second.external_id],
        [first.external_id],
        ["GHOST"],
    )


def test_a_rolled_back_transaction_leaves_no_outbox_row(session, make):
    provider = make.organisation("provider")
    product = make.product(provider)
    products.archive_product(session, provider=provider, product_id=product.id, actor=None)
    session.rollback()
    assert session.exec(select(SearchOutbox)).all() == []
