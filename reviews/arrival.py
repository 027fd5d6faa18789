"""Suspicion flags on the request path: what one new review can change, checked against the reviews it can touch.

Full recomputation (``reviews.flags.flag_reviews`` over every review) costs more with each review stored; posting
used to run it over up to 2,000 "neighbours" per request. One new review can change only this:

- its own flags. Each rule over many reviews is applied to those that can share a pattern with it, loaded by
  narrow indexed queries (ids, enterprise, time, address; no ORM rows): its product's reviews within two burst
  windows of it, its address's reviews within two address windows (every window holding a review that shares
  a window with it fits inside, so those windows are counted exactly), and the texts of other enterprises whose
  normalised length can reach the similarity threshold. It gets what full recomputation would give it now.
  Cheap counts come first: most posts have too few reviews of their product close in time, or no other firm on
  their address, for any window to flag, and read nothing more.
- the flags of others. A new review only grows the windows that hold it and the set of copies of its text, so
  it can put others into a burst or shared-address window with it (reviews within one window of it), or make
  them near copies (those it copies). Their flags of that rule are computed as exactly, from the same context.

Bursts compare a window with the product's rate outside it over the whole data span, so a new review can also
end a burst elsewhere in its product's history (and a longer span start one): flags are therefore added or
re-described here and never dropped; a held review stays held until staff clear it, or until a full
recomputation (``refresh_flags(reviews=...)``, the pilot import) says otherwise. Posting the generated pilot
review by review ends with exactly the flags full recomputation gives (tests/integration/test_review_arrival.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import bindparam, union_all
from sqlmodel import Session, col, func, select

from catalog.models import Review
from reviews.duplicates import length_band, near_copies, normalise
from reviews.flags import (
    DEFAULT_THRESHOLDS,
    Flag,
    FlagThresholds,
    burst_flags,
    data_span_days,
    near_duplicate_flag,
    shared_ip_flags,
)
from reviews.records import aware

Found = Iterable[tuple[str, Flag]]

# Built once with placeholders: assembling these per post cost more than running them.
_CLOSE = col(Review.created_at).between(bindparam("low"), bindparam("high"))
_MOMENTS = select(Review.id, Review.enterprise_id, Review.created_at, Review.ip)
_BY_PRODUCT = _MOMENTS.where(col(Review.product_id) == bindparam("key"), _CLOSE)
_BY_ADDRESS = _MOMENTS.where(col(Review.ip) == bindparam("key"), _CLOSE)
# Other firms on an address, read as two index ranges either side of the poster's own: the reviews an enterprise
# keeps posting from its own address (or a load test from loopback) are never read, however many there are.
_FIRM = col(Review.enterprise_id)
_SIDES = union_all(
    *(
        select(_FIRM).where(col(Review.ip) == bindparam("key"), _CLOSE, side)
        for side in (bindparam("firm") > _FIRM, bindparam("firm") < _FIRM)
    )
).subquery()
_OTHER_FIRMS = select(func.count(func.distinct(_SIDES.c.enterprise_id)))


class Moment(NamedTuple):
    """The columns the timing rules read of a stored review."""

    id: str
    enterprise_id: str
    created_at: datetime
    ip: str


def flags_on_arrival(
    session: Session, review: Review, *, thresholds: FlagThresholds = DEFAULT_THRESHOLDS
) -> dict[str, list[Flag]]:
    """The burst, shared-address and near-copy flags of a review just flushed, and those of the stored reviews it
    puts into such a pattern, as full recomputation would give them now (review ids as strings; the one-review
    rules are the caller's)."""
    # (On PostgreSQL these reads are planned for the table as it is: see marketplace.db.make_engine.)
    found: dict[str, list[Flag]] = {}
    rules = (_bursts(session, review, thresholds), _shared_ips(session, review, thresholds))
    for review_id, flag in chain(*rules, _copies(session, review, thresholds)):
        found.setdefault(review_id, []).append(flag)
    return found


def _moments(session: Session, query: Any, key: object, review: Review, reach: timedelta) -> list[Moment]:
    """Reviews of the product or address ``key`` within ``reach`` of the review (among them: it was flushed).

    The bounds are the review's own time as given, so the database compares them as it stored that time."""
    bounds = {"key": key, "low": review.created_at - reach, "high": review.created_at + reach}
    rows = session.connection().execute(query, bounds).all()  # plain rows: the review was flushed
    return [Moment(str(row_id), str(firm), aware(when), ip) for row_id, firm, when, ip in rows]


def _near(stretch: list[Moment], review: Review, reach: timedelta) -> list[Moment]:
    """The reviews of the stretch within ``reach`` of the review, by the times as read back."""
    pivot = next(moment.created_at for moment in stretch if moment.id == str(review.id))
    return [moment for moment in stretch if abs(moment.created_at - pivot) <= reach]


def _bursts(session: Session, review: Review, thresholds: FlagThresholds) -> Found:
    window = timedelta(hours=thresholds.burst_window_hours)
    stretch = _moments(session, _BY_PRODUCT, review.product_id, review, 2 * window)
    near = _near(stretch, review, window)
    if len(near) < thresholds.burst_min_reviews:
        return []  # no window holding it reaches the minimum: it starts no burst and joins none
    total = session.exec(select(func.count()).where(col(Review.product_id) == review.product_id)).one()
    # The data's span reads the whole table (an index of its own misled the address check's plan): only here.
    first, last = session.exec(select(func.min(Review.created_at), func.max(Review.created_at))).one()
    span = data_span_days(aware(first), aware(last), thresholds)
    inside = {moment.id for moment in near}
    found = burst_flags(str(review.product_id), stretch, total=total, span_days=span, thresholds=thresholds)
    return [(review_id, flag) for review_id, flag in found if review_id in inside]


def _shared_ips(session: Session, review: Review, thresholds: FlagThresholds) -> Found:
    if not review.ip:
        return []
    window = timedelta(days=thresholds.ip_window_days)
    bounds = {"low": review.created_at - window, "high": review.created_at + window}
    others = (
        session.connection()
        .execute(_OTHER_FIRMS, {"key": review.ip, "firm": review.enterprise_id, **bounds})
        .scalar_one()
    )
    if others + 1 < thresholds.ip_min_enterprises:
        return []  # too few firms around it on this address: no window holding it can flag
    stretch = _moments(session, _BY_ADDRESS, review.ip, review, 2 * window)
    inside = {moment.id for moment in _near(stretch, review, window)}
    return [
        (review_id, flag) for review_id, flag in shared_ip_flags(stretch, thresholds) if review_id in inside
    ]


def _copies(session: Session, review: Review, thresholds: FlagThresholds) -> Found:
    own = (str(review.id), str(review.enterprise_id), normalise(review.text))
    if len(own[2]) < thresholds.duplicate_min_chars:
        return []
    others = _texts(session, [len(own[2])], thresholds, other_than=review.enterprise_id)
    found = near_copies([own], others, min_similarity=thresholds.duplicate_similarity)
    if not found:
        return []
    similar, best = found[own[0]]
    copied = [entry for entry in others if entry[0] in similar]
    # Each copy now has one more similar review: its whole list, against the texts its own length can reach (the
    # new one's as compared above, whatever its stored form).
    reach = [
        entry
        for entry in _texts(session, [len(text) for _, _, text in copied], thresholds)
        if entry[0] != own[0]
    ]
    again = near_copies(copied, [own, *reach], min_similarity=thresholds.duplicate_similarity)
    return [(own[0], near_duplicate_flag(similar, best))] + [
        (copy_id, near_duplicate_flag(*again[copy_id])) for copy_id, _, _ in copied
    ]


def _texts(
    session: Session, lengths: list[int], thresholds: FlagThresholds, *, other_than: int | None = None
) -> list[tuple[str, str, str]]:
    """(id, enterprise, normalised text) of the reviews a text of one of these lengths can be alike with."""
    bands = [
        length_band(
            n, min_chars=thresholds.duplicate_min_chars, min_similarity=thresholds.duplicate_similarity
        )
        for n in lengths
    ]
    length = func.length(Review.text_normalised)
    query = select(Review.id, Review.enterprise_id, Review.text_normalised).where(
        length.between(min(low for low, _ in bands), max(high for _, high in bands))
    )
    if other_than is not None:
        query = query.where(col(Review.enterprise_id) != other_than)
    return [(str(row_id), str(firm), text) for row_id, firm, text in session.exec(query).all()]
