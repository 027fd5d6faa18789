"""SQLite storage of the embedded search index: schema, generations and writes.

The index lives in one *generation* of tables (docs_<n>, fts_<n>, vocab_<n>); ``meta.generation`` names the live
one. A rebuild fills generation n+1 and flips ``meta.generation`` in the same transaction that drops generation n,
so a reader sees either the old index or the new one, never half of one. ``meta.version`` grows with every write,
so readers know when to refresh what they cache.

Facets with several values per document (scenario, scenario group, industry) are stored as bit masks, one bit per
code (``codes`` table, seeded from the taxonomy, extended as new codes appear), so filters and facet counts are
bit tests over one row instead of joins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.taxonomy import load_taxonomy

MAX_BITS = 62
FTS_HASH_BYTES = (
    256 * 1024 * 1024
)  # pending terms held in memory during a bulk load (one or two segments per 100k)
FTS_AUTOMERGE = 4  # FTS5's default
DF_STALE_SHARE = 0.1  # document frequencies are statistics: refreshed once this share of the index changed


@dataclass(frozen=True)
class Tables:
    """Table names of one generation."""

    generation: int

    @property
    def docs(self) -> str:
        """The listings: ids, display fields, facet columns, sort keys."""
        return f"docs_{self.generation}"

    @property
    def fts(self) -> str:
        """The full-text index of the listings' tokens."""
        return f"fts_{self.generation}"

    @property
    def vocab(self) -> str:
        """FTS5's own view of the index vocabulary."""
        return f"vocab_{self.generation}"

    @property
    def words(self) -> str:
        """The spelling vocabulary (Chinese 4-grams of product names)."""
        return f"words_{self.generation}"

    @property
    def df(self) -> str:
        """Token -> number of listings holding it."""
        return f"df_{self.generation}"


class FacetCodes:
    """Bit positions of the codes of the masked facets."""

    def __init__(self, bits: dict[tuple[str, str], int]) -> None:
        self._bits = bits

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> FacetCodes:
        """The codes as stored."""
        return cls(
            {(facet, value): bit for facet, value, bit in conn.execute("SELECT facet, value, bit FROM codes")}
        )

    def mask(self, facet: str, values: Iterable[str]) -> int:
        """The bit mask of the values (unknown values have no bit)."""
        mask = 0
        for value in values:
            bit = self._bits.get((facet, value))
            if bit is not None:
                mask |= 1 << bit
        return mask

    def values(self, facet: str) -> list[tuple[str, int]]:
        """(value, bit) of one facet, in bit order."""
        return sorted(((v, b) for (f, v), b in self._bits.items() if f == facet), key=lambda item: item[1])

    def ensure(self, conn: sqlite3.Connection, facet: str, values: Iterable[str]) -> None:
        """Give every new value of the facet the next free bit."""
        for value in values:
            if (facet, value) in self._bits:
                continue
            bit = max((b for (f, _), b in self._bits.items() if f == facet), default=-1) + 1
            if bit > MAX_BITS:
                raise ValueError(f"too many distinct {facet} codes for the embedded index")
            conn.execute("INSERT INTO codes(facet, value, bit) VALUES (?, ?, ?)", (facet, value, bit))
            self._bits[(facet, value)] = bit


def create_meta(conn: sqlite3.Connection) -> None:
    """Create the meta and codes tables and the first generation if they do not exist (idempotent)."""
    conn.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS codes(facet TEXT NOT NULL, value TEXT NOT NULL, bit INTEGER NOT NULL,"
        " PRIMARY KEY(facet, value)) WITHOUT ROWID"
    )
    if conn.execute("SELECT 1 FROM meta WHERE key = 'generation'").fetchone() is None:
        conn.execute("INSERT INTO meta(key, value) VALUES ('generation', 1), ('version', 1)")
        create_generation(conn, Tables(1))
        codes = FacetCodes.load(conn)
        taxonomy = load_taxonomy()
        codes.ensure(conn, "scenario", taxonomy.scenarios)
        codes.ensure(conn, "scenario_group", taxonomy.groups)
        codes.ensure(conn, "industry", taxonomy.industries)


def read_meta(conn: sqlite3.Connection) -> tuple[int, int]:
    """(live generation, version)."""
    values = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'version')").fetchall()
    )
    return int(values["generation"]), int(values["version"])


def bump_version(conn: sqlite3.Connection) -> None:
    """Tell readers the index changed."""
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")


def note_changes(conn: sqlite3.Connection, tables: Tables, changed: int) -> None:
    """Count written documents; refresh the document frequencies once a tenth of the index has changed."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('df_changes', ?) ON CONFLICT(key) DO UPDATE SET value = value + ?",
        (changed, changed),
    )
    values = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('df_changes', 'df_docs')").fetchall()
    )
    if values["df_changes"] > DF_STALE_SHARE * values.get("df_docs", 0):
        refresh_frequencies(conn, tables)


def refresh_frequencies(conn: sqlite3.Connection, tables: Tables) -> None:
    """Copy the document frequencies of every token out of the fts vocabulary."""
    conn.execute(f"DELETE FROM {tables.df}")
    conn.execute(f"INSERT INTO {tables.df}(term, n) SELECT term, doc FROM {tables.vocab}")
    docs = conn.execute(f"SELECT count(*) FROM {tables.docs}").fetchone()[0]
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('df_docs', ?) ON CONFLICT(key) DO UPDATE SET value = ?",
        (docs, docs),
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('df_changes', 0) ON CONFLICT(key) DO UPDATE SET value = 0"
    )


def create_generation(conn: sqlite3.Connection, tables: Tables, *, indexes: bool = True) -> None:
    """Create the (empty) tables of one generation (a bulk load creates the docs indexes after loading)."""
    t = tables
    conn.execute(
        f"CREATE TABLE {t.docs}(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL,"
        " name TEXT NOT NULL, summary TEXT NOT NULL, name_key TEXT NOT NULL, scenarios TEXT NOT NULL,"
        " industries TEXT NOT NULL, prim TEXT NOT NULL, scen INTEGER NOT NULL, grp INTEGER NOT NULL,"
        " ind INTEGER NOT NULL, band TEXT NOT NULL, deployment TEXT NOT NULL, provider TEXT NOT NULL,"
        " rating REAL, reviews INTEGER NOT NULL, price_min REAL NOT NULL, price_max REAL NOT NULL,"
        " published REAL NOT NULL)"
    )
    conn.execute(
        f"CREATE VIRTUAL TABLE {t.fts} USING fts5(name, summary, body, tags,"
        " tokenize = 'unicode61 remove_diacritics 0', detail = column)"
    )
    # a big in-memory buffer of pending terms: a bulk load flushes a few large segments instead of many small ones
    conn.execute(f"INSERT INTO {t.fts}({t.fts}, rank) VALUES ('hashsize', {FTS_HASH_BYTES})")
    conn.execute(f"CREATE VIRTUAL TABLE {t.vocab} USING fts5vocab({t.fts}, 'row')")
    # Chinese 4-grams of product names and how many names hold them: the spelling vocabulary
    conn.execute(f"CREATE TABLE {t.words}(word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    # token -> documents holding it, copied from the fts vocabulary (which counts by walking whole doclists)
    conn.execute(f"CREATE TABLE {t.df}(term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    if indexes:
        create_indexes(conn, tables)


def create_indexes(conn: sqlite3.Connection, tables: Tables) -> None:
    """The docs indexes behind sorted browsing and completion."""
    docs = tables.docs
    for column in ("prim", "name_key", "published", "price_min"):
        conn.execute(f"CREATE INDEX IF NOT EXISTS {docs}_{column} ON {docs}({column})")
    conn.execute(f"CREATE INDEX IF NOT EXISTS {docs}_rating ON {docs}(rating IS NULL, rating DESC)")


def drop_generation(conn: sqlite3.Connection, tables: Tables) -> None:
    """Drop the tables of one generation."""
    for name in (tables.vocab, tables.fts, tables.docs, tables.words, tables.df):
        conn.execute(f"DROP TABLE IF EXISTS {name}")


def next_generation(conn: sqlite3.Connection) -> Tables:
    """A generation number no table uses yet."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs_[0-9]*'")
    used = [int(name.split("_", 1)[1]) for (name,) in rows]
    return Tables(max(used, default=0) + 1)
