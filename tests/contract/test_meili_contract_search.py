"""The Meilisearch adapter's reads against the fake server: search (filters, disjunctive facets, sorts, pages,
safe highlights), suggestions, health and fingerprints. Every exchange is checked against the OpenAPI
description by the ``fake_meili`` fixture."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from search.backend import Hit, SearchFilters, SearchQuery, SearchUnavailable
from search.documents import SearchDocument
from search.meili import MeiliSearch
from tests.contract.fake_meili import FakeMeili

MakeDoc = Callable[..., SearchDocument]


def _ids(hits: list[Hit]) -> list[str]:
    return [hit.id for hit in hits]


# -- search -------------------------------------------------------------------------------------------------


def test_search_returns_the_page_of_hits_and_the_total(indexed: MeiliSearch) -> None:
    result = indexed.search(SearchQuery(q="视觉", per_page=1, page=2, with_facets=False))

    assert result.total == 2
    assert len(result.hits) == 1
    assert result.hits[0].id in {"P1", "P3"}
    assert result.hits[0].score > 0
    assert result.facets == {}


def test_industry_filter_keeps_general_products(indexed: MeiliSearch) -> None:
    result = indexed.search(SearchQuery(filters=SearchFilters(industry=("bearings",))))

    assert sorted(_ids(result.hits)) == ["P1", "P2", "P4", "P5"]


def test_facet_counts_are_disjunctive(indexed: MeiliSearch) -> None:
    query = SearchQuery(filters=SearchFilters(scenario=("visual_inspection",), deployment=("on_premise",)))

    result = indexed.search(query)

    assert _ids(result.hits) == ["P1"]
    # Scenario counts ignore the scenario filter but keep the deployment one (P1, P4 are on premise).
    assert result.facets["scenario"] == {"visual_inspection": 1, "mes": 1}
    # Deployment counts ignore the deployment filter but keep the scenario one (P1, P3).
    assert result.facets["deployment"] == {"on_premise": 1, "hybrid": 1}
    assert result.facets["price_band"] == {"5to10": 1}
    assert set(result.facets) == {
        "scenario_group",
        "scenario",
        "industry",
        "price_band",
        "deployment",
        "provider",
    }


def test_industry_counts_include_general_products(indexed: MeiliSearch) -> None:
    result = indexed.search(SearchQuery(filters=SearchFilters(industry=("chemicals",))))

    # Two general products count for every industry, as the industry filter keeps them.
    assert result.facets["industry"] == {"bearings": 4, "nonferrous": 3, "electrical": 2, "chemicals": 3}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["P2", "P1", "P5", "P3", "P4"]),
        ("price_desc", ["P4", "P3", "P5", "P1", "P2"]),
        ("newest", ["P4", "P2", "P5", "P1", "P3"]),
        ("rating", ["P3", "P1", "P5", "P4", "P2"]),  # unrated last
    ],
)
def test_sorts_order_the_hits(indexed: MeiliSearch, sort: str, expected: list[str]) -> None:
    assert _ids(indexed.search(SearchQuery(sort=sort)).hits) == expected


def test_highlights_escape_listing_markup_and_keep_the_marks(meili: MeiliSearch, make_doc: MakeDoc) -> None:
    meili.upsert([make_doc(id="X", name="<script>alert(1)</script> 质检 <mark>", summary="A & B 质检")])

    hit = meili.search(SearchQuery(q="质检")).hits[0]

    assert hit.highlights["name"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>质检</mark> &lt;mark&gt;"
    assert hit.highlights["summary"] == "A &amp; B <mark>质检</mark>"


def test_search_on_a_missing_index_is_unavailable(meili: MeiliSearch) -> None:
    with pytest.raises(SearchUnavailable):
        meili.search(SearchQuery(q="质检"))


# -- suggest, health, fingerprints --------------------------------------------------------------------------


def test_suggest_offers_vocabulary_then_product_names(indexed: MeiliSearch) -> None:
    assert indexed.suggest("能耗", limit=3) == ["能耗", "能耗管理", "能耗监测平台"]
    assert indexed.suggest("  ") == []


def test_health_reports_an_available_server(meili: MeiliSearch) -> None:
    assert meili.health() is True


def test_health_is_false_when_the_server_must_restart(meili: MeiliSearch, fake_meili: FakeMeili) -> None:
    fake_meili.health_status = "mustRestart"

    assert meili.health() is False


def test_fingerprints_page_through_every_document(
    meili: MeiliSearch, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("search.meili.PAGE_SIZE", 2)
    docs = [make_doc(id=f"P{i}", name=f"产品{i}") for i in range(5)]
    meili.upsert(docs)

    assert meili.fingerprints() == {doc.id: doc.fingerprint for doc in docs}


def test_fingerprints_of_a_missing_index_are_empty(meili: MeiliSearch) -> None:
    assert meili.fingerprints() == {}
