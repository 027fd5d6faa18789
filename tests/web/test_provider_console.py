from sqlmodel import select

from catalog.models import Product
from tests.conftest import Auth

PRODUCT = {
    "name": "铜杆熔炼能耗监测",
    "summary": "熔炼炉分项计量与峰谷调度",
    "description": "说明",
    "scenarios": ["energy_management", "data_collection"],
    "industries": ["nonferrous"],
    "price_min_wan": "6",
    "price_max_wan": "18",
    "deployment": "hybrid",
    "delivery_days": "25",
}


def signed_in_provider(auth: Auth, make, **org):
    user = make.user("provider", **org)
    auth.login(user.email)
    return user


def test_a_provider_drafts_and_submits_a_product(client, auth, make, session):
    signed_in_provider(auth, make)
    response = auth.post("/provider/products/new", PRODUCT, form_page="/provider/products/new")
    assert response.status_code == 302
    product = session.exec(select(Product)).one()
    assert (product.state, product.scenarios, product.industries) == (
        "draft",
        ["energy_management", "data_collection"],
        ["nonferrous"],
    )
    assert "草稿" in client.get("/provider/").get_data(as_text=True)
    assert auth.post(f"/provider/products/{product.id}/submit", form_page="/provider/").status_code == 302
    session.refresh(product)
    assert product.state == "submitted"
    # the public does not see it yet
    assert Auth(client.application.test_client()).client.get(f"/products/{product.id}").status_code == 404


def test_form_errors_are_shown_next_to_the_fields_and_nothing_is_saved(client, auth, make, session):
    signed_in_provider(auth, make)
    bad = {**PRODUCT, "price_min_wan": "30", "price_max_wan": "3", "summary": "长" * 61, "scenarios": []}
    response = auth.post("/provider/products/new", bad, form_page="/provider/products/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "最高价不能低于最低价" in page or "price" in page
    assert 'value="铜杆熔炼能耗监测"' in page  # what was typed is kept
    assert session.exec(select(Product)).first() is None


def test_another_providers_product_does_not_exist_for_me(client, auth, make):
    other = make.product(make.organisation("provider"), state="draft")
    signed_in_provider(auth, make)
    assert client.get(f"/provider/products/{other.id}/edit").status_code == 404
    assert auth.post(f"/provider/products/{other.id}/submit", form_page="/provider/").status_code == 404
    assert auth.post(f"/provider/products/{other.id}/archive", form_page="/provider/").status_code == 404
    assert client.get(f"/products/{other.id}").status_code == 404


def test_extra_form_fields_do_not_change_state_or_owner(client, auth, make, session):
    user = signed_in_provider(auth, make)
    victim = make.organisation("provider")
    data = {**PRODUCT, "state": "published", "provider_id": str(victim.id), "external_id": "HACK"}
    auth.post("/provider/products/new", data, form_page="/provider/products/new")
    product = session.exec(select(Product)).one()
    assert (
        product.state == "draft"
        and product.provider_id == user.organisation_id
        and product.external_id != "HACK"
    )


def test_profile_editing(client, auth, make, session):
    user = signed_in_provider(auth, make)
    data = {
        "name": "新名称科技",
        "introduction": "专注铜铝行业",
        "city": "洛阳",
        "service_counties": ["jianxi", "yanshi"],
        "industries_served": ["nonferrous"],
        "contact_person": "赵",
        "phone": "13800000000",
        "email": "",
        "state": "approved",
    }
    assert auth.post("/provider/profile", data, form_page="/provider/profile").status_code == 302
    from catalog.models import Organisation

    org = session.get(Organisation, user.organisation_id)
    session.refresh(org)
    assert org.name == "新名称科技" and org.service_counties == ["jianxi", "yanshi"]
