"""Which reviews count, and each item's rating shrunk toward its category mean.

A review counts when it is verified, not hidden by a moderator, not held by a suspicion flag and written in the
24 months up to ``as_of`` (Capterra's rule). An item's rating is then the Bayesian-average ("shrunk") rating
``v/(v+m)*R + m/(v+m)*C``: with few reviews it stays near the category mean C, with many it approaches its own
mean R, so two enthusiastic reviews cannot outrank forty good ones.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Literal

from reviews.records import CRITERIA, ReviewRecord

ItemKind = Literal["product", "provider"]
WINDOW_MONTHS = 24
MIN_COUNT = 5
# Exclusion reason codes, in the order they are checked.
EXCLUSIONS = ("unverified", "hidden", "held", "future", "too_old")


@dataclass(frozen=True)
class ItemRating:
    """One product's or provider's rating over its counted reviews, with the shrinkage inputs shown."""

    item_id: str
    count: int
    enterprises: int
    mean: float
    prior_mean: float
    min_count: int
    shrunk: float
    criteria: Mapping[str, float]
    recommend: float | None
    last_review_at: datetime | None


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment ``months`` calendar months earlier (day clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def exclusion_reason(
    review: ReviewRecord,
    *,
    as_of: datetime,
    held_ids: Collection[str] = frozenset(),
    window_months: int = WINDOW_MONTHS,
) -> str | None:
    """Why a review does not count toward ratings (a code of ``EXCLUSIONS``), or None when it counts."""
    if not review.verified:
        return "unverified"
    if review.hidden:
        return "hidden"
    if review.id in held_ids:
        return "held"
    if review.created_at > as_of:
        return "future"
    if review.created_at < months_before(as_of, window_months):
        return "too_old"
    return None


def counted_reviews(
    reviews: Iterable[ReviewRecord],
    *,
    as_of: datetime,
    held_ids: Collection[str] = frozenset(),
    window_months: int = WINDOW_MONTHS,
) -> list[ReviewRecord]:
    """The reviews that count toward ratings and awards, in input order."""
    return [
        review
        for review in reviews
        if exclusion_reason(review, as_of=as_of, held_ids=held_ids, window_months=window_months) is None
    ]


def shrunk_rating(*, mean: float, count: int, prior_mean: float, min_count: int) -> float:
    """The weighted rating v/(v+m)*R + m/(v+m)*C; with no reviews and m = 0 it is the prior C."""
    if count < 0 or min_count < 0:
        raise ValueError("review count and minimum count cannot be negative")
    if count + min_count == 0:
        return prior_mean
    return (count * mean + min_count * prior_mean) / (count + min_count)


def item_of(review: ReviewRecord, kind: ItemKind) -> str:
    """The product id or provider id a review is about."""
    return review.product_id if kind == "product" else review.provider_id


def prior_means(
    reviews: Iterable[ReviewRecord], *, kind: ItemKind, category_of: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Mean review rating per category (one category '' when no mapping is given)."""
    by_category: dict[str, list[float]] = defaultdict(list)
    for review in reviews:
        by_category[_category(item_of(review, kind), category_of)].append(review.overall)
    return {category: fmean(values) for category, values in by_category.items()}


def item_ratings(
    reviews: Iterable[ReviewRecord],
    *,
    kind: ItemKind,
    min_count: int = MIN_COUNT,
    category_of: Mapping[str, str] | None = None,
    items: Iterable[str] = (),
) -> dict[str, ItemRating]:
    """Ratings per item over already-counted reviews; ``items`` adds unreviewed items at their prior."""
    reviews = list(reviews)
    priors = prior_means(reviews, kind=kind, category_of=category_of)
    overall_prior = fmean(review.overall for review in reviews) if reviews else 0.0
    grouped: dict[str, list[ReviewRecord]] = {item: [] for item in items}
    for review in reviews:
        grouped.setdefault(item_of(review, kind), []).append(review)
    ratings = {}
    for item, own in sorted(grouped.items()):
        prior = priors.get(_category(item, category_of), overall_prior)
        ratings[item] = _rate(item, own, prior_mean=prior, min_count=min_count)
    return ratings


def _category(item: str, category_of: Mapping[str, str] | None) -> str:
    return category_of.get(item, "") if category_of else ""


def _rate(item: str, own: list[ReviewRecord], *, prior_mean: float, min_count: int) -> ItemRating:
    mean = fmean(review.overall for review in own) if own else prior_mean
    return ItemRating(
        item_id=item,
        count=len(own),
        enterprises=len({review.enterprise_id for review in own}),
        mean=mean,
        prior_mean=prior_mean,
        min_count=min_count,
        shrunk=shrunk_rating(mean=mean, count=len(own), prior_mean=prior_mean, min_count=min_count),
        criteria={name: fmean(getattr(r, name) for r in own) for name in CRITERIA} if own else {},
        recommend=fmean(review.recommend for review in own) if own else None,
        last_review_at=max((review.created_at for review in own), default=None),
    )
