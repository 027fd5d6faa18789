"""In a real browser: the enterprise file of a typical enterprise (two engagements, both self-assessments, a diagnosis,
a review, a path to the next level over the real catalogue) prints as exactly one A4 page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.interchange import import_catalog
from tests.conftest import PASSWORD
from tests.enterprise_file_records import typical_file

pytestmark = pytest.mark.e2e
CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"
A4_POINTS = (595.3, 841.9)  # 210 x 297 mm in PDF points (Chromium rounds to 1/100 inch)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page object (``/Type /Page``, not ``/Pages``) in an uncompressed PDF structure."""
    pages = []
    for match in re.finditer(rb"/Type\s*/Page(?![a-zA-Z])", pdf):
        # Chromium writes each page dictionary with its MediaBox near the /Type entry.
        window = pdf[max(0, match.start() - 400) : match.end() + 400]
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", window)
        assert box, "a page without a MediaBox"
        pages.append((float(box.group(3)), float(box.group(4))))
    return pages


def test_a_typical_enterprise_file_prints_on_one_a4_page(live_server, new_page, make, session):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    session.commit()
    typical = typical_file(make, session)

    page = new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", typical.enterprise.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.goto(f"{live_server}/workspace/")
    page.click("#print-file")
    expect(page.locator("h1")).to_contain_text("洛阳宏远轴承有限公司")
    expect(page.locator("#report-engagements tbody.report-engagement")).to_have_count(2)
    expect(page.locator("#report-engagements")).to_contain_text("min(40.00, 50.00) = 40.00 万元")
    expect(page.locator("#report-path")).to_contain_text("达到 4 级的路径")

    pdf = page.pdf(format="A4")
    pages = pdf_pages(pdf)
    assert len(pages) == 1, f"{len(pages)} pages"
    width, height = pages[0]
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)
