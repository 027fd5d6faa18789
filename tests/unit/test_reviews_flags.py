"""Suspicious-review flags: each kind fires on its pattern and stays quiet on honest look-alikes."""

from datetime import datetime, timedelta, timezone

import pytest

from reviews.flags import FlagThresholds, flag_reviews, held_ids, rejected_ids
from reviews.records import ReviewRecord
from tests.unit.review_records import review_maker

TZ = timezone(timedelta(hours=8))
START = datetime(2026, 6, 1, 10, 0, tzinfo=TZ)
LONG_TEXT = (
    "上线以后效率大幅提升，服务团队非常专业负责，价格也很合理，质量追溯做到了批次和机台，强烈推荐给各位同行！"
)


@pytest.fixture
def make_review():
    """Factory for honest-looking reviews: own enterprise, own IP, old account, distinct short text."""
    return review_maker(
        created_at=lambda n: START + timedelta(days=n),
        product_id=lambda n: f"P{n}",
        text=lambda n: f"评价{n}",
        ip=lambda n: f"10.0.{n // 200}.{n % 200}",
        account_age=timedelta(days=300),
    )


def codes(flags, review_id):
    """The flag codes of one review."""
    return [flag.code for flag in flags[review_id]]


def test_every_review_gets_an_entry_and_honest_ones_stay_clean(make_review):
    reviews = [make_review() for _ in range(5)]

    flags = flag_reviews(reviews)

    assert flags == {review.id: [] for review in reviews}
    assert held_ids(flags) == frozenset()


def test_review_on_an_engagement_never_accepted_is_rejected(make_review):
    unaccepted = make_review(engagement_state="active")
    accepted = make_review()

    flags = flag_reviews([unaccepted, accepted])

    (flag,) = flags[unaccepted.id]
    assert (flag.code, flag.action) == ("engagement_not_accepted", "reject")
    assert "active" in flag.reason("en") and "未通过验收" in flag.reason("zh")
    assert rejected_ids(flags) == {unaccepted.id}
    assert flags[accepted.id] == []


@pytest.mark.parametrize(("age_days", "flagged"), [(0.5, True), (6.9, True), (7, False), (30, False)])
def test_new_account(make_review, age_days, flagged):
    review = make_review(author_created_at=START - timedelta(days=age_days), created_at=START)

    flags = flag_reviews([review])

    assert codes(flags, review.id) == (["new_account"] if flagged else [])
    if flagged:
        assert flags[review.id][0].action == "hold"


def test_new_account_threshold_is_configurable(make_review):
    review = make_review(author_created_at=START - timedelta(days=2), created_at=START)

    assert flag_reviews([review], thresholds=FlagThresholds(new_account_days=1))[review.id] == []


def test_three_enterprises_behind_one_ip_within_weeks(make_review):
    ring = [make_review(ip="1.2.3.4", created_at=START + timedelta(days=d)) for d in (0, 6, 12)]
    bystander = make_review()

    flags = flag_reviews([*ring, bystander])

    for review in ring:
        assert codes(flags, review.id) == ["shared_ip"]
        assert "3 different enterprises" in flags[review.id][0].reason("en")
        assert set(flags[review.id][0].related) == {r.id for r in ring} - {review.id}
    assert flags[bystander.id] == []


@pytest.mark.parametrize(
    "case",
    ["two_firms_in_one_park", "three_firms_months_apart", "one_firm_many_reviews", "unknown_ip"],
)
def test_shared_ip_honest_coincidences(make_review, case):
    if case == "two_firms_in_one_park":
        reviews = [make_review(ip="1.2.3.4", enterprise_id=e, created_at=START) for e in ("E1", "E2", "E2")]
    elif case == "three_firms_months_apart":
        reviews = [make_review(ip="1.2.3.4", created_at=START + timedelta(days=d)) for d in (0, 45, 90)]
    elif case == "one_firm_many_reviews":
        reviews = [make_review(ip="1.2.3.4", enterprise_id="E1", created_at=START) for _ in range(5)]
    else:
        reviews = [make_review(ip="", created_at=START) for _ in range(5)]

    assert held_ids(flag_reviews(reviews)) == frozenset()


def background(make_review, product: str, count: int, days: int) -> list[ReviewRecord]:
    """Reviews of one product spread evenly over ``days`` days."""
    return [
        make_review(product_id=product, created_at=START + timedelta(days=days * n / count))
        for n in range(count)
    ]


def test_burst_on_a_quiet_product(make_review):
    usual = background(make_review, "P-X", 12, 360)
    burst_start = START + timedelta(days=200, hours=3)
    burst = [make_review(product_id="P-X", created_at=burst_start + timedelta(hours=7 * n)) for n in range(6)]

    flags = flag_reviews([*usual, *burst])

    assert all(codes(flags, r.id) == ["burst"] for r in burst)
    assert all(flags[r.id] == [] for r in usual)
    assert "6 reviews within 72 hours" in flags[burst[0].id][0].reason("en")


def test_too_few_reviews_are_no_burst(make_review):
    usual = background(make_review, "P-X", 12, 360)
    cluster = [
        make_review(product_id="P-X", created_at=START + timedelta(days=200, hours=n)) for n in range(4)
    ]

    assert held_ids(flag_reviews([*usual, *cluster])) == frozenset()


def test_a_busy_product_has_no_burst_at_its_normal_pace(make_review):
    # About 3 reviews every 3 days all year; 5 in one window is ordinary for this product.
    usual = background(make_review, "P-HOT", 360, 360)
    cluster = [
        make_review(product_id="P-HOT", created_at=START + timedelta(days=100, hours=n)) for n in range(5)
    ]

    assert held_ids(flag_reviews([*usual, *cluster])) == frozenset()


def test_copied_text_across_enterprises(make_review):
    original = make_review(text=LONG_TEXT)
    copy = make_review(text=LONG_TEXT.replace("，", ",").replace("非常", "特别") + "👍")
    other = make_review(text="实施周期比预期长了两周，主要是我们自己的数据准备不到位，服务商配合得还可以。")

    flags = flag_reviews([original, copy, other])

    assert codes(flags, original.id) == codes(flags, copy.id) == ["near_duplicate"]
    assert flags[copy.id][0].related == (original.id,)
    assert flags[other.id] == []


def test_one_enterprise_may_reuse_its_own_words(make_review):
    first = make_review(enterprise_id="E1", text=LONG_TEXT)
    second = make_review(enterprise_id="E1", text=LONG_TEXT)

    assert held_ids(flag_reviews([first, second])) == frozenset()


def test_short_identical_texts_are_honest_coincidences(make_review):
    reviews = [make_review(text="很满意，推荐。") for _ in range(4)]

    assert held_ids(flag_reviews(reviews)) == frozenset()


def test_a_review_can_carry_several_flags(make_review):
    review = make_review(
        engagement_state="cancelled", author_created_at=START, created_at=START + timedelta(hours=2)
    )

    flags = flag_reviews([review])

    assert codes(flags, review.id) == ["engagement_not_accepted", "new_account"]
    assert rejected_ids(flags) == held_ids(flags) == {review.id}
