"""Pages that only read the database, without a transaction around their statements.

A request's session begins a transaction on its first statement and rolls it back at the end: two round trips
(BEGIN, ROLLBACK) beside the two that an uncached catalogue page needs. Each statement reads its own committed
snapshot either way (READ COMMITTED), so a page that only reads loses nothing by running them in autocommit.
"""

from __future__ import annotations

from sqlmodel import Session


def read_only(session: Session) -> Session:
    """The session, its statements run in autocommit unless it is already in a transaction (a signed-in visitor's
    account was read in one: that one goes on as it is). For views that never write."""
    if not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session
