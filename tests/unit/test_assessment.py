"""The national self-assessment: the scored part, validation of a submission and the level rule at every boundary."""

import copy
import math

import pytest

from catalog.assessment import assess_level, parse_scenes, validate_assessment
from catalog.assessment_config import DEFAULT_LEVEL_RULES, SCORE_ITEMS, level_rules, load_raw
from catalog.errors import Invalid

MANDATORY = [code for code in DEFAULT_LEVEL_RULES.scenes if code in DEFAULT_LEVEL_RULES.mandatory]
OPTIONAL = [code for code in DEFAULT_LEVEL_RULES.scenes if code not in DEFAULT_LEVEL_RULES.mandatory]


def make_scenes(*, base: int, top: int, count: int, mandatory: int) -> dict[str, int]:
    """Every scene at ``base`` except ``count`` scenes at ``top``, ``mandatory`` of them mandatory."""
    scenes = dict.fromkeys(DEFAULT_LEVEL_RULES.scenes, base)
    scenes.update(dict.fromkeys(MANDATORY[:mandatory] + OPTIONAL[: count - mandatory], top))
    return scenes


@pytest.fixture
def full_marks():
    return {item.code: item.max_points for item in SCORE_ITEMS}


def test_scored_part_adds_up_to_100_in_the_three_dimensions():
    by_dimension: dict[str, float] = {}
    for item in SCORE_ITEMS:
        by_dimension[item.dimension] = by_dimension.get(item.dimension, 0) + item.max_points

    assert by_dimension == {"foundation": 50, "management": 30, "outcomes": 20}
    assert {item.zh: item.max_points for item in SCORE_ITEMS} == {
        "设备系统": 20,
        "数据采集": 10,
        "信息系统": 10,
        "信息安全": 10,
        "规划管理": 15,
        "要素保障": 15,
        "绿色低碳": 7,
        "产品质量": 7,
        "市场效益": 6,
    }
    assert all(item.en and item.en != item.zh for item in SCORE_ITEMS)


def test_the_16_scenes_and_10_mandatory_ones_come_from_the_taxonomy():
    assert len(DEFAULT_LEVEL_RULES.scenes) == 16
    assert len(MANDATORY) == 10 and "quality" in MANDATORY and "decision_support" in OPTIONAL


def test_a_valid_submission_is_scored(full_marks):
    items = {**full_marks, "equipment_systems": "12.5", "market_benefit": 0}

    assessment = validate_assessment(items=items, scenes={"quality": "3", "energy": 2})

    assert assessment.score == 100 - 20 + 12.5 - 6
    assert assessment.scenes["quality"] == 3 and assessment.scenes["energy"] == 2
    assert assessment.scenes["finance"] == 0  # a scene left out is not reached
    assert len(assessment.scenes) == 16


def test_tenths_add_up_without_float_noise(full_marks):
    items = dict.fromkeys(full_marks, 0.0) | {"equipment_systems": 19.9, "data_collection": 0.1}

    assessment = validate_assessment(items=items, scenes={})

    assert assessment.score == 20.0


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("equipment_systems", 20.01, "0 到 20"),
        ("market_benefit", 7, "from 0 to 6"),
        ("data_collection", -1, "from 0 to 10"),
        ("data_collection", "ten", "must be a number of points"),
        ("data_collection", True, "must be a number of points"),
        ("data_collection", math.nan, "must be a number of points"),
        ("data_collection", "", "is required"),
        ("data_collection", None, "is required"),
        ("bogus_item", 3, "unknown scored item"),
    ],
)
def test_bad_items_are_reported_by_field_in_both_languages(full_marks, field, value, fragment):
    with pytest.raises(Invalid) as caught:
        validate_assessment(items={**full_marks, field: value}, scenes={})

    assert list(caught.value.errors) == [field]
    message = caught.value.errors[field]
    assert fragment in message and " / " in message


def test_a_missing_item_is_required(full_marks):
    del full_marks["planning_management"]

    with pytest.raises(Invalid) as caught:
        validate_assessment(items=full_marks, scenes={})

    assert caught.value.errors == {
        "planning_management": "规划管理：必填 / Planning and management: is required"
    }


@pytest.mark.parametrize("level", [5, -1, 2.5, "L2", True, None])
def test_scene_levels_must_be_whole_numbers_0_to_4(full_marks, level):
    with pytest.raises(Invalid) as caught:
        validate_assessment(items=full_marks, scenes={"quality": level})

    assert caught.value.errors == {
        "quality": "场景等级应为 0 到 4 的整数 / scene level must be a whole number from 0 to 4"
    }


def test_unknown_scene_codes_and_items_are_reported_together(full_marks):
    with pytest.raises(Invalid) as caught:
        validate_assessment(items={**full_marks, "green_low_carbon": 8}, scenes={"teleport": 2})

    assert set(caught.value.errors) == {"green_low_carbon", "teleport"}
    assert "unknown scene code" in caught.value.errors["teleport"]


def test_parse_scenes_reads_codes_and_chinese_names():
    assert parse_scenes("quality=3, energy=2，财务管理=1; equipment:4") == {
        "quality": 3,
        "energy": 2,
        "finance": 1,
        "equipment": 4,
    }
    assert parse_scenes("") == {}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("quality=3,teleport=2", "teleport"),
        ("quality=5", "quality"),
        ("quality=two", "quality"),
        ("quality", "scenes"),
        ("=2", "scenes"),
        ("quality=1,quality=2", "quality"),
    ],
)
def test_parse_scenes_rejects_bad_codes_and_levels(text, field):
    with pytest.raises(Invalid) as caught:
        parse_scenes(text)

    assert field in caught.value.errors


# Each row: score, scenes, expected level; the two rows of a pair straddle one threshold.
BOUNDARIES = {
    "L1 score 19.9": (19.9, make_scenes(base=0, top=1, count=6, mandatory=3), 0),
    "L1 score 20": (20, make_scenes(base=0, top=1, count=6, mandatory=3), 1),
    "L1 5 scenes": (50, make_scenes(base=0, top=1, count=5, mandatory=3), 0),
    "L1 6 scenes": (50, make_scenes(base=0, top=1, count=6, mandatory=3), 1),
    "L1 2 mandatory": (50, make_scenes(base=0, top=1, count=6, mandatory=2), 0),
    "L1 3 mandatory": (50, make_scenes(base=0, top=1, count=6, mandatory=3), 1),
    "L2 score 39.9": (39.9, make_scenes(base=1, top=2, count=6, mandatory=3), 1),
    "L2 score 40": (40, make_scenes(base=1, top=2, count=6, mandatory=3), 2),
    "L2 5 scenes": (50, make_scenes(base=1, top=2, count=5, mandatory=3), 1),
    "L2 6 scenes": (50, make_scenes(base=1, top=2, count=6, mandatory=3), 2),
    "L2 2 mandatory": (50, make_scenes(base=1, top=2, count=6, mandatory=2), 1),
    "L2 3 mandatory": (50, make_scenes(base=1, top=2, count=6, mandatory=3), 2),
    "L3 score 59.9": (59.9, make_scenes(base=2, top=3, count=8, mandatory=5), 2),
    "L3 score 60": (60, make_scenes(base=2, top=3, count=8, mandatory=5), 3),
    "L3 7 scenes": (70, make_scenes(base=2, top=3, count=7, mandatory=5), 2),
    "L3 8 scenes": (70, make_scenes(base=2, top=3, count=8, mandatory=5), 3),
    "L3 4 mandatory": (70, make_scenes(base=2, top=3, count=8, mandatory=4), 2),
    "L3 5 mandatory": (70, make_scenes(base=2, top=3, count=8, mandatory=5), 3),
    "L4 score 79.9": (79.9, make_scenes(base=3, top=4, count=10, mandatory=6), 3),
    "L4 score 80": (80, make_scenes(base=3, top=4, count=10, mandatory=6), 4),
    "L4 9 scenes": (90, make_scenes(base=3, top=4, count=9, mandatory=6), 3),
    "L4 10 scenes": (90, make_scenes(base=3, top=4, count=10, mandatory=6), 4),
    "L4 5 mandatory": (90, make_scenes(base=3, top=4, count=10, mandatory=5), 3),
    "L4 6 mandatory": (90, make_scenes(base=3, top=4, count=10, mandatory=6), 4),
}


@pytest.mark.parametrize(("score", "scenes", "level"), BOUNDARIES.values(), ids=BOUNDARIES.keys())
def test_level_rule_at_every_boundary(score, scenes, level):
    assert assess_level(score=score, scenes=scenes).level == level


def test_rule_names_what_was_met_and_what_failed_for_the_next_level():
    scenes = {
        "quality": 2,
        "energy": 2,
        "equipment": 3,
        "finance": 2,
        "after_sales": 2,
        "decision_support": 4,
    }

    result = assess_level(score=45, scenes=scenes)

    assert result.level == 2 and result.score == 45
    assert result.rule_en == (
        "Level 2 reached: score 45 ≥ 40, 6 scenes at L2 or above ≥ 6, 4 mandatory scenes at L2 or above ≥ 3. "
        "Level 3 not reached: score 45 < 60; 2 scenes at L3 or above < 8; 1 mandatory scene at L3 or above < 5."
    )
    assert result.rule_zh.startswith("达到二级：得分 45 ≥ 40，L2 及以上的场景 6 个 ≥ 6")
    assert "未达三级：得分 45 < 60；L3 及以上的场景 2 个 < 8" in result.rule_zh
    assert result.as_dict("en") == {"level": 2, "score": 45.0, "rule": result.rule_en}
    assert result.as_dict() == {"level": 2, "score": 45.0, "rule": result.rule_zh}


def test_only_the_failed_threshold_is_named_for_the_next_level():
    result = assess_level(score=59.5, scenes=make_scenes(base=2, top=3, count=8, mandatory=5))

    assert result.level == 2
    assert result.rule_en.endswith("Level 3 not reached: score 59.5 < 60.")


def test_below_level_1_and_at_the_top():
    low = assess_level(score=15, scenes={"quality": 1})
    top = assess_level(score=95, scenes=dict.fromkeys(DEFAULT_LEVEL_RULES.scenes, 4))

    assert low.level == 0
    assert low.rule_en == (
        "Level 1 not reached: score 15 < 20; 1 scene at L1 or above < 6; 1 mandatory scene at L1 or above < 3."
    )
    assert low.rule_zh.startswith("未达一级：得分 15 < 20")
    assert top.level == 4 and top.rule_en.endswith("Level 4 is the highest level.")
    assert top.rule_zh.endswith("四级为最高等级。")


def test_levels_are_cumulative_and_thresholds_are_configuration():
    raw = copy.deepcopy(dict(load_raw()))
    raw["level_rules"][0]["min_score"] = 50  # level 1 now harder on score than level 2
    rules = level_rules(raw)
    scenes = make_scenes(base=0, top=2, count=6, mandatory=3)

    assert assess_level(score=45, scenes=scenes).level == 2
    assert assess_level(score=45, scenes=scenes, rules=rules).level == 0


@pytest.mark.parametrize("score", [-0.1, 100.5, math.inf, "a lot", None])
def test_assess_level_rejects_a_score_outside_0_to_100(score):
    with pytest.raises(Invalid) as caught:
        assess_level(score=score, scenes={})

    assert list(caught.value.errors) == ["score"]


def test_assess_level_rejects_unknown_scenes():
    with pytest.raises(Invalid) as caught:
        assess_level(score=50, scenes={"quality": 2, "teleport": 3})

    assert list(caught.value.errors) == ["teleport"]
