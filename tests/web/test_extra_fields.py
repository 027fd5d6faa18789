"""Extra form fields (role, owner, organisation, verified, score...) change nothing.

Each form that writes a row gets its own fields plus every column an attacker would like to set, ids pointing at
another organisation; the database is read afterwards.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from catalog.engagements import request_engagement
from catalog.models import Diagnosis, Organisation, OrgState, Product, Review, User, utcnow
from catalog.uscc import make_code
from tests.conftest import Auth

# Every attacker-chosen column, each with several plausible values (a form field may be sent more than once).
EXTRAS = {
    "role": ["staff", "admin"],
    "kind": ["staff"],
    "owner": ["1"],
    "organisation_id": ["1"],
    "provider_id": ["1"],
    "enterprise_id": ["1"],
    "verified": ["1", "true"],
    "state": ["approved", "published", "accepted", "suspended"],
    "listed": ["1", "true"],
    "rating": ["0.1"],
    "score": ["0.1"],
    "is_active": ["0", "false"],
}


def _with_extras(data: dict, victim_id: int) -> list[tuple[str, str]]:
    """The form's own fields plus every extra field, ids pointing at the victim organisation."""
    pairs = [(k, v) for k, values in data.items() for v in (values if isinstance(values, list) else [values])]
    for name, values in EXTRAS.items():
        pairs += [(name, str(victim_id) if name.endswith(("_id", "owner")) else v) for v in values]
    return pairs


def _post(client, path: str, pairs: list[tuple[str, str]]):
    return client.post(path, data=MultiDict([*pairs, ("csrf_token", Auth(client).token("/"))]))


def _signed_in(app, user):
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


@pytest.fixture
def parties(app, make, session):
    """A victim organisation, a signed-in enterprise (an old account) and pending provider, a published product."""
    victim = make.organisation("enterprise", name="受害企业")
    enterprise = make.user("enterprise", industry="nonferrous")
    enterprise.created_at = utcnow() - timedelta(days=400)  # an old account: its review is not held as new
    provider = make.user("provider", state=OrgState.PENDING)
    product = make.product(make.organisation("provider"), scenarios=["energy_management"])
    session.commit()
    return {
        "victim": victim,
        "enterprise": enterprise,
        "firm": _signed_in(app, enterprise),
        "provider": provider,
        "seller": _signed_in(app, provider),
        "product": product,
    }


def _untouched(session, victim) -> None:
    session.expire_all()
    again = session.get(Organisation, victim.id)
    assert (again.name, again.kind, again.state) == ("受害企业", "enterprise", "approved")


def test_extra_fields_change_nothing_on_the_enterprise_profile(parties, session):
    me, victim = parties["enterprise"], parties["victim"]
    profile = {"name": "新名称", "industry": "bearings", "scale": "above", "srdi": "none", "county": "jianxi",
               "contact_person": "王", "phone": "13800000000"}  # fmt: skip
    assert _post(parties["firm"], "/workspace/profile", _with_extras(profile, victim.id)).status_code == 302
    _untouched(session, victim)
    org, user = session.get(Organisation, me.organisation_id), session.get(User, me.id)
    assert (org.name, org.kind, org.state, org.external_id) == ("新名称", "enterprise", "approved", None)
    assert (user.kind, user.is_active, user.organisation_id) == ("enterprise", True, org.id)


def test_extra_fields_change_nothing_on_the_diagnosis(parties, session):
    diagnosis = {"findings": "电费太高", "budget_wan": "20", "target_scenarios": "energy_management"}
    pairs = _with_extras(diagnosis, parties["victim"].id)
    assert _post(parties["firm"], "/workspace/diagnosis", pairs).status_code == 302
    saved = session.exec(select(Diagnosis)).one()
    assert (saved.enterprise_id, saved.filed_by_organisation_id, saved.updated_by_user_id) == (
        parties["enterprise"].organisation_id, None, parties["enterprise"].id)  # fmt: skip


def test_extra_fields_change_nothing_on_the_provider_profile(parties, session):
    profile = {"name": "服务商新名", "contact_person": "李", "phone": "13900000000"}
    pairs = _with_extras(profile, parties["victim"].id)
    assert _post(parties["seller"], "/provider/profile", pairs).status_code == 302
    _untouched(session, parties["victim"])
    org = session.get(Organisation, parties["provider"].organisation_id)
    assert (org.name, org.kind, org.state) == ("服务商新名", "provider", "pending")


def test_extra_fields_change_nothing_on_a_new_product(parties, session):
    listing = {"name": "视觉质检", "scenarios": "visual_inspection", "price_min_wan": "1", "price_max_wan": "2",
               "deployment": "saas", "delivery_days": "30"}  # fmt: skip
    pairs = _with_extras(listing, parties["victim"].id)
    assert _post(parties["seller"], "/provider/products/new", pairs).status_code == 302
    new = session.exec(select(Product).where(Product.name == "视觉质检")).one()
    assert (new.provider_id, new.state, new.listed, new.rating, new.review_count) == (
        parties["provider"].organisation_id, "draft", False, None, 0)  # fmt: skip


def test_extra_fields_change_nothing_on_a_review(parties, session):
    me, product = parties["enterprise"], parties["product"]
    engagement = request_engagement(session, enterprise=session.get(Organisation, me.organisation_id),
                                    product_ids=[product.id], message="", actor=me)  # fmt: skip
    engagement.state = "accepted"
    session.commit()
    scores = {"product_id": str(product.id), "effect": "5", "delivery": "5", "cost": "5", "service": "5",
              "recommend": "10", "text": "很好"}  # fmt: skip
    pairs = _with_extras(scores, parties["victim"].id)
    assert _post(parties["firm"], f"/engagements/{engagement.id}/reviews", pairs).status_code == 302
    session.expire_all()
    review = session.exec(select(Review)).one()
    assert (review.enterprise_id, review.provider_id, review.author_user_id) == (
        me.organisation_id, product.provider_id, me.id)  # fmt: skip
    assert review.hidden is False and review.held == any(not f["cleared"] for f in review.flags)
    assert session.get(Product, product.id).rating == 5.0  # all five criteria at 5, not the 0.1 sent


def test_extra_fields_change_nothing_on_registration(app, parties, session):
    registration = {"kind": "provider", "organisation_name": "新服务商", "uscc": make_code(4242),
                    "contact_person": "赵", "phone": "13700000000", "email": "new@example.cn",
                    "password": "correct-horse-battery", "confirm": "correct-horse-battery"}  # fmt: skip
    pairs = _with_extras(registration, parties["victim"].id)
    assert _post(app.test_client(), "/register", pairs).status_code == 302
    _untouched(session, parties["victim"])
    user = session.exec(select(User).where(User.email == "new@example.cn")).one()
    org = session.get(Organisation, user.organisation_id)
    assert (user.kind, user.is_active, org.kind, org.state, org.external_id) == (
        "provider", True, "provider", "pending", None)  # fmt: skip
