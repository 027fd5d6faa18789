"""A primary search backend with a fallback for reads: when the primary is down or slow, answers come from the
fallback and say so (``degraded``), so a Meilisearch outage never becomes an error page."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from search.backend import SearchBackend, SearchQuery, SearchResult, SearchUnavailable
from search.documents import SearchDocument

log = logging.getLogger(__name__)


class FallbackSearch:
    """Reads from the primary, or from the fallback when the primary cannot answer; writes go to the primary."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = f"{primary.name}+{fallback.name}"

    def ensure_index(self) -> None:
        self.primary.ensure_index()

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        self.primary.upsert(documents)

    def delete(self, ids: Sequence[str]) -> None:
        self.primary.delete(ids)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        self.primary.rebuild(documents)

    def fingerprints(self) -> dict[str, str]:
        return self.primary.fingerprints()

    def health(self) -> bool:
        return self.primary.health()

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self.primary.search(query)
        except SearchUnavailable as error:
            log.warning("search falls back to %s: %s", self.fallback.name, error)
            return replace(self.fallback.search(query), degraded=True)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        try:
            return self.primary.suggest(prefix, limit)
        except SearchUnavailable:
            return self.fallback.suggest(prefix, limit)
