"""Reviews in the database: posting (verified by an accepted engagement), flags, replies, moderation. What they
add up to (ratings) is reviews.ratings.

The pure cores (``reviews.flags``, ``reviews.scoring``, ``reviews.shortlist``) see plain records built here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from catalog import audit
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import (
    Engagement,
    EngagementProduct,
    EngagementState,
    OrgKind,
    Review,
    User,
    pk,
    utcnow,
)
from reviews.arrival import flags_on_arrival
from reviews.duplicates import normalise
from reviews.flags import DEFAULT_THRESHOLDS, LISTING_ORDER, Flag, flag_reviews, single_review_flags
from reviews.ratings import refresh_rating
from reviews.records import CRITERIA, ReviewRecord, aware

# Built once: a review is posted in a dozen statements, and assembling these each time cost more than running them.
_REVIEWS: Table = Review.__table__  # type: ignore[attr-defined]
_INSERT_REVIEW = insert(_REVIEWS).returning(_REVIEWS.c.id)
_ENGAGEMENTS: Table = Engagement.__table__  # type: ignore[attr-defined]
_DELIVERED: Table = EngagementProduct.__table__  # type: ignore[attr-defined]
# The engagement's parties and state, and whether it delivered the product: the columns posting reads, no entity.
_DELIVERY = (
    select(
        _ENGAGEMENTS.c.enterprise_id,
        _ENGAGEMENTS.c.provider_id,
        _ENGAGEMENTS.c.state,
        _DELIVERED.c.product_id.label("delivered"),
    )
    .select_from(_ENGAGEMENTS)
    .outerjoin(
        _DELIVERED,
        (_DELIVERED.c.engagement_id == _ENGAGEMENTS.c.id) & (_DELIVERED.c.product_id == bindparam("product")),
    )
    .where(_ENGAGEMENTS.c.id == bindparam("engagement"))
)
def record_of(review: Review, engagement_state: str = EngagementState.ACCEPTED) -> ReviewRecord:
    """The plain record of a stored review (database ids as strings)."""
    return ReviewRecord(
        id=str(review.id),
        engagement_id=str(review.engagement_id),
        enterprise_id=str(review.enterprise_id),
        product_id=str(review.product_id),
        provider_id=str(review.provider_id),
        effect=review.effect,
        delivery=review.delivery,
        cost=review.cost,
        service=review.service,
        recommend=review.recommend,
        text=review.text,
        created_at=aware(review.created_at),
        ip=review.ip,
        author_created_at=aware(review.author_created_at or review.created_at),
        engagement_state=engagement_state,
        hidden=review.hidden,
    )


def _row_of(review: Review) -> dict[str, Any]:
    """The column values of a review not yet written (its id is the database's)."""
    return {column.name: getattr(review, column.name) for column in _REVIEWS.c if column.name != "id"}


def validate_scores(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Criteria 1-5, recommend 0-10 and the text, or Invalid naming each bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, low, high in [*((c, 1, 5) for c in CRITERIA), ("recommend", 0, 10)]:
        value = raw.get(name)
        if str(value).strip() not in {str(n) for n in range(low, high + 1)}:
            errors[name] = bilingual(f"请选择 {low} 至 {high} 分", f"choose {low} to {high}")
        else:
            values[name] = int(str(value).strip())
    text = str(raw.get("text") or "").strip()
    if len(text) > 4000:
        errors["text"] = bilingual("评价不能超过 4000 个字符", "a review is at most 4000 characters")
    if errors:
        raise Invalid(errors)
    return {**values, "text": text}


def post_review(
    session: Session,
    *,
    engagement_id: int,
    product_id: int,
    raw: Mapping[str, Any],
    actor: User,
    ip: str,
    created_at: datetime | None = None,
    author_created_at: datetime | None = None,
    external_id: str | None = None,
) -> Review:
    """A verified review: only the enterprise of an accepted engagement, once per engagement and product.

    Conflict for a second review of the same pair leaves the transaction failed: the caller rolls back."""
    engagement = (
        session.connection().execute(_DELIVERY, {"engagement": engagement_id, "product": product_id}).first()
    )
    if (
        engagement is None
        or actor.kind != OrgKind.ENTERPRISE
        or actor.organisation_id != engagement.enterprise_id
    ):
        raise NotFound()
    if engagement.state != EngagementState.ACCEPTED:
        raise Conflict(bilingual("项目验收通过后才能评价", "reviews open once the project is accepted"))
    if engagement.delivered is None:
        raise NotFound()
    scores = validate_scores(raw)
    review = Review(
        engagement_id=engagement_id,
        product_id=product_id,
        provider_id=engagement.provider_id,
        enterprise_id=engagement.enterprise_id,
        author_user_id=actor.id,
        ip=ip[:64],
        author_created_at=author_created_at or actor.created_at,
        external_id=external_id,
        created_at=created_at or utcnow(),
        text_normalised=normalise(scores["text"]),
        flags=[],  # given, not defaulted: the model's default factory is inspected on every call
        **scores,
    )
    # Its one-review flags go in with it (no second write unless another rule adds to them).
    review.flags = _stored_form(single_review_flags(record_of(review)), cleared=set())
    review.held = bool(review.flags)
    # No savepoint around it (two round trips a review): a duplicate leaves the transaction failed, and the
    # caller, which gets Conflict, rolls it back as it would any refused write.
    try:
        review.id = session.connection().execute(_INSERT_REVIEW, _row_of(review)).scalar_one()
    except IntegrityError:
        raise Conflict(
            bilingual("该产品在本项目中已经评价过", "this product was already reviewed for this engagement")
        ) from None
    # Written as one plain INSERT (the unit of work cost more than the statement); the session then holds the
    # row as if it had read it back, so the flags added below are written as an UPDATE.
    make_transient_to_detached(review)
    session.add(review)
    refresh_flags(session, around=review)
    return review


def refresh_flags(
    session: Session, *, around: Review | None = None, reviews: Sequence[Review] | None = None
) -> None:
    """Flag a review just posted and the reviews it puts into a pattern (``around``; flags are only added there,
    see ``reviews.arrival``), or recompute the flags of a whole set (``reviews``: staff actions, the import); hold
    the flagged ones; then refresh the stored ratings that can have moved: those of the new review's product if
    it counts and of products whose reviews moved in or out of the ratings, or those of the whole set's products."""
    if reviews is not None:
        subset = list(reviews)
        found = flag_reviews([record_of(review) for review in subset], thresholds=DEFAULT_THRESHOLDS)
        _store(session, subset, found, keep_others=False)
        refresh_rating(session, product_ids=[review.product_id for review in subset])
        return
    if around is None:
        raise TypeError("refresh_flags needs a review just posted or a set of reviews")
    found = flags_on_arrival(session, around, thresholds=DEFAULT_THRESHOLDS)
    found[str(around.id)] = single_review_flags(record_of(around)) + found.get(str(around.id), [])
    others = sorted(int(review_id) for review_id in found if review_id != str(around.id))
    # Locked in id order: two posts adding flags to the same review merge (never overwrite) and cannot deadlock.
    locked = (
        session.exec(
            select(Review)
            .where(col(Review.id).in_(others))
            .order_by(col(Review.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        if others
        else []
    )
    moved = _store(session, [around, *locked], found, keep_others=True)
    if not around.held:
        moved.add(around.product_id)  # a held review counts nowhere: its product's rating stays as it was
    if moved:
        refresh_rating(session, product_ids=moved)


def _stored_form(found: Iterable[Flag], *, cleared: set[str]) -> list[dict[str, Any]]:
    """Flags as a review stores them; a code staff cleared stays cleared."""
    return [
        {
            "code": f.code,
            "action": f.action,
            "zh": f.reason_zh,
            "en": f.reason_en,
            "cleared": f.code in cleared,
        }
        for f in found
    ]


def _listed(code: str) -> int:
    return LISTING_ORDER.index(code) if code in LISTING_ORDER else len(LISTING_ORDER)


def _store(
    session: Session, subset: Sequence[Review], found: Mapping[str, Sequence[Flag]], *, keep_others: bool
) -> set[int]:
    """Write the found flags (keeping staff's clearing, and with ``keep_others`` the stored flags of rules not
    found again) and the held mark; returns the products whose counted reviews changed."""
    moved: set[int] = set()
    for review in subset:
        cleared = {flag["code"] for flag in review.flags if flag.get("cleared")}
        fresh = _stored_form(found.get(str(review.id), []), cleared=cleared)
        if keep_others:
            codes = {flag["code"] for flag in fresh}
            fresh += [flag for flag in review.flags if flag["code"] not in codes]
            fresh.sort(key=lambda flag: _listed(str(flag["code"])))
        if fresh != review.flags:
            held = any(not flag["cleared"] for flag in fresh)
            if held != review.held:
                moved.add(review.product_id)
            review.flags, review.held = fresh, held
            session.add(review)
    session.flush()
    return moved


def own_review_as_provider(session: Session, *, review_id: int, actor: User) -> Review:
    """A review of the actor's own provider organisation (NotFound otherwise)."""
    review = session.get(Review, review_id)
    if review is None or actor.kind != OrgKind.PROVIDER or review.provider_id != actor.organisation_id:
        raise NotFound()
    return review


def reply(session: Session, *, review_id: int, text: str, actor: User) -> Review:
    """The provider's public reply; it never edits or hides the review itself."""
    review = own_review_as_provider(session, review_id=review_id, actor=actor)
    if not text.strip() or len(text) > 2000:
        raise Invalid({"reply": bilingual("回复应为 1 至 2000 个字符", "a reply is 1 to 2000 characters")})
    review.reply, review.reply_at = text.strip(), utcnow()
    session.add(review)
    session.flush()
    return review


def _staff_review(session: Session, review_id: int, actor: User) -> Review:
    review = session.get(Review, review_id)
    if review is None or actor.kind != OrgKind.STAFF:
        raise NotFound()
    return review


def hide(session: Session, *, review_id: int, reason: str, actor: User) -> Review:
    """Staff hide a review, always with a reason that stays visible to staff."""
    review = _staff_review(session, review_id, actor)
    if not reason.strip():
        raise Invalid({"reason": bilingual("隐藏评价必须填写原因", "hiding a review needs a reason")})
    review.hidden, review.hidden_reason = True, reason.strip()[:500]
    session.add(review)
    session.flush()
    refresh_rating(session, product_ids=[review.product_id])
    audit.record(
        session,
        actor=actor,
        action="review.hide",
        subject_type="review",
        subject_id=review.id,
        detail={"reason": review.hidden_reason},
    )
    return review


def clear_flags(session: Session, *, review_id: int, reason: str, actor: User) -> Review:
    """Staff clear a review's suspicion flags after checking it: it counts again."""
    review = _staff_review(session, review_id, actor)
    review.flags = [{**flag, "cleared": True} for flag in review.flags if flag.get("action") != "reject"]
    review.held = False
    session.add(review)
    session.flush()
    refresh_rating(session, product_ids=[review.product_id])
    audit.record(
        session,
        actor=actor,
        action="review.clear",
        subject_type="review",
        subject_id=review.id,
        detail={"reason": reason.strip()[:500]},
    )
    return review


def reviewed_pairs(session: Session, *, engagement: Engagement) -> set[int]:
    """Products of the engagement already reviewed."""
    return set(session.exec(select(Review.product_id).where(Review.engagement_id == pk(engagement))).all())
