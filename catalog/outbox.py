"""The search outbox: each product write adds a row in the same transaction, so no index update is ever lost."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, insert
from sqlmodel import Session

from catalog.models import SearchOutbox, utcnow

_OUTBOX: Table = SearchOutbox.__table__  # type: ignore[attr-defined]


def enqueue(session: Session, *, product_ids: Iterable[int]) -> None:
    """Ask the relay to refresh these products' search documents (committed or rolled back with the caller).

    One plain INSERT of every row: nobody reads them back in this transaction, and building ORM rows to flush
    cost a posted review more than the statement itself."""
    wanted = list(dict.fromkeys(product_ids))
    if not wanted:
        return
    now = utcnow()
    session.connection().execute(
        insert(_OUTBOX),
        [
            {
                "product_id": product_id,
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
            }
            for product_id in wanted
        ],
    )
