"""In a real browser: an enterprise invites a provider from its shortlist, the provider accepts, the enterprise
records acceptance and reviews, and staff shortlist an award candidate and export the shortlist."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.diagnoses import add_to_shortlist
from catalog.interchange import import_catalog
from catalog.models import utcnow
from reviews.fraudgen import generate
from reviews.pilot_import import import_pilot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")


def test_request_accept_acceptance_review_shortlist_export(live_server, new_page, make, session, tmp_path):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    generate(tmp_path / "pilot", seed=7)
    import_pilot(session, tmp_path / "pilot")
    session.commit()
    provider_org = make.organisation("provider", name="洛阳测试数字科技")
    product = make.product(provider_org, name="熔炼电耗分项计量系统", scenarios=["energy_management"])
    provider = make.user("provider", organisation=provider_org)
    enterprise = make.user("enterprise", industry="nonferrous")
    enterprise.created_at = utcnow() - timedelta(days=120)
    session.add(enterprise)
    add_to_shortlist(session, enterprise_id=enterprise.organisation_id, product_id=product.id)
    session.commit()

    firm = new_page()
    sign_in(firm, live_server, enterprise.email)
    firm.goto(f"{live_server}/workspace/shortlist")
    firm.click("button:has-text('邀请合作')")
    expect(firm.locator("h1")).to_contain_text("待答复")
    file_url = firm.url

    vendor = new_page()
    sign_in(vendor, live_server, provider.email)
    vendor.goto(file_url)
    vendor.click("button:has-text('接受')")
    expect(vendor.locator("h1")).to_contain_text("实施中")
    vendor.fill("#contract_wan", "60")
    vendor.fill("#eligible_software_wan", "40")
    vendor.click("button:has-text('保存档案')")
    vendor.fill("input[name=title]", "电表安装调试")
    vendor.click("button:has-text('添加里程碑')")
    expect(vendor.locator(".milestone")).to_contain_text("电表安装调试")

    firm.goto(file_url)
    firm.select_option("#level_before", "1")
    firm.select_option("#level_after", "2")
    firm.fill("#eligible_spend_wan", "40")
    firm.fill("#documents", "发票\n投资清单")
    firm.click("button:has-text('记录验收')")
    expect(firm.locator("#subsidy")).to_contain_text("20")
    firm.fill(".review-form textarea[name=text]", "电耗降低明显，交付准时")
    firm.click("button:has-text('提交评价')")
    expect(firm.locator("div[role=alert].alert-success")).to_contain_text("感谢")

    bureau = new_page()
    sign_in(bureau, live_server, make.user("staff").email)
    bureau.goto(f"{live_server}/staff/awards")
    table = bureau.locator("table.award-table[data-kind=product]")
    first = table.locator("tbody tr[data-candidate]").first
    first.locator("input[name=reason]").fill("成效与评价俱佳")
    first.locator("button:has-text('入围')").click()
    expect(bureau.locator("div[role=alert].alert-success")).to_contain_text("入围")
    expect(bureau.locator("table.award-table[data-kind=product] .badge:has-text('已入围')")).to_have_count(1)
    with bureau.expect_download() as download:
        bureau.click("table.award-table[data-kind=product] >> xpath=preceding::a[contains(., 'Excel')][1]")
    assert download.value.suggested_filename == "award-products.xlsx"
