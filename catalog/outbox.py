"""The search outbox: each product write adds a row in the same transaction, so no index update is ever lost."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from catalog.models import SearchOutbox


def enqueue(session: Session, *, product_ids: Iterable[int]) -> None:
    """Ask the relay to refresh these products' search documents (committed or rolled back with the caller)."""
    for product_id in dict.fromkeys(product_ids):
        session.add(SearchOutbox(product_id=product_id))
    session.flush()
