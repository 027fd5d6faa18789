"""Pruning the search outbox: relayed rows are history once nobody can need them, and would otherwise pile up.

Other readers depend on the ids, so only a prefix of the table goes, and the stamps read from it never move back:

- the newest row stays: max(id) is the catalogue version (the matcher and the page caches are keyed on it), and
  SQLite would hand its id out again;
- the row relayed last stays: max(done_at) is part of the page caches' stamp;
- nothing at or after the oldest row not yet relayed (or relayed within the kept period) goes, so the rows left are
  every change after the oldest of them, and a reader that needs the changes after id N knows they are complete
  when N is at least the smallest id left minus one (see marketplace.matching_service).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, or_
from sqlmodel import Session, col, func, select

from catalog.models import SearchOutbox, utcnow

BATCH = 10_000  # ids per DELETE: a long backlog is deleted in short transactions, never under one long lock


def prune(session: Session, *, older_than: timedelta, now: datetime | None = None, batch: int = BATCH) -> int:
    """Delete the rows relayed before ``now - older_than`` that form a prefix of the ids; commits after each batch
    (like the relay) and returns how many rows went."""
    if older_than < timedelta(0):
        raise ValueError("older_than must not be negative")
    if batch < 1:
        raise ValueError("batch must be at least 1")
    try:
        cutoff = (now or utcnow()) - older_than
    except OverflowError:  # kept since before the year 1: nothing is that old
        return 0
    oldest, end = _bounds(session)
    session.commit()  # no snapshot held while deleting
    deleted = 0
    low = oldest
    while low < end:
        high = min(low + batch, end)
        blocker = session.exec(
            select(SearchOutbox.id)
            .where(col(SearchOutbox.id) >= low, col(SearchOutbox.id) < high, _kept(cutoff))
            .order_by(col(SearchOutbox.id))
            .limit(1)
        ).first()
        stop = high if blocker is None else blocker
        if stop > low:
            result: Any = session.exec(
                delete(SearchOutbox).where(
                    col(SearchOutbox.id) >= low,
                    col(SearchOutbox.id) < stop,
                    # Checked again as the rows go: a row committed after the blocker was looked for, with an id
                    # taken earlier (PostgreSQL hands out ids before commit), is pending and must reach the index.
                    col(SearchOutbox.done_at).is_not(None),
                    col(SearchOutbox.done_at) < cutoff,
                )
            )
            deleted += result.rowcount
        session.commit()
        if blocker is not None:
            break
        low = high
    return deleted


def _bounds(session: Session) -> tuple[int, int]:
    """The smallest id, and the first id never pruned: the newest row, or the row relayed last if that is older."""
    last_done = select(func.max(SearchOutbox.done_at)).scalar_subquery()
    # One subquery per bound: SQLite reads a lone min() or max() from an index, several in one SELECT from the table.
    oldest, newest, last_relayed = session.exec(
        select(
            select(func.min(SearchOutbox.id)).scalar_subquery(),
            select(func.max(SearchOutbox.id)).scalar_subquery(),
            select(func.max(SearchOutbox.id)).where(col(SearchOutbox.done_at) == last_done).scalar_subquery(),
        )
    ).one()
    if oldest is None or newest is None:
        return 0, 0
    return oldest, newest if last_relayed is None else min(newest, last_relayed)


def _kept(cutoff: datetime) -> ColumnElement[bool]:
    """Rows that end the prefix: not relayed yet, or relayed within the kept period."""
    return or_(col(SearchOutbox.done_at).is_(None), col(SearchOutbox.done_at) >= cutoff)
