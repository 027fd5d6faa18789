"""Page parts that are the same for every visitor, rendered once per process and catalogue state.

The catalogue list and the search results (everything but the layout around them, which carries the visitor's
sign-in state and CSRF token) depend only on the URL, the language and what is in the database. Each request reads
one stamp from the database: the newest search-outbox row (every change to what is listed writes one), the newest
relayed row (the search index moved), the newest organisation change (provider names) and the newest setting
change (staff synonyms). A part is reused only under the same stamp, so every worker and host sees a change as
soon as it is committed, and nothing is kept that one visitor could see and another not. The cache is small, per
app and per process: the app stays stateless across workers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from flask import current_app, g, request
from sqlalchemy import ColumnElement, literal_column, text
from sqlmodel import Session

from marketplace.lru import LruCache
from marketplace.templating import locale

T = TypeVar("T")
SIZE = 256  # rendered parts per process (a part is 10-40 kB)

_STAMP_PARTS = (
    "(SELECT max(id) FROM search_outbox)",
    "(SELECT max(done_at) FROM search_outbox)",
    "(SELECT max(updated_at) FROM organisation)",
    "(SELECT max(updated_at) FROM setting)",
)
_STAMP = text("SELECT " + ", ".join(_STAMP_PARTS))


def catalogue_stamp(session: Session) -> tuple[Any, ...]:
    """What the shared parts depend on in the database, read in one round trip once per request: every part of a
    page (and the matcher, see catalogue_version) then answers for the same state of the catalogue."""
    found = g.get("catalogue_stamp")
    if found is None:
        found = g.catalogue_stamp = tuple(session.exec(_STAMP).one())  # type: ignore[call-overload]
    return found  # type: ignore[no-any-return]


def stamp_columns() -> list[ColumnElement[Any]]:
    """The stamp as columns: a page's first query can carry them and save a round trip (see remember_stamp)."""
    return [literal_column(part) for part in _STAMP_PARTS]


def remember_stamp(values: Sequence[Any]) -> None:
    """Take the stamp columns' values read with another query as this request's stamp."""
    g.catalogue_stamp = tuple(values)


def catalogue_version(session: Session) -> int:
    """The newest search-outbox id of this request's stamp (what marketplace.matching_service rebuilds on)."""
    return int(catalogue_stamp(session)[0] or 0)


def shared_part(session: Session, name: str, render: Callable[[], tuple[T, bool]]) -> T:
    """The part ``name`` of this URL in the visitor's language: reused under the same catalogue stamp, otherwise
    rendered by ``render``, which also says whether the result may be kept (not when a backend was degraded)."""
    if not current_app.config.get("PAGE_CACHE", True):  # benchmarks measure the full cost of a page
        return render()[0]
    cache: LruCache = current_app.extensions.setdefault("page_cache", LruCache(SIZE))
    key = (name, locale(), request.full_path, catalogue_stamp(session))
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value, keep = render()
    if keep:
        cache.put(key, value)
    return value


def shared_value(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """A value computed from the database that every visitor may see (a count), reused under the same catalogue
    stamp like the shared parts; ``compute`` makes it otherwise."""
    if not current_app.config.get("PAGE_CACHE", True):
        return compute()
    cache: LruCache = current_app.extensions.setdefault("page_values", LruCache(SIZE))
    full_key = (key, catalogue_stamp(session))
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.put(full_key, found)
    return found  # type: ignore[no-any-return]
