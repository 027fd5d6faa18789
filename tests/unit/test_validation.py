import pytest

from catalog.errors import Invalid
from catalog.validation import validate_product

GOOD = {
    "name": "轴承视觉检测",
    "summary": "外观缺陷检测",
    "description": "",
    "scenarios": ["visual_inspection"],
    "industries": ["bearings"],
    "price_min_wan": 5,
    "price_max_wan": 15,
    "deployment": "on_premise",
    "delivery_days": 30,
}


def errors_of(**changes):
    with pytest.raises(Invalid) as caught:
        validate_product({**GOOD, **changes})
    return caught.value.errors


def test_a_complete_listing_is_accepted_and_trimmed():
    spec = validate_product({**GOOD, "name": "  轴承视觉检测 "})
    assert spec.name == "轴承视觉检测"
    assert spec.scenarios == ("visual_inspection",)


def test_every_bad_field_is_reported_at_once_in_both_languages():
    errors = errors_of(
        name="", scenarios=["nonsense"], price_min_wan="abc", deployment="cloud", delivery_days=0
    )
    assert set(errors) == {"name", "scenarios", "price_min_wan", "deployment", "delivery_days"}
    assert "必填" in errors["name"] and "required" in errors["name"]


def test_price_range_must_not_be_inverted():
    assert "price_max_wan" in errors_of(price_min_wan=20, price_max_wan=10)


@pytest.mark.parametrize("scenarios", [[], ["visual_inspection", "mes", "warehouse", "logistics"]])
def test_one_to_three_scenarios(scenarios):
    assert "scenarios" in errors_of(scenarios=scenarios)


def test_summary_is_at_most_sixty_characters():
    assert "summary" in errors_of(summary="字" * 61)
    assert validate_product({**GOOD, "summary": "字" * 60}).summary == "字" * 60


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, True, None])
def test_prices_must_be_real_non_negative_numbers(value):
    assert "price_min_wan" in errors_of(price_min_wan=value)


def test_unknown_industry_is_refused_and_empty_means_general():
    assert "industries" in errors_of(industries=["textiles"])
    assert validate_product({**GOOD, "industries": []}).industries == ()
