"""The main path in a real browser: a provider registers and submits a product, staff approve the provider and the
product, and an anonymous visitor filters the catalogue and opens the product page."""

import pytest
from playwright.sync_api import expect

from catalog.uscc import make_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def test_from_registration_to_a_visitor_reading_the_product(live_server, new_page, make):
    staff = make.user("staff")

    provider = new_page()
    provider.goto(f"{live_server}/register")
    provider.check("input[name=kind][value=provider]")
    provider.fill("#organisation_name", "洛阳慧眼视觉科技有限公司")
    provider.fill("#uscc", make_code(777))
    provider.fill("#contact_person", "周工")
    provider.fill("#phone", "0379-61234567")
    provider.fill("#email", "zhou@huiyan.cn")
    provider.fill("#password", PASSWORD)
    provider.fill("#confirm", PASSWORD)
    provider.click("button[type=submit]:has-text('注册')")
    expect(provider.locator("text=正在审核中")).to_be_visible()

    provider.click("text=发布新产品")
    provider.fill("#name", "轴承套圈表面缺陷视觉检测系统")
    provider.fill("#summary", "套圈端面磕碰划痕在线检测")
    provider.fill("#description", "工业相机加深度学习，适合深沟球轴承成品检测。")
    provider.select_option("#scenarios", ["visual_inspection", "quality_traceability"])
    provider.check("input[name=industries][value=bearings]")
    provider.fill("#price_min_wan", "12")
    provider.fill("#price_max_wan", "30")
    provider.select_option("#deployment", "on_premise")
    provider.fill("#delivery_days", "45")
    provider.click("button[type=submit]:has-text('保存草稿')")
    row = provider.locator("tr", has_text="轴承套圈表面缺陷视觉检测系统")
    expect(row.locator(".badge")).to_have_text("草稿")
    row.locator("button:has-text('提交审核')").click()
    expect(provider.locator("tr", has_text="轴承套圈表面缺陷视觉检测系统").locator(".badge")).to_have_text(
        "待审核"
    )

    bureau = new_page()
    bureau.goto(f"{live_server}/login")
    bureau.fill("#email", staff.email)
    bureau.fill("#password", PASSWORD)
    bureau.click("button[type=submit]:has-text('登录')")
    bureau.click("text=待审核服务商")
    bureau.locator("tr", has_text="洛阳慧眼视觉科技有限公司").locator("button:has-text('通过')").click()
    expect(bureau.locator(".alert-success")).to_be_visible()
    bureau.goto(f"{live_server}/staff/products")
    bureau.locator("tr", has_text="轴承套圈表面缺陷视觉检测系统").locator("button:has-text('发布')").click()
    expect(bureau.locator("text=没有待审核的产品")).to_be_visible()

    visitor = new_page()
    visitor.goto(f"{live_server}/products")
    visitor.select_option("#scenario", "visual_inspection")
    visitor.select_option("#industry", "bearings")
    visitor.click("button[type=submit]:has-text('筛选')")
    expect(visitor.locator("#result-count")).to_have_text("共 1 个产品")
    visitor.click("text=轴承套圈表面缺陷视觉检测系统")
    expect(visitor.locator("h1")).to_have_text("轴承套圈表面缺陷视觉检测系统")
    expect(visitor.locator("text=洛阳慧眼视觉科技有限公司")).to_be_visible()
    expect(visitor.locator("dd", has_text="45")).to_be_visible()
