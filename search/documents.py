"""Product -> search document: one pure function, the only place that decides what is indexed.

Only public catalogue fields are indexed, never enterprise data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from catalog.taxonomy import load_taxonomy


@dataclass(frozen=True)
class SearchDocument:
    id: str  # the product's external id
    name: str
    summary: str
    description: str
    provider_id: str
    provider_name: str
    scenarios: tuple[str, ...]  # the first is the primary one
    scenario_groups: tuple[str, ...]
    industries: tuple[str, ...]  # empty = a general product for every industry
    price_min_wan: float
    price_max_wan: float
    deployment: str
    delivery_days: int
    rating: float | None = None
    review_count: int = 0
    published_at: float = 0.0  # POSIX seconds, for "newest"

    @property
    def fingerprint(self) -> str:
        """A short hash of every indexed field: equal fingerprints mean the index holds the current version."""
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def document_from_mapping(row: Mapping[str, Any]) -> SearchDocument:
    """A search document from a product in the catalogue interchange format (plus optional rating fields)."""
    taxonomy = load_taxonomy()
    scenarios = tuple(row.get("scenarios") or ())
    groups = tuple(dict.fromkeys(taxonomy.group_of(code) for code in scenarios if code in taxonomy.scenarios))
    provider = row.get("provider") or {}
    rating = row.get("rating")
    return SearchDocument(
        id=str(row["id"]),
        name=str(row.get("name") or ""),
        summary=str(row.get("summary") or ""),
        description=str(row.get("description") or ""),
        provider_id=str(provider.get("id") or ""),
        provider_name=str(provider.get("name") or ""),
        scenarios=scenarios,
        scenario_groups=groups,
        industries=tuple(row.get("industries") or ()),
        price_min_wan=float(row.get("price_min_wan") or 0.0),
        price_max_wan=float(row.get("price_max_wan") or 0.0),
        deployment=str(row.get("deployment") or ""),
        delivery_days=int(row.get("delivery_days") or 0),
        rating=float(rating) if rating is not None else None,
        review_count=int(row.get("review_count") or 0),
        published_at=float(row.get("published_at") or 0.0),
    )
