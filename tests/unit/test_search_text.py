"""Tokenising for search: Chinese as bigrams, English as folded words, the same at index and query time."""

from __future__ import annotations

import pytest

from search.text import index_text, index_tokens, normalize, query_tokens, stem


def test_chinese_is_indexed_as_overlapping_bigrams_plus_its_last_character() -> None:
    assert index_tokens("视觉质检") == ["视觉", "觉质", "质检", "检"]


def test_a_single_chinese_character_is_its_own_token() -> None:
    assert index_tokens("铝 MES") == ["铝", "mes"]


def test_english_is_lowercased_and_acronyms_survive() -> None:
    assert index_tokens("WMS、ERP与MES") == ["wms", "erp", "与", "mes"]


@pytest.mark.parametrize(("word", "folded"), [("bearings", "bearing"), ("batteries", "battery"),
                                                ("boxes", "box"), ("process", "process"), ("analysis", "analysis"),
                                                ("mes", "mes"), ("gas", "gas")])  # fmt: skip
def test_plurals_fold_to_the_singular_but_short_words_and_latin_endings_do_not(
    word: str, folded: str
) -> None:
    assert stem(word) == folded


def test_full_width_letters_and_digits_are_the_same_as_ascii() -> None:
    assert normalize("ＷＭＳ５Ｇ") == "wms5g"
    assert index_tokens("ＥＲＰ系统") == index_tokens("ERP系统")


def test_the_fast_index_form_holds_exactly_the_same_tokens() -> None:
    text = "面向轴承企业的ＡＩ视觉质检（Bearings），支持PLC/OPC UA采集、5G专网与边缘计算。铝"

    assert sorted(index_text(text).split()) == sorted(index_tokens(text))


def test_query_tokens_are_the_bigrams_without_the_trailing_character() -> None:
    assert query_tokens("仓库管理 WMS") == ["仓库", "库管", "管理", "wms"]
