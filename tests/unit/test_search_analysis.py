"""Query understanding: scenarios from the lexicon and from the catalogue, industry words, spelling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from search.analysis import QueryAnalysis, analyse_query
from search.corpus import MemoryCorpus, NoCorpus
from search.documents import SearchDocument
from search.lexicon import Lexicon, load_lexicon
from search.spelling import Vocabulary

Analyse = Callable[[str], QueryAnalysis]


def _doc(doc_id: str, name: str, scenario: str, industries: tuple[str, ...] = ()) -> SearchDocument:
    return SearchDocument(
        id=doc_id, name=name, summary="", description="", provider_id="S", provider_name="供应商",
        scenarios=(scenario,), scenario_groups=(), industries=industries, price_min_wan=1.0, price_max_wan=2.0,
        deployment="saas", delivery_days=10,
    )  # fmt: skip


@pytest.fixture
def corpus() -> MemoryCorpus:
    """A small catalogue whose tags teach that 空压机 is energy work and 漆包线 an electrical-industry word."""
    return MemoryCorpus([
        _doc("A", "空压机节电改造", "energy_management"),
        _doc("B", "空压机群控平台", "energy_management"),
        _doc("C", "空压机联网监测", "equipment_monitoring"),
        _doc("D", "漆包线生产管理", "mes", ("electrical",)),
        _doc("E", "漆包线质量追溯", "quality_traceability", ("electrical",)),
        _doc("F", "视觉质检一体机", "visual_inspection"),
        _doc("G", "Energy dashboard", "energy_management"),
    ])  # fmt: skip


@pytest.fixture
def analyse(corpus: MemoryCorpus) -> Analyse:
    """Analyse a query against the small catalogue and the real lexicon."""
    lexicon = load_lexicon()
    vocabulary = Vocabulary(lexicon, corpus.spelling_vocabulary)
    return lambda q: analyse_query(q, lexicon=lexicon, corpus=corpus, vocabulary=vocabulary)


def test_a_synonym_means_its_scenario(analyse: Analyse) -> None:
    assert list(analyse("电耗").scenarios)[0] == "energy_management"
    assert list(analyse("WMS").scenarios) == ["warehouse"]


def test_a_word_meaning_two_scenarios_keeps_both(analyse: Analyse) -> None:
    assert set(analyse("进销存").scenarios) == {"warehouse", "erp_finance"}


def test_an_unknown_word_takes_its_scenarios_from_the_listings_that_use_it(analyse: Analyse) -> None:
    scenarios = analyse("空压机").scenarios

    assert list(scenarios)[0] == "energy_management"
    assert scenarios["energy_management"] > scenarios.get("equipment_monitoring", 0.0)


def test_the_catalogue_alone_teaches_scenarios_when_the_lexicon_knows_nothing(corpus: MemoryCorpus) -> None:
    bare = Lexicon([], [])
    analysis = analyse_query("空压机", lexicon=bare, corpus=corpus, vocabulary=Vocabulary(bare))

    assert list(analysis.scenarios)[0] == "energy_management"


def test_an_industry_word_names_the_industry_not_a_scenario(analyse: Analyse) -> None:
    analysis = analyse("视觉质检 轴承")

    assert analysis.industries == ("bearings",)
    assert list(analysis.scenarios) == ["visual_inspection"]


def test_a_word_used_only_by_one_industry_is_learnt_as_an_industry_word(analyse: Analyse) -> None:
    assert analyse("漆包线").industries == ("electrical",)


def test_generic_words_carry_little_weight(analyse: Analyse) -> None:
    weights = {c.text: c.weight for c in analyse("仓库管理系统").concepts}

    assert weights["系统"] < weights["仓库管理"]


def test_typos_are_corrected_and_offered_back(analyse: Analyse) -> None:
    chinese = analyse("视觉质建")
    english = analyse("energy managment")

    assert chinese.did_you_mean == "视觉质检"
    assert list(chinese.scenarios) == ["visual_inspection"]
    assert english.did_you_mean == "energy management"
    assert list(english.scenarios)[0] == "energy_management"


def test_a_correct_query_is_not_corrected(analyse: Analyse) -> None:
    assert analyse("空压机节电").did_you_mean is None
    assert analyse("仓库管理系统").did_you_mean is None


def test_without_a_catalogue_the_lexicon_still_understands_queries() -> None:
    lexicon = load_lexicon()
    analysis = analyse_query("预测性维护", lexicon=lexicon, corpus=NoCorpus(), vocabulary=Vocabulary(lexicon))

    assert list(analysis.scenarios) == ["equipment_monitoring"]
    assert analysis.did_you_mean is None


def test_highlight_terms_hold_the_query_and_its_synonyms(analyse: Analyse) -> None:
    terms = analyse("WMS").highlight_terms()

    assert {"wms", "仓储管理"} <= terms


def test_an_empty_query_means_nothing(analyse: Analyse) -> None:
    assert analyse("  ").empty
    assert replace(analyse("WMS"), concepts=()).empty
