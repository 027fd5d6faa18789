"""The Meilisearch backend: ``SearchBackend`` over the official ``meilisearch`` client.

Writes wait for their Meilisearch task and raise unless it succeeded, so the outbox relay marks work done
only once Meilisearch confirms it. Network trouble (refused, timed out, 5xx) becomes ``SearchUnavailable``
so the app can fall back to the embedded backend.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

import meilisearch
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchError
from meilisearch.models.task import TaskInfo

from catalog.taxonomy import load_taxonomy
from search.analysis import QueryAnalysis
from search.backend import SearchBackend, SearchQuery, SearchResult, SearchUnavailable
from search.documents import SearchDocument
from search.meili_documents import PRIMARY_KEY, filter_value, index_settings, meili_document
from search.meili_query import search_queries, search_result

log = logging.getLogger(__name__)

BATCH_SIZE = 500
SCENARIO_FALLBACK = 2  # scenarios whose listings stand in when no listing holds the query's words
PAGE_SIZE = 1000
# API error codes that mean "cannot answer now" rather than "this request is wrong".
_UNAVAILABLE_CODES = {"index_not_found"}


class MeiliTaskFailed(RuntimeError):
    """Meilisearch accepted a write but the task did not succeed (the change is not applied)."""


@contextmanager
def _unavailable_on_network_errors(action: str) -> Iterator[None]:
    """Turn connection errors, timeouts and server-side failures into SearchUnavailable."""
    try:
        yield
    except MeilisearchApiError as exc:
        if exc.status_code >= 500 or exc.code in _UNAVAILABLE_CODES:
            raise SearchUnavailable(f"Meilisearch cannot {action}: {exc.message}") from exc
        raise
    except (MeilisearchError, requests.RequestException) as exc:
        # MeilisearchCommunicationError, MeilisearchTimeoutError, and anything requests did not wrap
        raise SearchUnavailable(f"Meilisearch cannot {action}: {exc}") from exc


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class MeiliSearch:
    """Search over a Meilisearch server."""

    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        *,
        index_uid: str = "products",
        timeout_s: float = 2.0,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        task_timeout_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        understand: Callable[[str], QueryAnalysis] | None = None,
    ) -> None:
        self._connection = (url, api_key, timeout_s)
        self._threads = threading.local()
        self.index_uid = index_uid
        self._settings = index_settings(synonyms=synonyms or {})
        self._task_timeout_ms = int(task_timeout_s * 1000)
        self._clock = clock
        self._taxonomy = load_taxonomy()
        self._ready = False
        # Meilisearch ranks and forgives typos itself, but says nothing of what a query means: the embedded
        # index it falls back to (kept current by the same relay) lends its reading of the query.
        self._understand = understand

    # -- writes -------------------------------------------------------------------------------------------

    def ensure_index(self) -> None:
        """Create the index if missing and bring its settings up to date (idempotent)."""
        with _unavailable_on_network_errors("prepare the index"):
            self._create_index(self.index_uid, exist_ok=True)
            current = self._client.index(self.index_uid).get_settings()
            if _settings_differ(current, self._settings):
                self._wait(self._client.index(self.index_uid).update_settings(dict(self._settings)))
        self._ready = True

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id; returns once Meilisearch has applied them."""
        if not documents:
            return
        self._ensure_ready()
        with _unavailable_on_network_errors("index documents"):
            self._add(self.index_uid, documents)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        if not ids:
            return
        self._ensure_ready()
        index = self._client.index(self.index_uid)
        with _unavailable_on_network_errors("delete documents"):
            for batch in _batches(ids, BATCH_SIZE):
                id_list = ", ".join(filter_value(str(i)) for i in batch)
                self._wait(index.delete_documents(filter=f"{PRIMARY_KEY} IN [{id_list}]"))

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Fill a fresh index, then swap it in for the live one: readers never see a half-built index."""
        fresh = self._fresh_uid()
        with _unavailable_on_network_errors("rebuild the index"):
            self._create_index(fresh, exist_ok=False)
            try:
                self._wait(self._client.index(fresh).update_settings(dict(self._settings)))
                self._add(fresh, documents)
                self._create_index(self.index_uid, exist_ok=True)  # a swap needs both indexes to exist
                self._wait(self._client.swap_indexes([{"indexes": [self.index_uid, fresh]}]))
            except BaseException:
                with suppress(MeilisearchError, requests.RequestException):
                    self._client.delete_index(fresh)
                raise
        self._ready = True
        try:  # after the swap `fresh` names the old index; a failed clean-up leaves garbage, not an error
            self._wait(self._client.delete_index(fresh))
        except (MeilisearchError, requests.RequestException, MeiliTaskFailed) as exc:
            log.warning("could not delete the replaced index %s: %s", fresh, exc)

    # -- reads --------------------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one query: ranked hits for the page, total and disjunctive facet counts; with a query reader,
        also "did you mean" and, when no listing holds the words, the listings of the scenarios they mean."""
        analysis = self._analysis(query.q)
        sent = replace(query, q=analysis.query) if analysis and analysis.did_you_mean else query
        result = self._run(sent)
        if analysis is None:
            return result
        scenarios = list(analysis.scenarios)
        if result.total == 0 and scenarios and not query.filters.scenario:
            widened = replace(query.filters, scenario=tuple(scenarios[:SCENARIO_FALLBACK]))
            result = self._run(replace(query, q="", filters=widened))
        return replace(result, did_you_mean=analysis.did_you_mean, scenarios=scenarios)

    def _run(self, query: SearchQuery) -> SearchResult:
        queries = search_queries(query, index_uid=self.index_uid)
        with _unavailable_on_network_errors("search"):
            answers = self._client.multi_search(queries)["results"]
        return search_result(answers, query=query, industries=list(self._taxonomy.industries))

    def _analysis(self, q: str) -> QueryAnalysis | None:
        """The borrowed reading of the query, or None (no reader, an empty query, or the reader is down)."""
        if self._understand is None or not q.strip():
            return None
        try:
            return self._understand(q)
        except SearchUnavailable as exc:  # Meilisearch can still answer on its own
            log.warning("query reading unavailable: %s", exc)
            return None

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Vocabulary terms starting with the prefix, then names of products matching it."""
        prefix = prefix.strip()
        if not prefix or limit <= 0:
            return []
        folded = prefix.casefold()
        labels = (label for term in self._taxonomy.scenarios.values() for label in (term.zh, term.en))
        terms = [*self._settings["synonyms"], *labels]
        found = [term for term in dict.fromkeys(terms) if term.casefold().startswith(folded)]
        if len(found) < limit:
            params = {"limit": limit, "attributesToRetrieve": ["name"], "attributesToSearchOn": ["name"]}
            with _unavailable_on_network_errors("suggest"):
                answer = self._client.index(self.index_uid).search(prefix, params)
            found += [str(hit["name"]) for hit in answer.get("hits", []) if hit.get("name")]
        return list(dict.fromkeys(found))[:limit]

    def health(self) -> bool:
        """True when Meilisearch answers and reports itself available; never raises."""
        try:
            return self._client.health().get("status") == "available"
        except (MeilisearchError, requests.RequestException, ValueError):
            return False

    def fingerprints(self) -> dict[str, str]:
        """Document id -> stored fingerprint of every indexed document ({} when the index does not exist)."""
        index = self._client.index(self.index_uid)
        found: dict[str, str] = {}
        offset = 0
        with _unavailable_on_network_errors("list documents"):
            try:
                while True:
                    params = {"fields": [PRIMARY_KEY, "fingerprint"], "limit": PAGE_SIZE, "offset": offset}
                    page = index.get_documents(params)
                    found.update({str(d.id): str(getattr(d, "fingerprint", "")) for d in page.results})
                    offset += PAGE_SIZE
                    if offset >= page.total or not page.results:
                        return found
            except MeilisearchApiError as exc:
                if exc.code == "index_not_found":
                    return {}
                raise

    # -- plumbing -----------------------------------------------------------------------------------------

    @property
    def _client(self) -> meilisearch.Client:
        """This thread's client: the official client edits one shared headers dict on every request, so a
        client shared by threads can send a POST without its Content-Type."""
        client: meilisearch.Client | None = getattr(self._threads, "client", None)
        if client is None:
            url, api_key, timeout_s = self._connection
            # requests takes float timeouts; the client's annotation says int only.
            client = self._threads.client = meilisearch.Client(url, api_key, timeout=cast(int, timeout_s))
        return client

    def _ensure_ready(self) -> None:
        # A write to a missing index would auto-create it without our settings; make sure it exists first.
        if not self._ready:
            self.ensure_index()

    def _fresh_uid(self) -> str:
        """The live uid plus a UTC timestamp and a random tail, so concurrent rebuilds never collide."""
        now = self._clock()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f"{int(now * 1000) % 1000:03d}"
        return f"{self.index_uid}_{stamp}_{secrets.token_hex(3)}"

    def _create_index(self, uid: str, *, exist_ok: bool) -> None:
        if exist_ok:
            try:
                self._client.get_raw_index(uid)
                return
            except MeilisearchApiError as exc:
                if exc.code != "index_not_found":
                    raise
        # Another process may create the same index between our check and our create: that is fine.
        tolerated = frozenset({"index_already_exists"} if exist_ok else ())
        self._wait(self._client.create_index(uid, {"primaryKey": PRIMARY_KEY}), ok_codes=tolerated)

    def _add(self, uid: str, documents: Iterable[SearchDocument]) -> None:
        index = self._client.index(uid)
        for batch in _batches(documents, BATCH_SIZE):
            rows = [meili_document(doc, taxonomy=self._taxonomy) for doc in batch]
            self._wait(index.add_documents(rows, primary_key=PRIMARY_KEY))

    def _wait(self, info: TaskInfo, *, ok_codes: frozenset[str] = frozenset()) -> None:
        """Block until Meilisearch has processed the task; raise MeiliTaskFailed unless it succeeded."""
        task = self._client.wait_for_task(info.task_uid, timeout_in_ms=self._task_timeout_ms)
        error = task.error or {}
        if task.status != "succeeded" and error.get("code") not in ok_codes:
            reason = error.get("message", "no reason given")
            raise MeiliTaskFailed(f"Meilisearch task {task.uid} ({task.type}) {task.status}: {reason}")


def _settings_differ(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """True when a setting we manage differs from the server's (settings we do not manage are ignored)."""
    for key, value in wanted.items():
        have = current.get(key)
        # Synonyms must match exactly (a dropped one must go); other objects come back with defaults added.
        if isinstance(value, Mapping) and key != "synonyms":
            if not isinstance(have, Mapping) or _settings_differ(have, value):
                return True
        elif have != value:
            return True
    return False


if TYPE_CHECKING:  # mypy checks that the adapter satisfies the protocol

    def _conforms(backend: MeiliSearch) -> SearchBackend:
        return backend
