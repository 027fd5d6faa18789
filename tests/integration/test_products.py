import pytest
from sqlmodel import select

from catalog import products, vetting
from catalog.audit import verify_chain
from catalog.errors import Conflict, Invalid, NotFound
from catalog.models import AuditEvent, OrgState, ProductState, SearchOutbox

RAW = {
    "name": "能耗在线监测",
    "summary": "分项计量",
    "scenarios": ["energy_management", "data_collection"],
    "industries": ["nonferrous"],
    "price_min_wan": 3,
    "price_max_wan": 9,
    "deployment": "saas",
    "delivery_days": 20,
}


@pytest.fixture
def staff(make):
    return make.user("staff")


def test_lifecycle_draft_submit_publish(session, make, staff):
    provider = make.organisation("provider")
    product = products.create_product(session, provider=provider, raw=RAW, actor=None)
    assert product.state == ProductState.DRAFT
    assert not products.is_public(session, product)
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)
    session.commit()
    assert product.state == ProductState.PUBLISHED and products.is_public(session, product)
    assert session.exec(select(SearchOutbox).where(SearchOutbox.product_id == product.id)).first() is not None


def test_rejection_needs_a_reason_and_the_provider_can_resubmit(session, make, staff):
    provider = make.organisation("provider")
    product = products.create_product(session, provider=provider, raw=RAW, actor=None)
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    with pytest.raises(Invalid):
        products.review_product(session, product_id=product.id, approve=False, reason="  ", actor=staff)
    products.review_product(session, product_id=product.id, approve=False, reason="价格说明不清", actor=staff)
    assert product.state == ProductState.REJECTED and product.reject_reason == "价格说明不清"
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    assert product.state == ProductState.SUBMITTED and product.reject_reason == ""


def test_a_pending_provider_cannot_be_published(session, make, staff):
    provider = make.organisation("provider", state=OrgState.PENDING)
    product = products.create_product(session, provider=provider, raw=RAW, actor=None)
    products.submit_product(session, provider=provider, product_id=product.id, actor=None)
    with pytest.raises(Conflict):
        products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)


def test_only_submitted_products_are_reviewed(session, make, staff):
    product = make.product(state="draft")
    with pytest.raises(Conflict):
        products.review_product(session, product_id=product.id, approve=True, reason="", actor=staff)


def test_providers_touch_only_their_own_products(session, make):
    mine, theirs = make.organisation("provider"), make.organisation("provider")
    product = make.product(theirs, state="draft")
    for action in (products.submit_product, products.archive_product):
        with pytest.raises(NotFound):
            action(session, provider=mine, product_id=product.id, actor=None)
    with pytest.raises(NotFound):
        products.update_product(session, provider=mine, product_id=product.id, raw=RAW, actor=None)


def test_editing_a_published_product_takes_it_back_to_draft(session, make):
    provider = make.organisation("provider")
    product = make.product(provider)
    products.update_product(
        session, provider=provider, product_id=product.id, raw={**RAW, "name": "新名称"}, actor=None
    )
    assert product.state == ProductState.DRAFT and product.name == "新名称"
    assert product.scenarios == ["energy_management", "data_collection"]


def test_drafts_are_visible_to_their_provider_and_staff_only(session, make, staff):
    provider = make.organisation("provider")
    product = make.product(provider, state="draft")
    owner = make.user("provider", organisation=provider)
    stranger = make.user("provider")
    assert products.visible_product(session, product_id=product.id, viewer=owner) == product
    assert products.visible_product(session, product_id=product.id, viewer=staff) == product
    for viewer in (stranger, None):
        with pytest.raises(NotFound):
            products.visible_product(session, product_id=product.id, viewer=viewer)


def test_suspending_a_provider_hides_its_products_logs_out_and_is_audited(session, make, staff):
    provider = make.organisation("provider")
    product = make.product(provider)
    user = make.user("provider", organisation=provider)
    old_token = user.session_token
    with pytest.raises(Invalid):
        vetting.set_provider_state(
            session, provider_id=provider.id, state=OrgState.SUSPENDED, reason="", actor=staff
        )
    vetting.set_provider_state(
        session, provider_id=provider.id, state=OrgState.SUSPENDED, reason="虚假宣传", actor=staff
    )
    session.commit()
    assert not products.is_public(session, product)
    assert session.get(type(user), user.id).session_token != old_token
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "provider.suspended")).one()
    assert event.detail["reason"] == "虚假宣传" and event.actor_user_id == staff.id
    assert verify_chain(session).ok
