"""One ``SearchQuery`` -> the multi-search queries Meilisearch runs, and their answers -> ``SearchResult``.

Facet counts are disjunctive, like the embedded backend: a facet's counts ignore that facet's own filter (so
ticking "bearings" does not hide "chemicals"), but respect every other filter. The main query counts the
unfiltered facets; each filtered facet gets its own zero-hit query without its own clause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search.backend import FACETS, Hit, SearchQuery, SearchResult
from search.meili_documents import (
    FACET_ATTRIBUTES,
    GENERAL_FLAG,
    HIGHLIGHTED,
    LOCALES,
    filter_expression,
    sort_rules,
)
from search.meili_highlight import POST_TAG, PRE_TAG, safe_highlight


def search_queries(query: SearchQuery, *, index_uid: str) -> list[dict[str, Any]]:
    """The queries of POST /multi-search: the page of hits, then one facet-count query per filtered facet."""
    main: dict[str, Any] = {
        "indexUid": index_uid,
        "q": query.q,
        "page": max(query.page, 1),
        "hitsPerPage": max(query.per_page, 1),
        "attributesToRetrieve": ["id", *HIGHLIGHTED],
        "attributesToHighlight": list(HIGHLIGHTED),
        "highlightPreTag": PRE_TAG,
        "highlightPostTag": POST_TAG,
        "showRankingScore": True,
        "locales": list(LOCALES),
        **_optional(filter=filter_expression(query.filters), sort=sort_rules(query.sort)),
    }
    if not query.with_facets:
        return [main]
    filtered = [facet for facet in FACETS if getattr(query.filters, facet)]
    main["facets"] = _facet_attributes([f for f in FACETS if f not in filtered])
    return [main, *(_facet_query(query, facet=facet, index_uid=index_uid) for facet in filtered)]


def _facet_query(query: SearchQuery, *, facet: str, index_uid: str) -> dict[str, Any]:
    """A zero-hit query counting one facet under every filter but its own."""
    return {
        "indexUid": index_uid,
        "q": query.q,
        "limit": 0,
        "facets": _facet_attributes([facet]),
        "locales": list(LOCALES),
        **_optional(filter=filter_expression(query.filters, skip=facet)),
    }


def _facet_attributes(facets: Sequence[str]) -> list[str]:
    attributes = [FACET_ATTRIBUTES[facet] for facet in facets]
    return [*attributes, GENERAL_FLAG] if "industry" in facets else attributes


def _optional(**params: Any) -> dict[str, Any]:
    """Only the parameters that are set (Meilisearch treats an absent key as the default)."""
    return {key: value for key, value in params.items() if value}


def search_result(
    answers: Sequence[Mapping[str, Any]], *, query: SearchQuery, industries: Sequence[str]
) -> SearchResult:
    """The SearchResult of the multi-search answers to ``search_queries(query)``, in the same order."""
    main = answers[0]
    hits = [_hit(raw) for raw in main.get("hits", [])]
    total = int(main.get("totalHits", main.get("estimatedTotalHits", len(hits))))
    if not query.with_facets:
        return SearchResult(hits=hits, total=total)
    filtered = [facet for facet in FACETS if getattr(query.filters, facet)]
    facets = {f: _counts(main, facet=f, industries=industries) for f in FACETS if f not in filtered}
    for facet, answer in zip(filtered, answers[1:], strict=True):
        facets[facet] = _counts(answer, facet=facet, industries=industries)
    return SearchResult(hits=hits, total=total, facets={f: facets[f] for f in FACETS})


def _hit(raw: Mapping[str, Any]) -> Hit:
    formatted = raw.get("_formatted") or {}
    highlights = {
        field: safe_highlight(raw=str(raw.get(field) or ""), formatted=formatted.get(field))
        for field in HIGHLIGHTED
        if raw.get(field)
    }
    return Hit(id=str(raw["id"]), score=float(raw.get("_rankingScore") or 0.0), highlights=highlights)


def _counts(answer: Mapping[str, Any], *, facet: str, industries: Sequence[str]) -> dict[str, int]:
    """Value -> count of one facet; industry counts include the general products, as its filter does."""
    distribution = answer.get("facetDistribution") or {}
    counts = {str(v): int(n) for v, n in (distribution.get(FACET_ATTRIBUTES[facet]) or {}).items()}
    if facet != "industry":
        return counts
    general = int((distribution.get(GENERAL_FLAG) or {}).get("true", 0))
    codes = dict.fromkeys([*industries, *counts])
    return {code: counts.get(code, 0) + general for code in codes if counts.get(code, 0) + general}
