"""The recommendations page is kept per enterprise between requests: whatever changes shows on the next load, no
enterprise ever gets another's page, and every visitor gets their own CSRF token in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import select

from catalog import outbox
from catalog.interchange import import_catalog
from catalog.models import Organisation, Product, User, utcnow
from catalog.products import archive_product
from tests.conftest import PASSWORD, Auth, csrf_from

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"
PAGE = "/workspace/recommendations"
SAVED = "已在备选清单"
FINDINGS = "成品出厂前外观全靠人工在灯下翻看，划痕、磕碰凭感觉，夜班漏检明显多。"
ENERGY = "电费很高，不知道哪台炉子最耗电，想按设备计量用电并做峰谷调度。"


@pytest.fixture
def catalogue(session, app):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    session.commit()
    app.config["MATCHER_SYNC_REBUILD"] = True  # a changed catalogue is ranked in the request, not in a thread


def enterprise_user(make, **org) -> User:
    return make.user("enterprise", industry="bearings", scale="above", **org)


def signed_in_as(app, user: User, findings: str = FINDINGS) -> Auth:
    auth = Auth(app.test_client())
    auth.login(user.email, PASSWORD)
    data = {"findings": findings, "plan": "", "budget_wan": "40", "preferred_deployment": ""}
    assert auth.post("/workspace/diagnosis", data, form_page="/workspace/diagnosis").status_code == 302
    return auth


def products_on(html: str) -> list[str]:
    """The external ids of the recommended products, in order."""
    return re.findall(r'class="card mb-2 recommendation" data-product="([^"]+)"', html)


def card(html: str, external_id: str) -> str:
    return html.split(f'data-product="{external_id}"')[1].split("</li>")[0]


def page(auth: Auth, path: str = PAGE) -> str:
    response = auth.client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save(auth: Auth, html: str, external_id: str, session) -> int:
    """Save a product with the token of the recommendations page itself (as the page's button does)."""
    product = session.exec(select(Product).where(Product.external_id == external_id)).one()
    response = auth.client.post(
        "/workspace/shortlist/add",
        data={"product_id": str(product.id), "next": PAGE, "csrf_token": csrf_from(html)},
    )
    return response.status_code


def test_a_new_diagnosis_shows_on_the_next_load(app, catalogue, make):
    auth = signed_in_as(app, enterprise_user(make))
    before = products_on(page(auth))
    assert before == products_on(page(auth))  # served again, unchanged
    data = {"findings": ENERGY, "plan": "", "budget_wan": "40", "preferred_deployment": ""}
    auth.post("/workspace/diagnosis", data, form_page="/workspace/diagnosis")
    after = products_on(page(auth))
    ranked = [row["id"] for row in auth.client.get("/api/v1/recommendations").get_json()["results"]]
    assert after != before and after == ranked


def test_a_saved_product_is_marked_on_the_next_load(app, catalogue, make, session):
    auth = signed_in_as(app, enterprise_user(make))
    html = page(auth)
    first = products_on(html)[0]
    assert SAVED not in card(html, first)
    assert save(auth, html, first, session) == 302  # the kept page carries this visitor's valid token
    assert SAVED in card(page(auth), first)


def test_a_product_that_leaves_the_catalogue_leaves_the_page_on_the_next_load(app, catalogue, make, session):
    auth = signed_in_as(app, enterprise_user(make))
    first = products_on(page(auth))[0]
    product = session.exec(select(Product).where(Product.external_id == first)).one()
    provider = session.get(Organisation, product.provider_id)
    archive_product(session, provider=provider, product_id=product.id, actor=None)
    session.commit()
    assert first not in products_on(page(auth))


def test_a_renamed_provider_shows_on_the_next_load(app, catalogue, make, session):
    auth = signed_in_as(app, enterprise_user(make))
    first = products_on(page(auth))[0]
    product = session.exec(select(Product).where(Product.external_id == first)).one()
    provider = session.get(Organisation, product.provider_id)
    provider.name, provider.updated_at = "改名后的服务商有限公司", utcnow()
    session.add(provider)
    session.commit()
    assert "改名后的服务商有限公司" in card(page(auth), first)


def test_another_enterprise_with_the_same_needs_never_gets_this_ones_page(app, catalogue, make, session):
    mine = signed_in_as(app, enterprise_user(make))
    html = page(mine)
    first = products_on(html)[0]
    assert save(mine, html, first, session) == 302
    assert SAVED in card(page(mine), first)

    theirs = signed_in_as(app, enterprise_user(make))
    their_html = page(theirs)
    assert products_on(their_html) == products_on(html)  # the same ranking...
    assert SAVED not in card(their_html, first)  # ...but not my shortlist
    assert csrf_from(their_html) != csrf_from(html)
    assert save(theirs, their_html, first, session) == 302


def test_two_people_of_one_enterprise_each_get_their_own_token(app, catalogue, make, session):
    first_user = enterprise_user(make)
    organisation = session.get(Organisation, first_user.organisation_id)
    colleague = make.user("enterprise", organisation=organisation)
    mine = signed_in_as(app, first_user)
    theirs = Auth(app.test_client())
    theirs.login(colleague.email, PASSWORD)
    my_html, their_html = page(mine), page(theirs)
    assert products_on(my_html) == products_on(their_html)
    assert csrf_from(my_html) != csrf_from(their_html)
    # Every token on a page (the layout's forms and the kept body's) is the visitor's own, and it works.
    assert len(set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', their_html))) == 1
    assert save(theirs, their_html, products_on(their_html)[1], session) == 302


def test_a_page_served_again_reads_the_database_twice(app, catalogue, make):
    auth = signed_in_as(app, enterprise_user(make))
    page(auth)
    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page(auth)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # who is signed in (with their organisation); the diagnosis, shortlist and catalogue stamp
    assert len(statements) == 2, statements


def test_a_new_rating_shows_on_the_next_load_without_learning_the_catalogue_again(app, catalogue, make, session):
    auth = signed_in_as(app, enterprise_user(make))
    first = products_on(page(auth))[0]
    learnt = app.extensions["matcher"].matcher.classifier
    product = session.exec(select(Product).where(Product.external_id == first)).one()
    product.rating, product.review_count = 4.6, 5
    outbox.enqueue(session, product_ids=[product.id])  # what counting a review does
    session.commit()
    shown = page(auth).split(f'data-product="{first}"')[1].split("data-product=")[0]
    assert "用户评分4.6分（5条评价）" in shown
    assert app.extensions["matcher"].matcher.classifier is learnt  # patched in the request, not rebuilt
