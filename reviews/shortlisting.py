"""Award shortlisting from the database: load engagements and reviews as plain records, rank with the pure core.

Candidates are identified by database ids inside the core; callers map them to names and external ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from catalog import audit
from catalog.errors import Invalid, NotFound, bilingual
from catalog.models import (
    AwardDecision,
    Engagement,
    EngagementProduct,
    Organisation,
    OrgKind,
    OrgState,
    Product,
    Review,
    Setting,
    User,
    utcnow,
)
from reviews.awards import COMPONENTS, AwardWeights
from reviews.records import EngagementRecord
from reviews.services import record_of
from reviews.shortlist import Shortlist, ShortlistSettings, shortlist

WEIGHTS_KEY = "award_weights"


def weights(session: Session) -> AwardWeights:
    """The award weights staff set, or the documented defaults."""
    stored = session.get(Setting, WEIGHTS_KEY)
    return (
        AwardWeights(**{k: float(v) for k, v in stored.value.items() if k in COMPONENTS})
        if stored
        else AwardWeights()
    )


def set_weights(session: Session, *, raw: dict[str, str], actor: User) -> AwardWeights:
    """Change the weights (each 0-1, not all zero); logged."""
    values = {}
    for name in COMPONENTS:
        try:
            values[name] = float(raw.get(name, ""))
        except ValueError:
            values[name] = -1.0
    if any(not 0 <= value <= 1 for value in values.values()) or sum(values.values()) <= 0:
        raise Invalid(
            {"weights": bilingual("每项权重应在 0 至 1 之间且不能全为 0", "each weight is 0 to 1, not all 0")}
        )
    stored = session.get(Setting, WEIGHTS_KEY) or Setting(key=WEIGHTS_KEY)
    stored.value, stored.updated_at = values, utcnow()
    session.add(stored)
    audit.record(
        session,
        actor=actor,
        action="awards.weights",
        subject_type="setting",
        subject_id=WEIGHTS_KEY,
        detail=values,
    )
    return AwardWeights(**values)


def _engagements(session: Session) -> list[EngagementRecord]:
    products: dict[int, list[str]] = {}
    for link in session.exec(select(EngagementProduct)).all():
        products.setdefault(link.engagement_id, []).append(str(link.product_id))
    return [
        EngagementRecord(
            id=str(e.id),
            enterprise_id=str(e.enterprise_id),
            provider_id=str(e.provider_id),
            product_ids=tuple(products.get(e.id or 0, ())),
            state=e.state,
            level_before=e.level_before,
            level_after=e.level_after,
            accepted_on=e.accepted_on,
        )
        for e in session.exec(select(Engagement)).all()
    ]


@dataclass(frozen=True)
class AwardBoard:
    providers: Shortlist
    products: Shortlist
    names: dict[str, dict[str, str]]  # kind -> id -> name
    external: dict[str, dict[str, str]]  # kind -> id -> external id


def board(session: Session, *, as_of: datetime | None = None) -> AwardBoard:
    """Both rankings with every candidate's breakdown, eligibility and rank stability."""
    as_of = as_of or utcnow()
    records = [record_of(review) for review in session.exec(select(Review)).all() if not review.hidden]
    held = {str(review.id) for review in session.exec(select(Review).where(col(Review.held))).all()}
    engagements = _engagements(session)
    suspended = {
        str(org.id)
        for org in session.exec(
            select(Organisation).where(
                Organisation.kind == OrgKind.PROVIDER, Organisation.state != OrgState.APPROVED
            )
        ).all()
    }
    settings = ShortlistSettings(weights=weights(session))
    product_rows = session.exec(select(Product)).all()
    suspended_products = {str(p.id) for p in product_rows if not p.listed}
    common = {
        "reviews": records,
        "engagements": engagements,
        "as_of": as_of,
        "held_ids": held,
        "settings": settings,
    }
    providers = {
        str(o.id): o
        for o in session.exec(select(Organisation).where(Organisation.kind == OrgKind.PROVIDER)).all()
    }
    return AwardBoard(
        providers=shortlist(kind="provider", suspended=suspended, **common),  # type: ignore[arg-type]
        products=shortlist(kind="product", suspended=suspended_products, **common),  # type: ignore[arg-type]
        names={
            "provider": {k: o.name for k, o in providers.items()},
            "product": {str(p.id): p.name for p in product_rows},
        },
        external={
            "provider": {k: o.external_id or f"ORG{k}" for k, o in providers.items()},
            "product": {str(p.id): p.external_id for p in product_rows},
        },
    )


def decide(
    session: Session,
    *,
    kind: str,
    candidate_id: int,
    shortlisted: bool,
    reason: str,
    score: float,
    actor: User,
) -> AwardDecision:
    """Staff mark a candidate shortlisted (or withdraw it), with a reason; logged."""
    if kind not in ("provider", "product"):
        raise NotFound()
    exists = session.get(Organisation if kind == "provider" else Product, candidate_id)
    if exists is None:
        raise NotFound()
    if not reason.strip():
        raise Invalid({"reason": bilingual("请填写理由", "a reason is required")})
    decision = session.exec(
        select(AwardDecision).where(AwardDecision.kind == kind, AwardDecision.candidate_id == candidate_id)
    ).first()
    decision = decision or AwardDecision(kind=kind, candidate_id=candidate_id)
    decision.shortlisted, decision.reason, decision.score = shortlisted, reason.strip()[:1000], score
    decision.decided_by_user_id, decision.decided_at = actor.id, utcnow()
    session.add(decision)
    audit.record(
        session,
        actor=actor,
        action="awards.shortlist" if shortlisted else "awards.withdraw",
        subject_type=kind,
        subject_id=candidate_id,
        detail={"reason": decision.reason, "score": score},
    )
    return decision


def decisions(session: Session) -> dict[tuple[str, int], AwardDecision]:
    """Staff decisions by (kind, candidate id)."""
    return {(d.kind, d.candidate_id): d for d in session.exec(select(AwardDecision)).all()}
