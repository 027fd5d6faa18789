"""An analysed query -> the FTS5 expressions the embedded backend runs (pure string building).

Besides the text tokens, every listing's ``tags`` column holds facet tokens (``zp`` + hex of its primary scenario,
``zs`` any scenario, ``zg`` group, ``zi`` industry, ``zb`` price band, ``zd`` deployment, ``zv`` provider), so
"the listings of the inferred scenario" and every filter are index lookups that FTS5 intersects in C.

- ``match``: what counts as a result: any rare token of a concept (partial matches count), all tokens of a concept
  made only of common ones, all rare tokens of one of its synonyms, or a primary listing of a clearly meant
  scenario. Words most listings contain (管理, 系统) are left out when the concept has rarer ones, as a "common
  terms" query would: they add little and would make the engine walk most of the index.
- ``strict``: every concept present (itself or one of its synonyms) - the best text matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from search.analysis import GENERIC_WEIGHT, Concept, QueryAnalysis
from search.backend import FACETS, SearchFilters
from search.corpus import GENERAL

COMMON_SHARE = 0.2  # a token in more than this share of listings is "common"...
MIN_PRUNE_SIZE = 50  # ...once the index is big enough for that to mean anything
STRONG_SCENARIO = 0.5  # listings of a scenario inferred at least this strongly are results
HEAD = "{name summary}"
FACET_PREFIX = {
    "primary": "zp",
    "scenario": "zs",
    "scenario_group": "zg",
    "industry": "zi",
    "price_band": "zb",
    "deployment": "zd",
    "provider": "zv",
}


def facet_token(facet: str, value: str) -> str:
    """The index token of one facet value (hex keeps any code a single ASCII token)."""
    return FACET_PREFIX[facet] + value.encode("utf-8").hex()


def quote(token: str) -> str:
    """A token as an FTS5 string; a one-character Chinese token becomes a prefix query over the bigrams."""
    escaped = '"' + token.replace('"', '""') + '"'
    return escaped + "*" if len(token) == 1 and not token.isascii() else escaped


def any_of(parts: Sequence[str]) -> str | None:
    """OR of the parts (None when there are none)."""
    unique = list(dict.fromkeys(p for p in parts if p))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def all_of(parts: Sequence[str | None]) -> str | None:
    """AND of the parts that are set (None when none is)."""
    present = [p for p in parts if p]
    if not present:
        return None
    return present[0] if len(present) == 1 else "(" + " AND ".join(present) + ")"


def in_head(expression: str | None) -> str | None:
    """The expression restricted to name and summary."""
    return f"({HEAD} : {expression})" if expression else None


@dataclass(frozen=True)
class Plan:
    """The FTS5 expressions of one query (None = no such constraint)."""

    match: str | None
    strict: str | None
    scenarios: str | None
    industries: str | None
    concepts: tuple[str, ...] = ()  # each meaningful concept (or one of its synonyms) present in full


def build_plan(analysis: QueryAnalysis, df: Mapping[str, int], size: int) -> Plan:
    """The expressions for an analysed query, given token document frequencies and the index size."""
    limit = COMMON_SHARE * size if size >= MIN_PRUNE_SIZE else float("inf")
    meaningful = [c for c in analysis.concepts if c.weight > GENERIC_WEIGHT] or list(analysis.concepts)
    strong = [code for code, weight in analysis.scenarios.items() if weight >= STRONG_SCENARIO]
    scenarios = any_of([quote(facet_token("primary", code)) for code in strong])
    text = any_of([part for concept in meaningful for part in _loose(concept, df, limit)])
    concepts = [part for part in (_strict(concept, df, limit) for concept in meaningful) if part]
    return Plan(
        match=any_of([p for p in (text, scenarios) if p]),
        strict=all_of(concepts),
        scenarios=scenarios,
        industries=any_of([quote(facet_token("industry", code)) for code in analysis.industries]),
        concepts=tuple(concepts),
    )


def _known(tokens: Sequence[str], df: Mapping[str, int]) -> list[str]:
    return [t for t in tokens if df.get(t) or _prefix(t)]


def _rare(tokens: Sequence[str], df: Mapping[str, int], limit: float) -> list[str]:
    return [t for t in tokens if _prefix(t) or 0 < df.get(t, 0) <= limit]


def _loose(concept: Concept, df: Mapping[str, int], limit: float) -> list[str]:
    """Alternatives any of which makes a listing match the concept."""
    known = _known(concept.tokens, df)
    rare = _rare(known, df, limit)
    parts = [quote(t) for t in rare]
    if not rare and known and len(known) == len(concept.tokens):
        parts.append(all_of([quote(t) for t in known]) or "")
    for expansion in concept.expansions:
        if len(_known(expansion, df)) == len(expansion) and (rare_tokens := _rare(expansion, df, limit)):
            parts.append(all_of([quote(t) for t in rare_tokens]) or "")
    return parts


def _strict(concept: Concept, df: Mapping[str, int], limit: float) -> str | None:
    """The concept or one of its synonyms present in full (common tokens aside)."""
    alternatives = []
    for tokens in (concept.tokens, *concept.expansions):
        if len(_known(tokens, df)) == len(tokens):
            alternatives.append(all_of([quote(t) for t in (_rare(tokens, df, limit) or tokens)]))
    return any_of([a for a in alternatives if a])


def _prefix(token: str) -> bool:
    return len(token) == 1 and not token.isascii()


def filter_expression(filters: SearchFilters, *, skip: str | None = None) -> str | None:
    """The filters as an FTS5 expression (``skip`` leaves one facet's own filter out, for disjunctive counts)."""
    clauses = []
    for facet in FACETS:
        values = list(getattr(filters, facet))
        if not values or facet == skip:
            continue
        if facet == "industry":  # a general product serves every industry
            values.append(GENERAL)
        clauses.append(any_of([quote(facet_token(facet, value)) for value in values]))
    return all_of(clauses)
