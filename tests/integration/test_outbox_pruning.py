"""Relayed search-outbox rows are deleted after the kept period, oldest first, without losing a pending change or
moving the stamps other readers take from the table."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, event
from sqlmodel import Session, col, func, select

from catalog import outbox
from catalog.models import SearchOutbox, utcnow
from search.backend import SearchUnavailable
from search.embedded import EmbeddedSearch
from search.outbox_pruning import prune
from search.sync import relay

NOW = utcnow()
OLD = NOW - timedelta(days=10)
WEEK = timedelta(days=7)


def add_rows(session: Session, *done_at: datetime | None) -> list[int]:
    """One outbox row per value, in id order, relayed at that time (None: still pending)."""
    made = []
    for when in done_at:
        row = SearchOutbox(product_id=1, created_at=OLD, next_attempt_at=OLD, done_at=when)
        session.add(row)
        session.flush()
        made.append(row.id)
    session.commit()
    return made


def remaining(session: Session) -> list[int]:
    return list(session.exec(select(SearchOutbox.id).order_by(col(SearchOutbox.id))).all())


def test_rows_relayed_before_the_cutoff_go_but_the_newest_stays(session):
    made = add_rows(session, OLD, OLD, OLD, OLD)
    assert prune(session, older_than=WEEK, now=NOW) == 3
    assert remaining(session) == made[-1:]  # the catalogue version (max id) did not move
    assert prune(session, older_than=WEEK, now=NOW) == 0


def test_a_row_not_yet_relayed_keeps_itself_and_every_row_after_it(session):
    made = add_rows(session, OLD, OLD, None, OLD, OLD)
    assert prune(session, older_than=WEEK, now=NOW) == 2
    assert remaining(session) == made[2:]


def test_a_row_relayed_within_the_kept_period_ends_the_prefix(session):
    made = add_rows(session, OLD, NOW - timedelta(days=1), OLD, OLD)
    assert prune(session, older_than=WEEK, now=NOW) == 1
    assert remaining(session) == made[1:]


def test_the_row_relayed_last_stays_so_the_newest_relay_time_never_moves_back(session):
    # the second row was retried and went through after the third
    made = add_rows(session, OLD - timedelta(days=3), OLD, OLD - timedelta(days=1))
    before = session.exec(select(func.max(SearchOutbox.done_at))).one()
    assert prune(session, older_than=WEEK, now=NOW) == 1
    assert remaining(session) == made[1:]
    assert session.exec(select(func.max(SearchOutbox.done_at))).one() == before


def test_with_nothing_old_enough_or_no_rows_nothing_goes(session):
    assert prune(session, older_than=WEEK, now=NOW) == 0
    made = add_rows(session, NOW - timedelta(days=2), NOW - timedelta(days=1))
    assert prune(session, older_than=WEEK, now=NOW) == 0
    assert prune(session, older_than=timedelta(days=999_999_999), now=NOW) == 0
    assert remaining(session) == made


@pytest.fixture
def recorded(session):
    """Rows deleted by each DELETE statement, and how many such statements had run at each commit."""
    per_statement: list[int] = []
    commits: list[int] = []

    def after(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("DELETE"):
            per_statement.append(cursor.rowcount)

    def committed(conn):  # noqa: ANN001
        commits.append(len(per_statement))

    engine = session.get_bind()
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", committed)
    yield per_statement, commits
    event.remove(engine, "after_cursor_execute", after)
    event.remove(engine, "commit", committed)


def test_a_backlog_is_deleted_in_bounded_batches_each_committed(session, recorded):
    made = add_rows(session, *([OLD] * 25))
    per_statement, commits = recorded
    assert prune(session, older_than=WEEK, now=NOW, batch=10) == 24
    assert per_statement == [10, 10, 4]
    assert [count for count in commits if count] == [1, 2, 3]  # locks are released after every batch
    assert remaining(session) == made[-1:]


def test_a_pending_row_in_a_later_batch_stops_the_prune_there(session):
    made = add_rows(session, *([OLD] * 14), None, *([OLD] * 10))
    assert prune(session, older_than=WEEK, now=NOW, batch=4) == 14
    assert remaining(session) == made[14:]


def test_a_negative_period_is_refused(session):
    with pytest.raises(ValueError, match="older_than"):
        prune(session, older_than=timedelta(days=-1), now=NOW)


class Poisoned:
    """An embedded index that refuses one product's document, as a search server refuses a bad document."""

    def __init__(self, refused: str) -> None:
        self.inner = EmbeddedSearch(":memory:")
        self.inner.ensure_index()
        self.refused = refused

    def upsert(self, documents) -> None:  # noqa: ANN001
        if any(document.id == self.refused for document in documents):
            raise SearchUnavailable("document refused")
        self.inner.upsert(documents)

    def delete(self, ids) -> None:  # noqa: ANN001
        self.inner.delete(ids)


def test_a_change_the_relay_keeps_failing_on_blocks_pruning_of_every_later_change(session, make):
    first, second, third = (make.product(name=f"视觉检测 {n}") for n in range(3))
    session.exec(delete(SearchOutbox))
    outbox.enqueue(session, product_ids=[first.id, second.id, third.id])
    session.commit()
    index, later = Poisoned(first.external_id), utcnow() + timedelta(minutes=1)
    assert [relay(session, index, batch=1, now=later).applied for _ in range(3)] == [0, 1, 1]
    session.commit()

    assert prune(session, older_than=WEEK, now=later + timedelta(days=8)) == 0
    pending = session.exec(select(SearchOutbox).where(col(SearchOutbox.done_at).is_(None))).one()
    assert pending.product_id == first.id and len(remaining(session)) == 3
