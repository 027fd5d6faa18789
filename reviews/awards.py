"""Award score: a transparent weighted sum of normalised components, broken down per candidate.

Components, each on 0..1:
- ``rating``: the shrunk review rating mapped from 1..5 to 0..1;
- ``success``: share of accepted engagements whose enterprise reached digital level 2 or higher (the pilot's goal);
- ``uplift``: mean level gain per accepted engagement, divided by 3 (the largest possible gain, level 1 to 4);
- ``volume``: accepted engagements relative to the busiest candidate of the same kind;
- ``recency``: mean freshness of the counted reviews, a review's weight halving every ``half_life_days``.
The score is ``100 * sum(w_i * c_i) / sum(w_i)``; each contribution ``100 * w_i * c_i / sum(w_i)`` is shown, so
the contributions add up to the score. Nothing paid for (sponsorship, ads) is an input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from statistics import fmean

from reviews.eligibility import CandidateFacts, RuleCheck
from reviews.records import EngagementRecord, ReviewRecord
from reviews.scoring import ItemKind, ItemRating

HALF_LIFE_DAYS = 365.0
MAX_UPLIFT = 3  # level 1 -> level 4


@dataclass(frozen=True)
class AwardWeights:
    """Relative weights of the award components (documented defaults; staff may edit them)."""

    rating: float = 0.40  # what enterprises say: verified, recent reviews
    success: float = 0.20  # the pilot's target: every enterprise at level 2 or higher
    uplift: float = 0.20  # how far enterprises moved, not only whether they crossed the line
    volume: float = 0.10  # breadth of results; kept small so big firms cannot win on size alone
    recency: float = 0.10  # results that are still current

    def __post_init__(self) -> None:
        values = self.as_dict().values()
        if any(value < 0 for value in values) or sum(values) <= 0:
            raise ValueError("award weights must be non-negative with a positive sum")

    def as_dict(self) -> dict[str, float]:
        """The weights by component name, in component order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


COMPONENTS = tuple(field.name for field in fields(AwardWeights))


@dataclass(frozen=True)
class Candidate:
    """One product or provider with the facts behind its score and its eligibility checks."""

    item_id: str
    kind: ItemKind
    facts: CandidateFacts
    components: Mapping[str, float]
    checks: tuple[RuleCheck, ...]

    @property
    def eligible(self) -> bool:
        """True when every eligibility rule passed."""
        return all(check.passed for check in self.checks)

    @property
    def rating(self) -> ItemRating:
        """The candidate's rating over its counted reviews."""
        return self.facts.rating


@dataclass(frozen=True)
class TransformationResult:
    """What an item's accepted engagements achieved."""

    accepted: int
    reaching_level2: int
    mean_uplift: float


def transformation_results(
    engagements: Iterable[EngagementRecord], *, kind: ItemKind, as_of: datetime
) -> dict[str, TransformationResult]:
    """Accepted-engagement results per provider or per product, counting acceptances up to ``as_of``."""
    grouped: dict[str, list[EngagementRecord]] = {}
    for engagement in engagements:
        if not engagement.accepted or engagement.accepted_on is None:
            continue
        if engagement.accepted_on > as_of.date():
            continue
        items = engagement.product_ids if kind == "product" else (engagement.provider_id,)
        for item in dict.fromkeys(items):
            grouped.setdefault(item, []).append(engagement)
    return {item: _result(own) for item, own in grouped.items()}


def _result(own: list[EngagementRecord]) -> TransformationResult:
    reached = sum(1 for e in own if e.level_after is not None and e.level_after >= 2)
    gains = [
        e.level_after - e.level_before
        for e in own
        if e.level_after is not None and e.level_before is not None
    ]
    return TransformationResult(len(own), reached, fmean(gains) if gains else 0.0)


def review_recency(reviews: Iterable[ReviewRecord], *, as_of: datetime, half_life_days: float) -> float:
    """Mean freshness 0.5 ** (age in days / half-life) over reviews; 0 when there are none."""
    weights = [
        0.5 ** (max((as_of - r.created_at).total_seconds(), 0.0) / 86400 / half_life_days) for r in reviews
    ]
    return fmean(weights) if weights else 0.0


def components_for(
    *, rating: ItemRating, result: TransformationResult | None, recency: float, max_accepted: int
) -> dict[str, float]:
    """The normalised 0..1 components of one candidate."""
    accepted = result.accepted if result else 0
    return {
        "rating": min(max((rating.shrunk - 1) / 4, 0.0), 1.0),
        "success": result.reaching_level2 / accepted if result and accepted else 0.0,
        "uplift": min(max(result.mean_uplift / MAX_UPLIFT, 0.0), 1.0) if result else 0.0,
        "volume": accepted / max_accepted if max_accepted else 0.0,
        "recency": recency,
    }


def contributions(candidate: Candidate, weights: AwardWeights) -> dict[str, float]:
    """Each component's points in the 0-100 score under the given weights; they sum to the score."""
    raw = weights.as_dict()
    total = sum(raw.values())
    return {name: 100 * raw[name] * candidate.components[name] / total for name in COMPONENTS}


def award_score(candidate: Candidate, weights: AwardWeights) -> float:
    """The candidate's 0-100 award score under the given weights."""
    return sum(contributions(candidate, weights).values())


def rank(candidates: Sequence[Candidate], weights: AwardWeights) -> list[tuple[Candidate, float]]:
    """Eligible candidates best first, ties broken by more counted reviews, then by id."""
    scored = [(candidate, award_score(candidate, weights)) for candidate in candidates if candidate.eligible]
    # Round before comparing so float noise from reweighting cannot reorder true ties.
    scored.sort(key=lambda pair: (-round(pair[1], 9), -pair[0].rating.count, pair[0].item_id))
    return scored
