"""The embedded search backend: SQLite FTS5 from the standard library, zero setup, the default.

Chinese is indexed as character bigrams and English as words (``search.text``); what a query means comes from
``search.analysis`` (synonyms, spelling, scenario inference), which listings to score from ``search.fts_plan`` and
``search.sqlite_search``, and how they rank from ``search.ranking``. This module owns the database: connections,
the live generation, what readers cache about it, and the write paths.

Readers cache a *snapshot* per index version: facet codes, size, spelling vocabulary, the facet arrays and what
the catalogue taught about words. A write in this process hands readers a patched snapshot at once; a write by
another process (another web worker, the CLI) is noticed through ``meta.version`` and the snapshot reloaded.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from search.analysis import QueryAnalysis, analyse_query
from search.backend import SearchQuery, SearchResult, SearchUnavailable
from search.documents import SearchDocument
from search.facet_arrays import FacetArrays, FacetRow, facet_rows, load_facet_arrays, patch_arrays
from search.lexicon import Lexicon, load_lexicon
from search.spelling import Vocabulary
from search.sqlite_conn import Connections
from search.sqlite_query import SqliteCorpus
from search.sqlite_search import Index, run_search
from search.sqlite_store import (
    FacetCodes,
    Tables,
    bump_version,
    create_generation,
    create_indexes,
    create_meta,
    drop_generation,
    next_generation,
    note_changes,
    read_meta,
    refresh_frequencies,
)
from search.sqlite_write import delete_documents, load_documents, upsert_documents
from search.suggest import suggestions

VOCABULARY_MAX_AGE_S = 300.0  # a spelling vocabulary a few minutes old corrects typos just as well


@dataclass(frozen=True)
class _Written:
    """What a write changed, for patching the readers' snapshot."""

    generation: int
    version: int  # the version the write started from
    codes: FacetCodes
    rows: list[FacetRow]
    removed: list[int]
    added: int


@dataclass
class _Snapshot:
    """What readers cache about one version of the index."""

    generation: int
    version: int
    codes: FacetCodes
    size: int
    vocabulary: Vocabulary
    born: float = field(default_factory=time.monotonic)
    arrays: FacetArrays | None = None
    pending: tuple[_Written, ...] = ()  # writes of this process not yet applied to the arrays
    cache: dict[object, object] = field(default_factory=dict)  # what the catalogue taught about words

    def facet_arrays(self, conn: sqlite3.Connection) -> FacetArrays:
        """The facet columns of this version: read on first use, patched with this process's writes since."""
        if self.arrays is None:
            self.arrays, self.pending = load_facet_arrays(conn, Tables(self.generation)), ()
        for written in self.pending:  # copying the arrays is left to the next faceted search, not the write
            self.arrays = patch_arrays(self.arrays, written.rows, written.removed)
        self.pending = ()
        return self.arrays


class EmbeddedSearch:
    """Search over a SQLite file (or ":memory:" for tests)."""

    name = "embedded"

    def __init__(self, path: str, *, lexicon: Lexicon | None = None) -> None:
        self._db = Connections(path)
        self._lexicon = lexicon or load_lexicon()
        self._snapshot: _Snapshot | None = None
        self._snapshot_lock = threading.Lock()
        self._ready = False

    def ensure_index(self) -> None:
        """Create the index tables if they do not exist yet (idempotent)."""
        if not self._ready:
            with self._db.writing() as conn:
                create_meta(conn)
            self._ready = True

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id; applied when this returns."""
        docs = list(documents)
        self._write(lambda conn, tables, codes: _upsert(conn, tables, codes, docs))

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        doomed = list(ids)
        self._write(lambda conn, tables, codes: _delete(conn, tables, codes, doomed))

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Build a new generation from the documents and swap it in, in one transaction."""
        self.ensure_index()
        with self._db.writing() as conn:
            old, _ = read_meta(conn)
            new = next_generation(conn)
            create_generation(conn, new, indexes=False)
            load_documents(conn, new, FacetCodes.load(conn), documents)
            create_indexes(conn, new)
            refresh_frequencies(conn, new)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (new.generation,))
            drop_generation(conn, Tables(old))
            bump_version(conn)
        # the whole new generation sits in the write-ahead log: fold it into the database now, not in the
        # middle of the next small write
        self._db.checkpoint()

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one query: ranked hits for the page, total, facet counts."""
        try:
            self.ensure_index()
            with self._db.reading() as conn:
                snapshot, corpus = self._corpus(conn)
                tables = Tables(snapshot.generation)
                index = Index(conn, tables, snapshot.codes, corpus, lambda: snapshot.facet_arrays(conn))
                return run_search(index, query, self._analyse(query.q, snapshot, corpus))
        except sqlite3.Error as exc:  # a missing, locked or damaged file: callers fall back or retry
            raise SearchUnavailable(f"embedded search failed: {exc}") from exc

    def analyse(self, q: str) -> QueryAnalysis:
        """How a query is understood against this index (spelling, concepts, scenarios): what another engine
        searching the same catalogue borrows to offer "did you mean" and scenario fallbacks."""
        try:
            self.ensure_index()
            with self._db.reading() as conn:
                snapshot, corpus = self._corpus(conn)
                return self._analyse(q, snapshot, corpus)
        except sqlite3.Error as exc:
            raise SearchUnavailable(f"embedded analysis failed: {exc}") from exc

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions for what the user is typing: vocabulary first, then product names."""
        self.ensure_index()
        with self._db.reading() as conn:
            generation, _ = read_meta(conn)
            return suggestions(conn, Tables(generation), self._lexicon, prefix=prefix, limit=limit)

    def health(self) -> bool:
        """True when the database answers."""
        try:
            self.ensure_index()
            with self._db.reading() as conn:
                read_meta(conn)
        except sqlite3.Error:
            return False
        return True

    def fingerprints(self) -> dict[str, str]:
        """Document id -> fingerprint of every indexed document."""
        self.ensure_index()
        with self._db.reading() as conn:
            generation, _ = read_meta(conn)
            return dict(conn.execute(f"SELECT id, fingerprint FROM {Tables(generation).docs}").fetchall())

    def close(self) -> None:
        """Close the database connections (the object reopens them if used again)."""
        self._db.close()
        self._ready = False
        self._snapshot = None

    def _write(self, action: Callable[[sqlite3.Connection, Tables, FacetCodes], _Written]) -> None:
        """Run one write in a transaction, then hand readers the patched snapshot."""
        self.ensure_index()
        with self._db.writing() as conn:
            generation, version = read_meta(conn)
            written = replace(
                action(conn, Tables(generation), FacetCodes.load(conn)),
                generation=generation,
                version=version,
            )
            bump_version(conn)
        with self._snapshot_lock:
            self._snapshot = _patched(self._snapshot, written)

    def _current(self, conn: sqlite3.Connection) -> _Snapshot:
        """The cached snapshot, reloaded when another process changed the index."""
        generation, version = read_meta(conn)
        with self._snapshot_lock:
            cached = self._snapshot
        if cached is not None and (cached.generation, cached.version) == (generation, version):
            return cached
        tables = Tables(generation)
        size = int(conn.execute(f"SELECT count(*) FROM {tables.docs}").fetchone()[0])
        keep = (
            cached is not None
            and cached.generation == generation
            and time.monotonic() - cached.born < VOCABULARY_MAX_AGE_S
        )
        vocabulary = (
            cached.vocabulary if keep and cached else Vocabulary(self._lexicon, self._index_words(tables))
        )
        snapshot = _Snapshot(generation, version, FacetCodes.load(conn), size, vocabulary)
        with self._snapshot_lock:
            self._snapshot = snapshot
        return snapshot

    def _corpus(self, conn: sqlite3.Connection) -> tuple[_Snapshot, SqliteCorpus]:
        snapshot = self._current(conn)
        corpus = SqliteCorpus(conn, Tables(snapshot.generation), snapshot.size, cache=snapshot.cache)
        return snapshot, corpus

    def _analyse(self, q: str, snapshot: _Snapshot, corpus: SqliteCorpus) -> QueryAnalysis:
        return analyse_query(q, lexicon=self._lexicon, corpus=corpus, vocabulary=snapshot.vocabulary)

    def _index_words(self, tables: Tables) -> Callable[[], Sequence[str]]:
        """A loader of the index's spelling words (runs in whichever read needs it first)."""

        def load() -> Sequence[str]:
            with self._db.reading() as conn:
                return SqliteCorpus(conn, tables, 0).spelling_vocabulary()

        return load


def _upsert(
    conn: sqlite3.Connection, tables: Tables, codes: FacetCodes, docs: list[SearchDocument]
) -> _Written:
    added = upsert_documents(conn, tables, codes, docs)
    note_changes(conn, tables, len(docs))
    rows = facet_rows(conn, tables, [doc.id for doc in docs])
    return _Written(0, 0, codes, rows, [], added)  # codes gained any new values in place


def _delete(conn: sqlite3.Connection, tables: Tables, codes: FacetCodes, ids: list[str]) -> _Written:
    removed = delete_documents(conn, tables, ids)
    note_changes(conn, tables, len(ids))
    return _Written(0, 0, codes, [], removed, -len(removed))


def _patched(snapshot: _Snapshot | None, written: _Written) -> _Snapshot | None:
    """The snapshot after a write of this process, or None (reload) when it is not the version written on."""
    if snapshot is None or (snapshot.generation, snapshot.version) != (written.generation, written.version):
        return None
    pending = (*snapshot.pending, written) if snapshot.arrays is not None else ()
    # what the catalogue taught about words may have changed with the listings: it is relearnt on demand
    return replace(
        snapshot, version=snapshot.version + 1, codes=written.codes, size=snapshot.size + written.added,
        pending=pending, cache={},
    )  # fmt: skip
