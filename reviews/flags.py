"""Suspicious-review flags: each with a reason code, an action and a human reason in Chinese and English.

A ``hold`` flag keeps the review out of ratings and awards until a moderator clears it; a ``reject`` flag marks
a review the platform should never have accepted (its engagement was never accepted). The rules look at timing,
accounts, network addresses and wording, never at the stars given, so a glowing honest review is not suspect.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol, TypeVar

from reviews.duplicates import near_duplicate_groups
from reviews.records import ReviewRecord

Action = Literal["hold", "reject"]
FLAG_CODES = ("engagement_not_accepted", "burst", "new_account", "shared_ip", "near_duplicate")
# The order in which flag_reviews lists one review's flags: the one-review rules, then the rules over many.
LISTING_ORDER = ("engagement_not_accepted", "new_account", "burst", "shared_ip", "near_duplicate")


@dataclass(frozen=True)
class FlagThresholds:
    """Every threshold of the flag rules in one place (defaults tuned to keep honest reviews mostly clear)."""

    burst_window_hours: float = 72.0  # a "short window" for one product
    burst_min_reviews: int = 5  # fewer than this is never a burst, however quiet the product
    burst_rate_ratio: float = 8.0  # window count must exceed this multiple of the product's normal rate
    burst_floor_days: float = 90.0  # normal rate taken over at least this span: young data is no burst
    new_account_days: float = 7.0  # author account younger than this when the review was written
    ip_min_enterprises: int = 3  # two firms behind one office-park NAT happen; three within weeks is a ring
    ip_window_days: float = 30.0  # IPs get reassigned; only sharing close in time counts
    duplicate_min_chars: int = 20  # short texts like "很满意" coincide honestly
    duplicate_similarity: float = 88.0  # rapidfuzz ratio (0-100) of normalised texts; edited copies score 90+


DEFAULT_THRESHOLDS = FlagThresholds()


@dataclass(frozen=True)
class Flag:
    """One suspicion about one review, with the other reviews that support it."""

    code: str
    action: Action
    reason_zh: str
    reason_en: str
    related: tuple[str, ...] = ()

    def reason(self, locale: str = "zh") -> str:
        """The reason in the given locale (Chinese unless it starts with 'en')."""
        return self.reason_en if locale.startswith("en") else self.reason_zh


class Timed(Protocol):
    """What the timing rules read of a review: a full record, or the few columns the request path loads."""

    @property
    def id(self) -> str: ...

    @property
    def enterprise_id(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def ip(self) -> str: ...


T = TypeVar("T", bound=Timed)


def flag_reviews(
    reviews: Sequence[ReviewRecord], *, thresholds: FlagThresholds = DEFAULT_THRESHOLDS
) -> dict[str, list[Flag]]:
    """Every review id mapped to its flags (an empty list when nothing is suspicious)."""
    flags: dict[str, list[Flag]] = {review.id: single_review_flags(review, thresholds) for review in reviews}
    for rule in (_bursts, shared_ip_flags, _near_duplicates):
        for review_id, flag in rule(reviews, thresholds):
            flags[review_id].append(flag)
    return flags


def single_review_flags(review: ReviewRecord, thresholds: FlagThresholds = DEFAULT_THRESHOLDS) -> list[Flag]:
    """The flags a review earns on its own (engagement state, author account age), in listing order."""
    return _unaccepted(review) + _new_account(review, thresholds)


def held_ids(flags: Mapping[str, Sequence[Flag]]) -> frozenset[str]:
    """Ids of reviews kept out of ratings by any flag (held or rejected)."""
    return frozenset(review_id for review_id, own in flags.items() if own)


def rejected_ids(flags: Mapping[str, Sequence[Flag]]) -> frozenset[str]:
    """Ids of reviews with a reject flag."""
    return frozenset(review_id for review_id, own in flags.items() if any(f.action == "reject" for f in own))


def _unaccepted(review: ReviewRecord) -> list[Flag]:
    if review.engagement_state == "accepted":
        return []
    return [
        Flag(
            "engagement_not_accepted",
            "reject",
            f"所评项目 {review.engagement_id} 状态为“{review.engagement_state}”，未通过验收，不能评价",
            f"engagement {review.engagement_id} is '{review.engagement_state}', never accepted: reviews not allowed",
        )
    ]


def _new_account(review: ReviewRecord, thresholds: FlagThresholds) -> list[Flag]:
    age_days = (review.created_at - review.author_created_at).total_seconds() / 86400
    if age_days >= thresholds.new_account_days:
        return []
    return [
        Flag(
            "new_account",
            "hold",
            f"评价账号注册 {age_days:.1f} 天后即发表评价（阈值 {thresholds.new_account_days:g} 天）",
            f"review written {age_days:.1f} days after the author's account was created "
            f"(threshold {thresholds.new_account_days:g} days)",
        )
    ]


def data_span_days(first: datetime, last: datetime, thresholds: FlagThresholds = DEFAULT_THRESHOLDS) -> float:
    """The span the burst rule takes a product's normal rate over: first to last review of the whole data."""
    return max((last - first).total_seconds() / 86400, thresholds.burst_floor_days)


def _bursts(reviews: Sequence[ReviewRecord], thresholds: FlagThresholds) -> Iterable[tuple[str, Flag]]:
    if not reviews:
        return
    times = [review.created_at for review in reviews]
    span_days = data_span_days(min(times), max(times), thresholds)
    for product, own in sorted(_by(reviews, "product_id").items()):
        yield from burst_flags(product, own, total=len(own), span_days=span_days, thresholds=thresholds)


def burst_flags(
    product: str,
    own: Sequence[Timed],
    *,
    total: int,
    span_days: float,
    thresholds: FlagThresholds = DEFAULT_THRESHOLDS,
) -> Iterable[tuple[str, Flag]]:
    """Burst flags among reviews of one product: ``own`` holds every review of a stretch of time (all of them, or a
    slice: windows that fit in it are counted exactly), ``total`` counts the product's reviews of all time."""
    window = timedelta(hours=thresholds.burst_window_hours)
    burst = _burst_members(own, total=total, window=window, span_days=span_days, thresholds=thresholds)
    for review_id, (count, expected) in sorted(burst.items()):
        related = tuple(sorted(r.id for r in own if r.id in burst and r.id != review_id))
        yield (
            review_id,
            Flag(
                "burst",
                "hold",
                f"产品 {product} 在 {thresholds.burst_window_hours:g} 小时内收到 {count} 条评价，"
                f"按平时频率约为 {expected:.2f} 条",
                f"product {product} received {count} reviews within {thresholds.burst_window_hours:g} hours; "
                f"its normal rate predicts {expected:.2f}",
                related,
            ),
        )


def _burst_members(
    own: Sequence[Timed], *, total: int, window: timedelta, span_days: float, thresholds: FlagThresholds
) -> dict[str, tuple[int, float]]:
    # Windows start at each review; a review in several bursting windows keeps the largest one.
    own = sorted(own, key=lambda r: (r.created_at, r.id))
    window_days = window.total_seconds() / 86400
    members: dict[str, tuple[int, float]] = {}
    for start, first in enumerate(own):
        inside = [r for r in own[start:] if r.created_at < first.created_at + window]
        count = len(inside)
        expected = (total - count) / span_days * window_days  # the product's rate outside this window
        if count < thresholds.burst_min_reviews or count < thresholds.burst_rate_ratio * expected:
            continue
        for review in inside:
            if members.get(review.id, (0, 0.0))[0] < count:
                members[review.id] = (count, expected)
    return members


def shared_ip_flags(
    reviews: Sequence[Timed], thresholds: FlagThresholds = DEFAULT_THRESHOLDS
) -> Iterable[tuple[str, Flag]]:
    """Shared-address flags among the reviews (all of them, or every review of an address in a stretch of time:
    windows that fit in it are counted exactly)."""
    window = timedelta(days=thresholds.ip_window_days)
    for ip, own in sorted(_by([r for r in reviews if r.ip], "ip").items()):
        own.sort(key=lambda r: (r.created_at, r.id))
        members = _ip_window_members(own, window=window, minimum=thresholds.ip_min_enterprises)
        everyone = sorted(members)
        for position, (review_id, enterprises) in enumerate(sorted(members.items())):
            yield (
                review_id,
                Flag(
                    "shared_ip",
                    "hold",
                    f"{thresholds.ip_window_days:g} 天内有 {enterprises} 家企业从同一 IP 地址 {ip} 发表评价",
                    f"{enterprises} different enterprises reviewed from the same IP address {ip} "
                    f"within {thresholds.ip_window_days:g} days",
                    tuple(everyone[:position] + everyone[position + 1 :]),
                ),
            )


def _ip_window_members(own: list[Timed], *, window: timedelta, minimum: int) -> dict[str, int]:
    """Reviews (sorted by time) inside a window, starting at a review, with ``minimum`` or more enterprises:
    each mapped to the most enterprises of such a window holding it.

    Linear: the window's end only moves forward, its enterprises are counted as it slides, and the windows that
    still hold a review are kept in a queue of decreasing counts (one address shared by thousands of reviews
    made this quadratic)."""
    counts: Counter[str] = Counter()
    windows: deque[tuple[int, int]] = deque()  # (end, enterprises) of windows that may still hold a review
    members: dict[str, int] = {}
    end = 0
    for start, first in enumerate(own):
        limit = first.created_at + window
        while end < len(own) and own[end].created_at < limit:
            counts[own[end].enterprise_id] += 1
            end += 1
        if len(counts) >= minimum:
            while windows and windows[-1][1] <= len(counts):
                windows.pop()  # ends no later than this one and counts no more: never the best again
            windows.append((end, len(counts)))
        while windows and windows[0][0] <= start:
            windows.popleft()
        if windows:
            members[first.id] = windows[0][1]
        if end > start:
            counts[first.enterprise_id] -= 1
            if not counts[first.enterprise_id]:
                del counts[first.enterprise_id]
    return members


def _near_duplicates(
    reviews: Sequence[ReviewRecord], thresholds: FlagThresholds
) -> Iterable[tuple[str, Flag]]:
    groups = near_duplicate_groups(
        [(r.id, r.enterprise_id, r.text) for r in reviews],
        min_chars=thresholds.duplicate_min_chars,
        min_similarity=thresholds.duplicate_similarity,
    )
    for review_id, (similar, best) in sorted(groups.items()):
        yield review_id, near_duplicate_flag(similar, best)


def near_duplicate_flag(similar: tuple[str, ...], best: float) -> Flag:
    """The flag of a review whose text nearly copies the ``similar`` reviews of other enterprises."""
    return Flag(
        "near_duplicate",
        "hold",
        f"评价文字与其他企业的 {len(similar)} 条评价高度相似（最高相似度 {best:.0f}%）",
        f"text nearly identical to {len(similar)} review(s) by other enterprises (best match {best:.0f}%)",
        similar,
    )


def _by(reviews: Iterable[T], attribute: str) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for review in reviews:
        grouped[getattr(review, attribute)].append(review)
    return grouped
