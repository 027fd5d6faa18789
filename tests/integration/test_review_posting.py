"""Posting a review through the service: what it checks, and what it leaves behind in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from catalog.errors import Conflict, NotFound
from catalog.models import Engagement, EngagementProduct, Review, SearchOutbox, utcnow
from reviews.services import post_review

SCORES = {
    "effect": "4",
    "delivery": "4",
    "cost": "5",
    "service": "5",
    "recommend": "9",
    "text": "能耗看得清了",
}


@pytest.fixture
def delivered(session, make):
    """A month-old enterprise account, an accepted engagement and the two products it delivered, and a third
    product of the same provider it did not deliver."""
    provider = make.organisation("provider")
    products = [make.product(provider, name=f"能耗平台 {n}") for n in range(3)]
    author = make.user("enterprise")
    author.created_at = utcnow() - timedelta(days=30)
    engagement = Engagement(
        enterprise_id=author.organisation_id,
        provider_id=provider.id,
        state="accepted",
        accepted_on=date.today(),
        contract_wan=20,
    )
    session.add_all([author, engagement])
    session.flush()
    session.add_all(EngagementProduct(engagement_id=engagement.id, product_id=p.id) for p in products[:2])
    session.commit()
    return author, engagement, products


def outbox_products(session) -> list[int]:
    return list(session.exec(select(SearchOutbox.product_id).order_by(col(SearchOutbox.id))).all())


def test_a_counted_review_moves_the_rating_of_the_product_the_session_already_holds(session, delivered):
    author, engagement, (product, *_) = delivered
    queued_before = outbox_products(session)
    assert product.rating is None  # loaded before the post, as a page that shows it would have

    post_review(
        session, engagement_id=engagement.id, product_id=product.id, raw=SCORES, actor=author, ip="10.0.0.1"
    )
    session.commit()

    assert (product.rating, product.review_count) == (4.5, 1)
    assert outbox_products(session) == [*queued_before, product.id], (
        "one search refresh for the rated product"
    )


def test_a_second_review_of_the_same_pair_conflicts_and_the_first_stays(session, delivered):
    author, engagement, (product, *_) = delivered
    post_review(
        session, engagement_id=engagement.id, product_id=product.id, raw=SCORES, actor=author, ip="10.0.0.1"
    )
    session.commit()
    with pytest.raises(Conflict):
        post_review(
            session,
            engagement_id=engagement.id,
            product_id=product.id,
            raw=SCORES,
            actor=author,
            ip="10.0.0.1",
        )
    session.rollback()
    assert [r.product_id for r in session.exec(select(Review)).all()] == [product.id]


def test_only_delivered_products_of_the_enterprises_own_accepted_engagement(session, make, delivered):
    author, engagement, (first, second, undelivered) = delivered
    post = dict(raw=SCORES, ip="10.0.0.1")
    with pytest.raises(NotFound):
        post_review(session, engagement_id=engagement.id, product_id=undelivered.id, actor=author, **post)
    with pytest.raises(NotFound):
        post_review(session, engagement_id=engagement.id + 1000, product_id=first.id, actor=author, **post)
    with pytest.raises(NotFound):
        post_review(
            session, engagement_id=engagement.id, product_id=first.id, actor=make.user("enterprise"), **post
        )
    engagement.state = "active"
    session.add(engagement)
    session.commit()
    with pytest.raises(Conflict):
        post_review(session, engagement_id=engagement.id, product_id=second.id, actor=author, **post)
    session.rollback()
    assert session.exec(select(Review)).all() == []
