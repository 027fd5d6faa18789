"""What the fuzzers found, one plain test each: every case below was a 500 before it was fixed."""

from __future__ import annotations

import pytest
from sqlmodel import select

from catalog.engagements import request_engagement, respond
from catalog.models import Engagement, Organisation, utcnow
from marketplace.forms_common import whole_number
from tests.conftest import PASSWORD, Auth

# "¹" and "²3" pass str.isdigit() and fail int(); 5,000 digits are beyond what int() converts; 20 digits are beyond
# any integer column (SQLite cannot even bind them).
NOT_NUMBERS = ("¹", "²3", "9" * 5000, "99999999999999999999")


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_page_numbers_that_are_not_plain_digits_are_refused_or_ignored(app, make, raw):
    client = app.test_client()
    assert client.get("/products", query_string={"page": raw}).status_code == 200  # back to page 1
    api = client.get("/api/v1/products", query_string={"page": raw})
    assert api.status_code == 400 and " / " in api.get_json()["error"]["message"]
    search = client.get("/api/v1/search", query_string={"page": raw})
    assert search.status_code == 400 and "page" in search.get_json()["error"]["fields"]
    assert client.get("/search", query_string={"page": raw}).status_code == 400
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    assert staff.client.get("/staff/audit", query_string={"page": raw}).status_code == 200
    assert staff.client.get("/staff/engagements", query_string={"provider": raw}).status_code == 200


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_ids_in_forms_that_are_not_plain_digits_answer_400(app, make, raw):
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise").email)
    assert firm.post("/workspace/shortlist/add", {"product_id": raw}).status_code == 400
    assert firm.post("/engagements/request", {"product_id": raw}).status_code == 400
    assert firm.client.get("/workspace/compare", query_string={"item": raw}).status_code == 400


@pytest.fixture
def active(app, make, session):
    """An active engagement with its enterprise and provider signed in."""
    provider = make.organisation("provider")
    product = make.product(provider)
    seller, buyer = make.user("provider", organisation=provider), make.user("enterprise")
    engagement = request_engagement(
        session,
        enterprise=session.get(Organisation, buyer.organisation_id),
        product_ids=[product.id],
        message="",
        actor=buyer,
    )
    respond(session, engagement=engagement, accept=True, reason="", actor=seller)
    session.commit()
    clients = {"provider": Auth(app.test_client()), "enterprise": Auth(app.test_client())}
    clients["provider"].login(seller.email)
    clients["enterprise"].login(buyer.email)
    return engagement, product, clients


def test_a_milestone_progress_in_unicode_digits_is_refused_with_a_message(active):
    engagement, _product, clients = active
    base = f"/engagements/{engagement.id}"
    clients["provider"].post(f"{base}/milestones", {"title": "电表安装"}, form_page=base)
    milestone = clients["provider"].client.get(base).get_data(as_text=True).split(f"{base}/milestones/")[1]
    milestone_id = milestone.split('"')[0]
    response = clients["provider"].post(
        f"{base}/milestones/{milestone_id}", {"progress": "¹"}, form_page=base
    )
    assert response.status_code == 302
    assert "进度应为 0 至 100" in clients["provider"].client.get(base).get_data(as_text=True)


def test_a_review_of_a_product_id_in_unicode_digits_answers_400(active, session):
    engagement, _product, clients = active
    engagement.state = "accepted"
    session.add(engagement)
    session.commit()
    response = clients["enterprise"].post(f"/engagements/{engagement.id}/reviews", {"product_id": "²3"})
    assert response.status_code == 400


@pytest.mark.parametrize("typed", ["garbage", "2001-01-01"])
def test_acceptance_ignores_a_date_typed_into_the_form(active, session, typed):
    engagement, _product, clients = active
    data = {"level_before": "1", "level_after": "3", "eligible_spend_wan": "10", "accepted_on": typed}
    assert clients["enterprise"].post(f"/engagements/{engagement.id}/acceptance", data).status_code == 302
    session.expire_all()
    stored = session.get(Engagement, engagement.id)
    assert (stored.state, stored.accepted_on) == ("accepted", utcnow().date())


def test_an_award_decision_with_unicode_digits_is_refused_with_a_message(app, make, session):
    from catalog.models import AwardDecision

    product = make.product()
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    decision = {"kind": "product", "shortlisted": "1", "reason": "成效突出"}
    response = staff.post("/staff/awards/decide", {**decision, "candidate_id": "¹"})
    assert response.status_code == 302
    assert "无效的候选" in staff.client.get("/staff/awards").get_data(as_text=True)
    response = staff.post(
        "/staff/awards/decide", {**decision, "candidate_id": str(product.id), "score": "²3"}
    )
    assert response.status_code == 302
    assert session.exec(select(AwardDecision)).one().score == 0.0


def test_whole_number_takes_plain_digits_within_bounds_only():
    assert [whole_number(v) for v in ("1", "42", "2147483647")] == [1, 42, 2_147_483_647]
    assert [whole_number(v) for v in ("", None, "0", "-1", "1.0", " 1", "１", *NOT_NUMBERS)] == [None] * 11
    assert whole_number("0", low=0, high=100) == 0 and whole_number("101", low=0, high=100) is None


def test_input_with_a_nul_character_is_refused_with_400_everywhere(app, make, session):
    """PostgreSQL cannot store or compare a NUL: the product id, the login e-mail and a staff search were 500s."""
    from catalog.models import Diagnosis

    client = app.test_client()
    api = client.get("/api/v1/products/T0%00")
    assert api.status_code == 400 and "NUL" in api.get_json()["error"]["detail"]
    assert client.get("/search", query_string={"q": "能耗\x00"}).status_code == 400
    visitor = Auth(app.test_client())
    refused = visitor.client.post(
        "/login", data={"email": "a\x00@example.cn", "password": "x" * 12, "csrf_token": visitor.token()}
    )
    assert refused.status_code == 400 and "NUL" in refused.get_data(as_text=True)
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    assert staff.client.get("/staff/providers", query_string={"q": "a\x00"}).status_code == 400
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise").email)
    response = firm.post("/workspace/diagnosis", {"findings": "电费\x00高"}, form_page="/workspace/diagnosis")
    assert response.status_code == 400 and session.exec(select(Diagnosis)).first() is None


def test_a_redirect_target_with_a_line_break_is_ignored(app, make):
    """A Location header with a line break was a 500 (and a header injection)."""
    client = app.test_client()
    token = Auth(client).token("/")
    response = client.post(
        "/lang", data={"lang": "en", "next": "/products?\r\nSet-Cookie: x=1", "csrf_token": token}
    )
    assert response.status_code == 302 and response.location == "/"
    user = make.user("enterprise")
    visitor = Auth(app.test_client())
    data = {"email": user.email, "password": PASSWORD, "csrf_token": visitor.token()}
    response = visitor.client.post("/login?next=/products%0d%0aSet-Cookie:%20x=1", data=data)
    assert response.status_code == 302 and response.location == "/workspace/"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_award_export_of_an_unknown_kind_answers_400(app, make, fmt):
    """The kind named the file and the worksheet: "a/b" or "a]b" is no sheet title, and the export was a 500."""
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    for kind in ("provider", "product"):
        assert (
            staff.client.get("/staff/awards", query_string={"format": fmt, "kind": kind}).status_code == 200
        )
    for kind in ("a/b", "a]b", "bogus"):
        assert (
            staff.client.get("/staff/awards", query_string={"format": fmt, "kind": kind}).status_code == 400
        )
