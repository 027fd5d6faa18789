"""Award shortlisting as staff use it, on a generated pilot data set."""

import json
from pathlib import Path

import pytest
from sqlmodel import select

from catalog.audit import verify_chain
from catalog.models import AwardDecision
from marketplace.cli import main
from tests.conftest import Auth

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


@pytest.fixture
def pilot(app, tmp_path):
    from reviews.fraudgen import generate

    generate(tmp_path / "pilot", seed=11)
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["import", "catalog", str(CATALOG)]).exit_code == 0
    result = runner.invoke(main, ["import", "pilot", str(tmp_path / "pilot")])
    assert "enterprises.jsonl: created 460" in result.output
    assert result.exit_code == 1 and "reviews.jsonl:" in result.stderr  # never-accepted engagements, by line
    return tmp_path / "pilot"


def test_awards_json_names_eight_providers_and_ten_products(app, pilot):
    body = json.loads(app.test_cli_runner().invoke(main, ["awards", "--json"]).stdout)
    assert len(body["products"]) == 10 and 1 <= len(body["providers"]) <= 8
    assert body["products"][0]["score"] >= body["products"][-1]["score"]
    truth = json.loads((pilot / "truth.json").read_text(encoding="utf-8"))
    assert not {p["id"] for p in body["products"]} & set(truth["boosted_products"])


def test_staff_shortlist_a_candidate_with_a_reason_and_export(app, pilot, make, session):
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    page = staff.client.get("/staff/awards").get_data(as_text=True)
    assert page.count('class="award-table"') == 0 and "award-table" in page and "✔" in page
    first = page.split('name="candidate_id" value="')[1].split('"')[0]
    staff.post(
        "/staff/awards/decide",
        {"kind": "provider", "candidate_id": first, "shortlisted": "1", "reason": "成效突出", "score": "70"},
        form_page="/staff/awards",
    )
    decision = session.exec(select(AwardDecision)).one()
    assert decision.shortlisted and decision.reason == "成效突出"
    csv = staff.client.get("/staff/awards?kind=provider&format=csv").get_data(as_text=True)
    assert "成效突出" in csv and "yes" in csv
    assert verify_chain(session).ok
    refused = staff.post(
        "/staff/awards/decide",
        {"kind": "provider", "candidate_id": first, "shortlisted": "1", "reason": ""},
        form_page="/staff/awards",
        follow_redirects=True,
    )
    assert "请填写理由" in refused.get_data(as_text=True)


def test_weights_move_the_ranking_and_bad_weights_are_refused(app, pilot, make):
    staff = Auth(app.test_client())
    staff.login(make.user("staff").email)
    bad = staff.post(
        "/staff/awards/weights",
        {"rating": "2", "success": "0", "uplift": "0", "volume": "0", "recency": "0"},
        form_page="/staff/awards",
        follow_redirects=True,
    )
    assert "每项权重应在 0 至 1 之间" in bad.get_data(as_text=True)
    before = json.loads(app.test_cli_runner().invoke(main, ["awards", "--json"]).stdout)
    staff.post(
        "/staff/awards/weights",
        {"rating": "0", "success": "0", "uplift": "0", "volume": "1", "recency": "0"},
        form_page="/staff/awards",
    )
    after = json.loads(app.test_cli_runner().invoke(main, ["awards", "--json"]).stdout)
    assert [p["id"] for p in before["products"]] != [p["id"] for p in after["products"]]
