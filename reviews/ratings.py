"""What reviews add up to: the counted rating of a product or a provider, stored on each product (search sorts
and matching read it there), and the reviews public pages show.

A review counts when it is not hidden, not held and written within the last 24 months.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import Table, bindparam, or_, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from catalog import outbox
from catalog.models import Product, Review, utcnow
from reviews.records import CRITERIA, aware


class _Countable(Protocol):
    hidden: bool
    held: bool
    created_at: datetime


Counted = TypeVar("Counted", bound=_Countable)  # a stored review or a row of its rating columns

WINDOW = timedelta(days=730)  # only reviews of the last 24 months count
RATING_COLUMNS = ("product_id", *CRITERIA, "recommend", "hidden", "held", "created_at")

# Built once: a review is posted in a dozen statements, and assembling them each time cost more than running them.
_REVIEWS: Table = Review.__table__  # type: ignore[attr-defined]
_PRODUCTS: Table = Product.__table__  # type: ignore[attr-defined]
_RATING_READ = select(*(_REVIEWS.c[name] for name in RATING_COLUMNS)).where(
    _REVIEWS.c.product_id.in_(bindparam("ids", expanding=True))
)
_RATING_WRITE = (
    update(_PRODUCTS)
    .where(
        _PRODUCTS.c.id == bindparam("product"),
        or_(
            _PRODUCTS.c.rating.is_distinct_from(bindparam("mean")),
            _PRODUCTS.c.review_count != bindparam("count"),
        ),
    )
    .values(rating=bindparam("mean"), review_count=bindparam("count"))
    .returning(_PRODUCTS.c.id)
)


@dataclass
class RatingSummary:
    count: int = 0
    mean: float | None = None
    criteria: dict[str, float] = field(default_factory=dict)
    recommend: float | None = None
    distribution: dict[int, int] = field(default_factory=lambda: {star: 0 for star in range(1, 6)})


def counted(reviews: Iterable[Counted], *, now: datetime | None = None) -> list[Counted]:
    """Reviews that count toward ratings: not hidden, not held, written within the last 24 months."""
    since = (now or utcnow()) - WINDOW
    return [r for r in reviews if not r.hidden and not r.held and aware(r.created_at) >= since]


def summarise(reviews: Sequence[Review]) -> RatingSummary:
    """Average, per-criterion averages and the 1-5 star distribution of counted reviews."""
    summary = RatingSummary(count=len(reviews))
    if not reviews:
        return summary
    overall = [sum(getattr(r, c) for c in CRITERIA) / len(CRITERIA) for r in reviews]
    summary.mean = round(sum(overall) / len(overall), 2)
    summary.criteria = {c: round(sum(getattr(r, c) for r in reviews) / len(reviews), 2) for c in CRITERIA}
    summary.recommend = round(sum(r.recommend for r in reviews) / len(reviews), 1)
    stars = Counter(min(5, max(1, int(value + 0.5))) for value in overall)
    summary.distribution = {star: stars.get(star, 0) for star in range(1, 6)}
    return summary


def rating_of(
    session: Session, *, product_id: int | None = None, provider_id: int | None = None
) -> RatingSummary:
    """The counted rating of one product or one provider."""
    query = select(Review)
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    if provider_id is not None:
        query = query.where(Review.provider_id == provider_id)
    return summarise(counted(session.exec(query).all()))


def public_reviews(
    session: Session, *, product_id: int | None = None, provider_id: int | None = None
) -> list[Review]:
    """Reviews shown on public pages (hidden ones are not), newest first; held ones are shown but not counted."""
    query = select(Review).where(col(Review.hidden).is_(False))
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    if provider_id is not None:
        query = query.where(Review.provider_id == provider_id)
    return list(session.exec(query.order_by(col(Review.created_at).desc()).limit(100)).all())


def ratings_by_product(session: Session, product_ids: Sequence[int]) -> dict[int, RatingSummary]:
    """Counted ratings of several products at once."""
    if not product_ids:
        return {}
    # Only the columns a rating reads (a popular product's reviews are many, their texts and flags long), as
    # plain rows: no ORM entities are needed to average them. Plain statements skip the ORM's autoflush.
    session.flush()
    rows = session.connection().execute(_RATING_READ, {"ids": sorted(set(product_ids))}).all()
    grouped: dict[int, list[Any]] = {}
    for review in counted(rows):
        grouped.setdefault(review.product_id, []).append(review)
    return {product_id: summarise(grouped.get(product_id, [])) for product_id in product_ids}


def refresh_rating(session: Session, *, product_ids: Iterable[int]) -> None:
    """Recompute the stored rating of these products; those whose rating moved get their search documents
    refreshed (a review posted near hundreds of others must not re-index all their products)."""
    changed: list[int] = []
    for product_id, summary in sorted(ratings_by_product(session, sorted(set(product_ids))).items()):
        # Compared and written in one plain statement (an ORM update also looks for the rows in the session).
        moved = session.connection().execute(
            _RATING_WRITE, {"product": product_id, "mean": summary.mean, "count": summary.count}
        )
        changed.extend(row[0] for row in moved)
    for product_id in changed:  # a product this session already holds shows its new rating too
        held = session.identity_map.get(identity_key(Product, product_id))
        if held is not None:
            session.expire(held, ["rating", "review_count"])
    outbox.enqueue(session, product_ids=changed)
