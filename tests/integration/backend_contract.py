"""Behaviour every search backend owes the marketplace, as reusable tests.

A backend's test module provides a ``search_backend`` fixture (an empty backend with its index ensured) and
imports these tests: ``from tests.integration.backend_contract import *  # noqa: F403``. The embedded backend runs
them in ``test_embedded_search_contract.py``; the Meilisearch backend can run the same ones against a live server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import pytest

from search.backend import FACETS, SearchBackend, SearchFilters, SearchQuery, SearchResult
from search.documents import SearchDocument

MakeDoc = Callable[..., SearchDocument]

__all__ = [
    "catalogue",
    "indexed",
    "make_doc",
    "test_a_chinese_two_character_word_finds_the_listings_holding_it",
    "test_english_words_match_whatever_the_case_or_plural",
    "test_a_chinese_typo_still_finds_the_listings_and_offers_the_correction",
    "test_an_english_typo_still_finds_the_listings_and_offers_the_correction",
    "test_a_synonym_finds_listings_that_use_another_word",
    "test_an_english_query_finds_chinese_listings",
    "test_the_query_is_understood_as_scenarios",
    "test_an_industry_word_puts_that_industry_first",
    "test_a_meaningful_query_without_literal_matches_falls_back_to_its_scenario",
    "test_the_industry_filter_keeps_general_products",
    "test_filters_combine_across_facets_and_within_one",
    "test_facet_counts_are_disjunctive",
    "test_each_facet_count_is_what_picking_that_value_returns",
    "test_sorts_order_the_hits",
    "test_pages_split_the_results_without_overlap",
    "test_highlights_escape_listing_markup_and_mark_matches",
    "test_upsert_replaces_a_listing",
    "test_delete_removes_listings_and_ignores_unknown_ids",
    "test_rebuild_replaces_the_whole_index",
    "test_a_reader_never_sees_half_a_rebuild",
    "test_fingerprints_describe_every_indexed_listing",
    "test_suggest_completes_vocabulary_before_product_names",
    "test_an_empty_query_lists_everything",
    "test_the_backend_reports_its_health",
]


@pytest.fixture
def make_doc() -> MakeDoc:
    """Build a search document; keyword arguments override the defaults."""
    base = SearchDocument(
        id="X",
        name="通用产品",
        summary="",
        description="",
        provider_id="S1",
        provider_name="洛阳数智科技",
        scenarios=("bi_dashboard",),
        scenario_groups=("management",),
        industries=(),
        price_min_wan=8.0,
        price_max_wan=12.0,
        deployment="saas",
        delivery_days=30,
        rating=None,
        review_count=0,
        published_at=1_700_000_000.0,
    )
    return lambda **over: replace(base, **over)


@pytest.fixture
def catalogue(make_doc: MakeDoc) -> list[SearchDocument]:
    """Eight listings over several scenarios, industries (some general), prices, deployments and providers."""
    return [
        make_doc(id="VI1", name="轴承套圈视觉质检系统", summary="套圈表面缺陷在线检测", scenarios=("visual_inspection",),
                 scenario_groups=("production",), industries=("bearings",), price_min_wan=12.0, price_max_wan=30.0,
                 deployment="on_premise", provider_id="S1", rating=4.6, published_at=1_700_000_100.0),
        make_doc(id="VI2", name="化工包装袋缺陷视觉检测", summary="AI外观检测一体机", scenarios=("visual_inspection",),
                 scenario_groups=("production",), industries=("chemicals",), price_min_wan=25.0, price_max_wan=40.0,
                 deployment="hybrid", provider_id="S2", rating=4.9, published_at=1_690_000_000.0),
        make_doc(id="EN1", name="企业能耗监测平台", summary="水电气分项计量与能耗看板", scenarios=("energy_management",),
                 scenario_groups=("production",), price_min_wan=3.0, price_max_wan=6.0, provider_id="S2",
                 rating=None, published_at=1_710_000_000.0),
        make_doc(id="WH1", name="云仓储管理系统", summary="扫码出入库与库位管理", scenarios=("warehouse",),
                 scenario_groups=("supply_chain",), price_min_wan=6.0, price_max_wan=9.0, provider_id="S3",
                 rating=4.0, published_at=1_705_000_000.0),
        make_doc(id="EM1", name="设备预测性维护系统", summary="振动监测与故障预警", scenarios=("equipment_monitoring",),
                 scenario_groups=("production",), industries=("nonferrous",), price_min_wan=55.0,
                 price_max_wan=80.0, deployment="on_premise", provider_id="S3", rating=3.8,
                 published_at=1_720_000_000.0),
        make_doc(id="BG1", name="Bearing Defect Inspection Suite", summary="Camera-based inspection of bearings",
                 scenarios=("visual_inspection", "quality_traceability"), scenario_groups=("production",),
                 industries=("bearings",), price_min_wan=9.0, price_max_wan=15.0, provider_id="S4", rating=4.2,
                 published_at=1_715_000_000.0),
        make_doc(id="CY1", name="工控安全防护一体机", summary="防火墙与主机加固", scenarios=("cybersecurity",),
                 scenario_groups=("cloud",), price_min_wan=15.0, price_max_wan=20.0, deployment="on_premise",
                 provider_id="S4", rating=4.4, published_at=1_701_000_000.0),
        make_doc(id="HR1", name="协同办公平台", summary="审批、公文与考勤", scenarios=("collaboration_hr",),
                 scenario_groups=("management",), price_min_wan=1.0, price_max_wan=2.0, provider_id="S5",
                 rating=4.1, published_at=1_702_000_000.0),
    ]  # fmt: skip


@pytest.fixture
def indexed(search_backend: SearchBackend, catalogue: list[SearchDocument]) -> SearchBackend:
    """The backend holding the catalogue."""
    search_backend.upsert(catalogue)
    return search_backend


def _ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def _search(backend: SearchBackend, q: str = "", **options: object) -> SearchResult:
    return backend.search(SearchQuery(q=q, **options))  # type: ignore[arg-type]


# -- finding ----------------------------------------------------------------------------------------------------


def test_a_chinese_two_character_word_finds_the_listings_holding_it(indexed: SearchBackend) -> None:
    result = _search(indexed, "仓储")

    assert _ids(result)[0] == "WH1"
    assert "HR1" not in _ids(result)


def test_english_words_match_whatever_the_case_or_plural(indexed: SearchBackend) -> None:
    assert _ids(_search(indexed, "BEARINGS"))[0] == "BG1"
    assert _ids(_search(indexed, "inspection suite"))[0] == "BG1"


def test_a_chinese_typo_still_finds_the_listings_and_offers_the_correction(indexed: SearchBackend) -> None:
    result = _search(indexed, "视觉质建")

    assert set(_ids(result)[:2]) == {"VI1", "VI2"}
    assert result.did_you_mean == "视觉质检"


def test_an_english_typo_still_finds_the_listings_and_offers_the_correction(indexed: SearchBackend) -> None:
    result = _search(indexed, "inspectoin")

    assert "BG1" in _ids(result)
    assert result.did_you_mean == "inspection"


def test_a_synonym_finds_listings_that_use_another_word(indexed: SearchBackend) -> None:
    # nobody wrote 仓库管理 or WMS: the warehouse listing says 仓储管理
    assert _ids(_search(indexed, "仓库管理"))[0] == "WH1"
    assert _ids(_search(indexed, "WMS"))[0] == "WH1"


def test_an_english_query_finds_chinese_listings(indexed: SearchBackend) -> None:
    assert _ids(_search(indexed, "predictive maintenance"))[0] == "EM1"
    assert _ids(_search(indexed, "energy management"))[0] == "EN1"


def test_the_query_is_understood_as_scenarios(indexed: SearchBackend) -> None:
    assert _search(indexed, "能耗").scenarios[0] == "energy_management"
    assert _search(indexed, "机器视觉").scenarios[0] == "visual_inspection"


def test_an_industry_word_puts_that_industry_first(indexed: SearchBackend) -> None:
    assert _ids(_search(indexed, "视觉检测 化工"))[0] == "VI2"
    assert _ids(_search(indexed, "视觉检测 轴承"))[0] in {"VI1", "BG1"}


def test_a_meaningful_query_without_literal_matches_falls_back_to_its_scenario(
    indexed: SearchBackend,
) -> None:
    # no listing says 等保 (classified protection), but it is what the cybersecurity listing is for
    result = _search(indexed, "等保测评")

    assert result.total >= 1
    assert _ids(result)[0] == "CY1"


# -- filters and facets ---------------------------------------------------------------------------------------------


def test_the_industry_filter_keeps_general_products(indexed: SearchBackend) -> None:
    result = _search(indexed, filters=SearchFilters(industry=("bearings",)))

    assert sorted(_ids(result)) == ["BG1", "CY1", "EN1", "HR1", "VI1", "WH1"]


def test_filters_combine_across_facets_and_within_one(indexed: SearchBackend) -> None:
    within = _search(indexed, filters=SearchFilters(deployment=("hybrid", "on_premise")))
    across = _search(indexed, filters=SearchFilters(deployment=("on_premise",), price_band=("10to20",)))
    worded = _search(indexed, "视觉", filters=SearchFilters(scenario_group=("production",), provider=("S2",)))

    assert sorted(_ids(within)) == ["CY1", "EM1", "VI1", "VI2"]
    assert sorted(_ids(across)) == ["CY1", "VI1"]
    assert _ids(worded) == ["VI2"]


def test_facet_counts_are_disjunctive(indexed: SearchBackend) -> None:
    result = _search(indexed, filters=SearchFilters(scenario=("visual_inspection",), deployment=("saas",)))

    assert _ids(result) == ["BG1"]
    # scenario counts ignore the scenario filter but keep the deployment one (EN1, WH1, BG1, HR1 are SaaS)
    assert result.facets["scenario"] == {
        "visual_inspection": 1, "quality_traceability": 1, "energy_management": 1, "warehouse": 1,
        "collaboration_hr": 1,
    }  # fmt: skip
    # deployment counts ignore the deployment filter but keep the scenario one (VI1, VI2, BG1)
    assert result.facets["deployment"] == {"on_premise": 1, "hybrid": 1, "saas": 1}
    assert set(result.facets) == set(FACETS)


@pytest.mark.parametrize("q", ["", "检测"])
def test_each_facet_count_is_what_picking_that_value_returns(indexed: SearchBackend, q: str) -> None:
    base = SearchFilters(price_band=("5to10", "10to20", "20to50"))
    result = _search(indexed, q, filters=base)

    assert result.facets["price_band"]
    for facet, counts in result.facets.items():
        for value, n in counts.items():
            picked = _search(indexed, q, filters=replace(base, **{facet: (value,)}), with_facets=False)
            assert picked.total == n, (facet, value)


# -- order and pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["HR1", "EN1", "WH1", "BG1", "VI1", "CY1", "VI2", "EM1"]),
        ("price_desc", ["EM1", "VI2", "CY1", "VI1", "BG1", "WH1", "EN1", "HR1"]),
        ("newest", ["EM1", "BG1", "EN1", "WH1", "HR1", "CY1", "VI1", "VI2"]),
        ("rating", ["VI2", "VI1", "CY1", "BG1", "HR1", "WH1", "EM1", "EN1"]),  # unrated last
    ],
)
def test_sorts_order_the_hits(indexed: SearchBackend, sort: str, expected: list[str]) -> None:
    assert _ids(_search(indexed, sort=sort)) == expected


@pytest.mark.parametrize("q", ["", "检测"])
def test_pages_split_the_results_without_overlap(indexed: SearchBackend, q: str) -> None:
    everything = _search(indexed, q, per_page=50)
    pages = [_search(indexed, q, page=page, per_page=2) for page in range(1, everything.total // 2 + 3)]

    assert everything.total >= 3
    assert {page.total for page in pages} == {everything.total}
    assert [hit for page in pages for hit in _ids(page)] == _ids(everything)


def test_highlights_escape_listing_markup_and_mark_matches(
    search_backend: SearchBackend, make_doc: MakeDoc
) -> None:
    search_backend.upsert(
        [make_doc(id="XSS", name="<script>alert(1)</script> 质检 <mark>", summary="A & B 质检")]
    )

    hit = _search(search_backend, "质检").hits[0]

    assert hit.highlights["name"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>质检</mark> &lt;mark&gt;"
    assert hit.highlights["summary"] == "A &amp; B <mark>质检</mark>"


# -- writes ------------------------------------------------------------------------------------------------------


def test_upsert_replaces_a_listing(indexed: SearchBackend, catalogue: list[SearchDocument]) -> None:
    renamed = replace(catalogue[3], name="云端库存管家")
    indexed.upsert([renamed])

    hit = _search(indexed, "库存管家").hits[0]
    assert hit.id == "WH1"
    assert hit.highlights["name"] == "云端<mark>库存管家</mark>"
    assert _search(indexed).total == len(catalogue)
    assert indexed.fingerprints()["WH1"] == renamed.fingerprint


def test_delete_removes_listings_and_ignores_unknown_ids(
    indexed: SearchBackend, catalogue: list[SearchDocument]
) -> None:
    indexed.delete(["WH1", "NOPE"])

    assert "WH1" not in _ids(_search(indexed, "仓储"))
    assert _search(indexed).total == len(catalogue) - 1
    assert "WH1" not in indexed.fingerprints()


def test_rebuild_replaces_the_whole_index(indexed: SearchBackend, make_doc: MakeDoc) -> None:
    indexed.rebuild([make_doc(id="NEW", name="全新能耗管理系统", scenarios=("energy_management",))])

    assert _ids(_search(indexed)) == ["NEW"]
    assert _ids(_search(indexed, "能耗")) == ["NEW"]


def test_a_reader_never_sees_half_a_rebuild(indexed: SearchBackend, make_doc: MakeDoc) -> None:
    fresh = [make_doc(id=f"R{i:04d}", name=f"新品{i}号能耗平台") for i in range(600)]
    seen: set[int] = set()
    done = threading.Event()

    def rebuild() -> None:
        indexed.rebuild(fresh)
        done.set()

    writer = threading.Thread(target=rebuild)
    writer.start()
    while not done.is_set():
        seen.add(_search(indexed, with_facets=False).total)
    writer.join()
    seen.add(_search(indexed, with_facets=False).total)

    assert seen <= {8, 600}
    assert 600 in seen


def test_fingerprints_describe_every_indexed_listing(
    indexed: SearchBackend, catalogue: list[SearchDocument]
) -> None:
    assert indexed.fingerprints() == {doc.id: doc.fingerprint for doc in catalogue}


# -- completion and browsing ----------------------------------------------------------------------------------


def test_suggest_completes_vocabulary_before_product_names(indexed: SearchBackend) -> None:
    suggestions = indexed.suggest("能耗", limit=8)

    assert suggestions[0] == "能耗"
    assert "企业能耗监测平台" not in suggestions or suggestions.index("企业能耗监测平台") > suggestions.index(
        "能耗管理"
    )
    assert all("能耗" in s for s in suggestions)
    assert len(indexed.suggest("能耗", limit=2)) == 2
    assert indexed.suggest("   ") == []


def test_an_empty_query_lists_everything(indexed: SearchBackend, catalogue: list[SearchDocument]) -> None:
    result = _search(indexed, per_page=3)

    assert result.total == len(catalogue)
    assert len(result.hits) == 3
    assert result.facets["industry"]["bearings"] == 6  # 2 bearings listings + 4 general ones


def test_the_backend_reports_its_health(search_backend: SearchBackend) -> None:
    assert search_backend.health() is True
