"""SQLite connections for the embedded backend, safe to use from the web app's threads.

A file index runs in WAL mode: every thread reads through its own connection inside a read transaction (a
consistent snapshot, never blocked by a writer), and writes go through one writer connection behind a lock. An
in-memory index exists only inside its one connection, so there every read and write takes the lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BUSY_TIMEOUT_MS = 60_000  # another process may hold the write lock for a whole rebuild
WAL_CHECKPOINT_PAGES = 10_000


class Connections:
    """Hands out connections to one SQLite database: a snapshot per read, a transaction per write."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.memory = path == ":memory:"
        self._lock = threading.RLock()
        self._local = threading.local()
        self._writer: sqlite3.Connection | None = None
        self._opened: list[sqlite3.Connection] = []

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA temp_store = MEMORY")
        if not self.memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA mmap_size = 268435456")
            # fold the log into the file every ~40 MB rather than every 4 MB: fewer, larger pauses for writers
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        with self._lock:
            self._opened.append(conn)
        return conn

    def _writer_connection(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = self._open()
        return self._writer

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection whose reads all see one consistent state of the database."""
        if self.memory:
            with self._lock:
                yield self._writer_connection()
            return
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        if conn.in_transaction:  # a read nested in a read of the same thread shares its snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The writer connection inside a transaction, committed on success and rolled back on error."""
        with self._lock:
            conn = self._writer_connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (a no-op in memory)."""
        if not self.memory:
            with self._lock:
                self._writer_connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
            self._writer = None
            self._local = threading.local()
