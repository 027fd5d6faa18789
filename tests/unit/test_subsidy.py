"""The transformation subsidy: min(50% of eligible spend, cap by level), shown step by step."""

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from catalog.subsidy import SubsidyRules, compute_subsidy


@pytest.mark.parametrize(
    ("spend", "level", "subsidy", "capped"),
    [
        ("100", 0, "0.00", True),  # assessed below level 1
        ("100", 1, "0.00", True),  # below level 2: nothing, whatever the spend
        ("0", 1, "0.00", False),
        ("99.98", 2, "49.99", False),
        ("100", 2, "50.00", False),  # exactly at the level-2 cap threshold: rate and cap agree
        ("100.02", 2, "50.00", True),
        ("100", 3, "50.00", False),
        ("140", 3, "50.00", True),  # level 3 keeps the 50 cap
        ("100", 4, "50.00", False),  # level 4 raises the cap, not the rate
        ("139.98", 4, "69.99", False),
        ("140", 4, "70.00", False),  # exactly at the level-4 cap threshold
        ("140.02", 4, "70.00", True),
        ("1000", 4, "70.00", True),
    ],
)
def test_subsidy_at_every_boundary(spend, level, subsidy, capped):
    calc = compute_subsidy(eligible_spend_wan=spend, level_after=level)

    assert calc.subsidy_wan == Decimal(subsidy)
    assert calc.capped is capped
    assert calc.own_share_wan + calc.subsidy_wan == calc.eligible_wan


def test_steps_are_shown_for_a_capped_level_3_project():
    calc = compute_subsidy(eligible_spend_wan=120, level_after=3)

    assert (calc.eligible_wan, calc.rate, calc.raw_wan, calc.cap_wan) == (
        Decimal("120.00"),
        Decimal("0.5"),
        Decimal("60.00"),
        Decimal("50.00"),
    )
    assert (calc.subsidy_wan, calc.own_share_wan) == (Decimal("50.00"), Decimal("70.00"))


def test_explanation_in_chinese_shows_the_arithmetic():
    text = compute_subsidy(eligible_spend_wan=120, level_after=3).explain("zh")

    assert "120.00 万元 × 补助比例 50% = 60.00 万元" in text
    assert "三级" in text and "补助上限 50.00 万元" in text
    assert "min(60.00, 50.00) = 50.00 万元" in text
    assert "企业自担 120.00 - 50.00 = 70.00 万元" in text


def test_explanation_in_english_shows_the_arithmetic():
    text = compute_subsidy(eligible_spend_wan=140, level_after=4).explain("en-GB")

    assert "140.00 wan yuan x rate 50% = 70.00" in text
    assert "level 4" in text and "70.00 wan yuan" in text
    assert "own share 140.00 - 70.00 = 70.00" in text


def test_explanation_below_level_2_says_no_subsidy():
    calc = compute_subsidy(eligible_spend_wan=80, level_after=1)

    assert (
        calc.explain()
        == "验收后数字化水平：一级，低于二级，不予补助；符合条件的实际投入 80.00 万元由企业全额自担。"
    )
    assert calc.explain("en").startswith("Digital level after acceptance: level 1, below level 2: no subsidy")


def test_amounts_round_half_up_to_the_cent():
    calc = compute_subsidy(eligible_spend_wan=33.335, level_after=2)

    assert calc.eligible_wan == Decimal("33.34")
    assert calc.raw_wan == Decimal("16.67")
    assert calc.own_share_wan == Decimal("16.67")


def test_float_input_keeps_its_decimal_meaning():
    calc = compute_subsidy(eligible_spend_wan=0.1 + 0.2, level_after=2)

    assert calc.eligible_wan == Decimal("0.30")
    assert calc.subsidy_wan == Decimal("0.15")


def test_negative_zero_reads_as_zero():
    assert "-" not in str(compute_subsidy(eligible_spend_wan="-0", level_after=2).eligible_wan)


@pytest.mark.parametrize(
    "spend", [-1, "-0.01", Decimal("-5"), float("nan"), float("inf"), "NaN", "abc", True]
)
def test_invalid_spend_is_rejected(spend):
    with pytest.raises(ValueError):
        compute_subsidy(eligible_spend_wan=spend, level_after=2)


@pytest.mark.parametrize("level", [5, -1, True, "2"])
def test_unknown_level_is_rejected(level):
    with pytest.raises(ValueError):
        compute_subsidy(eligible_spend_wan=10, level_after=level)


def test_rules_are_configurable():
    rules = SubsidyRules(
        rate=Decimal("0.4"), caps={1: Decimal(0), 2: Decimal(30), 3: Decimal(30), 4: Decimal(60)}
    )

    calc = compute_subsidy(eligible_spend_wan=100, level_after=2, rules=rules)

    assert (calc.raw_wan, calc.subsidy_wan) == (Decimal("40.00"), Decimal("30.00"))
    assert "40%" in calc.explain()


def test_calculation_cannot_be_altered():
    calc = compute_subsidy(eligible_spend_wan=10, level_after=2)

    with pytest.raises(FrozenInstanceError):
        calc.subsidy_wan = Decimal(100)  # type: ignore[misc]
