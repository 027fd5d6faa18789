"""Relevance: the scenario a query means outranks loose word matches; industry words lift their industry."""

from __future__ import annotations

from search.analysis import Concept, QueryAnalysis
from search.ranking import Candidate, rank, relevance, text_coverage, tokens
from search.text import index_text, query_tokens


def _candidate(doc_id: str, name: str, scenarios: tuple[str, ...], industries: tuple[str, ...] = (),
               body: str = "") -> Candidate:  # fmt: skip
    return Candidate(doc_id, tokens(index_text(name)), tokens(index_text(body)), scenarios, industries)


def _query(*texts: str, scenarios: dict[str, float] | None = None, industries: tuple[str, ...] = (),
           synonyms: tuple[str, ...] = ()) -> QueryAnalysis:  # fmt: skip
    concepts = tuple(
        Concept(
            text, tuple(query_tokens(text)), 1.0, expansions=tuple(tuple(query_tokens(s)) for s in synonyms)
        )
        for text in texts
    )
    return QueryAnalysis(" ".join(texts), concepts, scenarios or {}, industries)


def test_a_listing_of_the_meant_scenario_beats_one_that_only_shares_a_word() -> None:
    analysis = _query("视觉质检", scenarios={"visual_inspection": 1.0})
    tagged = _candidate("A", "外观缺陷检测一体机", ("visual_inspection",))
    loose = _candidate("B", "视觉引导分拣", ("smart_sorting",))

    assert [doc_id for doc_id, _ in rank([loose, tagged], analysis)] == ["A", "B"]


def test_a_primary_tag_counts_more_than_a_secondary_one() -> None:
    analysis = _query("追溯", scenarios={"quality_traceability": 1.0})
    primary = _candidate("A", "追溯系统", ("quality_traceability",))
    secondary = _candidate("B", "追溯系统", ("mes", "quality_traceability"))

    assert relevance(primary, analysis) > relevance(secondary, analysis) > 0


def test_the_named_industry_rises_general_stays_and_other_industries_sink() -> None:
    analysis = _query("视觉质检", scenarios={"visual_inspection": 1.0}, industries=("bearings",))
    built_for = _candidate("A", "视觉质检", ("visual_inspection",), ("bearings",))
    general = _candidate("B", "视觉质检", ("visual_inspection",))
    other = _candidate("C", "视觉质检", ("visual_inspection",), ("chemicals",))

    assert [doc_id for doc_id, _ in rank([other, general, built_for], analysis)] == ["A", "B", "C"]


def test_words_in_the_name_count_more_than_in_the_description_and_synonyms_count_too() -> None:
    analysis = _query("仓库管理", synonyms=("仓储管理",))
    in_name = _candidate("A", "仓库管理", ())
    synonym = _candidate("B", "仓储管理", ())
    in_body = _candidate("C", "小程序", (), body="仓库管理")
    nothing = _candidate("D", "小程序", ())

    scores = [text_coverage(c, analysis) for c in (in_name, synonym, in_body, nothing)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0 and scores[-1] == 0.0


def test_ranking_only_the_first_places_gives_the_same_first_places() -> None:
    analysis = _query("能耗", scenarios={"energy_management": 1.0})
    pool = [
        _candidate(f"P{i}", "能耗" if i % 3 else "看板", ("energy_management",) if i % 2 else ("mes",))
        for i in range(30)
    ]

    assert rank(pool, analysis, limit=5) == rank(pool, analysis)[:5]
