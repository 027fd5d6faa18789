"""The pilot import with injected fraud: every injected review caught, honest ones left alone, shortlists clean."""

import json
from pathlib import Path

import pytest
from sqlmodel import select

from catalog.interchange import import_catalog
from catalog.models import Review
from reviews.fraudgen import generate
from reviews.pilot_import import import_pilot
from reviews.shortlisting import board

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


@pytest.fixture(scope="module")
def pilot_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pilot")
    generate(directory, seed=7)
    return directory


@pytest.fixture
def imported(session, pilot_dir):
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    report = import_pilot(session, pilot_dir)
    session.commit()
    return report


def test_fraud_is_caught_and_honest_reviews_are_left_alone(session, pilot_dir, imported):
    truth = json.loads((pilot_dir / "truth.json").read_text(encoding="utf-8"))
    injected = {review_id for ids in truth["injected"].values() for review_id in ids}
    stored = {review.external_id: review for review in session.exec(select(Review)).all()}
    rejected = injected - stored.keys()  # refused at import (e.g. never-accepted engagements), line by line
    assert len(imported.errors) == len(rejected)
    assert all(stored[i].held for i in injected & stored.keys()), "every injected review that got in is held"
    honest = [review for key, review in stored.items() if key not in injected]
    flagged_share = sum(review.held for review in honest) / len(honest)
    assert flagged_share <= 0.05, flagged_share
    result = board(session, as_of=__import__("datetime").datetime.fromisoformat(truth["as_of"]))
    providers = {result.external["provider"][i] for i in result.providers.proposed_ids}
    products = {result.external["product"][i] for i in result.products.proposed_ids}
    assert not providers & set(truth["boosted_providers"])
    assert not products & set(truth["boosted_products"])
    assert len(result.products.proposed_ids) == 10


def test_a_second_import_changes_nothing(session, pilot_dir, imported):
    again = import_pilot(session, pilot_dir)
    assert sum(again.created.values()) == 0
    assert again.unchanged["enterprises.jsonl"] == 460
