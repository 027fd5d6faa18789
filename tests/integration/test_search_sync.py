"""The outbox relay keeps the search index equal to the database, through outages."""

from datetime import timedelta

import pytest
from sqlmodel import col, select

from catalog import products, vetting
from catalog.models import OrgState, SearchOutbox, utcnow
from search.backend import SearchQuery, SearchUnavailable
from search.embedded import EmbeddedSearch
from search.sync import check, drain, rebuild, relay


class Switchable:
    """A real embedded index that can be switched off, like a search server going down."""

    def __init__(self):
        self.inner = EmbeddedSearch(":memory:")
        self.inner.ensure_index()
        self.name = "switchable"
        self.down = False

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if callable(attribute) and name in {"upsert", "delete", "rebuild", "search", "fingerprints"}:

            def guarded(*args, **kwargs):
                if self.down:
                    raise SearchUnavailable("switched off")
                return attribute(*args, **kwargs)

            return guarded
        return attribute


@pytest.fixture
def index():
    return Switchable()


def ids(index, q=""):
    return [hit.id for hit in index.search(SearchQuery(q=q, per_page=50)).hits]


def test_published_products_reach_the_index_and_leave_it_when_archived(session, make, index):
    provider = make.organisation("provider")
    staff = make.user("staff")
    product = products.create_product(
        session,
        provider=provider,
        actor=None,
        raw={
            "name": "智能仓储WMS",
            "scenarios": ["warehouse"],
            "price_min_wan": 3,
            "price_max_wan": 6,
            "deployment": "saas",
            "delivery_days": 15,
        },
    )
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)
    session.commit()
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
    made = []
    for n in range(200):
        product = products.create_product(
            session,
            provider=provider,
            actor=None,
            raw={
                "name": f"能耗监测 {n}",
                "scenarios": ["energy_management"],
                "price_min_wan": 1,
                "price_max_wan": 2,
                "deployment": "saas",
                "delivery_days": 10,
            },
        )
        products.submit_product(session, provider=provider, product_id=product.id, actor=None)
        products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)
        session.commit()
        made.append(product)
    failed = relay(session, index)
    session.commit()
    assert failed.failed > 0 and failed.applied == 0
    pending = session.exec(select(SearchOutbox).where(col(SearchOutbox.done_at).is_(None))).all()
    assert len(pending) == 200

    index.down = False
    later = utcnow() + timedelta(minutes=10)  # past every backoff
    report = drain(session, index, now=later)
    assert report.upserted == 200 and report.failed == 0
    assert check(session, index).ok
    assert len(index.fingerprints()) == 200


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
