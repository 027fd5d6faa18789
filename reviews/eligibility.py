"""Award eligibility: rules each candidate passes or fails, each with its reason in Chinese and English.

Staff see every rule for every candidate, not just a yes/no, so an excluded provider can be told exactly why
(the city rules elsewhere give providers a right of appeal).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from reviews.scoring import ItemRating


@dataclass(frozen=True)
class EligibilityRules:
    """Thresholds a candidate must meet to be ranked; defaults differ for providers and products."""

    min_enterprises: int = 3  # distinct enterprises behind the counted reviews (G2/Capterra-style minimum)
    min_accepted: int = 3  # accepted engagements: results, not promises
    max_held_share: float = 0.3  # above this share of flagged reviews, staff look before any award


PROVIDER_RULES = EligibilityRules(min_enterprises=5, min_accepted=5)
PRODUCT_RULES = EligibilityRules(min_enterprises=3, min_accepted=3)


@dataclass(frozen=True)
class CandidateFacts:
    """What the eligibility rules look at for one candidate."""

    item_id: str
    rating: ItemRating
    accepted: int
    reviews_in_window: int
    held: int

    @property
    def held_share(self) -> float:
        """Share of the candidate's reviews in the window that a suspicion flag holds back."""
        return self.held / self.reviews_in_window if self.reviews_in_window else 0.0


@dataclass(frozen=True)
class RuleCheck:
    """One eligibility rule applied to one candidate."""

    code: str
    passed: bool
    reason_zh: str
    reason_en: str

    def reason(self, locale: str = "zh") -> str:
        """The reason in the given locale (Chinese unless it starts with 'en')."""
        return self.reason_en if locale.startswith("en") else self.reason_zh


def check_eligibility(
    facts: CandidateFacts, *, rules: EligibilityRules, suspended: Collection[str] = frozenset()
) -> tuple[RuleCheck, ...]:
    """Every rule for one candidate, passed or failed, in a fixed order."""
    return (
        _not_suspended(facts, suspended),
        _min_enterprises(facts, rules),
        _min_accepted(facts, rules),
        _held_share(facts, rules),
    )


def _not_suspended(facts: CandidateFacts, suspended: Collection[str]) -> RuleCheck:
    if facts.item_id in suspended:
        return RuleCheck("not_suspended", False, "已被暂停或下架，不参与评选", "suspended or delisted")
    return RuleCheck("not_suspended", True, "未被暂停", "not suspended")


def _min_enterprises(facts: CandidateFacts, rules: EligibilityRules) -> RuleCheck:
    have, need = facts.rating.enterprises, rules.min_enterprises
    return RuleCheck(
        "min_enterprises",
        have >= need,
        f"有效评价来自 {have} 家企业（至少 {need} 家）",
        f"counted reviews from {have} distinct enterprises (at least {need} required)",
    )


def _min_accepted(facts: CandidateFacts, rules: EligibilityRules) -> RuleCheck:
    have, need = facts.accepted, rules.min_accepted
    return RuleCheck(
        "min_accepted",
        have >= need,
        f"已验收项目 {have} 个（至少 {need} 个）",
        f"{have} accepted engagements (at least {need} required)",
    )


def _held_share(facts: CandidateFacts, rules: EligibilityRules) -> RuleCheck:
    share, limit = facts.held_share, rules.max_held_share
    return RuleCheck(
        "max_held_share",
        share <= limit,
        f"可疑被暂扣评价占比 {share:.0%}（不超过 {limit:.0%}）",
        f"{share:.0%} of reviews held by suspicion flags (at most {limit:.0%} allowed)",
    )
