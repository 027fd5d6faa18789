"""Read a pilot data directory (the import format of ``reviews.fraudgen``) into plain review records.

A review row names only its engagement and product; the enterprise, provider and engagement state come from the
engagement, as they will in the database. A review whose engagement is unknown cannot be verified.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reviews.records import EngagementRecord, ReviewRecord


@dataclass(frozen=True)
class PilotData:
    """The rows of one pilot data directory: enterprises as dicts, engagements and reviews as records."""

    enterprises: list[dict]
    engagements: list[EngagementRecord]
    reviews: list[ReviewRecord]


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a JSON Lines file, blank lines skipped."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def engagement_record(row: dict) -> EngagementRecord:
    """An engagement record from an import row."""
    return EngagementRecord(
        id=row["id"],
        enterprise_id=row["enterprise"],
        provider_id=row["provider"],
        product_ids=tuple(row["products"]),
        state=row["state"],
        level_before=row.get("level_before"),
        level_after=row.get("level_after"),
        accepted_on=date.fromisoformat(row["accepted_on"]) if row.get("accepted_on") else None,
    )


def review_records(rows: Iterable[dict], engagements: Iterable[EngagementRecord]) -> list[ReviewRecord]:
    """Review records from import rows, joined to their engagements."""
    by_id = {engagement.id: engagement for engagement in engagements}
    records = []
    for row in rows:
        engagement = by_id.get(row["engagement"])
        records.append(
            ReviewRecord(
                id=row["id"],
                engagement_id=row["engagement"],
                enterprise_id=engagement.enterprise_id if engagement else "",
                product_id=row["product"],
                provider_id=engagement.provider_id if engagement else "",
                effect=row["effect"],
                delivery=row["delivery"],
                cost=row["cost"],
                service=row["service"],
                recommend=row["recommend"],
                text=row.get("text", ""),
                created_at=datetime.fromisoformat(row["created_at"]),
                ip=row.get("ip") or "",
                author_created_at=datetime.fromisoformat(row["author_created_at"]),
                engagement_state=engagement.state if engagement else "unknown",
                verified=engagement is not None and row["product"] in engagement.product_ids,
            )
        )
    return records


def load_pilot(directory: str | Path) -> PilotData:
    """Enterprises, engagements and reviews of one pilot data directory."""
    root = Path(directory)
    engagements = [engagement_record(row) for row in read_jsonl(root / "engagements.jsonl")]
    reviews = review_records(read_jsonl(root / "reviews.jsonl"), engagements)
    return PilotData(read_jsonl(root / "enterprises.jsonl"), engagements, reviews)
