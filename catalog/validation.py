"""Validation of product listings, shared by the provider's form, the JSON API and the catalogue import.

Every message is bilingual (Chinese first) and keyed by the field it belongs to, so a form shows it next to the
field and the import command prints it with the line number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.errors import Invalid, bilingual
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy

SUMMARY_MAX = 60
NAME_MAX = 120
DESCRIPTION_MAX = 8000
MAX_PRICE_WAN = 100_000.0


@dataclass(frozen=True)
class ProductSpec:
    """A listing's editable content, validated."""

    name: str
    summary: str
    description: str
    scenarios: tuple[str, ...]
    industries: tuple[str, ...]
    price_min_wan: float
    price_max_wan: float
    deployment: str
    delivery_days: int
    language: str = "zh"


def _text(raw: Mapping[str, Any], field: str, limit: int, errors: dict[str, str], *, required: bool) -> str:
    value = raw.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = bilingual("应为文本", "must be text")
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = bilingual("必填", "is required")
    elif len(value) > limit:
        errors[field] = bilingual(f"不能超过 {limit} 个字符", f"must be at most {limit} characters")
    return value


def _codes(
    raw: Mapping[str, Any], field: str, known: Mapping[str, object], errors: dict[str, str]
) -> tuple[str, ...]:
    value = raw.get(field) or []
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(code, str) for code in value):
        errors[field] = bilingual("应为代码列表", "must be a list of codes")
        return ()
    codes = tuple(dict.fromkeys(code.strip() for code in value))
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors[field] = bilingual(f"未知代码：{', '.join(unknown)}", f"unknown codes: {', '.join(unknown)}")
    return codes


def _number(raw: Mapping[str, Any], field: str, errors: dict[str, str], *, integer: bool = False) -> float:
    value = raw.get(field)
    if isinstance(value, bool) or value is None or value == "":
        errors[field] = bilingual("必填数字", "a number is required")
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = bilingual("应为数字", "must be a number")
        return 0.0
    if not math.isfinite(number) or number < 0:
        errors[field] = bilingual("应为非负数", "must be zero or more")
        return 0.0
    if integer and number != int(number):
        errors[field] = bilingual("应为整数", "must be a whole number")
    return number


def optional_number(value: Any, *, low: float, high: float) -> float | None:
    """None for an empty value; the number when it is finite and within [low, high]; ValueError otherwise."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"out of range: {value!r}")
    return number


def validate_product(raw: Mapping[str, Any]) -> ProductSpec:
    """A ProductSpec from raw input, or Invalid with a message for every bad field."""
    taxonomy = load_taxonomy()
    errors: dict[str, str] = {}
    name = _text(raw, "name", NAME_MAX, errors, required=True)
    summary = _text(raw, "summary", SUMMARY_MAX, errors, required=False)
    description = _text(raw, "description", DESCRIPTION_MAX, errors, required=False)
    scenarios = _codes(raw, "scenarios", taxonomy.scenarios, errors)
    if "scenarios" not in errors and not 1 <= len(scenarios) <= 3:
        errors["scenarios"] = bilingual("请选择 1 至 3 个场景", "choose 1 to 3 scenarios")
    industries = _codes(raw, "industries", taxonomy.industries, errors)
    price_min = _number(raw, "price_min_wan", errors)
    price_max = _number(raw, "price_max_wan", errors)
    if not {"price_min_wan", "price_max_wan"} & errors.keys():
        if price_min > price_max:
            errors["price_max_wan"] = bilingual("最高价不能低于最低价", "must not be below the minimum price")
        elif price_max > MAX_PRICE_WAN:
            errors["price_max_wan"] = bilingual("价格超出合理范围", "is beyond any plausible price")
    deployment = raw.get("deployment")
    if deployment not in DEPLOYMENTS:
        errors["deployment"] = bilingual("请选择部署方式", f"must be one of {', '.join(DEPLOYMENTS)}")
    delivery = _number(raw, "delivery_days", errors, integer=True)
    if "delivery_days" not in errors and not 1 <= delivery <= 3650:
        errors["delivery_days"] = bilingual("交付天数应在 1 至 3650 之间", "must be between 1 and 3650 days")
    language = raw.get("language") or "zh"
    if language not in ("zh", "en"):
        errors["language"] = bilingual("语言应为 zh 或 en", "must be zh or en")
    if errors:
        raise Invalid(errors)
    return ProductSpec(
        name=name,
        summary=summary,
        description=description,
        scenarios=scenarios,
        industries=industries,
        price_min_wan=price_min,
        price_max_wan=price_max,
        deployment=str(deployment),
        delivery_days=int(delivery),
        language=str(language),
    )
