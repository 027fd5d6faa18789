"""Relevance: how well one candidate listing answers an analysed query (pure, deterministic).

Three signals, in order of weight: the scenarios the query means against the listing's tags (its primary tag
counts fully, a secondary one half), how much of the query the listing's text covers (literally or through a
synonym; name and summary count more than the description), and the industry the query names (a listing built for
it rises, a general listing stays, one built only for other industries sinks). The engine's own text score only
breaks ties.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from search.analysis import Concept, QueryAnalysis

SCENARIO_WEIGHT = 1.5
TEXT_WEIGHT = 1.0
INDUSTRY_WEIGHT = 0.6
ENGINE_WEIGHT = 0.2
SECONDARY_ROLE = 0.5
BODY_MATCH = 0.7  # the concept is only in the description, provider or labels
PARTIAL_MATCH = 0.5  # share of a multi-token concept's tokens present, scaled down
SYNONYM_MATCH = 0.8  # matched through a synonym rather than the words typed


@dataclass(frozen=True)
class Candidate:
    """What ranking needs to know about one listing."""

    id: str
    head: str  # tokens of name and summary, space-separated and space-padded (see ``tokens``)
    body: str  # tokens of description, provider name and labels, likewise
    scenarios: tuple[str, ...]  # primary first
    industries: tuple[str, ...]  # empty = general
    engine_score: float = 0.0  # the engine's text score, normalised to [0, 1]


def tokens(*token_strings: str) -> str:
    """Space-separated token strings in the form ``Candidate`` holds them: a whole token is found as " token "
    (a substring search in C, cheaper than building a set of a description's few hundred tokens)."""
    return " " + " ".join(token_strings) + " "


def relevance(candidate: Candidate, analysis: QueryAnalysis) -> float:
    """The relevance of one listing to the query (higher is better)."""
    return (
        SCENARIO_WEIGHT * scenario_fit(candidate, analysis)
        + TEXT_WEIGHT * text_coverage(candidate, analysis)
        + INDUSTRY_WEIGHT * industry_fit(candidate, analysis)
        + ENGINE_WEIGHT * candidate.engine_score
    )


def rank(
    candidates: Iterable[Candidate], analysis: QueryAnalysis, *, limit: int | None = None
) -> list[tuple[str, float]]:
    """(id, relevance) best first (the first ``limit`` only, when given); ties keep the engine's order, then the id.

    Text coverage is the costly part and adds at most TEXT_WEIGHT, so listings are scored in the order of their
    bound without it, and scoring stops once no remaining listing could enter the first ``limit``.
    """
    bounded = sorted(((_bound(c, analysis), c) for c in candidates), key=lambda item: -item[0])
    scored: list[tuple[float, float, str]] = []
    best: list[float] = []  # heap of the best ``limit`` scores so far
    for bound, candidate in bounded:
        if limit is not None and len(best) >= limit and bound < best[0]:
            break
        score = relevance(candidate, analysis)
        scored.append((score, candidate.engine_score, candidate.id))
        if limit is not None:
            (heapq.heappush if len(best) < limit else heapq.heappushpop)(best, score)
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [(doc_id, score) for score, _, doc_id in scored[:limit]]


def _bound(candidate: Candidate, analysis: QueryAnalysis) -> float:
    """The highest relevance the listing can reach, whatever its text holds."""
    return (
        SCENARIO_WEIGHT * scenario_fit(candidate, analysis)
        + TEXT_WEIGHT
        + INDUSTRY_WEIGHT * industry_fit(candidate, analysis)
        + ENGINE_WEIGHT * candidate.engine_score
    )


def scenario_fit(candidate: Candidate, analysis: QueryAnalysis) -> float:
    """How squarely the listing's tags sit in the scenarios the query means, in [0, 1]."""
    fit = 0.0
    for position, code in enumerate(candidate.scenarios):
        fit += analysis.scenarios.get(code, 0.0) * (1.0 if position == 0 else SECONDARY_ROLE)
    return min(fit, 1.0)


class _Held:
    """Which query tokens a listing holds, looked up on demand (the description only when the name and summary
    do not already answer)."""

    def __init__(self, candidate: Candidate) -> None:
        self._candidate = candidate
        self._head: dict[str, bool] = {}
        self._body: dict[str, bool] = {}

    def in_head(self, token: str) -> bool:
        """True when the name or summary holds the token."""
        found = self._head.get(token)
        if found is None:
            found = self._head[token] = _holds(self._candidate.head, token)
        return found

    def anywhere(self, token: str) -> bool:
        """True when any indexed field holds the token."""
        if self.in_head(token):
            return True
        found = self._body.get(token)
        if found is None:
            found = self._body[token] = _holds(self._candidate.body, token)
        return found


def text_coverage(candidate: Candidate, analysis: QueryAnalysis) -> float:
    """Share of the query's meaning the listing's text covers, in [0, 1]."""
    total = sum(concept.weight for concept in analysis.concepts)
    if not total:
        return 0.0
    held = _Held(candidate)
    return sum(c.weight * concept_match(c, held) for c in analysis.concepts) / total


def concept_match(concept: Concept, held: _Held) -> float:
    """How well the listing's text holds one concept, in [0, 1]: the words typed in the name or summary, else a
    synonym there, else the words or a synonym anywhere, else a share of the words."""
    if all(held.in_head(t) for t in concept.tokens):
        return 1.0
    if any(all(held.in_head(t) for t in expansion) for expansion in concept.expansions):
        return SYNONYM_MATCH
    if all(held.anywhere(t) for t in concept.tokens):
        return BODY_MATCH
    if any(all(held.anywhere(t) for t in expansion) for expansion in concept.expansions):
        return SYNONYM_MATCH * BODY_MATCH
    if len(concept.tokens) > 1:
        return PARTIAL_MATCH * sum(held.anywhere(t) for t in concept.tokens) / len(concept.tokens)
    return 0.0


def industry_fit(candidate: Candidate, analysis: QueryAnalysis) -> float:
    """+1 built for an industry the query names, 0 general (or no industry named), -1 built for others only."""
    if not analysis.industries or not candidate.industries:
        return 0.0
    return 1.0 if set(candidate.industries) & set(analysis.industries) else -1.0


def _holds(text: str, token: str) -> bool:
    # a one-character Chinese query token matches inside the listing's bigrams
    return (token in text) if len(token) == 1 and not token.isascii() else (f" {token} " in text)
