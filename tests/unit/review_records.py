"""A factory of plain review records for the tests of the review cores: numbered, each from its own enterprise."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from reviews.records import ReviewRecord


def review_maker(
    *,
    created_at: Callable[[int], datetime],
    product_id: Callable[[int], str] = lambda n: "P1",
    text: Callable[[int], str] = lambda n: f"text {n}",
    ip: Callable[[int], str] = lambda n: f"10.0.0.{n}",
    account_age: timedelta = timedelta(days=400),
) -> Callable[..., ReviewRecord]:
    """make(**over) -> the next record; fields not overridden follow the given patterns (n = 1, 2, ...)."""
    numbers = itertools.count(1)

    def make(**over: Any) -> ReviewRecord:
        n = next(numbers)
        created = over.pop("created_at", created_at(n))
        fields = {
            "id": f"R{n}",
            "engagement_id": f"G{n}",
            "enterprise_id": f"E{n}",
            "product_id": product_id(n),
            "provider_id": "S1",
            "effect": 4,
            "delivery": 4,
            "cost": 4,
            "service": 4,
            "recommend": 8,
            "text": text(n),
            "created_at": created,
            "ip": ip(n),
            "author_created_at": created - account_age,
        }
        return ReviewRecord(**(fields | over))

    return make
