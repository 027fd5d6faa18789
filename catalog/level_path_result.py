"""The results of the level-path planner: where an enterprise stands, what holds it back, what the path changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from catalog.assessment import LevelResult
from catalog.subsidy import LEVEL_NAMES_EN, LEVEL_NAMES_ZH
from catalog.taxonomy import load_taxonomy


class AssessmentLike(Protocol):
    """Anything with a score and scene levels (``Assessment``, ``Standing``)."""

    @property
    def score(self) -> float: ...

    @property
    def scenes(self) -> Mapping[str, int]: ...


@dataclass(frozen=True)
class Standing:
    """A score and the scene levels: all the level rule looks at."""

    score: float
    scenes: Mapping[str, int]


@dataclass(frozen=True)
class SceneGap:
    """A scene below what the target level needs, and the level it needs."""

    scene: str
    mandatory: bool
    level: int
    needed: int

    def sentence(self, locale: str = "zh") -> str:
        """E.g. '质量管理（约束性）：L1，需达到 L2'."""
        term = load_taxonomy().national_scenes[self.scene]
        if locale.startswith("en"):
            tag = " (mandatory)" if self.mandatory else ""
            return f"{term.en}{tag}: L{self.level}, needs L{self.needed}"
        tag = "（约束性）" if self.mandatory else ""
        return f"{term.zh}{tag}：L{self.level}，需达到 L{self.needed}"


@dataclass(frozen=True)
class SceneChange:
    """A scene the chosen products lift, from which level to which, and by which products."""

    scene: str
    mandatory: bool
    before: int
    after: int
    product_ids: tuple[str, ...]

    def sentence(self, locale: str = "zh") -> str:
        """E.g. 'Quality (mandatory): L1 -> L2 by P003'."""
        term = load_taxonomy().national_scenes[self.scene]
        ids = ", ".join(self.product_ids)
        if locale.startswith("en"):
            tag = " (mandatory)" if self.mandatory else ""
            return f"{term.en}{tag}: L{self.before} -> L{self.after} by {ids}"
        tag = "（约束性）" if self.mandatory else ""
        return f"{term.zh}{tag}：L{self.before} → L{self.after}（{ids}）"


@dataclass(frozen=True)
class PathResult:
    """The cheapest products reaching the target level, their cost after subsidy and what they change."""

    target_level: int
    product_ids: tuple[str, ...]
    total_price_wan: Decimal
    subsidy_wan: Decimal
    own_cost_wan: Decimal
    before: LevelResult
    after: LevelResult
    resulting: Standing
    blocking: tuple[SceneGap, ...]
    changes: tuple[SceneChange, ...]
    # False when the search stopped at its node budget: the cheapest combination found, not proven the cheapest
    proven: bool = True

    def explain(self, locale: str = "zh") -> str:
        """The path in a few sentences: products, cost, scene changes and the level rule after."""
        lines = [_cost_sentence(self, locale)]
        lines += [change.sentence(locale) for change in self.changes]
        lines.append(self.after.rule(locale))
        if not self.proven:
            lines.append(
                "This is the cheapest combination found within the search limit; a cheaper one may exist."
                if locale.startswith("en")
                else "这是在搜索范围内找到的最便宜组合，可能还有更便宜的组合。"
            )
        return "\n".join(lines)

    def as_dict(self, locale: str = "zh") -> dict[str, Any]:
        """Plain data for JSON and the CLI."""
        return {
            "target_level": self.target_level,
            "product_ids": list(self.product_ids),
            "total_price_wan": str(self.total_price_wan),
            "subsidy_wan": str(self.subsidy_wan),
            "own_cost_wan": str(self.own_cost_wan),
            "before": self.before.as_dict(locale),
            "after": self.after.as_dict(locale),
            "blocking": [gap.sentence(locale) for gap in self.blocking],
            "changes": [change.sentence(locale) for change in self.changes],
            "proven_cheapest": self.proven,
        }


@dataclass(frozen=True)
class Unreachable:
    """Why no combination of the candidates reaches the target level (within the budget)."""

    target_level: int
    reason_zh: str
    reason_en: str
    blocking: tuple[SceneGap, ...]

    def reason(self, locale: str = "zh") -> str:
        """The reason, Chinese unless the locale starts with 'en'."""
        return self.reason_en if locale.startswith("en") else self.reason_zh


def _cost_sentence(result: PathResult, locale: str) -> str:
    ids = ", ".join(result.product_ids)
    if locale.startswith("en"):
        if not result.product_ids:
            return f"Already at {LEVEL_NAMES_EN[result.target_level]} or above: nothing to buy."
        return (
            f"Buy {ids}: {result.total_price_wan} wan yuan, subsidy {result.subsidy_wan}, "
            f"own cost {result.own_cost_wan} wan yuan."
        )
    if not result.product_ids:
        return f"已达到{LEVEL_NAMES_ZH[result.target_level]}或以上，无需采购。"
    return f"采购 {ids}：合计 {result.total_price_wan} 万元，补助 {result.subsidy_wan} 万元，企业自担 {result.own_cost_wan} 万元。"
