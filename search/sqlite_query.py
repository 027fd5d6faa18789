"""Reading the embedded index: corpus statistics for query analysis, counts, candidate pools, sorted pages.

A search with words works on an FTS5 expression (text, scenario and filter tokens, see ``search.fts_plan``); the
empty query (browsing) works on plain SQL conditions over the bit-mask columns of the docs table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from search.backend import FACETS, SearchFilters
from search.corpus import BODY_WEIGHT, HEAD_WEIGHT, Holder, TagEvidence, tag_evidence
from search.fts_plan import HEAD, all_of, quote
from search.ranking import Candidate, tokens
from search.sqlite_store import FacetCodes, Tables

EVIDENCE_SAMPLE = 120  # listings read to learn what a word means
FRESH_COUNT_LIMIT = 1000
CACHE_LIMIT = 20_000
T = TypeVar("T")
VOCABULARY_LIMIT = 50_000  # most frequent words per kind offered to spelling correction
SORT_SQL = {
    "rating": "d.rating IS NULL, d.rating DESC, d.reviews DESC, d.id",
    "price_asc": "d.price_min, d.price_max, d.id",
    "price_desc": "d.price_min DESC, d.price_max DESC, d.id",
    "newest": "d.published DESC, d.id",
    # with no words there is no relevance: best rated first
    "relevance": "d.rating IS NULL, d.rating DESC, d.reviews DESC, d.published DESC, d.id",
}


class SqliteCorpus:
    """CorpusStats answered from one generation of the index."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tables: Tables,
        size: int,
        *,
        cache: dict[object, object] | None = None,
    ) -> None:
        self._conn = conn
        self._tables = tables
        self._size = size
        # answers for one version of the index (the caller drops the dict when the index changes)
        self._cache: dict[object, object] = {} if cache is None else cache

    def document_count(self) -> int:
        """How many documents are indexed."""
        return self._size

    def doc_frequencies(self, tokens: Collection[str]) -> dict[str, int]:
        """Token -> number of documents holding it (from the frequency table, refreshed now and then; a token
        missing there is counted in the index itself, up to a cap, so a new word is never "unknown")."""
        unique = [t for t in dict.fromkeys(tokens) if ("df", t) not in self._cache]
        if unique:
            sql = f"SELECT term, n FROM {self._tables.df} WHERE term IN ({', '.join('?' * len(unique))})"
            found = {term: int(n) for term, n in self._conn.execute(sql, unique)}
            for token in unique:
                if token not in found:
                    found[token] = count_matches(
                        self._conn, self._tables, quote(token), limit=FRESH_COUNT_LIMIT
                    )
                self._remember(("df", token), found[token])
        frequencies = {t: self._cache[("df", t)] for t in tokens}
        return {t: n for t, n in frequencies.items() if isinstance(n, int) and n}

    def tag_evidence(self, tokens: Sequence[str]) -> TagEvidence:
        """How a sample of the listings holding all the tokens is tagged (name and summary count more)."""
        key = ("evidence", tuple(tokens))
        cached = self._cache.get(key)
        if not isinstance(cached, TagEvidence):
            cached = self._remember(key, self._tag_evidence(tokens))
        return cached

    def _tag_evidence(self, tokens: Sequence[str]) -> TagEvidence:
        words = all_of([quote(token) for token in tokens])
        if not words:
            return TagEvidence()
        head = self._holders(f"{HEAD} : {words}", HEAD_WEIGHT, EVIDENCE_SAMPLE)
        body = []
        if len(head) < EVIDENCE_SAMPLE // 2:
            body = self._holders(
                f"{{body}} : {words} NOT {HEAD} : {words}", BODY_WEIGHT, EVIDENCE_SAMPLE - len(head)
            )
        return tag_evidence([*head, *body])

    def _remember(self, key: object, value: T) -> T:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value
        return value

    def _holders(self, expression: str, weight: float, limit: int) -> list[Holder]:
        t = self._tables
        sql = f"SELECT d.scenarios, d.industries FROM {t.fts} f JOIN {t.docs} d ON d.rowid = f.rowid WHERE {t.fts} MATCH ? LIMIT ?"
        rows = self._conn.execute(sql, (expression, limit))
        return [
            Holder(tuple(scenarios.split()), tuple(industries.split()), weight)
            for scenarios, industries in rows
        ]

    def spelling_vocabulary(self) -> list[str]:
        """Chinese 4-grams of product names and English words of the index, most frequent first."""
        t = self._tables
        names = self._conn.execute(f"SELECT word FROM {t.words} ORDER BY n DESC LIMIT {VOCABULARY_LIMIT}")
        words = self._conn.execute(
            f"SELECT term FROM {t.df} WHERE term >= 'a' AND term < '{{' ORDER BY n DESC"
        )
        english = (w for (w,) in words if w.isalpha() and len(w) >= 4)
        return [*(w for (w,) in names), *islice(english, VOCABULARY_LIMIT)]


def count_matches(conn: sqlite3.Connection, tables: Tables, expression: str, *, limit: int) -> int:
    """How many listings match an FTS5 expression, counting no further than ``limit``."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {tables.fts} WHERE {tables.fts} MATCH ? LIMIT ?)"
    return int(conn.execute(sql, (expression, limit)).fetchone()[0])


def matching_rowids(conn: sqlite3.Connection, tables: Tables, expression: str, *, limit: int) -> list[int]:
    """Rowids of up to ``limit`` listings matching an FTS5 expression (index order, no scoring)."""
    sql = f"SELECT rowid FROM {tables.fts} WHERE {tables.fts} MATCH ? LIMIT ?"
    return [row[0] for row in conn.execute(sql, (expression, limit))]


def sorted_matches(
    conn: sqlite3.Connection, tables: Tables, expression: str, *, sort: str, limit: int, offset: int
) -> list[int]:
    """Rowids of one page of the listings matching an expression, in a non-relevance order."""
    sql = (
        f"SELECT d.rowid FROM {tables.fts} f JOIN {tables.docs} d ON d.rowid = f.rowid WHERE {tables.fts} MATCH ?"
        f" ORDER BY {SORT_SQL.get(sort, SORT_SQL['relevance'])} LIMIT ? OFFSET ?"
    )
    return [row[0] for row in conn.execute(sql, (expression, limit, offset))]


@dataclass(frozen=True)
class Where:
    """A SQL condition over ``docs d`` with its parameters (browsing without words)."""

    sql: str
    params: tuple[object, ...]


def filter_sql(filters: SearchFilters, codes: FacetCodes, *, skip: str | None = None) -> Where:
    """The filters as a SQL condition (``skip`` leaves one facet's own filter out, for disjunctive counts)."""
    clauses: list[str] = []
    params: list[object] = []
    for facet in FACETS:
        values = getattr(filters, facet)
        if not values or facet == skip:
            continue
        if facet in ("scenario", "scenario_group"):
            clauses.append(f"(d.{'scen' if facet == 'scenario' else 'grp'} & ?) != 0")
            params.append(codes.mask(facet, values))
        elif facet == "industry":  # a general product serves every industry
            clauses.append("(d.ind = 0 OR (d.ind & ?) != 0)")
            params.append(codes.mask(facet, values))
        else:
            column = {"price_band": "band", "deployment": "deployment", "provider": "provider"}[facet]
            clauses.append(f"d.{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return Where(" AND ".join(clauses) or "1", tuple(params))


def count_where(conn: sqlite3.Connection, tables: Tables, where: Where) -> int:
    """How many listings pass a SQL condition."""
    return int(
        conn.execute(f"SELECT count(*) FROM {tables.docs} d WHERE {where.sql}", where.params).fetchone()[0]
    )


def sorted_where(
    conn: sqlite3.Connection, tables: Tables, where: Where, *, sort: str, limit: int, offset: int
) -> list[int]:
    """Rowids of one page of the listings passing a SQL condition."""
    sql = f"SELECT d.rowid FROM {tables.docs} d WHERE {where.sql} ORDER BY {SORT_SQL.get(sort, SORT_SQL['relevance'])} LIMIT ? OFFSET ?"
    return [row[0] for row in conn.execute(sql, (*where.params, limit, offset))]


def candidates(conn: sqlite3.Connection, tables: Tables, rowids: Collection[int]) -> dict[int, Candidate]:
    """Rowid -> what ranking needs to know about the listing."""
    if not rowids:
        return {}
    sql = (
        f"SELECT d.rowid, d.id, d.scenarios, d.industries, f.name, f.summary, f.body, f.tags FROM {tables.docs} d"
        f" JOIN {tables.fts} f ON f.rowid = d.rowid WHERE d.rowid IN ({', '.join('?' * len(rowids))})"
    )
    return {
        rowid: Candidate(
            doc_id, tokens(name, summary), tokens(body, tags), tuple(scen.split()), tuple(ind.split())
        )
        for rowid, doc_id, scen, ind, name, summary, body, tags in conn.execute(sql, list(rowids))
    }


def texts(conn: sqlite3.Connection, tables: Tables, rowids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """Rowid -> (id, name, summary) as the provider wrote them."""
    sql = (
        f"SELECT rowid, id, name, summary FROM {tables.docs} WHERE rowid IN ({', '.join('?' * len(rowids))})"
    )
    return {
        rowid: (doc_id, name, summary) for rowid, doc_id, name, summary in conn.execute(sql, list(rowids))
    }
