"""Posting reviews one by one checks only what each new review can change (reviews.arrival); on the generated
pilot that ends with exactly the flags full recomputation gives, so every injected review is held or refused."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from catalog.models import Product, Review
from reviews.dataset import read_jsonl
from reviews.duplicates import normalise
from reviews.flags import flag_reviews
from reviews.fraudgen import generate
from reviews.ratings import ratings_by_product
from reviews.services import record_of, refresh_flags
from tests.review_replay import enterprises_and_projects, post_all, stored_and_recomputed

LONG_TEXT = "上线以后效率大幅提升，服务团队非常专业负责，价格也很合理，质量追溯做到了批次和机台，强烈推荐！"


@pytest.fixture(scope="module")
def pilot_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("arrival")
    generate(directory, seed=7)
    return directory


def test_posting_the_pilot_one_by_one_ends_as_full_recomputation(session, pilot_dir, tmp_path):
    users = enterprises_and_projects(session, pilot_dir, tmp_path)
    rows = sorted(read_jsonl(pilot_dir / "reviews.jsonl"), key=lambda row: (row["created_at"], row["id"]))
    truth = json.loads((pilot_dir / "truth.json").read_text(encoding="utf-8"))
    injected = {review_id for ids in truth["injected"].values() for review_id in ids}

    refused = post_all(session, rows, users)
    session.commit()

    as_stored, recomputed = stored_and_recomputed(session)
    assert as_stored == recomputed
    assert refused == set(truth["injected"]["unaccepted"])
    assert all(as_stored[i][1] for i in injected - refused), "every injected review that got in is held"
    honest = [held for key, (_, held) in as_stored.items() if key not in injected]
    assert sum(honest) <= 0.05 * len(honest)
    reviewed = set(session.exec(select(Review.product_id)).all())
    products = session.exec(select(Product).where(col(Product.id).in_(reviewed))).all()
    fresh = ratings_by_product(session, sorted(reviewed))
    assert sum(summary.count for summary in fresh.values()) > 300
    assert {p.id: (p.rating, p.review_count) for p in products} == {
        product_id: (summary.mean, summary.count) for product_id, summary in fresh.items()
    }, "each post refreshed the ratings it moved"
    assert {f["code"] for r in session.exec(select(Review)).all() for f in r.flags} >= {
        "burst",
        "new_account",
        "shared_ip",
        "near_duplicate",
    }


def test_a_new_review_adds_flags_to_those_it_implicates_and_drops_none(session, pilot_dir, tmp_path):
    users = enterprises_and_projects(session, pilot_dir, tmp_path)
    firm_of = {row["id"]: row["enterprise"] for row in read_jsonl(pilot_dir / "engagements.jsonl")}
    truth = json.loads((pilot_dir / "truth.json").read_text(encoding="utf-8"))
    injected = {review_id for ids in truth["injected"].values() for review_id in ids}
    by_firm = {firm_of[row["engagement"]]: row for row in read_jsonl(pilot_dir / "reviews.jsonl")}
    first, second, third = [row for row in by_firm.values() if row["id"] not in injected][:3]
    start = datetime.fromisoformat(first["created_at"])
    for offset, row in enumerate((first, second, third)):
        row |= {
            "text": LONG_TEXT,
            "ip": "10.9.9.9",
            "created_at": (start + timedelta(days=offset)).isoformat(),
            "author_created_at": (start - timedelta(days=400)).isoformat(),
        }
    third["text"] = LONG_TEXT.replace("，", ",") + "👍"
    post_all(session, [first, second], users)
    before = {r.external_id: [f["code"] for f in r.flags] for r in session.exec(select(Review)).all()}
    assert before == {first["id"]: ["near_duplicate"], second["id"]: ["near_duplicate"]}

    post_all(session, [third], users)

    after = {r.external_id: r for r in session.exec(select(Review)).all()}
    for row in (first, second, third):
        assert [f["code"] for f in after[row["id"]].flags] == ["shared_ip", "near_duplicate"]
        assert after[row["id"]].held
        assert "3 different enterprises" in after[row["id"]].flags[0]["en"]
    # the first one now copies two reviews: the second and the new one
    assert "nearly identical to 2 review(s)" in after[first["id"]].flags[1]["en"]
    assert all(r.text_normalised == normalise(r.text) for r in after.values())


def test_full_recomputation_still_drops_what_no_longer_holds(session, pilot_dir, tmp_path):
    users = enterprises_and_projects(session, pilot_dir, tmp_path)
    rows = read_jsonl(pilot_dir / "reviews.jsonl")[:30]
    post_all(session, rows, users)
    reviews = session.exec(select(Review)).all()
    victim = reviews[0]
    victim.flags = [{"code": "burst", "action": "hold", "zh": "旧", "en": "old", "cleared": False}]
    victim.held = True
    session.add(victim)
    session.flush()

    refresh_flags(session, reviews=reviews)

    expected = flag_reviews([record_of(review) for review in reviews])[str(victim.id)]
    assert "burst" not in {flag.code for flag in expected}
    assert [flag["code"] for flag in victim.flags] == [flag.code for flag in expected]
    assert victim.held == bool(expected)
