"""One search over the embedded index: analysed query -> total, ranked page, facet counts, highlights.

Scoring every match would cost too much at catalogue scale (FTS5's bm25 alone takes tens of microseconds per row),
so relevance is computed in Python for a bounded *pool*: when the matches are few, all of them; otherwise the first
listings of a few tiers from best to broadest (all concepts in name/summary, in a meant scenario, for a named
industry; ...; any match), each an FTS5 query that stops at its limit. Ranking the pool with ``search.ranking``
then puts the best of it first. Facet counts work on the whole match set, fetched as one array of rowids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from search.analysis import QueryAnalysis
from search.backend import Hit, SearchQuery, SearchResult
from search.corpus import CorpusStats
from search.facet_arrays import FacetArrays, IntArray, facet_counts, filtered_rows
from search.fts_plan import Plan, all_of, any_of, build_plan, facet_token, filter_expression, in_head, quote
from search.highlight import Highlighter
from search.ranking import rank, relevance
from search.sqlite_query import (
    candidates,
    count_matches,
    count_where,
    filter_sql,
    matching_rowids,
    sorted_matches,
    sorted_where,
    texts,
)
from search.sqlite_store import FacetCodes, Tables

MAX_TOTAL = 1000  # without facets, totals are counted up to this (Meilisearch's default maxTotalHits)
POOL_ALL = 150  # when no more listings than this match, rank every one of them
TIER_LIMIT = 12  # listings taken from each tier
POOL_TARGET = 24  # stop adding tiers once the pool is this big (or twice the listings the page needs)
FALLBACK_SAMPLE = 300
FALLBACK_SCENARIOS = 2


@dataclass(frozen=True)
class Index:
    """What one search needs to know about the index it reads."""

    conn: sqlite3.Connection
    tables: Tables
    codes: FacetCodes
    corpus: CorpusStats
    facet_arrays: Callable[[], FacetArrays]  # loaded on first use


def run_search(index: Index, query: SearchQuery, analysis: QueryAnalysis) -> SearchResult:
    """Answer one query."""
    if analysis.empty:
        return _browse(index, query)
    plan, analysis = _plan(index, analysis)
    filters = filter_expression(query.filters)
    match = all_of([plan.match, filters]) if plan.match else None
    facets: dict[str, dict[str, int]] = {}
    if query.with_facets:
        arrays = index.facet_arrays()
        rows = _match_rows(index, plan.match)
        facets = facet_counts(arrays, index.codes, rows, query.filters)
        total = len(filtered_rows(arrays, index.codes, rows, query.filters))
    else:
        total = count_matches(index.conn, index.tables, match, limit=MAX_TOTAL) if match else 0
    per_page = max(query.per_page, 1)
    offset = (max(query.page, 1) - 1) * per_page
    scored = (
        _page(index, query, plan, analysis, total=total, offset=offset, per_page=per_page) if match else []
    )
    return SearchResult(
        hits=_hits(index, scored, analysis),
        total=total,
        facets=facets,
        did_you_mean=analysis.did_you_mean,
        scenarios=list(analysis.scenarios),
    )


def _page(
    index: Index,
    query: SearchQuery,
    plan: Plan,
    analysis: QueryAnalysis,
    *,
    total: int,
    offset: int,
    per_page: int,
) -> list[tuple[int, float]]:
    """(rowid, relevance) of the page's hits, in order."""
    if offset >= total:
        return []
    filters = filter_expression(query.filters)
    if query.sort == "relevance":
        pool = candidates(
            index.conn, index.tables, _pool(index, plan, filters, total=total, need=offset + per_page)
        )
        by_id = {candidate.id: rowid for rowid, candidate in pool.items()}
        return [
            (by_id[doc_id], score)
            for doc_id, score in rank(pool.values(), analysis, limit=offset + per_page)[offset:]
        ]
    match = all_of([plan.match, filters]) or ""
    rowids = sorted_matches(index.conn, index.tables, match, sort=query.sort, limit=per_page, offset=offset)
    pool = candidates(index.conn, index.tables, rowids)
    return [(rowid, relevance(pool[rowid], analysis)) for rowid in rowids if rowid in pool]


def _match_rows(index: Index, match: str | None) -> IntArray:
    """Rowids of every listing matching the expression, as one array."""
    if not match:
        return np.zeros(0, dtype=np.int64)
    sql = f"SELECT group_concat(rowid) FROM {index.tables.fts} WHERE {index.tables.fts} MATCH ?"
    joined = index.conn.execute(sql, (match,)).fetchone()[0]
    return np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)


def _browse(index: Index, query: SearchQuery) -> SearchResult:
    """No words: every listing passing the filters, in the requested order."""
    where = filter_sql(query.filters, index.codes)
    per_page = max(query.per_page, 1)
    offset = (max(query.page, 1) - 1) * per_page
    rowids = sorted_where(index.conn, index.tables, where, sort=query.sort, limit=per_page, offset=offset)
    facets: dict[str, dict[str, int]] = {}
    if query.with_facets:
        arrays = index.facet_arrays()
        facets = facet_counts(arrays, index.codes, np.flatnonzero(arrays.present), query.filters)
    return SearchResult(
        hits=_hits(index, [(rowid, 0.0) for rowid in rowids], QueryAnalysis(query="")),
        total=count_where(index.conn, index.tables, where),
        facets=facets,
    )


def _plan(index: Index, analysis: QueryAnalysis) -> tuple[Plan, QueryAnalysis]:
    """The query's expressions; when nothing at all matches, the scenarios nearest the query instead."""
    tokens = {t for c in analysis.concepts for t in (*c.tokens, *(x for e in c.expansions for x in e))}
    df = index.corpus.doc_frequencies(tokens)
    plan = build_plan(analysis, df, index.corpus.document_count())
    if plan.match and _exists(index, plan.match):
        return plan, analysis
    nearest = list(analysis.scenarios) or _nearest_scenarios(index, analysis)
    if not nearest:
        return plan, analysis
    scenarios = any_of([quote(facet_token("primary", code)) for code in nearest])
    weights = analysis.scenarios or {code: 1.0 / (i + 1) for i, code in enumerate(nearest)}
    return replace(plan, match=scenarios, scenarios=scenarios), replace(analysis, scenarios=weights)


def _nearest_scenarios(index: Index, analysis: QueryAnalysis) -> list[str]:
    """The primary scenarios most common among listings sharing single characters or word stems with the query."""
    pieces = [ch for c in analysis.concepts for ch in c.text if not ch.isascii() and ch.isalpha()]
    pieces += [
        w[:4] + "*"
        for c in analysis.concepts
        for w in c.text.split()
        if w.isascii() and w.isalpha() and len(w) >= 4
    ]
    loose = any_of([quote(p) if not p.endswith("*") else f'"{p[:-1]}"*' for p in pieces])
    if not loose:
        return []
    rowids = matching_rowids(index.conn, index.tables, loose, limit=FALLBACK_SAMPLE)
    counts: dict[str, int] = {}
    for candidate in candidates(index.conn, index.tables, rowids).values():
        if candidate.scenarios:
            counts[candidate.scenarios[0]] = counts.get(candidate.scenarios[0], 0) + 1
    return sorted(counts, key=lambda code: (-counts[code], code))[:FALLBACK_SCENARIOS]


def _pool(index: Index, plan: Plan, filters: str | None, *, total: int, need: int) -> set[int]:
    """Rowids worth ranking: every match when they are few, else the first listings of each tier."""
    match = all_of([plan.match, filters])
    assert match is not None
    if total <= max(POOL_ALL, need):
        return set(matching_rowids(index.conn, index.tables, match, limit=total))
    pool: set[int] = set()
    target = max(POOL_TARGET, 2 * need)
    for tier in _tiers(index, plan, filters):
        if len(pool) >= target:
            break
        pool.update(matching_rowids(index.conn, index.tables, tier, limit=max(TIER_LIMIT, need)))
    if len(pool) < need + TIER_LIMIT:
        pool.update(matching_rowids(index.conn, index.tables, match, limit=need + TIER_LIMIT))
    return pool


def _tiers(index: Index, plan: Plan, filters: str | None) -> Iterator[str]:
    """FTS5 expressions from the most to the least promising listings (a tier needs all of its parts).

    When no listing holds every concept (视觉质检 环保监测), the tiers of "every concept" would each walk the
    whole index to find nothing, so one probe decides and the tiers fall back to one concept at a time.
    """
    z, ind, strict = plan.scenarios, plan.industries, plan.strict
    if len(plan.concepts) > 1 and not _exists(index, all_of([strict, filters])):
        strict = None
    tiers: list[list[str | None]]
    if strict:
        head = in_head(strict)
        tiers = [[head, z, ind], [head, z], [strict, z], [z, ind], [head, ind], [head], [strict]]
    else:
        heads = [in_head(concept) for concept in plan.concepts]
        tiers = [*([head, z] for head in heads), [z, ind], *([head] for head in heads)]
    expressions = [all_of([*parts, filters]) for parts in [*tiers, [z]] if all(parts)]
    yield from (e for e in dict.fromkeys(expressions) if e)


def _exists(index: Index, expression: str | None) -> bool:
    return bool(expression) and bool(matching_rowids(index.conn, index.tables, expression or "", limit=1))


def _hits(index: Index, scored: list[tuple[int, float]], analysis: QueryAnalysis) -> list[Hit]:
    """Hits with highlighted name and summary, in the given order."""
    if not scored:
        return []
    found = texts(index.conn, index.tables, [rowid for rowid, _ in scored])
    mark = Highlighter(analysis.highlight_terms())
    return [
        Hit(
            id=found[rowid][0],
            score=round(score, 6),
            highlights={"name": mark(found[rowid][1]), "summary": mark(found[rowid][2])},
        )
        for rowid, score in scored
    ]
