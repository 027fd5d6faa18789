"""What the Meilisearch index holds and how it is configured: pure functions, no client, no I/O.

One function maps a ``SearchDocument`` to the stored JSON, one builds the index settings, one turns facet
filters into a Meilisearch filter expression. ``search.meili`` only moves their output over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalog.taxonomy import Taxonomy
from search.backend import SearchFilters, price_band
from search.documents import SearchDocument

PRIMARY_KEY = "id"
# Facet name (search.backend.FACETS) -> the document attribute it filters and counts.
FACET_ATTRIBUTES: dict[str, str] = {
    "scenario_group": "scenario_groups",
    "scenario": "scenarios",
    "industry": "industries",
    "price_band": "price_band",
    "deployment": "deployment",
    "provider": "provider_id",
}
# Counted next to the industry facet: a general product belongs to every industry's count.
GENERAL_FLAG = "is_general"
HIGHLIGHTED = ("name", "summary")
TEXT_ATTRIBUTES = ("name", "scenario_labels", "summary", "description", "industry_labels", "provider_name")
# Chinese first; English because the taxonomy labels and some listings are English.
LOCALES = ("cmn", "eng")
_SORTS: dict[str, list[str]] = {
    "relevance": [],
    "rating": ["rating:desc"],
    "price_asc": ["price_min_wan:asc", "price_max_wan:asc"],
    "price_desc": ["price_min_wan:desc", "price_max_wan:desc"],
    "newest": ["published_at:desc"],
}


def meili_document(doc: SearchDocument, *, taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON stored in Meilisearch for one search document (labels, price band and fingerprint added)."""
    scenario_terms = [taxonomy.scenarios[code] for code in doc.scenarios if code in taxonomy.scenarios]
    industry_terms = [taxonomy.industries[code] for code in doc.industries if code in taxonomy.industries]
    return {
        "id": doc.id,
        "name": doc.name,
        "summary": doc.summary,
        "description": doc.description,
        "provider_id": doc.provider_id,
        "provider_name": doc.provider_name,
        "scenarios": list(doc.scenarios),
        "scenario_groups": list(doc.scenario_groups),
        "scenario_labels": [label for term in scenario_terms for label in (term.zh, term.en)],
        "industries": list(doc.industries),
        "industry_labels": [label for term in industry_terms for label in (term.zh, term.en)],
        GENERAL_FLAG: not doc.industries,
        "price_min_wan": doc.price_min_wan,
        "price_max_wan": doc.price_max_wan,
        "price_band": price_band(doc.price_min_wan),
        "deployment": doc.deployment,
        "delivery_days": doc.delivery_days,
        "rating": doc.rating,
        "review_count": doc.review_count,
        "published_at": doc.published_at,
        "fingerprint": doc.fingerprint,
    }


def index_settings(*, synonyms: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Every index setting the adapter relies on, as the body of PATCH /indexes/{uid}/settings."""
    return {
        "searchableAttributes": list(TEXT_ATTRIBUTES),
        # `id` is filterable so deletions can go by filter (deleting by id list is deprecated in the client).
        "filterableAttributes": sorted({PRIMARY_KEY, GENERAL_FLAG, *FACET_ATTRIBUTES.values()}),
        "sortableAttributes": ["price_max_wan", "price_min_wan", "published_at", "rating"],
        # `sort` right after `words`: a chosen order must dominate, yet products matching every query word
        # still come before those matching fewer (the default puts `sort` after `attribute`, where it
        # would only break ties).
        "rankingRules": ["words", "sort", "typo", "proximity", "attribute", "exactness"],
        "synonyms": {term: list(alts) for term, alts in sorted(synonyms.items()) if alts},
        "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
        "localizedAttributes": [{"attributePatterns": list(TEXT_ATTRIBUTES), "locales": list(LOCALES)}],
        # The provider facet lists every provider of the pool; the default cap (100) would cut it silently.
        "faceting": {"maxValuesPerFacet": 1000},
    }


def filter_value(value: str) -> str:
    """A string as a quoted Meilisearch filter literal (backslashes and double quotes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def facet_clause(facet: str, values: Sequence[str]) -> str | None:
    """The filter clause of one facet, or None when the facet is not filtered."""
    if not values:
        return None
    attribute = FACET_ATTRIBUTES[facet]
    clause = f"{attribute} IN [{', '.join(filter_value(v) for v in values)}]"
    if facet == "industry":
        return f"({clause} OR {GENERAL_FLAG} = true)"
    return clause


def filter_expression(filters: SearchFilters, *, skip: str | None = None) -> str | None:
    """All facet filters AND-ed into one expression, leaving out the facet ``skip``; None when empty."""
    clauses = [
        clause
        for facet in FACET_ATTRIBUTES
        if facet != skip and (clause := facet_clause(facet, getattr(filters, facet))) is not None
    ]
    return " AND ".join(clauses) or None


def sort_rules(sort: str) -> list[str]:
    """The Meilisearch sort parameter of a sort code of ``search.backend.SORTS`` (empty = relevance)."""
    try:
        return list(_SORTS[sort])
    except KeyError:
        raise ValueError(f"unknown sort {sort!r}") from None
