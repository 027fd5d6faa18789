"""The printable one-page enterprise file (一企一档): what each party reads on it, and who is told it does not exist."""

import re

import pytest

from catalog.models import Organisation
from tests.conftest import Auth
from tests.enterprise_file_records import FINDINGS, typical_file


@pytest.fixture
def typical(make, session):
    return typical_file(make, session)


def url(enterprise_id):
    return f"/reports/enterprises/{enterprise_id}"


def page_as(app, user, path):
    client = Auth(app.test_client())
    client.login(user.email)
    return client.client.get(path)


def text_of(html):
    """The page's visible words, tags stripped, whitespace collapsed (what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_enterprise_reads_its_whole_file_with_the_figures_it_would_check(app, typical):
    response = page_as(app, typical.enterprise, url(typical.enterprise.organisation_id))
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "洛阳宏远轴承有限公司" in page and "轴承及通用零部件" in page and "涧西区" in page
    assert "专精特新“小巨人”" in page and "320" in page and "第 1 批" in page
    # the self-assessments and the rule that decided each
    assert "1 级 · 得分 45.0" in page and "3 级 · 得分 65.0" in page and "达到三级" in page
    assert "达到 4 级的路径 （从改造后水平出发）" in page  # the next level up from where it stands now
    # the diagnosis, its findings abbreviated
    assert "能耗管理、视觉质检" in page and "120 万元" in page
    assert FINDINGS[:40] in page and "结尾不应出现在摘要里" not in page
    # both engagements: providers, contract, subsidy with its arithmetic, milestones, levels
    assert "洛阳智能装备" in page and "河洛云数据" in page
    assert "能耗监测平台" in page and "视觉质检一体机" in page
    assert "40 万元" in page and "min(40.00, 50.00) = 40.00 万元" in page
    assert "实际 80 万元" in page and "备案 90 万元" in page
    assert "完成 2/2" in page and "平均进度 50%" in page and "相机安装 50%" in page
    assert "1 级 → 3 级" in page and "2026-06-30" in page
    assert "补贴合计 40 万元" in page
    # the review it gave
    assert "5/5 4/5 3/5 5/5 9/10" in page


def test_staff_read_the_same_file(app, make, typical):
    page = text_of(page_as(app, make.user("staff"), url(typical.enterprise.organisation_id)).get_data(True))
    assert "洛阳智能装备" in page and "河洛云数据" in page
    assert "min(40.00, 50.00) = 40.00 万元" in page and "1 级 → 3 级" in page


def test_an_engaged_provider_reads_the_file_but_only_its_own_engagement(app, typical):
    response = page_as(app, typical.first_provider, url(typical.enterprise.organisation_id))
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "洛阳宏远轴承有限公司" in page and "3 级 · 得分 65.0" in page and "120 万元" in page
    assert "洛阳智能装备" in page and "40 万元" in page and "1 级 → 3 级" in page
    assert "5/5 4/5 3/5 5/5 9/10" in page
    # the enterprise's other provider, its products and its contract are none of its business
    assert "河洛云数据" not in page and "视觉质检一体机" not in page and "30 万元" not in page
    second = text_of(
        page_as(app, typical.second_provider, url(typical.enterprise.organisation_id)).get_data(True)
    )
    assert "河洛云数据" in second and "30 万元" in second
    assert "洛阳智能装备" not in second and "min(40.00" not in second and "9/10" not in second


def test_the_file_is_bilingual(app, typical):
    client = Auth(app.test_client())
    client.login(typical.enterprise.email)
    client.post("/lang", {"lang": "en", "next": "/"})
    page = text_of(client.client.get(url(typical.enterprise.organisation_id)).get_data(as_text=True))
    assert "Printed on" in page and "Subsidy total" in page
    assert "subsidy = min(40.00, 50.00) = 40.00 wan yuan" in page and "Level 3 reached" in page
    assert "能耗监测平台" in page  # names stay as entered


@pytest.mark.parametrize("who", ["other enterprise", "other provider", "requested only", "declined"])
def test_everyone_else_is_told_the_file_does_not_exist(app, make, session, typical, who):
    from catalog.engagements import request_engagement, respond

    enterprise_org = session.get(Organisation, typical.enterprise.organisation_id)
    if who in ("requested only", "declined"):
        provider_org = make.organisation("provider")
        product = make.product(provider_org)
        visitor = make.user("provider", organisation=provider_org)
        engagement = request_engagement(
            session, enterprise=enterprise_org, product_ids=[product.id], message="", actor=typical.enterprise
        )
        if who == "declined":
            respond(session, engagement=engagement, accept=False, reason="排期已满", actor=visitor)
        session.commit()
    else:
        visitor = make.user("provider" if who == "other provider" else "enterprise")
    response = page_as(app, visitor, url(enterprise_org.id))
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "洛阳宏远轴承有限公司" not in body and FINDINGS[:20] not in body and "洛阳智能装备" not in body


def test_probes_at_other_ids_find_nothing(app, make, typical):
    ids = [typical.enterprise.organisation_id, typical.accepted.provider_id, 0, 4321, 2_147_483_647]
    for label in ("enterprise", "provider"):
        client = Auth(app.test_client())
        client.login(make.user(label).email)
        statuses = {client.client.get(url(i)).status_code for i in ids}
        assert statuses == {404}, label
    assert Auth(app.test_client()).client.get(url(99999999999999999999)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, typical):
    response = client.get(url(typical.enterprise.organisation_id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_enterprises_have_a_file(app, make, typical):
    staff = make.user("staff")
    assert page_as(app, staff, url(typical.first_provider.organisation_id)).status_code == 404
    assert page_as(app, staff, url(staff.organisation_id)).status_code == 404


def test_an_empty_file_renders_its_empty_states(app, make):
    newcomer = make.user("enterprise", name="新入库企业")
    response = page_as(app, newcomer, url(newcomer.organisation_id))
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "新入库企业" in page and "尚未填写诊断" in page and "还没有合作项目" in page
    assert page.count("尚未填写") >= 3  # both self-assessments and the diagnosis
    assert "达到 2 级的路径" not in page and "企业评价" not in page


def test_the_print_stylesheet_is_linked_and_lays_out_one_a4_page(app, typical):
    html = page_as(app, typical.enterprise, url(typical.enterprise.organisation_id)).get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/report.css">' in html
    with app.test_client().get("/static/report.css") as response:
        css = response.get_data(as_text=True)
    assert "size: A4" in css and "@media print" in css
    # the CSP allows no inline style or script
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_each_party_finds_the_print_link_where_it_works(app, make, typical):
    target = url(typical.enterprise.organisation_id)
    home = page_as(app, typical.enterprise, "/workspace/").get_data(as_text=True)
    engagement = page_as(app, typical.first_provider, f"/engagements/{typical.accepted.id}").get_data(True)
    staff_list = page_as(app, make.user("staff"), "/staff/engagements").get_data(as_text=True)
    for page in (home, engagement, staff_list):
        assert f'href="{target}"' in page and "打印档案" in page
