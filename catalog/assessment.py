"""The national digital-level self-assessment: validate a submission and decide its level, with the reason.

Pure functions over plain data. The level rule is cumulative (level N needs levels 1..N), and the result names the
thresholds met for the level reached and those that failed for the next, in Chinese and English.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from catalog.assessment_config import DEFAULT_LEVEL_RULES, SCORE_ITEMS, LevelRules, ScoreItem
from catalog.errors import Invalid, bilingual
from catalog.subsidy import LEVEL_NAMES_EN, LEVEL_NAMES_ZH
from catalog.taxonomy import load_taxonomy

MAX_SCORE = 100.0


@dataclass(frozen=True)
class Assessment:
    """A validated self-assessment: points per scored item and the level (0..4) of each of the 16 scenes."""

    items: Mapping[str, float]
    scenes: Mapping[str, int]

    @property
    def score(self) -> float:
        """The total of the scored part, out of 100."""
        # Rounded so that 0.1-point items never add up to 19.999999 and miss a threshold of 20.
        return round(math.fsum(self.items.values()), 6)


@dataclass(frozen=True)
class Check:
    """One criterion of one level set against the enterprise's figure."""

    level: int
    kind: str  # "score", "scenes" or "mandatory"
    required: float
    actual: float
    scene_level: int

    @property
    def met(self) -> bool:
        """True when the enterprise's figure reaches the requirement."""
        return self.actual >= self.required

    def sentence(self, locale: str = "zh") -> str:
        """The criterion as a phrase, e.g. '7 scenes at L2 or above ≥ 6'."""
        sign = "≥" if self.met else "<"
        actual, required, at = _num(self.actual), _num(self.required), self.scene_level
        if locale.startswith("en"):
            if self.kind == "score":
                return f"score {actual} {sign} {required}"
            what = ("mandatory " if self.kind == "mandatory" else "") + (
                "scene" if actual == "1" else "scenes"
            )
            return f"{actual} {what} at L{at} or above {sign} {required}"
        if self.kind == "score":
            return f"得分 {actual} {sign} {required}"
        what_zh = "场景" if self.kind == "scenes" else "约束性场景"
        return f"L{at} 及以上的{what_zh} {actual} 个 {sign} {required}"


@dataclass(frozen=True)
class LevelResult:
    """The level reached (0 = not even level 1), the score, and the rule that decided it in both languages."""

    level: int
    score: float
    rule_zh: str
    rule_en: str

    def rule(self, locale: str = "zh") -> str:
        """The deciding rule, Chinese unless the locale starts with 'en'."""
        return self.rule_en if locale.startswith("en") else self.rule_zh

    def as_dict(self, locale: str = "zh") -> dict[str, Any]:
        """Plain data for JSON and the CLI: level, score and the rule in one locale."""
        return {"level": self.level, "score": self.score, "rule": self.rule(locale)}


def validate_assessment(
    *,
    items: Mapping[str, Any],
    scenes: Mapping[str, Any],
    score_items: Iterable[ScoreItem] = SCORE_ITEMS,
    rules: LevelRules = DEFAULT_LEVEL_RULES,
) -> Assessment:
    """A submitted self-assessment, checked: every item 0..max, scene levels 0..4 (a missing scene is level 0)."""
    errors: dict[str, str] = {}
    known = {item.code: item for item in score_items}
    points = {code: _points(items.get(code), item, errors) for code, item in known.items()}
    for code in items:
        if code not in known:
            errors[code] = bilingual("未知的评分项", "unknown scored item")
    levels = _scene_levels(scenes, rules, errors)
    if errors:
        raise Invalid(errors)
    return Assessment(items=points, scenes=levels)


def validate_scenes(scenes: Mapping[str, Any], *, rules: LevelRules = DEFAULT_LEVEL_RULES) -> dict[str, int]:
    """Scene code -> level for all known scenes (missing ones at 0); Invalid on unknown codes or bad levels."""
    errors: dict[str, str] = {}
    levels = _scene_levels(scenes, rules, errors)
    if errors:
        raise Invalid(errors)
    return levels


def parse_scenes(text: str, *, rules: LevelRules = DEFAULT_LEVEL_RULES) -> dict[str, int]:
    """The scenes named in 'quality=3,energy=2' (codes or Chinese names); Invalid on bad codes or levels."""
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    by_name = {term.zh: code for code, term in load_taxonomy().national_scenes.items()}
    for chunk in text.replace("，", ",").replace("；", ",").replace(";", ",").split(","):
        if not chunk.strip():
            continue
        name, sep, level = chunk.replace("：", "=").replace(":", "=").partition("=")
        code = by_name.get(name.strip(), name.strip())
        if not sep or not code:
            errors["scenes"] = bilingual(
                f"无法解析“{chunk.strip()}”，应为 代码=等级",
                f"cannot parse '{chunk.strip()}', expected CODE=LEVEL",
            )
        elif code in parsed:
            errors[code] = bilingual("场景重复出现", "scene given more than once")
        else:
            parsed[code] = level.strip()
    levels = _scene_levels(parsed, rules, errors)
    if errors:
        raise Invalid(errors)
    return {code: levels[code] for code in parsed}


def level_checks(
    *, score: float, scenes: Mapping[str, int], level: int, rules: LevelRules
) -> tuple[Check, ...]:
    """The three criteria of one level (score, scenes, mandatory scenes) against the given figures."""
    threshold = rules.threshold(level)
    at = threshold.scene_level
    reached = [code for code, value in scenes.items() if value >= at]
    mandatory = [code for code in reached if code in rules.mandatory]
    return (
        Check(level, "score", threshold.min_score, score, at),
        Check(level, "scenes", threshold.min_scenes, len(reached), at),
        Check(level, "mandatory", threshold.min_mandatory, len(mandatory), at),
    )


def assess_level(
    *, score: float, scenes: Mapping[str, Any], rules: LevelRules = DEFAULT_LEVEL_RULES
) -> LevelResult:
    """The digital level the figures reach, and the rule that decided it (met for this level, failed for the next)."""
    score = _score(score)
    levels = validate_scenes(scenes, rules=rules)
    passed: tuple[Check, ...]
    reached, passed = 0, ()
    for threshold in rules.thresholds:
        checks = level_checks(score=score, scenes=levels, level=threshold.level, rules=rules)
        if not all(check.met for check in checks):
            return _result(score, reached, passed, checks)
        reached, passed = threshold.level, checks
    return _result(score, reached, passed, None)


def _result(
    score: float, level: int, passed: tuple[Check, ...], failed: tuple[Check, ...] | None
) -> LevelResult:
    zh, en = [], []
    if level:
        zh.append(f"达到{LEVEL_NAMES_ZH[level]}：" + "，".join(c.sentence("zh") for c in passed) + "。")
        en.append(f"Level {level} reached: " + ", ".join(c.sentence("en") for c in passed) + ".")
    if failed is None:
        zh.append(f"{LEVEL_NAMES_ZH[level]}为最高等级。")
        en.append(f"Level {level} is the highest level.")
    else:
        missed = [c for c in failed if not c.met]
        zh.append(f"未达{LEVEL_NAMES_ZH[level + 1]}：" + "；".join(c.sentence("zh") for c in missed) + "。")
        en.append(
            f"{LEVEL_NAMES_EN[level + 1].capitalize()} not reached: "
            + "; ".join(c.sentence("en") for c in missed)
            + "."
        )
    return LevelResult(level=level, score=score, rule_zh="".join(zh), rule_en=" ".join(en))


def _score(value: Any) -> float:
    number = _number(value)
    if number is None or not 0 <= number <= MAX_SCORE:
        raise Invalid(
            {"score": bilingual("得分应为 0 到 100 之间的数字", "score must be a number from 0 to 100")}
        )
    return number


def _points(value: Any, item: ScoreItem, errors: dict[str, str]) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[item.code] = bilingual(f"{item.zh}：必填", f"{item.en}: is required")
        return 0.0
    number = _number(value)
    if number is None or not 0 <= number <= item.max_points:
        top = _num(item.max_points)
        errors[item.code] = bilingual(
            f"{item.zh}：应为 0 到 {top} 之间的分数", f"{item.en}: must be a number of points from 0 to {top}"
        )
        return 0.0
    return number


def _scene_levels(scenes: Mapping[str, Any], rules: LevelRules, errors: dict[str, str]) -> dict[str, int]:
    top = rules.max_scene_level
    levels = dict.fromkeys(rules.scenes, 0)
    for code, value in scenes.items():
        if code not in levels:
            errors[code] = bilingual("未知的场景代码", "unknown scene code")
            continue
        number = _number(value)
        if number is None or not number.is_integer() or not 0 <= number <= top:
            errors[code] = bilingual(
                f"场景等级应为 0 到 {top} 的整数", f"scene level must be a whole number from 0 to {top}"
            )
            continue
        levels[code] = int(number)
    return levels


def _number(value: Any) -> float | None:
    # Booleans are ints in Python, but a ticked box is not a score.
    if isinstance(value, bool):
        return None
    try:
        number = float(Decimal(value.strip()) if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _num(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")
