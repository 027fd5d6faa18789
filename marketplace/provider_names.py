"""Providers' names kept per process, for the cards of the catalogue.

Joining the organisation table to a page of cards made the database plan and run a join for every page, for names
that change rarely. Every provider's name is read at once (a few thousand at most) and kept under the newest
organisation change of the request's catalogue stamp (see marketplace.page_cache): a renamed or new provider moves
it, so every worker reads the names again on its next request. An id not among them is read by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlmodel import Session

from catalog import queries
from catalog.queries import ProviderName
from marketplace.page_cache import catalogue_stamp

_ORGANISATIONS = 2  # the stamp's newest organisation change (marketplace.page_cache._STAMP_PARTS)


def provider_names(session: Session, ids: Iterable[int]) -> dict[int, ProviderName]:
    """Providers' ids and names by id, as the database has them in this request's catalogue stamp."""
    stamp = catalogue_stamp(session)[_ORGANISATIONS]
    kept: tuple[Any, dict[int, ProviderName]] | None = current_app.extensions.get("provider_names")
    if kept is None or kept[0] != stamp:
        kept = current_app.extensions["provider_names"] = (stamp, queries.provider_names(session))
    names = kept[1]
    wanted = set(ids)
    missing = [provider_id for provider_id in wanted if provider_id not in names]
    if missing:
        names.update(queries.provider_names(session, missing))
    return {provider_id: names[provider_id] for provider_id in wanted if provider_id in names}
