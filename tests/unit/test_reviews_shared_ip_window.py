"""The shared-address rule, computed in one pass (one address shared by thousands of reviews made it quadratic),
flags exactly what the rule as written flags: every window starting at a review, every review in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.flags import DEFAULT_THRESHOLDS, flag_reviews
from tests.unit.review_records import review_maker

START = datetime(2025, 1, 1, tzinfo=UTC)
WINDOW = timedelta(days=DEFAULT_THRESHOLDS.ip_window_days)


def as_written(reviews) -> dict[str, int]:
    """Each review in a window (starting at a review) of three or more enterprises: the most enterprises."""
    members: dict[str, int] = {}
    by_ip: dict[str, list] = {}
    for review in reviews:
        by_ip.setdefault(review.ip, []).append(review)
    for own in by_ip.values():
        own.sort(key=lambda r: (r.created_at, r.id))
        for first in own:
            inside = [r for r in own if first.created_at <= r.created_at < first.created_at + WINDOW]
            inside = [r for r in inside if (r.created_at, r.id) >= (first.created_at, first.id)]
            enterprises = len({r.enterprise_id for r in inside})
            if enterprises >= DEFAULT_THRESHOLDS.ip_min_enterprises:
                for r in inside:
                    members[r.id] = max(members.get(r.id, 0), enterprises)
    return members


def shared_ip_flags(reviews) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Review id -> (the English reason, the related ids) of its shared_ip flag."""
    found = {}
    for review_id, flags in flag_reviews(reviews).items():
        for flag in flags:
            if flag.code == "shared_ip":
                found[review_id] = (flag.reason_en, flag.related)
    return found


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.integers(0, 4), st.sampled_from(["1.1.1.1", "2.2.2.2"])),
        max_size=40,
    )
)
def test_flags_match_the_rule_as_written(rows):
    make = review_maker(created_at=lambda n: START)
    reviews = [
        make(created_at=START + timedelta(days=day), enterprise_id=f"E{firm}", ip=ip)
        for day, firm, ip in rows
    ]
    expected = as_written(reviews)
    flags = shared_ip_flags(reviews)
    assert {review_id: reason.split()[0] for review_id, (reason, _) in flags.items()} == {
        review_id: str(count) for review_id, count in expected.items()
    }
    for review_id, (_, related) in flags.items():
        ip = next(r.ip for r in reviews if r.id == review_id)
        same_ip = {r.id for r in reviews if r.ip == ip}
        assert related == tuple(
            sorted(other for other in expected if other != review_id and other in same_ip)
        )
