"""A quality floor on the diagnosis dev set, so that a regression in reading findings fails loudly.

The figures measured when this floor was set are printed by benchmarks/matching_eval.py (NDCG@10 0.937,
MRR 0.963 over the 40 cases); the floor leaves room for honest changes, not for a broken reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.taxonomy import load_taxonomy
from matching.interchange import listing_from_row, profile_from_case, read_jsonl
from matching.matcher import Matcher
from matching.metrics import evaluate

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def dev_results() -> dict[str, float]:
    groups = {code: term.group or "" for code, term in load_taxonomy().scenarios.items()}
    matcher = Matcher.build(
        [listing_from_row(row) for row in read_jsonl(DATA / "catalog.jsonl")], scenario_groups=groups
    )
    cases = list(read_jsonl(DATA / "cases.jsonl"))
    runs = {case["id"]: [match.id for match in matcher.rank(profile_from_case(case))] for case in cases}
    return evaluate(runs, {case["id"]: case["relevant"] for case in cases})


def test_dev_set_ranking_quality_stays_above_the_floor(dev_results):
    assert dev_results["n"] == 40
    assert dev_results["ndcg@10"] >= 0.85
    assert dev_results["mrr"] >= 0.90
    assert dev_results["recall@10"] >= 0.80
