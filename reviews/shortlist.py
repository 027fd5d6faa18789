"""Award shortlists: counted reviews and accepted engagements in, ranked candidates with explanations out.

The plan asks for at least 8 quality providers and 10 "小快轻准" products; the shortlist is a proposal for the
jury, every number in it traceable to reviews, engagements and the editable weights and rules.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reviews.awards import (
    HALF_LIFE_DAYS,
    AwardWeights,
    Candidate,
    components_for,
    contributions,
    rank,
    review_recency,
    transformation_results,
)
from reviews.eligibility import (
    PRODUCT_RULES,
    PROVIDER_RULES,
    CandidateFacts,
    EligibilityRules,
    check_eligibility,
)
from reviews.records import EngagementRecord, ReviewRecord
from reviews.scoring import (
    MIN_COUNT,
    WINDOW_MONTHS,
    ItemKind,
    counted_reviews,
    item_of,
    item_ratings,
    months_before,
)
from reviews.stability import SPREAD, rank_ranges

TOP = {"provider": 8, "product": 10}


@dataclass(frozen=True)
class ShortlistSettings:
    """Everything staff may tune for one shortlist; defaults follow the plan and the review-site practice."""

    weights: AwardWeights = field(default_factory=AwardWeights)
    rules: EligibilityRules | None = None  # None: PROVIDER_RULES or PRODUCT_RULES by kind
    top: int | None = None  # None: 8 providers, 10 products
    min_count: int = MIN_COUNT
    window_months: int = WINDOW_MONTHS
    half_life_days: float = HALF_LIFE_DAYS
    spread: float = SPREAD
    grid: bool = False


DEFAULT_SETTINGS = ShortlistSettings()


@dataclass(frozen=True)
class Ranked:
    """One eligible candidate's place: rank, score, per-component points and rank range under +-spread."""

    candidate: Candidate
    rank: int
    score: float
    contributions: Mapping[str, float]
    rank_range: tuple[int, int]


@dataclass(frozen=True)
class Shortlist:
    """The ranked eligible candidates, the top-N proposal and the ineligible ones with their failed rules."""

    kind: ItemKind
    as_of: datetime
    settings: ShortlistSettings
    ranked: tuple[Ranked, ...]
    ineligible: tuple[Candidate, ...]
    top: int

    @property
    def proposed(self) -> tuple[Ranked, ...]:
        """The top-N candidates proposed to the jury."""
        return self.ranked[: self.top]

    @property
    def proposed_ids(self) -> list[str]:
        """Ids of the proposed candidates, best first."""
        return [entry.candidate.item_id for entry in self.proposed]


def build_candidates(
    *,
    kind: ItemKind,
    reviews: Sequence[ReviewRecord],
    engagements: Sequence[EngagementRecord],
    as_of: datetime,
    held_ids: Collection[str] = frozenset(),
    suspended: Collection[str] = frozenset(),
    settings: ShortlistSettings = DEFAULT_SETTINGS,
    category_of: Mapping[str, str] | None = None,
) -> list[Candidate]:
    """One candidate per item with an accepted engagement or a counted review, with components and checks."""
    counted = counted_reviews(reviews, as_of=as_of, held_ids=held_ids, window_months=settings.window_months)
    results = transformation_results(engagements, kind=kind, as_of=as_of)
    ratings = item_ratings(
        counted, kind=kind, min_count=settings.min_count, category_of=category_of, items=results
    )
    in_window, held = _window_counts(reviews, kind=kind, as_of=as_of, held_ids=held_ids, settings=settings)
    by_item = _group(counted, kind)
    max_accepted = max((result.accepted for result in results.values()), default=0)
    rules = settings.rules or (PROVIDER_RULES if kind == "provider" else PRODUCT_RULES)
    candidates = []
    for item, rating in ratings.items():
        result = results.get(item)
        facts = CandidateFacts(
            item, rating, result.accepted if result else 0, in_window.get(item, 0), held.get(item, 0)
        )
        recency = review_recency(by_item.get(item, []), as_of=as_of, half_life_days=settings.half_life_days)
        components = components_for(rating=rating, result=result, recency=recency, max_accepted=max_accepted)
        checks = check_eligibility(facts, rules=rules, suspended=suspended)
        candidates.append(Candidate(item, kind, facts, components, checks))
    return candidates


def shortlist(
    *,
    kind: ItemKind,
    reviews: Sequence[ReviewRecord],
    engagements: Sequence[EngagementRecord],
    as_of: datetime,
    held_ids: Collection[str] = frozenset(),
    suspended: Collection[str] = frozenset(),
    settings: ShortlistSettings = DEFAULT_SETTINGS,
    category_of: Mapping[str, str] | None = None,
) -> Shortlist:
    """Rank the eligible providers or products and propose the top 8 / top 10, with rank ranges."""
    candidates = build_candidates(
        kind=kind,
        reviews=reviews,
        engagements=engagements,
        as_of=as_of,
        held_ids=held_ids,
        suspended=suspended,
        settings=settings,
        category_of=category_of,
    )
    ranges = rank_ranges(candidates, weights=settings.weights, spread=settings.spread, grid=settings.grid)
    ranked = tuple(
        Ranked(
            candidate, position, score, contributions(candidate, settings.weights), ranges[candidate.item_id]
        )
        for position, (candidate, score) in enumerate(rank(candidates, settings.weights), start=1)
    )
    ineligible = tuple(candidate for candidate in candidates if not candidate.eligible)
    return Shortlist(kind, as_of, settings, ranked, ineligible, settings.top or TOP[kind])


def _group(reviews: Iterable[ReviewRecord], kind: ItemKind) -> dict[str, list[ReviewRecord]]:
    grouped: dict[str, list[ReviewRecord]] = {}
    for review in reviews:
        grouped.setdefault(item_of(review, kind), []).append(review)
    return grouped


def _window_counts(
    reviews: Iterable[ReviewRecord],
    *,
    kind: ItemKind,
    as_of: datetime,
    held_ids: Collection[str],
    settings: ShortlistSettings,
) -> tuple[dict[str, int], dict[str, int]]:
    # Moderator-hidden reviews are left out: hiding is a decision already taken, not a suspicion.
    start = months_before(as_of, settings.window_months)
    in_window: dict[str, int] = {}
    held: dict[str, int] = {}
    for review in reviews:
        if review.hidden or not start <= review.created_at <= as_of:
            continue
        item = item_of(review, kind)
        in_window[item] = in_window.get(item, 0) + 1
        if review.id in held_ids:
            held[item] = held.get(item, 0) + 1
    return in_window, held
