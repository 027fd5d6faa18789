"""The search page and API as a visitor uses them, on the app's own embedded index."""

import pytest

from marketplace import search_service
from search.backend import SearchUnavailable


@pytest.fixture
def catalogue(app, make):
    provider = make.organisation("provider", name="洛阳慧眼科技", external_id="S900")
    made = {
        "vision": make.product(
            provider,
            name="轴承外观视觉检测系统",
            summary="机器视觉识别套圈划痕磕碰",
            scenarios=["visual_inspection"],
            industries=["bearings"],
            price_min_wan=12,
            price_max_wan=30,
        ),
        "energy": make.product(
            provider,
            name="能耗在线监测平台",
            summary="电表分项计量与峰谷分析",
            scenarios=["energy_management"],
            price_min_wan=3,
            price_max_wan=8,
        ),
        "wms": make.product(
            provider,
            name="云仓储WMS",
            summary="仓库管理系统，扫码出入库",
            scenarios=["warehouse"],
            price_min_wan=2,
            price_max_wan=5,
            deployment="saas",
        ),
        "xss": make.product(
            provider,
            name="<script>alert(1)</script>视觉",
            summary="<img src=x onerror=alert(2)>",
            scenarios=["visual_inspection"],
        ),
    }
    from catalog import outbox

    outbox.enqueue(make.session, product_ids=[p.id for p in made.values()])
    make.session.commit()
    assert search_service.sync_once(app) == 4
    return made


def test_chinese_search_finds_and_highlights(client, catalogue):
    page = client.get("/search?q=视觉检测").get_data(as_text=True)
    assert "<mark>" in page and found(client, "视觉检测", catalogue["vision"])
    assert not found(client, "视觉检测", catalogue["energy"])


def test_listing_html_never_runs(client, catalogue):
    page = client.get("/search?q=视觉").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "&amp;lt;script" in page


def found(client, q, product):
    return f'href="/products/{product.id}"' in client.get(f"/search?q={q}").get_data(as_text=True)


def test_synonyms_and_english_and_typos(client, catalogue):
    assert found(client, "仓库管理", catalogue["wms"])
    assert found(client, "energy", catalogue["energy"])
    typo = client.get("/api/v1/search?q=energy managment").get_json()
    assert typo["results"][0]["id"] == catalogue["energy"].external_id


def test_facets_narrow_the_results(client, catalogue):
    page = client.get("/search?q=视觉&industry=bearings").get_data(as_text=True)
    assert f'href="/products/{catalogue["vision"].id}"' in page
    body = client.get("/api/v1/search?q=&scenario=warehouse").get_json()
    assert [r["id"] for r in body["results"]] == [catalogue["wms"].external_id]
    assert body["facets"]["scenario"]["warehouse"] == 1


def test_bad_parameters_are_refused_with_a_message(client, catalogue):
    response = client.get("/search?q=x&industry=textiles&sort=random&page=0")
    assert response.status_code == 400
    assert "无效的筛选值" in response.get_data(as_text=True)
    assert client.get("/api/v1/search?scenario=nope").status_code == 400


def test_no_results_offer_a_way_on(client, catalogue):
    page = client.get("/search?q=zzzzqqqq").get_data(as_text=True)
    assert 'id="no-results"' in page and "让平台为您推荐" in page


def test_suggestions_as_you_type(client, catalogue):
    body = client.get("/api/v1/suggest?q=能耗").get_json()
    assert any("能耗" in s for s in body["suggestions"])
    assert client.get("/api/v1/suggest?q=").get_json() == {"suggestions": []}


def test_search_still_answers_when_the_index_is_down(app, client, catalogue, monkeypatch):
    broken = search_service.backend(app)

    def down(*args, **kwargs):
        raise SearchUnavailable("down")

    monkeypatch.setattr(broken, "search", down)
    response = client.get("/search?q=能耗")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="degraded"' in page and f'href="/products/{catalogue["energy"].id}"' in page


def test_staff_synonyms_take_effect_on_the_next_search(app, client, catalogue, make):
    from tests.conftest import Auth

    assert not found(client, "货架宝", catalogue["wms"])
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    refused = staff.post(
        "/staff/synonyms/add", {"terms": "货架宝"}, form_page="/staff/synonyms", follow_redirects=True
    )
    assert refused.status_code == 200 and "货架宝" not in staff.client.get("/staff/synonyms").get_data(
        as_text=True
    )
    staff.post(
        "/staff/synonyms/add",
        {"terms": "货架宝, 仓库管理", "scenarios": ["warehouse"]},
        form_page="/staff/synonyms",
    )
    assert found(client, "货架宝", catalogue["wms"])
    staff.post("/staff/synonyms/0/remove", form_page="/staff/synonyms")
    assert not found(client, "货架宝", catalogue["wms"])
