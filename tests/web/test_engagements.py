"""Engagement files: request -> accept -> report and contract -> milestones -> acceptance -> verified reviews."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from catalog.models import Engagement, Review, utcnow
from tests.conftest import Auth


@pytest.fixture
def parties(app, make):
    provider_org = make.organisation("provider", name="洛阳智能装备")
    product = make.product(provider_org, name="能耗监测平台", scenarios=["energy_management"])
    enterprise = make.user("enterprise", industry="nonferrous", county="jianxi", batch=1)
    enterprise.created_at = utcnow() - timedelta(days=200)  # a long-standing account: no "new account" flag
    make.session.add(enterprise)
    make.session.commit()
    provider = make.user("provider", organisation=provider_org)
    clients = {
        "enterprise": Auth(app.test_client()),
        "provider": Auth(app.test_client()),
        "staff": Auth(app.test_client()),
        "stranger": Auth(app.test_client()),
    }
    clients["enterprise"].login(enterprise.email)
    clients["provider"].login(provider.email)
    clients["staff"].login(make.user("staff").email)
    clients["stranger"].login(make.user("provider").email)
    return clients, product


def start(clients, product, session):
    clients["enterprise"].post("/engagements/request", {"product_id": str(product.id), "message": "请来诊断"})
    engagement = session.exec(select(Engagement)).one()
    return engagement


def accept_and_finish(clients, engagement, session, *, level_after="3", spend="80"):
    base = f"/engagements/{engagement.id}"
    clients["provider"].post(f"{base}/respond", {"decision": "accept"}, form_page=base)
    clients["provider"].post(
        f"{base}/file",
        {
            "diagnosis_report": "电耗高",
            "plan": "分项计量",
            "contract_wan": "100",
            "eligible_software_wan": "60",
            "eligible_cloud_wan": "20",
            "eligible_equipment_wan": "10",
        },
        form_page=base,
    )
    clients["provider"].post(
        f"{base}/milestones", {"title": "电表安装", "due_on": "2026-12-01"}, form_page=base
    )
    clients["enterprise"].post(
        f"{base}/acceptance",
        {
            "level_before": "1",
            "level_after": level_after,
            "eligible_spend_wan": spend,
            "documents": "发票\n投资清单",
        },
        form_page=base,
    )
    session.refresh(engagement)
    return engagement


def test_the_whole_file_from_request_to_acceptance_with_the_subsidy_shown(parties, session):
    clients, product = parties
    engagement = start(clients, product, session)
    assert engagement.state == "requested"
    engagement = accept_and_finish(clients, engagement, session)
    assert (engagement.state, engagement.contract_wan, engagement.level_after) == ("accepted", 100, 3)
    page = clients["enterprise"].client.get(f"/engagements/{engagement.id}").get_data(as_text=True)
    assert (
        'id="subsidy"' in page and "40" in page.split('id="subsidy"')[1][:400]
    )  # 50% of 80 万元, under the cap
    assert "电表安装" in page and "发票" in page


def test_the_file_does_not_exist_for_outsiders(parties, session):
    clients, product = parties
    engagement = start(clients, product, session)
    base = f"/engagements/{engagement.id}"
    assert clients["stranger"].client.get(base).status_code == 404
    assert (
        clients["stranger"].post(f"{base}/respond", {"decision": "accept"}, form_page="/").status_code == 404
    )
    assert clients["staff"].client.get(base).status_code == 200
    session.refresh(engagement)
    assert engagement.state == "requested"


def test_the_provider_reads_the_diagnosis_only_once_engaged(parties, session):
    clients, product = parties
    clients["enterprise"].post(
        "/workspace/diagnosis",
        {"findings": "电费高，想分项计量", "budget_wan": "50"},
        form_page="/workspace/diagnosis",
    )
    engagement = start(clients, product, session)
    base = f"/engagements/{engagement.id}"
    assert "电费高，想分项计量" not in clients["provider"].client.get(base).get_data(as_text=True)
    clients["provider"].post(f"{base}/respond", {"decision": "accept"}, form_page=base)
    assert "电费高，想分项计量" in clients["provider"].client.get(base).get_data(as_text=True)


def test_declining_needs_a_reason(parties, session):
    clients, product = parties
    engagement = start(clients, product, session)
    base = f"/engagements/{engagement.id}"
    clients["provider"].post(f"{base}/respond", {"decision": "decline"}, form_page=base)
    session.refresh(engagement)
    assert engagement.state == "requested"
    clients["provider"].post(f"{base}/respond", {"decision": "decline", "reason": "排期已满"}, form_page=base)
    session.refresh(engagement)
    assert (engagement.state, engagement.decline_reason) == ("declined", "排期已满")


def test_reviews_only_after_acceptance_once_and_the_provider_only_replies(parties, session):
    clients, product = parties
    engagement = start(clients, product, session)
    base = f"/engagements/{engagement.id}"
    scores = {
        "product_id": str(product.id),
        "effect": "5",
        "delivery": "4",
        "cost": "4",
        "service": "5",
        "recommend": "9",
        "text": "电耗降了 8%",
    }
    clients["provider"].post(f"{base}/respond", {"decision": "accept"}, form_page=base)
    early = clients["enterprise"].post(f"{base}/reviews", scores, form_page=base, follow_redirects=True)
    assert "验收通过后才能评价" in early.get_data(as_text=True)
    accept_and_finish(clients, engagement, session)
    assert clients["enterprise"].post(f"{base}/reviews", scores, form_page=base).status_code == 302
    assert clients["enterprise"].post(f"{base}/reviews", scores, form_page=base).status_code == 409
    assert clients["provider"].post(f"{base}/reviews", scores, form_page=base).status_code == 404
    review = session.exec(select(Review)).one()
    clients["provider"].post(f"/engagements/reviews/{review.id}/reply", {"reply": "感谢认可"}, form_page="/")
    page = clients["stranger"].client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "电耗降了 8%" in page and "感谢认可" in page and 'id="rating-mean">4.5' in page


def test_two_simultaneous_reviews_one_wins_one_conflicts(parties, session, app):
    clients, product = parties
    engagement = accept_and_finish(clients, start(clients, product, session), session)
    base = f"/engagements/{engagement.id}"
    scores = {
        "product_id": str(product.id),
        "effect": "5",
        "delivery": "5",
        "cost": "5",
        "service": "5",
        "recommend": "10",
        "csrf_token": clients["enterprise"].token(base),
    }
    statuses, barrier = [], threading.Barrier(2)

    def post():
        barrier.wait()
        statuses.append(clients["enterprise"].client.post(f"{base}/reviews", data=scores).status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409]
    assert len(session.exec(select(Review)).all()) == 1


def test_staff_hide_with_a_reason_and_export_the_files(parties, session):
    clients, product = parties
    engagement = accept_and_finish(clients, start(clients, product, session), session)
    base = f"/engagements/{engagement.id}"
    clients["enterprise"].post(
        f"{base}/reviews",
        {
            "product_id": str(product.id),
            "effect": "1",
            "delivery": "1",
            "cost": "1",
            "service": "1",
            "recommend": "0",
            "text": "广告内容",
        },
        form_page=base,
    )
    review = session.exec(select(Review)).one()
    clients["staff"].post(
        f"/staff/reviews/{review.id}/moderate", {"action": "hide"}, form_page="/staff/reviews"
    )
    session.refresh(review)
    assert not review.hidden
    clients["staff"].post(
        f"/staff/reviews/{review.id}/moderate",
        {"action": "hide", "reason": "广告"},
        form_page="/staff/reviews",
    )
    session.refresh(review)
    assert review.hidden and review.hidden_reason == "广告"
    assert "广告内容" not in clients["stranger"].client.get(f"/products/{product.id}").get_data(as_text=True)
    csv = clients["staff"].client.get("/staff/engagements?industry=nonferrous&format=csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).count("\n") == 2
    xlsx = clients["staff"].client.get("/staff/engagements?format=xlsx")
    assert xlsx.data[:2] == b"PK"
    assert clients["enterprise"].client.get("/staff/engagements?format=csv").status_code == 404


def test_a_review_from_a_brand_new_account_is_held_and_says_why(parties, session, make):
    clients, product = parties
    engagement = accept_and_finish(clients, start(clients, product, session), session)
    from catalog.models import User

    author = session.exec(select(User).where(User.kind == "enterprise")).first()
    author.created_at = utcnow()
    session.add(author)
    session.commit()
    base = f"/engagements/{engagement.id}"
    clients["enterprise"].post(
        f"{base}/reviews",
        {
            "product_id": str(product.id),
            "effect": "5",
            "delivery": "5",
            "cost": "5",
            "service": "5",
            "recommend": "10",
        },
        form_page=base,
    )
    review = session.exec(select(Review)).one()
    assert review.held and review.flags[0]["code"] == "new_account"
    page = clients["stranger"].client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "核实中，暂不计分" in page and "暂无评价" in page  # shown, not counted
    queue = clients["staff"].client.get("/staff/reviews").get_data(as_text=True)
    assert review.flags[0]["zh"] in queue
    clients["staff"].post(
        f"/staff/reviews/{review.id}/moderate",
        {"action": "clear", "reason": "电话核实"},
        form_page="/staff/reviews",
    )
    session.refresh(review)
    assert not review.held


def test_a_counted_review_reaches_the_catalogue_sort_and_the_search_index(parties, session, make, app):
    clients, product = parties
    other = make.product(make.organisation("provider"), name="另一能耗平台", scenarios=["energy_management"])
    engagement = accept_and_finish(clients, start(clients, product, session), session)
    base = f"/engagements/{engagement.id}"
    clients["enterprise"].post(
        f"{base}/reviews",
        {
            "product_id": str(product.id),
            "effect": "4",
            "delivery": "4",
            "cost": "5",
            "service": "5",
            "recommend": "9",
        },
        form_page=base,
    )
    session.refresh(product)
    assert (product.rating, product.review_count) == (4.5, 1)
    listing = clients["stranger"].client.get("/products?sort=rating").get_data(as_text=True)
    assert listing.index(f"/products/{product.id}") < listing.index(f"/products/{other.id}")
    from marketplace import search_service

    search_service.sync_once(app)
    body = clients["stranger"].client.get("/api/v1/search?q=能耗&sort=rating").get_json()
    assert body["results"][0]["id"] == product.external_id


def test_the_engaged_provider_files_the_diagnosis_and_nobody_else_can(parties, session):
    clients, product = parties
    engagement = start(clients, product, session)
    base = f"/engagements/{engagement.id}"
    data = {"findings": "熔炼炉电耗高，需分项计量", "budget_wan": "30"}
    clients["provider"].post(f"{base}/diagnosis", data, form_page=base, follow_redirects=True)
    from catalog.models import Diagnosis

    assert session.exec(select(Diagnosis)).first() is None  # not engaged yet: refused
    clients["provider"].post(f"{base}/respond", {"decision": "accept"}, form_page=base)
    clients["provider"].post(f"{base}/diagnosis", data, form_page=base)
    diagnosis = session.exec(select(Diagnosis)).one()
    assert diagnosis.findings == "熔炼炉电耗高，需分项计量" and diagnosis.filed_by_organisation_id is not None
    assert clients["stranger"].post(f"{base}/diagnosis", data, form_page="/").status_code == 404
    page = clients["enterprise"].client.get("/workspace/diagnosis").get_data(as_text=True)
    assert "熔炼炉电耗高" in page
