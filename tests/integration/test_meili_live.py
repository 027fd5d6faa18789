"""The Meilisearch adapter end to end against a real server, on the development catalogue.

Runs only where MEILI_URL (and MEILI_API_KEY if the server has a master key) points at a Meilisearch >= 1.10
server. Each run works in its own uniquely named index and deletes it afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import meilisearch
import pytest

from search.backend import FACETS, SearchFilters, SearchQuery
from search.documents import SearchDocument, document_from_mapping
from search.meili import MeiliSearch

MEILI_URL = os.environ.get("MEILI_URL", "")
MEILI_API_KEY = os.environ.get("MEILI_API_KEY") or None
DATA = Path(__file__).resolve().parents[2] / "data"

# A live server cannot be installed on the project's machines; these tests need one that is reachable.
pytestmark = [
    pytest.mark.meili,
    pytest.mark.skipif(
        not MEILI_URL, reason="needs a live Meilisearch server: set MEILI_URL (and MEILI_API_KEY)"
    ),
]


def _rows(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="module")
def catalog() -> list[SearchDocument]:
    """The development catalogue as search documents."""
    return [document_from_mapping(row) for row in _rows("catalog.jsonl")]


@pytest.fixture(scope="module")
def live(catalog: list[SearchDocument]) -> Iterator[MeiliSearch]:
    """The adapter on a fresh, uniquely named index holding the catalogue; the index is deleted afterwards."""
    uid = f"test_products_{secrets.token_hex(4)}"
    meili = MeiliSearch(MEILI_URL, MEILI_API_KEY, index_uid=uid, timeout_s=5.0, synonyms={"质检": ["检测"]})
    meili.rebuild(catalog)
    yield meili
    client = meilisearch.Client(MEILI_URL, MEILI_API_KEY)
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"] == uid or index["uid"].startswith(f"{uid}_"):
            client.wait_for_task(client.delete_index(index["uid"]).task_uid)


def test_server_is_healthy(live: MeiliSearch) -> None:
    assert live.health() is True


def test_rebuild_indexed_the_whole_catalogue_and_left_no_spare_index(
    live: MeiliSearch, catalog: list[SearchDocument]
) -> None:
    assert live.fingerprints() == {doc.id: doc.fingerprint for doc in catalog}
    client = meilisearch.Client(MEILI_URL, MEILI_API_KEY)
    uids = [index["uid"] for index in client.get_raw_indexes({"limit": 1000})["results"]]
    assert [uid for uid in uids if uid.startswith(f"{live.index_uid}_")] == []


def test_a_chinese_query_finds_highlighted_matches(live: MeiliSearch) -> None:
    result = live.search(SearchQuery(q="视觉质检"))

    assert result.total > 0
    assert any("<mark>" in text for hit in result.hits for text in hit.highlights.values())


def test_every_exact_dev_query_finds_a_relevant_product_on_the_first_page(live: MeiliSearch) -> None:
    misses = [
        row["query"]
        for row in _rows("queries.jsonl")
        if row["kind"] == "exact"
        and not {hit.id for hit in live.search(SearchQuery(q=row["query"], per_page=10)).hits}
        & {pid for pid, grade in row["relevant"].items() if grade >= 2}
    ]
    assert misses == []


def test_industry_filter_keeps_general_products(live: MeiliSearch, catalog: list[SearchDocument]) -> None:
    result = live.search(SearchQuery(filters=SearchFilters(industry=("bearings",)), per_page=200))

    expected = {doc.id for doc in catalog if not doc.industries or "bearings" in doc.industries}
    assert {hit.id for hit in result.hits} == expected


@pytest.mark.parametrize("facet", FACETS)
def test_each_facet_count_is_the_total_after_ticking_that_value(live: MeiliSearch, facet: str) -> None:
    base = (
        SearchFilters(deployment=("saas",))
        if facet != "deployment"
        else SearchFilters(scenario_group=("production",))
    )
    counts = live.search(SearchQuery(filters=base)).facets[facet]

    assert counts
    for value, count in list(counts.items())[:5]:
        ticked = replace(base, **{facet: (value,)})
        assert live.search(SearchQuery(filters=ticked, with_facets=False)).total == count


def test_price_sort_orders_by_lower_price(live: MeiliSearch, catalog: list[SearchDocument]) -> None:
    prices = {doc.id: doc.price_min_wan for doc in catalog}

    hits = live.search(SearchQuery(sort="price_asc", per_page=50)).hits

    assert [prices[hit.id] for hit in hits] == sorted(prices[hit.id] for hit in hits)


def test_synonyms_widen_the_query(live: MeiliSearch) -> None:
    # The fixture's synonyms make "质检" also match "检测", so it finds at least what "检测" finds.
    widened = live.search(SearchQuery(q="质检", with_facets=False)).total

    assert widened >= live.search(SearchQuery(q="检测", with_facets=False)).total > 0


def test_a_typo_in_a_long_english_word_is_forgiven(live: MeiliSearch) -> None:
    assert live.search(SearchQuery(q="inspectoin", with_facets=False)).total > 0


def test_upsert_delete_and_markup_round_trip(live: MeiliSearch, catalog: list[SearchDocument]) -> None:
    hostile = replace(catalog[0], id="LIVE-XSS", name="<script>alert(1)</script> 超声探伤仪")
    live.upsert([hostile])
    try:
        hit = live.search(SearchQuery(q="超声探伤仪")).hits[0]
        assert hit.id == "LIVE-XSS"
        assert "<script>" not in hit.highlights["name"]
        assert "&lt;script&gt;" in hit.highlights["name"]
    finally:
        live.delete(["LIVE-XSS"])
    assert "LIVE-XSS" not in live.fingerprints()


def test_suggest_completes_a_prefix(live: MeiliSearch) -> None:
    suggestions = live.suggest("能耗")

    assert suggestions and all(isinstance(text, str) for text in suggestions)
