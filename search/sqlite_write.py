"""Writing documents into one generation of the embedded index: rows, upserts, deletes and the bulk load.

Callers own the transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import islice

from search.backend import price_band
from search.corpus import GENERAL, SPELLING_NGRAM, document_text
from search.documents import SearchDocument
from search.fts_plan import facet_token
from search.sqlite_store import FTS_AUTOMERGE, FacetCodes, Tables
from search.text import cjk_ngrams, normalize

BATCH = 2000
_FIELDS = tuple(f.name for f in fields(SearchDocument))
_DOC_COLUMNS = (
    "id", "fingerprint", "name", "summary", "name_key", "scenarios", "industries", "prim", "scen", "grp", "ind",
    "band", "deployment", "provider", "rating", "reviews", "price_min", "price_max", "published",
)  # fmt: skip


def fingerprint(doc: SearchDocument) -> str:
    """``SearchDocument.fingerprint`` computed without ``asdict``'s deep copies (a rebuild of 100,000 listings
    would spend seconds in them); a unit test holds the two equal."""
    payload = json.dumps({name: getattr(doc, name) for name in _FIELDS}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def facet_tokens(doc: SearchDocument) -> str:
    """The facet tokens of a document (see ``search.fts_plan``)."""
    tags = _tag_tokens(doc.scenarios, doc.scenario_groups, doc.industries)
    return f"{tags} {_value_tokens(price_band(doc.price_min_wan), doc.deployment, doc.provider_id)}"


@lru_cache(maxsize=4096)
def _tag_tokens(scenarios: tuple[str, ...], groups: tuple[str, ...], industries: tuple[str, ...]) -> str:
    tokens = [facet_token("primary", scenarios[0])] if scenarios else []
    tokens += [facet_token("scenario", code) for code in scenarios]
    tokens += [facet_token("scenario_group", code) for code in groups]
    tokens += [facet_token("industry", code) for code in industries or (GENERAL,)]
    return " ".join(tokens)


@lru_cache(maxsize=16384)
def _value_tokens(band: str, deployment: str, provider: str) -> str:
    return " ".join(
        (
            facet_token("price_band", band),
            facet_token("deployment", deployment),
            facet_token("provider", provider),
        )
    )


@dataclass(frozen=True)
class Prepared:
    """A document with the expensive parts of its rows computed."""

    doc: SearchDocument
    fingerprint: str
    fts: tuple[str, str, str, str]  # name, summary, body, tags


def prepare(doc: SearchDocument) -> Prepared:
    """Tokenise and fingerprint one document."""
    text = document_text(doc)
    return Prepared(
        doc, fingerprint(doc), (text.name, text.summary, text.body, f"{text.tags} {facet_tokens(doc)}")
    )


def _doc_row(item: Prepared, codes: FacetCodes) -> tuple[object, ...]:
    doc = item.doc
    return (
        doc.id, item.fingerprint, doc.name, doc.summary, normalize(doc.name), " ".join(doc.scenarios),
        " ".join(doc.industries), doc.scenarios[0] if doc.scenarios else "",
        codes.mask("scenario", doc.scenarios), codes.mask("scenario_group", doc.scenario_groups),
        codes.mask("industry", doc.industries), price_band(doc.price_min_wan), doc.deployment, doc.provider_id,
        doc.rating, doc.review_count, doc.price_min_wan, doc.price_max_wan, doc.published_at,
    )  # fmt: skip


def _ensure_codes(conn: sqlite3.Connection, codes: FacetCodes, docs: Iterable[SearchDocument]) -> None:
    docs = list(docs)
    codes.ensure(conn, "scenario", dict.fromkeys(c for d in docs for c in d.scenarios))
    codes.ensure(conn, "scenario_group", dict.fromkeys(c for d in docs for c in d.scenario_groups))
    codes.ensure(conn, "industry", dict.fromkeys(c for d in docs for c in d.industries))


def upsert_documents(
    conn: sqlite3.Connection, tables: Tables, codes: FacetCodes, docs: Sequence[SearchDocument]
) -> int:
    """Add or replace documents by id; returns how many were new."""
    _ensure_codes(conn, codes, docs)
    updates = ", ".join(f"{column} = excluded.{column}" for column in _DOC_COLUMNS[1:])
    upsert = (
        f"INSERT INTO {tables.docs}({', '.join(_DOC_COLUMNS)}) VALUES ({', '.join('?' * len(_DOC_COLUMNS))})"
        f" ON CONFLICT(id) DO UPDATE SET {updates} RETURNING rowid"
    )
    old_names = _names(conn, tables, [doc.id for doc in docs])
    _count_words(conn, tables, old_names, sign=-1)
    _count_words(conn, tables, [doc.name for doc in docs], sign=1)
    for item in map(prepare, docs):
        (rowid,) = conn.execute(upsert, _doc_row(item, codes)).fetchone()
        conn.execute(f"DELETE FROM {tables.fts} WHERE rowid = ?", (rowid,))
        conn.execute(
            f"INSERT INTO {tables.fts}(rowid, name, summary, body, tags) VALUES (?, ?, ?, ?, ?)",
            (rowid, *item.fts),
        )
    return len({doc.id for doc in docs}) - len(old_names)


def delete_documents(conn: sqlite3.Connection, tables: Tables, ids: Sequence[str]) -> list[int]:
    """Remove documents by id (unknown ids are ignored); returns the rowids removed."""
    _count_words(conn, tables, _names(conn, tables, ids), sign=-1)
    removed: list[int] = []
    for chunk in _chunks(ids, 500):
        marks = ", ".join("?" * len(chunk))
        rowids = [
            (row[0],) for row in conn.execute(f"SELECT rowid FROM {tables.docs} WHERE id IN ({marks})", chunk)
        ]
        conn.executemany(f"DELETE FROM {tables.fts} WHERE rowid = ?", rowids)
        conn.executemany(f"DELETE FROM {tables.docs} WHERE rowid = ?", rowids)
        removed.extend(rowid for (rowid,) in rowids)
    return removed


def load_documents(
    conn: sqlite3.Connection, tables: Tables, codes: FacetCodes, docs: Iterable[SearchDocument]
) -> None:
    """Fill an empty generation (a repeated id replaces the earlier document, as upsert would)."""
    # no incremental merging while loading: the large pending-terms buffer already writes large segments
    conn.execute(f"INSERT INTO {tables.fts}({tables.fts}, rank) VALUES ('automerge', 0)")
    seen: dict[str, None] = {}
    words: Counter[str] = Counter()
    for batch in prepared_batches(docs):
        unique = list({item.doc.id: item for item in batch}.values())
        fresh = [item for item in unique if item.doc.id not in seen]
        repeated = [item.doc for item in unique if item.doc.id in seen]
        _insert(conn, tables, codes, fresh, first=len(seen) + 1, repeated=repeated)
        seen.update(dict.fromkeys(item.doc.id for item in fresh))
        for item in fresh:
            words.update(name_words(item.doc.name))
    conn.executemany(
        f"INSERT INTO {tables.words}(word, n) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        words.items(),
    )
    conn.execute(f"DELETE FROM {tables.words} WHERE n <= 0")
    # one segment now, so that the first small writes after the load never trigger a merge of the big ones
    conn.execute(f"INSERT INTO {tables.fts}({tables.fts}) VALUES ('optimize')")
    conn.execute(f"INSERT INTO {tables.fts}({tables.fts}, rank) VALUES ('automerge', {FTS_AUTOMERGE})")


def prepared_batches(docs: Iterable[SearchDocument]) -> Iterator[list[Prepared]]:
    """Batches of prepared documents, in order."""
    for chunk in _chunks(docs, BATCH):
        yield [prepare(doc) for doc in chunk]


def _insert(
    conn: sqlite3.Connection, tables: Tables, codes: FacetCodes, items: list[Prepared], *, first: int,
    repeated: list[SearchDocument],
) -> None:  # fmt: skip
    """Insert prepared documents under consecutive rowids from ``first``; upsert the repeated ones."""
    _ensure_codes(conn, codes, (item.doc for item in items))
    columns = ", ".join(_DOC_COLUMNS)
    conn.executemany(
        f"INSERT INTO {tables.docs}(rowid, {columns}) VALUES ({', '.join('?' * (len(_DOC_COLUMNS) + 1))})",
        [(first + i, *_doc_row(item, codes)) for i, item in enumerate(items)],
    )
    conn.executemany(
        f"INSERT INTO {tables.fts}(rowid, name, summary, body, tags) VALUES (?, ?, ?, ?, ?)",
        [(first + i, *item.fts) for i, item in enumerate(items)],
    )
    if repeated:
        upsert_documents(conn, tables, codes, repeated)


def name_words(name: str) -> set[str]:
    """The spelling-vocabulary words of a product name (its Chinese 4-grams)."""
    return cjk_ngrams(normalize(name), SPELLING_NGRAM)


def _names(conn: sqlite3.Connection, tables: Tables, ids: Sequence[str]) -> list[str]:
    names: list[str] = []
    for chunk in _chunks(ids, 500):
        sql = f"SELECT name FROM {tables.docs} WHERE id IN ({', '.join('?' * len(chunk))})"
        names.extend(row[0] for row in conn.execute(sql, chunk))
    return names


def _count_words(conn: sqlite3.Connection, tables: Tables, names: Iterable[str], *, sign: int) -> None:
    """Add (sign 1) or remove (sign -1) the names' words from the spelling vocabulary."""
    counts = Counter(word for name in names for word in name_words(name))
    conn.executemany(
        f"INSERT INTO {tables.words}(word, n) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        [(word, sign * n) for word, n in counts.items()],
    )
    if sign < 0:
        conn.executemany(
            f"DELETE FROM {tables.words} WHERE word = ? AND n <= 0", [(word,) for word in counts]
        )


def _chunks(items: Iterable[object], size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
