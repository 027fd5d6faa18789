"""Which reviews count and the shrunk (Bayesian-average) rating per product or provider."""

from datetime import datetime, timedelta, timezone

import pytest

from reviews.scoring import (
    counted_reviews,
    exclusion_reason,
    item_ratings,
    months_before,
    shrunk_rating,
)
from tests.unit.review_records import review_maker

TZ = timezone(timedelta(hours=8))
AS_OF = datetime(2027, 6, 30, 12, 0, tzinfo=TZ)


@pytest.fixture
def make_review():
    """Factory for plain review records; every review from its own enterprise unless told otherwise."""
    return review_maker(created_at=lambda n: AS_OF - timedelta(days=30), account_age=timedelta(days=370))


def stars(value: int) -> dict[str, int]:
    """The same score on all four criteria."""
    return {"effect": value, "delivery": value, "cost": value, "service": value}


@pytest.mark.parametrize(
    ("mean", "count", "prior", "m", "expected"),
    [
        (5.0, 2, 3.5, 5, (2 * 5.0 + 5 * 3.5) / 7),  # 3.9286: two raves stay near the category mean
        (4.2, 45, 3.6, 5, 4.14),  # many reviews: close to the item's own mean
        (4.0, 5, 3.0, 5, 3.5),  # v = m: halfway
        (4.8, 0, 3.7, 5, 3.7),  # no reviews: the category mean
        (4.8, 3, 3.7, 0, 4.8),  # m = 0: no shrinkage
        (4.8, 0, 3.7, 0, 3.7),
    ],
)
def test_shrunk_rating_hand_values(mean, count, prior, m, expected):
    assert shrunk_rating(mean=mean, count=count, prior_mean=prior, min_count=m) == pytest.approx(expected)


def test_shrunk_rating_rejects_negative_counts():
    with pytest.raises(ValueError):
        shrunk_rating(mean=4, count=-1, prior_mean=3, min_count=5)


def test_review_rating_is_the_mean_of_the_four_criteria(make_review):
    review = make_review(effect=5, delivery=4, cost=2, service=3, recommend=0)

    assert review.overall == 3.5


def test_two_raves_do_not_outrank_forty_good_reviews(make_review):
    reviews = [make_review(product_id="RAVE", **stars(5)) for _ in range(2)]
    reviews += [make_review(product_id="SOLID", effect=5, delivery=4, cost=5, service=4) for _ in range(40)]
    reviews += [make_review(product_id=f"OTHER{n}", **stars(2)) for n in range(20)]

    ratings = item_ratings(reviews, kind="product", min_count=5)

    assert ratings["RAVE"].mean > ratings["SOLID"].mean
    assert ratings["SOLID"].shrunk > ratings["RAVE"].shrunk


def test_item_rating_shows_its_inputs(make_review):
    reviews = [
        make_review(product_id="A", enterprise_id="E1", **stars(5), recommend=10),
        make_review(product_id="A", enterprise_id="E1", **stars(3), recommend=6),
        make_review(product_id="B", enterprise_id="E2", **stars(2), recommend=2),
        make_review(product_id="B", enterprise_id="E3", **stars(2), recommend=4),
    ]

    rating = item_ratings(reviews, kind="product", min_count=2)["A"]

    assert (rating.count, rating.enterprises, rating.mean) == (2, 1, 4.0)
    assert rating.prior_mean == 3.0  # mean over all four reviews
    assert rating.shrunk == pytest.approx((2 * 4.0 + 2 * 3.0) / 4)
    assert rating.criteria["effect"] == 4.0
    assert rating.recommend == 8.0
    assert rating.last_review_at == reviews[0].created_at


def test_ratings_by_provider_group_all_its_products(make_review):
    reviews = [make_review(provider_id="S1", product_id=p) for p in ("P1", "P2", "P3")]

    ratings = item_ratings(reviews, kind="provider")

    assert list(ratings) == ["S1"]
    assert ratings["S1"].count == 3


def test_prior_mean_is_taken_per_category(make_review):
    reviews = [make_review(product_id="A", **stars(5)), make_review(product_id="B", **stars(3))]
    reviews += [make_review(product_id="C", **stars(1))]

    ratings = item_ratings(reviews, kind="product", category_of={"A": "mes", "B": "mes", "C": "erp"})

    assert ratings["A"].prior_mean == ratings["B"].prior_mean == 4.0
    assert ratings["C"].prior_mean == 1.0


def test_unreviewed_items_are_rated_at_the_prior(make_review):
    reviews = [make_review(product_id="A", **stars(4)), make_review(product_id="B", **stars(2))]

    ratings = item_ratings(reviews, kind="product", items=["NEW"])

    assert ratings["NEW"].count == 0
    assert ratings["NEW"].shrunk == 3.0
    assert ratings["NEW"].recommend is None


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"verified": False}, "unverified"),
        ({"hidden": True}, "hidden"),
        ({"id": "HELD"}, "held"),
        ({"created_at": AS_OF + timedelta(seconds=1)}, "future"),
        ({"created_at": AS_OF - timedelta(days=731)}, "too_old"),
        ({}, None),
    ],
)
def test_exclusion_reasons(make_review, over, reason):
    review = make_review(**over)

    assert exclusion_reason(review, as_of=AS_OF, held_ids={"HELD"}) == reason


def test_window_is_24_calendar_months_inclusive(make_review):
    start = datetime(2025, 6, 30, 12, 0, tzinfo=TZ)
    on_edge = make_review(created_at=start)
    just_before = make_review(created_at=start - timedelta(seconds=1))

    counted = counted_reviews([on_edge, just_before], as_of=AS_OF)

    assert counted == [on_edge]


def test_window_length_is_configurable(make_review):
    old = make_review(created_at=AS_OF - timedelta(days=400))

    assert counted_reviews([old], as_of=AS_OF, window_months=12) == []
    assert counted_reviews([old], as_of=AS_OF) == [old]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2027, 3, 31, 9, tzinfo=TZ), 1, datetime(2027, 2, 28, 9, tzinfo=TZ)),
        (datetime(2028, 2, 29, 9, tzinfo=TZ), 24, datetime(2026, 2, 28, 9, tzinfo=TZ)),
        (datetime(2027, 1, 15, 9, tzinfo=TZ), 13, datetime(2025, 12, 15, 9, tzinfo=TZ)),
    ],
)
def test_months_before_clamps_to_the_end_of_month(moment, months, expected):
    assert months_before(moment, months) == expected
