"""The pilot's transformation subsidy: min(50% of eligible spend, cap), with the arithmetic shown.

The cap depends on the digital level reached after acceptance (50 万元 at level 2 or 3, 70 万元 at level 4, no
subsidy below level 2). Amounts are in 万元 and kept as ``Decimal`` rounded half-up to 0.01 so that what staff
see, export and pay is the same number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType

CENT = Decimal("0.01")
LEVEL_NAMES_ZH = {0: "未达一级", 1: "一级", 2: "二级", 3: "三级", 4: "四级"}
LEVEL_NAMES_EN = {0: "below level 1", 1: "level 1", 2: "level 2", 3: "level 3", 4: "level 4"}


def _default_caps() -> Mapping[int, Decimal]:
    # Level 0 stands for "assessed, but below level 1"; it gets nothing, like level 1.
    return MappingProxyType({0: Decimal(0), 1: Decimal(0), 2: Decimal(50), 3: Decimal(50), 4: Decimal(70)})


@dataclass(frozen=True)
class SubsidyRules:
    """The plan's subsidy parameters; caps are per digital level after acceptance, in 万元."""

    rate: Decimal = Decimal("0.5")
    caps: Mapping[int, Decimal] = field(default_factory=_default_caps)


DEFAULT_RULES = SubsidyRules()


@dataclass(frozen=True)
class SubsidyCalculation:
    """Every step of one subsidy computation, so staff and enterprises can check it by hand."""

    eligible_wan: Decimal
    level_after: int
    rate: Decimal
    raw_wan: Decimal
    cap_wan: Decimal
    subsidy_wan: Decimal
    own_share_wan: Decimal

    @property
    def capped(self) -> bool:
        """True when the cap, not the rate, decided the amount."""
        return self.raw_wan > self.cap_wan

    def explain(self, locale: str = "zh") -> str:
        """The computation in one or two sentences, Chinese unless the locale starts with 'en'."""
        return _explain_en(self) if locale.startswith("en") else _explain_zh(self)


def compute_subsidy(
    *, eligible_spend_wan: Decimal | int | float | str, level_after: int, rules: SubsidyRules = DEFAULT_RULES
) -> SubsidyCalculation:
    """The subsidy for an accepted project: min(rate x eligible spend, cap for the level reached)."""
    eligible = _to_wan(eligible_spend_wan)
    if isinstance(level_after, bool) or level_after not in rules.caps:
        raise ValueError(
            f"digital level after acceptance must be one of {sorted(rules.caps)}: {level_after!r}"
        )
    cap = _round(Decimal(rules.caps[level_after]))
    raw = _round(eligible * rules.rate)
    subsidy = min(raw, cap)
    return SubsidyCalculation(
        eligible_wan=eligible,
        level_after=level_after,
        rate=rules.rate,
        raw_wan=raw,
        cap_wan=cap,
        subsidy_wan=subsidy,
        own_share_wan=eligible - subsidy,
    )


def _to_wan(value: Decimal | int | float | str) -> Decimal:
    # Floats go through str() so 0.1 stays 0.1 instead of its binary expansion.
    if isinstance(value, bool):
        raise ValueError("eligible spend must be a number of 万元, not a boolean")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"eligible spend must be finite: {value!r}")
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"eligible spend is not a number: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"eligible spend must be finite: {value!r}")
    if amount < 0:
        raise ValueError(f"eligible spend cannot be negative: {value!r}")
    # Decimal keeps the sign of -0; an explanation reading "-0.00 万元" would look like an error.
    return _round(abs(amount))


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _explain_zh(calc: SubsidyCalculation) -> str:
    level = LEVEL_NAMES_ZH.get(calc.level_after, str(calc.level_after))
    if calc.cap_wan == 0:
        return (
            f"验收后数字化水平：{level}，低于二级，不予补助；"
            f"符合条件的实际投入 {calc.eligible_wan} 万元由企业全额自担。"
        )
    return (
        f"符合条件的实际投入 {calc.eligible_wan} 万元 × 补助比例 {_percent(calc.rate)} = {calc.raw_wan} 万元；"
        f"验收后数字化水平{level}，补助上限 {calc.cap_wan} 万元；"
        f"补助 = min({calc.raw_wan}, {calc.cap_wan}) = {calc.subsidy_wan} 万元；"
        f"企业自担 {calc.eligible_wan} - {calc.subsidy_wan} = {calc.own_share_wan} 万元。"
    )


def _explain_en(calc: SubsidyCalculation) -> str:
    level = LEVEL_NAMES_EN.get(calc.level_after, f"level {calc.level_after}")
    if calc.cap_wan == 0:
        return (
            f"Digital level after acceptance: {level}, below level 2: no subsidy; "
            f"the enterprise bears the full eligible spend of {calc.eligible_wan} wan yuan."
        )
    return (
        f"Eligible spend {calc.eligible_wan} wan yuan x rate {_percent(calc.rate)} = {calc.raw_wan} wan yuan; "
        f"{level} after acceptance caps the subsidy at {calc.cap_wan} wan yuan; "
        f"subsidy = min({calc.raw_wan}, {calc.cap_wan}) = {calc.subsidy_wan} wan yuan; "
        f"enterprise's own share {calc.eligible_wan} - {calc.subsidy_wan} = {calc.own_share_wan} wan yuan."
    )
