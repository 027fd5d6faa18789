"""The search backend contract: what the web app and the outbox relay may ask of any search engine.

Two implementations satisfy it: ``search.embedded.EmbeddedSearch`` (SQLite FTS5, zero setup, the default) and
``search.meili.MeiliSearch`` (the official Meilisearch client, production). The app picks one at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from search.documents import SearchDocument

SORTS = ("relevance", "rating", "price_asc", "price_desc", "newest")
FACETS = ("scenario_group", "scenario", "industry", "price_band", "deployment", "provider")
# Price bands over the product's lower price, in 万元: (code, lower bound inclusive, upper bound exclusive).
PRICE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("lt5", 0.0, 5.0),
    ("5to10", 5.0, 10.0),
    ("10to20", 10.0, 20.0),
    ("20to50", 20.0, 50.0),
    ("gte50", 50.0, float("inf")),
)


def price_band(price_min_wan: float) -> str:
    """The code of the price band a product's lower price falls in."""
    for code, low, high in PRICE_BANDS:
        if low <= price_min_wan < high:
            return code
    return PRICE_BANDS[-1][0]


@dataclass(frozen=True)
class SearchFilters:
    """Facet filters; an empty tuple means no filter on that facet.

    ``industry`` keeps products built for one of the industries *and* general products (no industry), since a
    general product serves every industry.
    """

    scenario_group: tuple[str, ...] = ()
    scenario: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    price_band: tuple[str, ...] = ()
    deployment: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    with_facets: bool = True


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    # Field name -> text with matches wrapped in <mark>...</mark>; everything else in it is HTML-escaped.
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    # Facet name -> value -> count of documents that match the query and the other filters with this value added.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    did_you_mean: str | None = None
    # Scenario codes the query was understood to mean, most likely first.
    scenarios: list[str] = field(default_factory=list)
    # Set when the answer came from a fallback backend (the page tells the user).
    degraded: bool = False


class SearchUnavailable(RuntimeError):
    """The backend cannot answer now (down, timed out); callers fall back or retry later."""


class SearchBackend(Protocol):
    """What every search engine behind the marketplace does."""

    name: str

    def ensure_index(self) -> None:
        """Create the index with its settings if it does not exist yet (idempotent)."""

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id; returns only once the backend has applied them."""

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one query: ranked hits for the page, total, facet counts."""

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions for what the user is typing (product names and vocabulary)."""

    def health(self) -> bool:
        """True when the backend answers."""

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Replace the whole index by these documents, atomically for readers."""

    def fingerprints(self) -> dict[str, str]:
        """Document id -> fingerprint of every indexed document (for index-vs-database checks)."""
