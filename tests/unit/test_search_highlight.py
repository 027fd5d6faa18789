"""Highlights: everything a provider typed is escaped; only the marks added for the query are markup."""

from __future__ import annotations

from search.highlight import Highlighter, highlight


def test_markup_in_a_listing_comes_back_as_text() -> None:
    marked = highlight('<img src=x onerror="alert(1)"> 质检 <mark>', terms={"质检"})

    assert marked == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>质检</mark> &lt;mark&gt;"


def test_overlapping_chinese_terms_mark_one_continuous_stretch() -> None:
    assert highlight("AI视觉质检系统", terms={"视觉", "觉质", "质检"}) == "AI<mark>视觉质检</mark>系统"


def test_english_words_match_whole_and_folded_but_not_inside_other_words() -> None:
    marked = highlight("Bearings and bearing-free PLCs", terms={"bearing", "plc"})

    assert marked == "<mark>Bearings</mark> and <mark>bearing</mark>-free <mark>PLCs</mark>"
    assert highlight("wmsx", terms={"wms"}) == "wmsx"


def test_full_width_text_is_marked_in_place() -> None:
    assert highlight("ＷＭＳ仓储", terms={"wms"}) == "<mark>ＷＭＳ</mark>仓储"


def test_text_without_matches_is_only_escaped() -> None:
    assert highlight("A & B", terms={"仓储"}) == "A &amp; B"
    assert highlight("", terms={"仓储"}) == ""


def test_one_highlighter_serves_many_texts() -> None:
    mark = Highlighter({"能耗"})

    assert [mark("能耗看板"), mark("无关")] == ["<mark>能耗</mark>看板", "无关"]
