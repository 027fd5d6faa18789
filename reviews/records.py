"""Plain records the pure review cores work on: one review, one engagement.

The service layer builds these from database rows (or ``reviews.dataset`` from the import files); the scoring
and flagging functions never see a model or a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

CRITERIA = ("effect", "delivery", "cost", "service")
ENGAGEMENT_STATES = ("requested", "active", "accepted", "declined", "cancelled")


def aware(moment: datetime | None) -> datetime:
    """A stored time as an aware one (the database may hand back naive UTC; none at all reads as 1970)."""
    if moment is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ReviewRecord:
    """One enterprise's review of one product of one engagement (criteria 1-5, recommend 0-10)."""

    id: str
    engagement_id: str
    enterprise_id: str
    product_id: str
    provider_id: str
    effect: int
    delivery: int
    cost: int
    service: int
    recommend: int
    text: str
    created_at: datetime
    ip: str
    author_created_at: datetime
    engagement_state: str = "accepted"
    verified: bool = True
    hidden: bool = False

    @property
    def overall(self) -> float:
        """The review's rating on 1-5: the plain mean of the four criteria."""
        return sum(getattr(self, name) for name in CRITERIA) / len(CRITERIA)


@dataclass(frozen=True)
class EngagementRecord:
    """One enterprise's engagement of one provider for some products, with its transformation result."""

    id: str
    enterprise_id: str
    provider_id: str
    product_ids: tuple[str, ...]
    state: str
    level_before: int | None = None
    level_after: int | None = None
    accepted_on: date | None = None

    @property
    def accepted(self) -> bool:
        """True once the bureau accepted the project (验收通过)."""
        return self.state == "accepted"
