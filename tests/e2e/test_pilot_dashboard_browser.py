"""In real Chromium: staff open the pilot dashboard on the 460-enterprise pilot, see every chart drawn with its own
colours (the SVG's styles survive the site's CSP), read the tables, and print the summary on at most two pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.pilot_data import load_pilot_data

pytestmark = pytest.mark.e2e
CHARTS = ("targets", "levels", "industry", "county", "batch", "money")
# Pixels of the charts' first series colour (#8a1c1c, drawn at pygal's 70% opacity over white): reddish.
RED_PIXELS = """(img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let red = 0;
  for (let i = 0; i < data.length; i += 4) { if (data[i] - data[i + 1] > 50 && data[i] - data[i + 2] > 50) red++; }
  return red;
}"""


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")


@pytest.fixture
def staff_page(live_server, new_page, make, session, tmp_path):
    load_pilot_data(session, tmp_path / "pilot")
    page = new_page()
    sign_in(page, live_server, make.user("staff").email)
    return page


def test_staff_see_the_dashboard_with_its_charts_and_tables(live_server, staff_page):
    page = staff_page
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/staff/")
    page.click("a:has-text('试点进度看板')")
    expect(page.locator("h1")).to_have_text("试点进度看板")
    expect(page.locator("[data-goal=enterprises] [data-actual]")).to_have_text("460")
    page.wait_for_load_state("load")
    for name in CHARTS:
        chart = page.locator(f"img[data-chart={name}]")
        chart.scroll_into_view_if_needed()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), name
        assert chart.evaluate(RED_PIXELS) > 200, f"{name}: drawn without its styles"
        table = page.locator(f"#table-{name}")
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 3
    # Opened on its own (a new tab), the chart is a document under its own policy: its styles still apply.
    page.goto(f"{live_server}/staff/dashboard/charts/levels.svg")
    fill = page.evaluate("() => getComputedStyle(document.querySelector('.serie-0 rect')).fill")
    assert fill == "rgb(138, 28, 28)", fill
    page.go_back()
    expect(page.locator("#table-industry caption")).to_have_text("分行业")
    expect(page.locator("#table-batch tbody tr").first.locator("td").first).to_have_text("150")
    assert errors == []


def test_the_summary_prints_on_at_most_two_a4_pages(live_server, staff_page):
    page = staff_page
    page.goto(f"{live_server}/staff/dashboard")
    page.click("a:has-text('试点总结（打印版）')")
    expect(page.locator("h1")).to_contain_text("试点进展汇总")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#table-county")).to_be_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, pages
