"""The generated pilot data set: its format, its realism, and the fraud targets the review pipeline must meet."""

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from catalog.taxonomy import COUNTIES, load_taxonomy
from reviews.dataset import load_pilot, read_jsonl
from reviews.flags import flag_reviews, held_ids, rejected_ids
from reviews.fraudgen import CATALOG_PATH, generate, main
from reviews.shortlist import shortlist

SEEDS = (7, 11, 42)
ENTERPRISE_KEYS = {
    "id",
    "name",
    "industry",
    "scale",
    "srdi",
    "county",
    "employees",
    "digital_level",
    "batch",
    "created_at",
    "on_cloud",
    "smart_site",
}
ENGAGEMENT_KEYS = {
    "id",
    "enterprise",
    "provider",
    "products",
    "state",
    "contract_wan",
    "eligible_spend_wan",
    "level_before",
    "level_after",
    "accepted_on",
}
REVIEW_KEYS = {
    "id",
    "engagement",
    "product",
    "effect",
    "delivery",
    "cost",
    "service",
    "recommend",
    "text",
    "created_at",
    "ip",
    "author_created_at",
}


@pytest.fixture(scope="module")
def pilot_dirs(tmp_path_factory) -> dict[int, Path]:
    """One generated data directory per seed."""
    dirs = {}
    for seed in SEEDS:
        dirs[seed] = tmp_path_factory.mktemp(f"pilot{seed}")
        generate(dirs[seed], seed=seed)
    return dirs


@pytest.fixture(scope="module")
def outcomes(pilot_dirs) -> dict[int, dict]:
    """Per seed: the data, the truth, the flags and both shortlists with and without the flags applied."""
    results = {}
    for seed, directory in pilot_dirs.items():
        data = load_pilot(directory)
        truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
        as_of = datetime.fromisoformat(truth["as_of"])
        flags = flag_reviews(data.reviews)
        lists = {}
        for kind in ("provider", "product"):
            for label, held in (("flagged", held_ids(flags)), ("unflagged", frozenset())):
                lists[kind, label] = shortlist(
                    kind=kind, reviews=data.reviews, engagements=data.engagements, as_of=as_of, held_ids=held
                )
        results[seed] = {"data": data, "truth": truth, "flags": flags, "lists": lists}
    return results


@pytest.fixture
def seven(pilot_dirs) -> Path:
    """The default data set (seed 7)."""
    return pilot_dirs[7]


def injected_ids(truth: dict) -> set[str]:
    """All injected review ids of a truth file."""
    return {review_id for ids in truth["injected"].values() for review_id in ids}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_injected_review_is_flagged_or_rejected(outcomes, seed):
    truth, flags = outcomes[seed]["truth"], outcomes[seed]["flags"]

    missed = sorted(review_id for review_id in injected_ids(truth) if not flags[review_id])

    assert missed == []
    assert set(truth["injected"]["unaccepted"]) <= rejected_ids(flags)


@pytest.mark.parametrize("seed", SEEDS)
def test_at_most_five_percent_of_honest_reviews_are_flagged(outcomes, seed):
    injected = injected_ids(outcomes[seed]["truth"])
    honest = [r.id for r in outcomes[seed]["data"].reviews if r.id not in injected]

    flagged = [review_id for review_id in honest if outcomes[seed]["flags"][review_id]]

    assert len(flagged) <= 0.05 * len(honest)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_boosted_item_is_shortlisted_from_counted_reviews(outcomes, seed):
    truth, lists = outcomes[seed]["truth"], outcomes[seed]["lists"]

    assert len(lists["provider", "flagged"].proposed) == 8
    assert len(lists["product", "flagged"].proposed) == 10
    assert not set(truth["boosted_providers"]) & set(lists["provider", "flagged"].proposed_ids)
    assert not set(truth["boosted_products"]) & set(lists["product", "flagged"].proposed_ids)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fraud_would_work_if_nobody_caught_it(outcomes, seed):
    truth, lists = outcomes[seed]["truth"], outcomes[seed]["lists"]

    boosted = set(truth["boosted_providers"]) | set(truth["boosted_products"])
    unflagged = set(lists["provider", "unflagged"].proposed_ids) | set(
        lists["product", "unflagged"].proposed_ids
    )

    assert boosted & unflagged


def test_each_fraud_kind_is_caught_by_its_own_rule(outcomes):
    truth, flags = outcomes[7]["truth"], outcomes[7]["flags"]
    rule_of = {
        "burst": "burst",
        "new_account": "new_account",
        "shared_ip": "shared_ip",
        "copied_text": "near_duplicate",
        "unaccepted": "engagement_not_accepted",
    }

    for kind, review_ids in truth["injected"].items():
        assert review_ids, kind
        assert all(rule_of[kind] in {f.code for f in flags[review_id]} for review_id in review_ids), kind


def test_same_seed_same_files(seven, tmp_path):
    generate(tmp_path, seed=7)

    for name in ("enterprises.jsonl", "engagements.jsonl", "reviews.jsonl", "truth.json"):
        assert (tmp_path / name).read_bytes() == (seven / name).read_bytes(), name


def test_cloud_and_smart_sites_leave_every_other_draw_unchanged(seven, tmp_path, monkeypatch):
    monkeypatch.setattr("reviews.fraudgen.add_site_facts", lambda enterprises, *, seed: None)
    generate(tmp_path, seed=7)

    for name in ("engagements.jsonl", "reviews.jsonl", "truth.json"):
        assert (tmp_path / name).read_bytes() == (seven / name).read_bytes(), name
    with_sites = read_jsonl(seven / "enterprises.jsonl")
    stripped = [{k: v for k, v in row.items() if k not in ("on_cloud", "smart_site")} for row in with_sites]
    assert stripped == read_jsonl(tmp_path / "enterprises.jsonl")


def test_cloud_and_smart_sites_look_like_the_pilot(seven):
    enterprises = read_jsonl(seven / "enterprises.jsonl")
    sites = Counter(e["smart_site"] for e in enterprises if e["smart_site"])

    assert 0.6 * 460 < sum(e["on_cloud"] for e in enterprises) < 460
    assert 20 <= sum(sites.values()) <= 50 and sites["workshop"] > sites["factory"] > 0
    assert all(e["scale"] == "above" for e in enterprises if e["smart_site"])


def test_other_seed_other_data(pilot_dirs):
    assert (pilot_dirs[7] / "reviews.jsonl").read_bytes() != (pilot_dirs[11] / "reviews.jsonl").read_bytes()


def test_rows_follow_the_import_format(seven):
    assert all(set(row) == ENTERPRISE_KEYS for row in read_jsonl(seven / "enterprises.jsonl"))
    assert all(set(row) == ENGAGEMENT_KEYS for row in read_jsonl(seven / "engagements.jsonl"))
    assert all(set(row) == REVIEW_KEYS for row in read_jsonl(seven / "reviews.jsonl"))
    truth = json.loads((seven / "truth.json").read_text(encoding="utf-8"))
    assert set(truth["injected"]) == {"burst", "new_account", "shared_ip", "copied_text", "unaccepted"}


def test_enterprises_match_the_pilot_plan(seven):
    enterprises = read_jsonl(seven / "enterprises.jsonl")

    assert len(enterprises) == 460
    assert Counter(e["scale"] for e in enterprises)["above"] == 445
    assert Counter(e["srdi"] for e in enterprises) == {"none": 234, "srdi": 184, "little_giant": 42}
    assert {e["industry"] for e in enterprises} == set(load_taxonomy().industries)
    assert {e["county"] for e in enterprises} <= set(COUNTIES)
    assert len({e["name"] for e in enterprises}) == 460


def test_references_resolve(seven):
    catalog = {row["id"]: row["provider"]["id"] for row in read_jsonl(CATALOG_PATH)}
    enterprises = {row["id"] for row in read_jsonl(seven / "enterprises.jsonl")}
    engagements = {row["id"]: row for row in read_jsonl(seven / "engagements.jsonl")}

    for engagement in engagements.values():
        assert engagement["enterprise"] in enterprises
        assert all(catalog[p] == engagement["provider"] for p in engagement["products"])
        assert (engagement["state"] == "accepted") == (engagement["level_after"] is not None)
    for review in read_jsonl(seven / "reviews.jsonl"):
        assert review["product"] in engagements[review["engagement"]]["products"]


def test_honest_reviews_look_like_real_ones(outcomes):
    data, truth = outcomes[7]["data"], outcomes[7]["truth"]
    honest = [r for r in data.reviews if r.id not in injected_ids(truth)]
    months = {(r.created_at.year, r.created_at.month) for r in honest}

    assert len(honest) >= 350
    assert len({r.text for r in honest}) >= 0.85 * len(honest)
    assert len({r.ip for r in honest}) >= 0.8 * len({r.enterprise_id for r in honest})
    assert len(months) >= 12
    assert {r.effect for r in honest} == {1, 2, 3, 4, 5}


def test_command_line_writes_the_data_set(tmp_path, capsys):
    assert main([str(tmp_path / "out"), "--seed", "3"]) == 0

    assert "enterprises=460" in capsys.readouterr().out
    assert (tmp_path / "out" / "truth.json").exists()
