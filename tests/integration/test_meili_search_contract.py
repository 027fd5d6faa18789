"""The backend contract (``backend_contract.py``) run against Meilisearch as production runs it: Meilisearch
answers, and the embedded index the relay keeps beside it lends its reading of queries (did you mean, scenarios).

Runs only where MEILI_URL (and MEILI_API_KEY if the server has a master key) points at a live server; each test
works in its own uniquely named index and deletes it afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Sequence

import meilisearch
import pytest

from search.backend import SearchQuery, SearchResult
from search.documents import SearchDocument
from search.embedded import EmbeddedSearch
from search.lexicon import load_lexicon, meili_synonyms
from search.meili import MeiliSearch
from tests.integration.backend_contract import *  # noqa: F403

MEILI_URL = os.environ.get("MEILI_URL", "")
MEILI_API_KEY = os.environ.get("MEILI_API_KEY") or None

# A live server cannot be installed on the project's machines; these tests need one that is reachable.
pytestmark = [
    pytest.mark.meili,
    pytest.mark.skipif(
        not MEILI_URL, reason="needs a live Meilisearch server: set MEILI_URL (and MEILI_API_KEY)"
    ),
]


class MeiliBesideEmbedded:
    """Writes go to both indexes (as the outbox relay does), reads to Meilisearch with the embedded reading."""

    def __init__(self, meili: MeiliSearch, embedded: EmbeddedSearch) -> None:
        self.meili, self.embedded = meili, embedded
        self.name = meili.name

    def ensure_index(self) -> None:
        self.meili.ensure_index()
        self.embedded.ensure_index()

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        self.meili.upsert(documents)
        self.embedded.upsert(documents)

    def delete(self, ids: Sequence[str]) -> None:
        self.meili.delete(ids)
        self.embedded.delete(ids)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        docs = list(documents)
        self.meili.rebuild(docs)
        self.embedded.rebuild(docs)

    def search(self, query: SearchQuery) -> SearchResult:
        return self.meili.search(query)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        return self.meili.suggest(prefix, limit)

    def health(self) -> bool:
        return self.meili.health()

    def fingerprints(self) -> dict[str, str]:
        return self.meili.fingerprints()


@pytest.fixture
def search_backend() -> Iterator[MeiliBesideEmbedded]:
    """An empty Meilisearch index (uniquely named, deleted afterwards) beside an empty embedded one."""
    uid = f"contract_{secrets.token_hex(4)}"
    embedded = EmbeddedSearch(":memory:")
    meili = MeiliSearch(
        MEILI_URL,
        MEILI_API_KEY,
        index_uid=uid,
        timeout_s=5.0,
        synonyms=meili_synonyms(load_lexicon()),
        understand=embedded.analyse,
    )
    backend = MeiliBesideEmbedded(meili, embedded)
    backend.ensure_index()
    yield backend
    embedded.close()
    client = meilisearch.Client(MEILI_URL, MEILI_API_KEY)
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"] == uid or index["uid"].startswith(f"{uid}_"):
            client.wait_for_task(client.delete_index(index["uid"]).task_uid)
