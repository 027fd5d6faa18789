"""Search for the fake Meilisearch server: filters, substring matching, sorts, pagination, facet counts and
unescaped highlights, in the answer shapes of Meilisearch. Deliberately naive: ranking quality is the live
tests' business."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from tests.contract.fake_filter import compile_filter


def answer_query(
    documents: list[dict[str, Any]], *, query: dict[str, Any], searchable: list[str]
) -> dict[str, Any]:
    """The answer to one search query over the documents (raises FilterSyntaxError on a bad filter)."""
    keep = compile_filter(query["filter"]) if query.get("filter") else (lambda doc: True)
    terms = (query.get("q") or "").lower().split()
    scored = [(_score(d, terms, searchable), d) for d in documents if keep(d)]
    found = [doc for score, doc in sorted(scored, key=lambda sd: -sd[0]) if score > 0 or not terms]
    for rule in reversed(query.get("sort") or []):
        attribute, direction = rule.split(":")
        present = [d for d in found if d.get(attribute) is not None]
        present.sort(key=lambda d: d[attribute], reverse=direction == "desc")
        found = present + [d for d in found if d.get(attribute) is None]  # like Meilisearch: missing last
    answer = {"indexUid": query["indexUid"], "query": query.get("q") or "", "processingTimeMs": 1}
    answer.update(_paginate(query, found, lambda doc: _hit(doc, query, terms)))
    if query.get("facets"):
        answer["facetDistribution"] = _distribution(found, query["facets"])
    return answer


def _score(doc: dict[str, Any], terms: list[str], searchable: list[str]) -> float:
    fields = doc if searchable == ["*"] else {k: doc.get(k) for k in searchable}
    text = json.dumps(fields, ensure_ascii=False).lower()
    return sum(term in text for term in terms) / len(terms) if terms else 1.0


def _paginate(
    query: dict[str, Any], found: list[dict[str, Any]], hit: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    if "page" in query or "hitsPerPage" in query:
        page, per_page = query.get("page", 1), query.get("hitsPerPage", 20)
        chosen = found[(page - 1) * per_page : page * per_page]
        pages = -(-len(found) // per_page) if per_page else 0
        return {
            "hits": [hit(d) for d in chosen],
            "page": page,
            "hitsPerPage": per_page,
            "totalHits": len(found),
            "totalPages": pages,
        }
    offset, limit = query.get("offset", 0), query.get("limit", 20)
    chosen = found[offset : offset + limit]
    return {
        "hits": [hit(d) for d in chosen],
        "offset": offset,
        "limit": limit,
        "estimatedTotalHits": len(found),
    }


def _hit(doc: dict[str, Any], query: dict[str, Any], terms: list[str]) -> dict[str, Any]:
    wanted = query.get("attributesToRetrieve") or list(doc)
    hit = {k: v for k, v in doc.items() if k in wanted}
    highlighted = query.get("attributesToHighlight") or []
    if highlighted:
        pre, post = query.get("highlightPreTag", "<em>"), query.get("highlightPostTag", "</em>")
        # Like Meilisearch: tags are inserted into the raw text, nothing is escaped.
        hit["_formatted"] = {
            k: _mark(str(doc[k]), terms, pre, post) if k in highlighted else v for k, v in hit.items()
        }
    if query.get("showRankingScore"):
        hit["_rankingScore"] = 0.5
    return hit


def _mark(text: str, terms: list[str], pre: str, post: str) -> str:
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: pre + m.group(0) + post, text)


def _distribution(found: list[dict[str, Any]], facets: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for doc in found:
        for facet in facets:
            value = doc.get(facet)
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    key = str(item).lower() if isinstance(item, bool) else str(item)
                    counts[facet][key] = counts[facet].get(key, 0) + 1
    return counts
