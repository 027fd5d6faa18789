"""The Meilisearch adapter with the embedded index's reading of queries: "did you mean", the scenarios a query
means, and their listings when no listing holds the words. Every exchange is checked against the OpenAPI
description by the ``fake_meili`` fixture."""

from __future__ import annotations

import pytest

from search.backend import SearchFilters, SearchQuery, SearchUnavailable
from search.documents import SearchDocument
from search.embedded import EmbeddedSearch
from search.meili import MeiliSearch
from tests.contract.conftest import SYNONYMS
from tests.contract.fake_meili import BASE_URL, FakeMeili


@pytest.fixture
def reader(catalog: list[SearchDocument]) -> EmbeddedSearch:
    """The embedded index over the same catalogue: what a Meilisearch deployment falls back to."""
    embedded = EmbeddedSearch(":memory:")
    embedded.rebuild(catalog)
    return embedded


@pytest.fixture
def understood(fake_meili: FakeMeili, reader: EmbeddedSearch, catalog: list[SearchDocument]) -> MeiliSearch:
    meili = MeiliSearch(
        BASE_URL, "test-key", synonyms=SYNONYMS, task_timeout_s=1.0, understand=reader.analyse
    )
    meili.upsert(catalog)
    return meili


def test_a_misspelt_query_is_searched_corrected_and_offers_the_correction(understood: MeiliSearch) -> None:
    result = understood.search(SearchQuery(q="能耗监侧"))

    assert result.did_you_mean == "能耗监测"
    assert [hit.id for hit in result.hits][:1] == ["P2"]


def test_the_result_says_which_scenarios_the_query_means(understood: MeiliSearch) -> None:
    assert understood.search(SearchQuery(q="能耗")).scenarios[0] == "energy_management"


def test_words_no_listing_holds_fall_back_to_the_listings_of_their_scenario(understood: MeiliSearch) -> None:
    # no listing says 用能 (energy use), but it means energy management
    result = understood.search(SearchQuery(q="用能分析"))

    assert result.total >= 1 and "P2" in [hit.id for hit in result.hits]
    assert result.scenarios[0] == "energy_management"


def test_a_scenario_the_user_filtered_on_is_never_widened(understood: MeiliSearch) -> None:
    filters = SearchFilters(scenario=("warehouse",))

    assert understood.search(SearchQuery(q="用能分析", filters=filters)).total == 0


def test_without_a_reader_meilisearch_answers_alone(indexed: MeiliSearch) -> None:
    result = indexed.search(SearchQuery(q="能耗"))

    assert result.did_you_mean is None and result.scenarios == []
    assert [hit.id for hit in result.hits] == ["P2"]


def test_a_reader_that_is_down_leaves_the_search_to_meilisearch(fake_meili: FakeMeili, catalog) -> None:
    def broken(q: str):
        raise SearchUnavailable("the embedded file is locked")

    meili = MeiliSearch(BASE_URL, "test-key", synonyms=SYNONYMS, task_timeout_s=1.0, understand=broken)
    meili.upsert(catalog)

    assert [hit.id for hit in meili.search(SearchQuery(q="能耗")).hits] == ["P2"]
