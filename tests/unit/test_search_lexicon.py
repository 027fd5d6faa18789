"""The synonym data: it points at real taxonomy codes, splits queries into known terms, and feeds Meilisearch."""

from __future__ import annotations

from catalog.taxonomy import load_taxonomy
from search.lexicon import load_lexicon, meili_synonyms
from search.text import normalize


def _pieces(q: str) -> list[tuple[str, bool]]:
    return [(span.text, span.entry is not None) for span in load_lexicon().segment(normalize(q))]


def test_every_scenario_and_industry_in_the_data_exists_in_the_taxonomy() -> None:
    taxonomy = load_taxonomy()
    lexicon = load_lexicon()

    assert {code for group in lexicon.groups for code in group.scenarios} <= set(taxonomy.scenarios)
    assert {code for group in lexicon.groups for code in group.industries} <= set(taxonomy.industries)


def test_every_scenario_of_the_taxonomy_has_vocabulary() -> None:
    covered = {code for group in load_lexicon().groups for code in group.scenarios}

    assert covered == set(load_taxonomy().scenarios)


def test_the_longest_known_term_wins() -> None:
    assert _pieces("仓库管理系统") == [("仓库管理", True), ("系统", True)]
    assert _pieces("预测性维护系统") == [("预测性维护", True), ("系统", True)]


def test_english_phrases_and_mixed_terms_are_single_terms() -> None:
    assert _pieces("Predictive Maintenance") == [("predictive maintenance", True)]
    assert _pieces("AI质检") == [("ai质检", True)]


def test_unknown_chinese_between_terms_stays_one_free_piece() -> None:
    assert _pieces("熔铸 磨床改造") == [("熔铸", True), ("磨床改造", False)]


def test_punctuation_ends_a_term() -> None:
    assert ("predictive maintenance", True) not in _pieces("predictive, maintenance")


def test_abbreviations_and_both_languages_are_synonyms() -> None:
    lexicon = load_lexicon()
    wms = lexicon.entry("WMS")

    assert wms is not None and wms.scenarios == {"warehouse": 1.0}
    assert {"仓储管理", "仓库管理"} <= set(lexicon.expansions(wms))


def test_a_term_shared_by_two_scenarios_points_to_both() -> None:
    entry = load_lexicon().entry("进销存")

    assert entry is not None and set(entry.scenarios) == {"warehouse", "erp_finance"}


def test_meilisearch_synonyms_map_terms_to_their_groups() -> None:
    synonyms = meili_synonyms()

    assert "仓储管理" in synonyms["wms"]
    assert "系统" not in synonyms  # generic words are not synonyms of anything
    assert all(term not in others for term, others in synonyms.items())
