"""Plain data from the catalogue interchange format and the diagnosis cases (data/README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from matching.types import Listing, Profile


def listing_from_row(row: Mapping[str, Any]) -> Listing:
    """A Listing from one catalogue interchange row."""
    return Listing(
        id=str(row["id"]),
        name=row.get("name", ""),
        summary=row.get("summary", ""),
        description=row.get("description", ""),
        scenarios=tuple(row.get("scenarios", ())),
        industries=tuple(row.get("industries", ())),
        price_min_wan=float(row.get("price_min_wan", 0.0)),
        price_max_wan=float(row.get("price_max_wan", row.get("price_min_wan", 0.0))),
        deployment=row.get("deployment", ""),
        delivery_days=int(row.get("delivery_days", 0)),
        provider_name=(row.get("provider") or {}).get("name", ""),
        rating=row.get("rating"),
        review_count=int(row.get("review_count", 0)),
    )


def profile_from_case(row: Mapping[str, Any]) -> Profile:
    """A Profile from one diagnosis case row (its relevance labels are ignored)."""
    budget = row.get("budget_wan")
    return Profile(
        needs_text=row.get("needs_text", ""),
        industry=(row.get("enterprise") or {}).get("industry"),
        budget_wan=float(budget) if budget is not None else None,
        target_scenarios=tuple(row.get("target_scenarios", ())),
        solved=tuple(row.get("solved", ())),
    )


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a JSON Lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
