"""Staff-edited synonym groups: validated with bilingual messages, merged over the shipped lexicon, searchable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalog.errors import Invalid
from search.backend import SearchQuery
from search.documents import SearchDocument, document_from_mapping
from search.embedded import EmbeddedSearch
from search.lexicon import LEXICON_PATH, Lexicon, load_lexicon
from search.synonym_edits import REDUNDANT_KEY, lexicon_from_data, merge_lexicon, validate_group


@pytest.fixture
def base() -> dict[str, Any]:
    return json.loads(LEXICON_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def documents() -> list[SearchDocument]:
    return [
        document_from_mapping(
            {
                "id": "W1",
                "name": "仓库管理系统",
                "summary": "扫码出入库与库存盘点",
                "scenarios": ["warehouse"],
            }
        ),
        document_from_mapping(
            {
                "id": "E1",
                "name": "能耗监测平台",
                "summary": "分项计量与节能分析",
                "scenarios": ["energy_management"],
            }
        ),
    ]


def _search_ids(lexicon: Lexicon, documents: list[SearchDocument], q: str) -> list[str]:
    search = EmbeddedSearch(":memory:", lexicon=lexicon)
    try:
        search.rebuild(documents)
        return [hit.id for hit in search.search(SearchQuery(q=q)).hits]
    finally:
        search.close()


def _errors(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(Invalid) as caught:
        validate_group(raw)
    return caught.value.errors


@pytest.fixture
def staff_group() -> dict[str, Any]:
    return validate_group({"terms": ["zorblax", "骐骥", "仓库管理"], "scenarios": {"warehouse": 0.9}})


def test_a_valid_group_comes_back_in_the_lexicon_file_shape() -> None:
    group = validate_group(
        {"terms": " 料仓看板\n bin  board ，料仓看板2", "scenarios": ["warehouse"], "industries": "bearings"}
    )

    assert group == {
        "terms": ["料仓看板", "bin board", "料仓看板2"],
        "scenarios": {"warehouse": 1.0},
        "industries": ["bearings"],
    }


def test_every_bad_field_gets_a_bilingual_message() -> None:
    errors = _errors(
        {"terms": ["x" * 41, "ok"], "scenarios": {"no_such_scenario": 1.0}, "industries": ["textiles"]}
    )

    assert "40" in errors["terms"] and "字符" in errors["terms"] and "characters" in errors["terms"]
    assert "no_such_scenario" in errors["scenarios"] and "未知场景代码" in errors["scenarios"]
    assert "textiles" in errors["industries"] and "unknown industry codes" in errors["industries"]


@pytest.mark.parametrize(
    ("terms", "needle"),
    [
        (["仅一个"], "2 to 30 terms"),
        ([f"词{i}" for i in range(31)], "2 to 30 terms"),
        (["WMS", "wms"], "duplicate terms in the group: wms"),
        (["bearing", "bearings"], "duplicate terms in the group: bearings"),
        (["---", "仓储"], "letters or digits"),
        ("仓储", "2 to 30 terms"),
        ([1, 2], "must be a list of terms"),
    ],
)
def test_term_rules(terms: Any, needle: str) -> None:
    assert needle in _errors({"terms": terms, "scenarios": ["warehouse"]})["terms"]


@pytest.mark.parametrize("weight", [0, -0.5, 1.5, "heavy", True])
def test_scenario_weights_must_lie_in_zero_to_one(weight: Any) -> None:
    assert (
        "at most 1" in _errors({"terms": ["甲料", "乙料"], "scenarios": {"warehouse": weight}})["scenarios"]
    )


def test_a_group_must_point_at_a_scenario_or_an_industry() -> None:
    errors = _errors({"terms": ["甲料", "乙料"]})

    assert set(errors) == {"scenarios"} and "至少指定一个场景或行业" in errors["scenarios"]


def test_forty_characters_is_still_a_valid_term() -> None:
    assert validate_group({"terms": ["x" * 40, "仓储"], "scenarios": ["warehouse"]})["terms"][0] == "x" * 40


def test_merge_keeps_every_base_group_and_appends_staff_groups(
    base: dict[str, Any], staff_group: dict[str, Any]
) -> None:
    merged = merge_lexicon(base, [staff_group])

    assert merged["groups"] == [*base["groups"], staff_group]
    assert merged["generic"] == base["generic"]
    assert merged[REDUNDANT_KEY] == []
    assert len(base["groups"]) == len(merged["groups"]) - 1  # the shipped data is not changed in place


def test_a_staff_group_inside_one_base_group_is_reported_not_added(base: dict[str, Any]) -> None:
    inside = validate_group({"terms": ["仓储管理", "wms"], "scenarios": {"warehouse": 0.5}})

    merged = merge_lexicon(base, [inside])

    assert merged["groups"] == base["groups"]
    [report] = merged[REDUNDANT_KEY]
    assert report["group"] == 0 and report["terms"] == ["仓储管理", "wms"]
    assert {"仓储管理", "WMS"} <= set(base["groups"][report["covered_by"]]["terms"])


def test_known_terms_with_a_new_scenario_still_extend_the_lexicon(base: dict[str, Any]) -> None:
    rewired = validate_group({"terms": ["仓储管理", "wms"], "scenarios": ["logistics"]})

    merged = merge_lexicon(base, [rewired])

    assert merged[REDUNDANT_KEY] == [] and merged["groups"][-1] == rewired
    assert "logistics" in (lexicon_from_data(merged).entry("wms") or pytest.fail()).scenarios


def test_the_shipped_data_builds_the_same_lexicon_as_load_lexicon(base: dict[str, Any]) -> None:
    built, loaded = lexicon_from_data(base), load_lexicon()

    assert built.groups == loaded.groups
    assert built.terms() == loaded.terms()
    assert [built.spelling(term) for term in built.terms()] == [
        loaded.spelling(term) for term in loaded.terms()
    ]


@pytest.mark.parametrize("q", ["zorblax", "骐骥"])
def test_a_staff_synonym_finds_listings_only_after_the_merge(
    base: dict[str, Any], staff_group: dict[str, Any], documents: list[SearchDocument], q: str
) -> None:
    assert _search_ids(lexicon_from_data(base), documents, q) == []

    merged = lexicon_from_data(merge_lexicon(base, [staff_group]))

    assert _search_ids(merged, documents, q) == ["W1"]
