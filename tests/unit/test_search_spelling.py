"""Did-you-mean: typos in both languages are corrected to index or lexicon words, valid words never are."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from search.corpus import MemoryCorpus
from search.documents import SearchDocument
from search.lexicon import load_lexicon
from search.spelling import Vocabulary, correct_query, max_edits

Correct = Callable[[str], "str | None"]


def _doc(doc_id: str, name: str, summary: str = "") -> SearchDocument:
    return SearchDocument(
        id=doc_id, name=name, summary=summary, description="", provider_id="S", provider_name="供应商",
        scenarios=("mes",), scenario_groups=(), industries=(), price_min_wan=1.0, price_max_wan=2.0,
        deployment="saas", delivery_days=10,
    )  # fmt: skip


@pytest.fixture
def correct() -> Correct:
    """Correct a normalised query against a small index and the real lexicon."""
    corpus = MemoryCorpus([
        _doc("A", "扫码报工小程序", "车间扫码报工"),
        _doc("B", "Energy monitoring platform", "energy management for factories"),
        _doc("C", "视觉质检一体机"),
        _doc("D", "磨床数据采集", "老旧磨床改造"),
    ])  # fmt: skip
    lexicon = load_lexicon()
    vocabulary = Vocabulary(lexicon, corpus.spelling_vocabulary)
    return lambda q: correct_query(q, lexicon=lexicon, corpus=corpus, vocabulary=vocabulary)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("视觉质建", "视觉质检"),  # a lexicon term
        ("能好管理", "能耗管理"),  # a scenario label
        ("扫码抱工", "扫码报工"),  # a word only the index knows
        ("energy managment", "energy management"),
        ("energy monitering", "energy monitoring"),
    ],
)
def test_a_typo_is_corrected(correct: Correct, typed: str, meant: str) -> None:
    assert correct(typed) == meant


@pytest.mark.parametrize("typed", ["仓库管理系统", "磨床改造", "energy", "mes", "wms 仓储", "视觉质检 轴承"])
def test_a_valid_query_is_left_alone(correct: Correct, typed: str) -> None:
    assert correct(typed) is None


def test_short_words_are_never_corrected(correct: Correct) -> None:
    assert correct("能号") is None
    assert correct("wnm") is None
    assert correct("enrgy") == "energy"
    assert correct("near") is None


def test_a_correction_only_touches_the_characters_next_to_the_unknown_pair(correct: Correct) -> None:
    # 磨床改造 is known; only the garbled tail may change
    fixed = correct("磨床改造扫码抱工")

    assert fixed is not None and fixed.startswith("磨床改造")


def test_the_edit_budget_grows_slowly_with_length() -> None:
    assert [max_edits(n, cjk=True) for n in (2, 3, 4, 7, 8, 12)] == [0, 0, 1, 1, 2, 2]
    assert [max_edits(n) for n in (3, 4, 5, 8, 9, 12)] == [0, 0, 1, 1, 2, 2]
