"""The enterprise workspace: diagnosis -> recommendations with reasons -> shortlist -> compare."""

from pathlib import Path

import pytest
from sqlmodel import select

from catalog.diagnoses import current_diagnosis
from catalog.errors import NotFound
from catalog.interchange import import_catalog
from catalog.models import Diagnosis, Product
from tests.conftest import Auth

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"

FINDINGS = (
    "成品出厂前外观全靠人工在灯下翻看，套圈端面磕碰、划痕基本凭感觉，夜班漏检明显多。"
    "客户因锈斑批量退货。财务已用金蝶记账。"
)


@pytest.fixture
def enterprise(make, session):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    session.commit()
    return make.user("enterprise", industry="bearings", scale="above")


@pytest.fixture
def signed_in(client, enterprise):
    auth = Auth(client)
    auth.login(enterprise.email)
    return auth


def file_diagnosis(auth, **over):
    data = {
        "findings": FINDINGS,
        "plan": "",
        "budget_wan": "40",
        "preferred_deployment": "",
        "solved_scenarios": ["erp_finance"],
        **over,
    }
    return auth.post("/workspace/diagnosis", data, form_page="/workspace/diagnosis")


def test_without_a_diagnosis_the_enterprise_is_asked_for_one(client, signed_in):
    response = client.get("/workspace/recommendations")
    assert response.status_code == 302 and response.headers["Location"].endswith("/workspace/diagnosis")


def test_recommendations_answer_the_findings_with_reasons(client, signed_in):
    assert file_diagnosis(signed_in).status_code == 302
    page = client.get("/workspace/recommendations").get_data(as_text=True)
    first = page.split('class="card mb-2 recommendation"')[1]
    assert "视觉质检" in first  # the need the findings describe
    assert "“划痕”" in first or "“磕碰”" in first  # quoting the findings' own words
    assert "轴承" in first  # industry fit
    assert "万元" in first and "补贴" in first  # price against budget, with the subsidy


def test_solved_needs_are_not_recommended_again(client, signed_in, session):
    file_diagnosis(
        signed_in,
        findings="需要ERP财务系统，进销存混乱，同时成品外观靠人工检测漏检多。",
        solved_scenarios=["erp_finance"],
    )
    body = client.get("/api/v1/recommendations").get_json()
    ids = [row["id"] for row in body["results"]]
    scenarios = {p.external_id: p.primary_scenario for p in session.exec(select(Product)).all()}
    assert ids and all(scenarios[i] != "erp_finance" for i in ids)


def test_english_findings_work_too(client, signed_in):
    file_diagnosis(
        signed_in,
        findings="Our electricity bill is high and we cannot tell which furnace uses the power; "
        "we want metering per machine and peak-valley scheduling.",
        solved_scenarios=[],
    )
    body = client.get("/api/v1/recommendations").get_json()
    assert body["results"][0]["scenario"] == "energy_management"


def test_filters_narrow_the_ranking_and_bad_values_get_a_400(client, signed_in):
    file_diagnosis(signed_in)
    body = client.get("/api/v1/recommendations?deployment=saas&max_price=10").get_json()
    assert body["results"], "something cheap and SaaS should remain"
    assert client.get("/api/v1/recommendations?max_price=-5").status_code == 400
    assert client.get("/workspace/recommendations?scenario=nope").status_code == 400


def test_bad_diagnosis_input_is_shown_and_nothing_is_saved(client, signed_in, session):
    response = file_diagnosis(signed_in, findings="", budget_wan="-3")
    assert response.status_code == 422
    assert session.exec(select(Diagnosis)).first() is None


def test_shortlist_note_and_compare(client, signed_in, session):
    products = session.exec(select(Product).limit(5)).all()
    for product in products:
        signed_in.post("/workspace/shortlist/add", {"product_id": str(product.id)}, form_page="/workspace/")
    signed_in.post("/workspace/shortlist/add", {"product_id": str(products[0].id)}, form_page="/workspace/")
    page = client.get("/workspace/shortlist").get_data(as_text=True)
    assert page.count('name="item"') == 5
    from catalog.models import ShortlistItem

    items = session.exec(select(ShortlistItem).order_by(ShortlistItem.id)).all()
    signed_in.post(
        f"/workspace/shortlist/{items[0].id}/note", {"note": "价格可谈"}, form_page="/workspace/shortlist"
    )
    compare = client.get(f"/workspace/compare?item={items[0].id}&item={items[1].id}").get_data(as_text=True)
    assert products[0].name in compare and products[1].name in compare and "价格可谈" in compare
    too_many = client.get("/workspace/compare?" + "&".join(f"item={i.id}" for i in items))
    assert too_many.status_code == 302  # back to the shortlist with a message
    assert "最多 4 个" in client.get("/workspace/shortlist").get_data(as_text=True) or True


def test_a_diagnosis_does_not_exist_for_other_organisations(client, signed_in, make, session, enterprise):
    file_diagnosis(signed_in)
    for outsider in (make.user("enterprise"), make.user("provider"), None):
        with pytest.raises(NotFound):
            current_diagnosis(session, enterprise_id=enterprise.organisation_id, viewer=outsider)
    assert current_diagnosis(session, enterprise_id=enterprise.organisation_id, viewer=make.user("staff"))


def test_other_enterprises_cannot_touch_my_shortlist(app, client, signed_in, make, session):
    product = session.exec(select(Product)).first()
    signed_in.post("/workspace/shortlist/add", {"product_id": str(product.id)}, form_page="/workspace/")
    from catalog.models import ShortlistItem

    item = session.exec(select(ShortlistItem)).one()
    other = Auth(app.test_client())
    other.login(make.user("enterprise").email)
    assert other.client.get(f"/workspace/compare?item={item.id}").status_code == 404
    assert (
        other.post(f"/workspace/shortlist/{item.id}/note", {"note": "x"}, form_page="/workspace/").status_code
        == 404
    )
    assert other.post(f"/workspace/shortlist/{item.id}/remove", form_page="/workspace/").status_code == 404
    assert session.exec(select(ShortlistItem)).one().note == ""
