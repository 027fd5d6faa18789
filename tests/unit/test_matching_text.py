"""The text machinery of the matcher: lexicon word finding and query-time TF-IDF rows."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.lexicon import WordFinder, build_lexicon, default_lexicon
from matching.tfidf import TfidfRows


@pytest.fixture
def finder() -> WordFinder:
    words = {
        "能耗": "energy",
        "能耗监测": "energy_monitoring",
        "lot": "trace",
        "ERP": "erp",
        "分*组": "sorting",
    }
    return WordFinder({word: [(code, 1.0)] for word, code in words.items()})


def test_the_longest_word_wins_where_two_start_together(finder):
    hits = finder.find("想做能耗监测和能耗分析")

    assert [(hit.word, hit.targets[0][0]) for hit in hits] == [
        ("能耗监测", "energy_monitoring"),
        ("能耗", "energy"),
    ]


def test_latin_words_must_stand_alone_and_ignore_case(finder):
    assert [hit.word for hit in finder.find("The pilot ships; each LOT is traced. erp-ready, Lots")] == [
        "LOT",
        "erp",
        "Lots",
    ]


def test_a_gap_word_finds_a_few_characters_between_its_parts(finder):
    assert [hit.word for hit in finder.find("按直径分三组，")] == ["分三组"]
    assert finder.find("分开包装，每组十个") == []  # the gap never crosses punctuation


def test_the_shipped_lexicon_knows_every_cue_and_some_words_of_each_scenario():
    lexicon = default_lexicon()
    cues = {
        code
        for hit in lexicon.cues.find("已经上线，后续再说，希望尽快，靠人工，主营轴承，不需要，客户抽检")
        for code, _ in hit.targets
    }

    assert cues == {"solved", "later", "want", "priority", "pain", "background", "not_needed", "theirs"}
    assert len(lexicon.codes) == 20


def test_a_lexicon_can_be_built_from_plain_data():
    lexicon = build_lexicon(
        {"scenarios": {"energy_management": {"terms": ["电费"], "weak": ["电"]}}, "cues": {}}
    )

    assert [hit.targets for hit in lexicon.scenarios.find("电费和电")] == [
        (("energy_management", 1.0),),
        (("energy_management", 0.35),),
    ]


def test_a_new_lexicon_word_leaves_the_other_classifier_examples_as_they_were():
    raw = {
        "scenarios": {
            "energy_management": {"terms": ["电费", "峰谷", "空压机", "能耗", "电表", "节电"]},
            "warehouse": {"terms": ["仓库", "盘点", "库位"]},
        },
        "cues": {},
    }
    edited = {
        "scenarios": {
            **raw["scenarios"],
            "energy_management": {"terms": ["用电量", *raw["scenarios"]["energy_management"]["terms"]]},
        },
        "cues": {},
    }

    before, after = build_lexicon(raw).examples, build_lexicon(edited).examples

    assert set(after) - set(before) == {("用电量", "energy_management")}
    assert set(before) <= set(after)


def test_query_time_tfidf_rows_equal_scikit_learns_transform():
    corpus = ["企业能耗在线监测平台", "仓库扫码出入库", "Cloud MES for small factories", "设备联网与数据采集"]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True).fit(corpus)
    texts = ["能耗监测能耗", "", "MES cloud cloud", "完全无关"]

    ours = TfidfRows(vectorizer).transform(texts).toarray()

    np.testing.assert_allclose(ours, vectorizer.transform(texts).toarray(), atol=1e-6)
