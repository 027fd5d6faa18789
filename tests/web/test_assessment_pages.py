"""The enterprise's self-assessment page: level with its rule, before and after, and the path to the next level."""

from pathlib import Path

from sqlmodel import select

from catalog.assessment_config import SCORE_ITEMS
from catalog.interchange import import_catalog
from catalog.models import SelfAssessment
from tests.conftest import Auth

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"
MANDATORY_SIX = ("quality", "energy", "equipment", "production_control", "purchasing", "finance")


def form(stage, share, scenes):
    data = {"stage": stage, **{f"item_{item.code}": str(item.max_points * share) for item in SCORE_ITEMS}}
    data.update({f"scene_{code}": str(level) for code, level in scenes.items()})
    return data


def test_an_assessment_gets_its_level_its_rule_and_a_path(app, make, session):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    session.commit()
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise", industry="bearings").email)
    before = firm.post(
        "/workspace/assessment",
        form("before", 0.45, dict.fromkeys(MANDATORY_SIX, 1)),
        form_page="/workspace/assessment",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "自评已保存：1 级" in before
    assert 'id="path"' in before and "达到 2 级的路径" in before
    after = firm.post(
        "/workspace/assessment",
        form("after", 0.5, dict.fromkeys(MANDATORY_SIX, 2)),
        form_page="/workspace/assessment",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "达到二级" in after.split('id="stage-after"')[1][:1500]
    rows = session.exec(select(SelfAssessment).order_by(SelfAssessment.stage)).all()
    assert [(r.stage, r.level) for r in rows] == [("after", 2), ("before", 1)]


def test_bad_values_are_named_and_nothing_is_saved(app, make, session):
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise").email)
    data = form("before", 0.5, {})
    data[f"item_{SCORE_ITEMS[0].code}"] = "999"
    response = firm.post("/workspace/assessment", data, form_page="/workspace/assessment")
    assert response.status_code == 422 and "alert-danger" in response.get_data(as_text=True)
    assert session.exec(select(SelfAssessment)).first() is None
