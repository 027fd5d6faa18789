"""The pure parts of the Meilisearch adapter: document mapping, filter expressions, sorts, query building and
safe highlights. No HTTP here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.taxonomy import load_taxonomy
from search.backend import SORTS, SearchFilters, SearchQuery
from search.documents import SearchDocument
from search.meili_documents import (
    facet_clause,
    filter_expression,
    filter_value,
    index_settings,
    meili_document,
    sort_rules,
)
from search.meili_highlight import safe_highlight
from search.meili_query import search_queries
from tests.contract.fake_filter import compile_filter, tokens

MakeDoc = Callable[..., SearchDocument]


# -- document mapping ---------------------------------------------------------------------------------------


def test_document_carries_price_band_labels_and_fingerprint(make_doc: MakeDoc) -> None:
    doc = make_doc(price_min_wan=12.0, scenarios=("visual_inspection", "quality_traceability"))

    stored = meili_document(doc, taxonomy=load_taxonomy())

    assert stored["price_band"] == "10to20"
    assert stored["scenario_labels"][:2] == ["视觉质检", "Visual inspection"]
    assert "质量追溯与SPC" in stored["scenario_labels"]
    assert stored["industry_labels"] == ["轴承及通用零部件", "Bearings and general parts"]
    assert stored["is_general"] is False
    assert stored["fingerprint"] == doc.fingerprint
    assert stored["scenarios"] == ["visual_inspection", "quality_traceability"]


def test_general_product_is_flagged(make_doc: MakeDoc) -> None:
    stored = meili_document(make_doc(industries=()), taxonomy=load_taxonomy())

    assert stored["is_general"] is True
    assert stored["industries"] == []


def test_every_filtered_or_sorted_attribute_is_declared_in_the_settings(make_doc: MakeDoc) -> None:
    settings = index_settings(synonyms={})
    stored = meili_document(make_doc(), taxonomy=load_taxonomy())

    declared = set(settings["filterableAttributes"]) | set(settings["sortableAttributes"])
    declared |= set(settings["searchableAttributes"])
    assert declared <= set(stored)
    for sort in SORTS:
        assert {rule.split(":")[0] for rule in sort_rules(sort)} <= set(settings["sortableAttributes"])


def test_settings_pass_synonyms_and_drop_empty_entries() -> None:
    settings = index_settings(synonyms={"能耗": ("能源管理",), "空": ()})

    assert settings["synonyms"] == {"能耗": ["能源管理"]}


# -- filters ------------------------------------------------------------------------------------------------


def test_filter_values_escape_quotes_and_backslashes() -> None:
    assert filter_value('say "hi"') == '"say \\"hi\\""'
    assert filter_value("C:\\dir") == '"C:\\\\dir"'


@given(st.text())
def test_any_filter_value_reads_back_unchanged(value: str) -> None:
    assert tokens(filter_value(value)) == [("string", value)]


def test_filter_expression_ands_facets_and_keeps_general_products_for_industries() -> None:
    filters = SearchFilters(industry=("bearings", "chemicals"), deployment=("saas",))

    assert filter_expression(filters) == (
        '(industries IN ["bearings", "chemicals"] OR is_general = true) AND deployment IN ["saas"]'
    )
    assert filter_expression(filters, skip="industry") == 'deployment IN ["saas"]'
    assert filter_expression(SearchFilters()) is None


def test_a_quote_in_a_filter_value_cannot_widen_the_filter() -> None:
    hostile = 'S1"] OR provider_id IN ["S2'
    keep = compile_filter(facet_clause("provider", (hostile,)) or "")

    assert not keep({"provider_id": "S1"})
    assert not keep({"provider_id": "S2"})
    assert keep({"provider_id": hostile})


def test_sorts_map_to_meilisearch_rules() -> None:
    assert sort_rules("relevance") == []
    assert sort_rules("rating") == ["rating:desc"]
    assert sort_rules("price_asc")[0] == "price_min_wan:asc"
    assert sort_rules("price_desc")[0] == "price_min_wan:desc"
    assert sort_rules("newest") == ["published_at:desc"]
    with pytest.raises(ValueError, match="cheapest"):
        sort_rules("cheapest")


# -- query building -----------------------------------------------------------------------------------------


def test_one_query_per_filtered_facet_each_without_its_own_filter() -> None:
    filters = SearchFilters(scenario=("mes",), provider=("S1",))

    main, scenario_counts, provider_counts = search_queries(
        SearchQuery(q="工单", filters=filters, sort="newest", page=3, per_page=10), index_uid="products"
    )

    assert main["filter"] == 'scenarios IN ["mes"] AND provider_id IN ["S1"]'
    assert (main["page"], main["hitsPerPage"], main["sort"]) == (3, 10, ["published_at:desc"])
    assert "scenarios" not in main["facets"] and "provider_id" not in main["facets"]
    assert (scenario_counts["facets"], scenario_counts["filter"]) == (["scenarios"], 'provider_id IN ["S1"]')
    assert (provider_counts["facets"], provider_counts["filter"]) == (["provider_id"], 'scenarios IN ["mes"]')
    assert scenario_counts["limit"] == 0


def test_without_facets_only_the_page_is_asked_for() -> None:
    (only,) = search_queries(SearchQuery(q="x", with_facets=False), index_uid="products")

    assert "facets" not in only and "filter" not in only and "sort" not in only
    assert only["highlightPreTag"] == "<mark>" and only["highlightPostTag"] == "</mark>"


# -- highlights ---------------------------------------------------------------------------------------------


def test_markup_in_a_listing_is_escaped_and_marks_are_kept() -> None:
    raw = "<script>alert('x')</script>视觉质检"
    formatted = "<script>alert('x')</script><mark>视觉</mark>质检"

    assert safe_highlight(raw=raw, formatted=formatted) == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<mark>视觉</mark>质检"
    )


def test_a_literal_mark_tag_in_a_listing_stays_text() -> None:
    raw = "a <mark>b</mark> c"
    formatted = "<mark>a</mark> <mark>b</mark> c"

    assert safe_highlight(raw=raw, formatted=formatted) == "<mark>a</mark> &lt;mark&gt;b&lt;/mark&gt; c"


def test_unalignable_formatted_text_falls_back_to_escaped_raw_text() -> None:
    assert safe_highlight(raw="<b>x</b>", formatted="…<mark>x</mark>") == "&lt;b&gt;x&lt;/b&gt;"
    assert safe_highlight(raw="<b>", formatted=None) == "&lt;b&gt;"


@st.composite
def _text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    raw = draw(st.text(alphabet=st.sampled_from(list("ab<>&\"'/mrk 质检")), max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=6, unique=True)))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
    return raw, spans


@given(_text_and_spans())
def test_highlighting_never_lets_raw_markup_through(case: tuple[str, list[tuple[int, int]]]) -> None:
    raw, spans = case
    formatted, pos = "", 0
    for start, end in spans:
        formatted += raw[pos:start] + "<mark>" + raw[start:end] + "</mark>"
        pos = end
    formatted += raw[pos:]

    shown = safe_highlight(raw=raw, formatted=formatted)

    assert shown.replace("<mark>", "").replace("</mark>", "") == escape(raw)
    assert shown.count("<mark>") == shown.count("</mark>") <= len(spans)
