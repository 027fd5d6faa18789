"""The FTS5 expressions of the embedded backend: common words pruned, synonyms required in full, filters as tokens."""

from __future__ import annotations

from search.analysis import Concept, QueryAnalysis
from search.backend import SearchFilters
from search.fts_plan import build_plan, facet_token, filter_expression, quote
from search.text import query_tokens


def _analysis(*concepts: Concept, scenarios: dict[str, float] | None = None) -> QueryAnalysis:
    return QueryAnalysis("q", concepts, scenarios or {}, ())


def _concept(text: str, *synonyms: str, weight: float = 1.0) -> Concept:
    return Concept(
        text, tuple(query_tokens(text)), weight, expansions=tuple(tuple(query_tokens(s)) for s in synonyms)
    )


def test_words_most_listings_hold_are_left_out_when_rarer_ones_exist() -> None:
    df = {"仓库": 40, "库管": 20, "管理": 700, "理系": 500, "系统": 800}

    plan = build_plan(_analysis(_concept("仓库管理系统")), df, size=1000)

    assert plan.match == '("仓库" OR "库管")'


def test_a_concept_made_only_of_common_words_must_match_in_full() -> None:
    plan = build_plan(_analysis(_concept("管理系统")), {"管理": 700, "理系": 500, "系统": 800}, size=1000)

    assert plan.match == '("管理" AND "理系" AND "系统")'


def test_a_synonym_matches_only_in_full_and_unknown_synonyms_are_dropped() -> None:
    df = {"wms": 10, "仓储": 30, "储管": 25, "管理": 700, "仓库": 0}

    plan = build_plan(_analysis(_concept("wms", "仓储管理", "仓库")), df, size=1000)

    assert plan.match == '("wms" OR ("仓储" AND "储管"))'


def test_a_clearly_meant_scenario_adds_its_listings() -> None:
    plan = build_plan(
        _analysis(_concept("能耗"), scenarios={"energy_management": 1.0, "mes": 0.3}), {"能耗": 5}, 100
    )

    assert plan.scenarios == quote(facet_token("primary", "energy_management"))
    assert plan.match == f'("能耗" OR {plan.scenarios})'


def test_generic_words_do_not_widen_the_match() -> None:
    plan = build_plan(_analysis(_concept("能耗"), _concept("平台", weight=0.2)), {"能耗": 5, "平台": 60}, 100)

    assert plan.match == '"能耗"'


def test_filters_become_facet_tokens_and_the_industry_filter_keeps_general_products() -> None:
    expression = filter_expression(SearchFilters(industry=("bearings",), deployment=("saas", "hybrid")))

    assert expression is not None
    assert quote(facet_token("industry", "general")) in expression
    assert quote(facet_token("deployment", "hybrid")) in expression
    assert filter_expression(SearchFilters(industry=("bearings",)), skip="industry") is None


def test_facet_tokens_are_single_index_tokens_whatever_the_code() -> None:
    token = facet_token("provider", 'S 1"; DROP')

    assert token.isalnum() and token.isascii()
