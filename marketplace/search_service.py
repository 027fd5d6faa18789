"""The search backend of this process, chosen once from configuration and built on first use.

Embedded (SQLite FTS5 file) by default; Meilisearch when MEILI_URL is set, with the embedded index as the
read fallback. The outbox relay runs from `marketplace search sync`, or in a thread of the demo server; the
watching relay and the thread also prune the relayed rows hourly.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlmodel import Session

from catalog.models import utcnow
from search import staff_synonyms
from search.backend import SearchBackend
from search.fallback import FallbackSearch
from search.lexicon import Lexicon

log = logging.getLogger(__name__)
_lock = threading.Lock()
PRUNE_EVERY = timedelta(hours=1)


def build_backend(config: dict, lexicon: Lexicon | None = None) -> SearchBackend:
    """The backend the configuration asks for, with the given lexicon (shipped plus staff synonyms)."""
    from search.embedded import EmbeddedSearch

    embedded = EmbeddedSearch(config["SEARCH_INDEX_PATH"], lexicon=lexicon)
    if not config.get("MEILI_URL"):
        return embedded
    from search.lexicon import meili_synonyms
    from search.meili import MeiliSearch

    meili = MeiliSearch(
        config["MEILI_URL"],
        config.get("MEILI_API_KEY") or None,
        timeout_s=config.get("MEILI_TIMEOUT_S", 2.0),
        synonyms=meili_synonyms(lexicon),
        understand=embedded.analyse,
    )
    return FallbackSearch(meili, embedded)


def backend(app: Flask | None = None) -> SearchBackend:
    """This app's backend, rebuilt (and its index settings ensured) when staff changed the synonyms."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with Session(app.extensions["db_engine"]) as session:
        current = staff_synonyms.version(session)
        cached = app.extensions.get("search_backend")
        if cached is not None and cached[0] == current:
            return cached[1]
        with _lock:
            cached = app.extensions.get("search_backend")
            if cached is None or cached[0] != current:
                chosen = build_backend(app.config, staff_synonyms.lexicon(session) if current else None)
                try:
                    chosen.ensure_index()
                except Exception:  # noqa: BLE001 - the relay retries; reads fall back
                    log.exception("could not prepare the search index")
                app.extensions["search_backend"] = (current, chosen)
            return app.extensions["search_backend"][1]


def mirrors(chosen: SearchBackend) -> list[SearchBackend]:
    """Indexes the relay keeps current besides the primary (the fallback of a Meilisearch setup)."""
    return [chosen.fallback] if isinstance(chosen, FallbackSearch) else []


def sync_once(app: Flask) -> int:
    """Relay every due outbox row now; returns how many products were applied."""
    from search.sync import drain

    chosen = backend(app)
    with Session(app.extensions["db_engine"]) as session:
        return drain(session, chosen, mirrors=mirrors(chosen)).applied


def prune_outbox(app: Flask, *, now: datetime | None = None) -> int:
    """Delete the outbox rows relayed more than SEARCH_OUTBOX_KEEP_DAYS ago; returns how many went."""
    from search.outbox_pruning import prune

    with Session(app.extensions["db_engine"]) as session:
        return prune(session, older_than=timedelta(days=app.config["SEARCH_OUTBOX_KEEP_DAYS"]), now=now)


def prune_outbox_if_due(app: Flask, *, now: datetime | None = None) -> int | None:
    """Prune the outbox if this process has not in the last hour; returns how many rows went, None when it was not
    due or failed.

    A relay calls this on every pass. Pruning is idempotent, so several relays each keeping their own clock (one
    per process) only repeat a cheap query; a failure is logged and retried an hour later, and never stops the
    relay."""
    now = now or utcnow()
    last = app.extensions.get("search_outbox_pruned_at")
    # a clock set back counts as due, or pruning would stop until it caught up
    if last is not None and last <= now < last + PRUNE_EVERY:
        return None
    app.extensions["search_outbox_pruned_at"] = now
    try:
        deleted = prune_outbox(app, now=now)
    except Exception:  # noqa: BLE001 - the relay matters more; rows wait for the next prune
        log.exception("pruning the search outbox failed")
        return None
    if deleted:
        log.info("pruned %d relayed search-outbox rows", deleted)
    return deleted


def start_relay_thread(app: Flask, *, interval_s: float = 1.0) -> threading.Thread:
    """Relay the outbox in the background of this process (the demo's zero-setup mode), pruning it hourly."""

    def loop() -> None:
        while True:
            try:
                sync_once(app)
            except Exception:  # noqa: BLE001 - keep relaying; rows stay pending until applied
                log.exception("search relay pass failed")
            prune_outbox_if_due(app)
            time.sleep(interval_s)

    thread = threading.Thread(target=loop, name="search-relay", daemon=True)
    thread.start()
    return thread
