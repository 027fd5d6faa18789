"""The staff pilot dashboard as staff use it: cards, charts as SVG, tables, the workbook, the printable summary."""

import io
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from catalog.models import Engagement, SelfAssessment
from tests.conftest import Auth

CHARTS = ("targets", "levels", "industry", "county", "batch", "money")


class Tables(HTMLParser):
    """The dashboard's tables as text: {name: (caption, headers, rows)}; and the goal cards' actual figures."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, tuple[str, list[str], list[list[str]]]] = {}
        self.goals: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._head = False
        self._goal: str | None = None
        self._actual = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-table"):
            self._table = attrs["data-table"]
            self.tables[self._table] = ("", [], [])
        elif self._table and tag == "thead":
            self._head = True
        elif self._table and tag == "tr" and not self._head:
            self.tables[self._table][2].append([])
        elif self._table and tag in ("caption", "th", "td"):
            self._cell = []
        if attrs.get("data-goal"):
            self._goal = attrs["data-goal"]
        if self._goal and "data-actual" in attrs:
            self._actual = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._actual and self._goal:
            self.goals[self._goal] = data.strip()
            self._actual, self._goal = False, None

    def handle_endtag(self, tag):
        if self._table and tag == "thead":
            self._head = False
        elif self._table and tag in ("caption", "th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            caption, headers, rows = self.tables[self._table]
            if tag == "caption":
                self.tables[self._table] = (text, headers, rows)
            elif self._head:
                headers.append(text)
            else:
                rows[-1].append(text)
            self._cell = None
        elif tag == "table":
            self._table = None


@pytest.fixture
def staff(app, make):
    auth = Auth(app.test_client())
    assert auth.login(make.user("staff").email).status_code == 302
    return auth.client


@pytest.fixture
def small_pilot(make, session):
    """Four pilot enterprises and one outside the pilot; two accepted projects, one capped by level 4."""
    provider = make.organisation("provider")
    make.product(provider)
    firms = [
        make.organisation(
            "enterprise",
            industry="bearings",
            county="jianxi",
            batch=1,
            scale="above",
            srdi="srdi",
            digital_level=1,
            on_cloud=True,
            smart_site="workshop",
        ),
        make.organisation(
            "enterprise",
            industry="bearings",
            county="luolong",
            batch=1,
            scale="above",
            srdi="little_giant",
            digital_level=2,
            on_cloud=True,
            smart_site="factory",
        ),
        make.organisation(
            "enterprise",
            industry="chemicals",
            county="jianxi",
            batch=2,
            scale="below",
            srdi="none",
            digital_level=1,
        ),
        make.organisation(
            "enterprise",
            industry="electrical",
            county="yichuan",
            batch=3,
            scale="above",
            srdi="none",
            digital_level=None,
        ),
        make.organisation("enterprise", industry="electrical", county="yichuan", on_cloud=True),  # no batch
    ]
    for firm, level, spend in ((firms[0], 2, 30.0), (firms[1], 4, 200.0)):
        session.add(
            Engagement(
                enterprise_id=firm.id,
                provider_id=provider.id,
                state="accepted",
                level_before=1,
                level_after=level,
                eligible_spend_wan=spend,
            )
        )
    session.add(SelfAssessment(enterprise_id=firms[2].id, stage="after", level=3))
    session.commit()
    return firms


def test_empty_state_before_any_pilot_data(staff):
    page = staff.get("/staff/dashboard").get_data(as_text=True)
    assert 'id="dashboard-empty"' in page and "还没有试点企业数据" in page
    assert 'class="chart' not in page and "data-table" not in page
    summary = staff.get("/staff/dashboard/summary").get_data(as_text=True)
    assert 'id="dashboard-empty"' in summary
    assert staff.get("/staff/dashboard/charts/levels.svg").status_code == 200
    workbook = load_workbook(io.BytesIO(staff.get("/staff/dashboard/export.xlsx").data))
    assert len(workbook.sheetnames) == len(CHARTS)


def test_cards_count_the_pilot_enterprises_against_the_targets(staff, small_pilot):
    page = staff.get("/staff/dashboard").get_data(as_text=True)
    goals = Tables(page).goals
    assert goals["enterprises"] == "4" and goals["on_cloud"] == "2" and goals["smart_sites"] == "2"
    assert goals["above_size"] == "3" and goals["below_size"] == "1" and goals["little_giants"] == "1"
    assert goals["level2_after"] == "3" and goals["level4_after"] == "1"  # two accepted, one assessed after
    assert goals["providers"] == "1" and goals["products"] == "1"
    assert "/ 460" in page and "/ 445" in page and "bar-0" in page
    # the level-4 project's 100 (50% of 200) is above its cap of 70
    assert "合计 × 50%，" in page and "1 家企业已达上限" in page
    money = Tables(page).tables["money"][2]
    assert money[0][1:3] == ["85.00", "120.00"]  # 15 (50% of 30) + 70 (level-4 cap of 100) against 50 + 70


def test_every_chart_has_its_table_and_an_svg_without_script(staff, small_pilot):
    page = staff.get("/staff/dashboard").get_data(as_text=True)
    tables = Tables(page).tables
    for name in CHARTS:
        assert f'data-chart="{name}"' in page and name in tables
        response = staff.get(f"/staff/dashboard/charts/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        root = ElementTree.fromstring(response.data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width")
        assert not [el for el in root.iter() if str(el.tag).endswith("script")]
        assert b"<script" not in response.data and b"http://kozea" not in response.data.lower()
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert tables["levels"][2][-1] == ["四级", "0", "1"]
    assert staff.get("/staff/dashboard/charts/nothing.svg").status_code == 404
    assert staff.get("/staff/dashboard/charts/..%2Fexport.svg").status_code == 404


def test_the_workbook_holds_the_same_tables_one_sheet_each(staff, small_pilot):
    tables = Tables(staff.get("/staff/dashboard").get_data(as_text=True)).tables
    response = staff.get("/staff/dashboard/export.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [tables[name][0] for name in CHARTS]
    for name in CHARTS:
        caption, headers, rows = tables[name]
        sheet = list(workbook[caption].iter_rows(values_only=True))
        assert list(sheet[0]) == headers
        assert len(sheet) - 1 == len(rows)
        for html_row, xlsx_row in zip(rows, sheet[1:], strict=True):
            assert html_row[0] == xlsx_row[0]
            for text, value in zip(html_row[1:], xlsx_row[1:], strict=True):
                shown = float(text.rstrip("%").replace(",", ""))
                assert shown == pytest.approx(value * 100 if text.endswith("%") else value, abs=0.051), (
                    name,
                    text,
                )


def test_breakdowns_list_every_industry_county_and_batch(staff, small_pilot):
    tables = Tables(staff.get("/staff/dashboard").get_data(as_text=True)).tables
    industry = {row[0]: row[1] for row in tables["industry"][2]}
    assert industry == {
        "轴承及通用零部件": "2",
        "铜铝及先进合金材料": "0",
        "电气及光电设备": "1",
        "化工材料及产品": "1",
    }
    assert len(tables["county"][2]) == 15 and {row[0]: row[1] for row in tables["batch"][2]} == {
        "第一批": "2",
        "第二批": "1",
        "第三批": "1",
    }


def test_the_summary_is_printable_with_the_same_figures(staff, small_pilot):
    dashboard = Tables(staff.get("/staff/dashboard").get_data(as_text=True)).tables
    page = staff.get("/staff/dashboard/summary").get_data(as_text=True)
    assert "summary.css" in page and "<style" not in page and " style=" not in page
    summary = Tables(page).tables
    assert summary == {name: dashboard[name] for name in summary}
    assert set(summary) == set(CHARTS)


def test_the_dashboard_speaks_english(staff, small_pilot):
    Auth(staff).post("/lang", {"lang": "en"})
    page = staff.get("/staff/dashboard").get_data(as_text=True)
    assert "Pilot dashboard" in page and "By industry" in page and "Bearings and general parts" in page
    assert "50% of the eligible spend" in page and "enterprises at their cap: 1." in page
    svg = staff.get("/staff/dashboard/charts/industry.svg").get_data(as_text=True)
    assert "By industry" in svg and "On the cloud" in svg


def test_staff_home_links_the_dashboard(staff):
    assert 'href="/staff/dashboard"' in staff.get("/staff/").get_data(as_text=True)


def test_an_enterprise_that_ticks_the_cloud_box_counts_as_on_the_cloud(app, make, staff):
    user = make.user("enterprise", industry="bearings", scale="above", srdi="none", county="jianxi", batch=1)
    firm = Auth(app.test_client())
    firm.login(user.email)
    form = {
        "name": "洛阳上云测试",
        "industry": "bearings",
        "scale": "above",
        "srdi": "none",
        "county": "jianxi",
        "batch": "1",
        "contact_person": "张三",
        "phone": "0379-1234567",
        "on_cloud": "y",
    }
    assert firm.post("/workspace/profile", form, form_page="/workspace/profile").status_code == 302
    assert 'checked class="form-check-input" id="on_cloud"' in firm.client.get("/workspace/profile").get_data(
        as_text=True
    )
    assert Tables(staff.get("/staff/dashboard").get_data(as_text=True)).goals["on_cloud"] == "1"
    del form["on_cloud"]
    firm.post("/workspace/profile", form, form_page="/workspace/profile")
    assert Tables(staff.get("/staff/dashboard").get_data(as_text=True)).goals["on_cloud"] == "0"
