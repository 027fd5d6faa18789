"""Query understanding: a search-box string -> concepts with their synonyms, the scenarios the query means, the
industries it names, and a spelling correction.

Pure and backend-independent: it reads the lexicon (curated synonyms) and a ``CorpusStats`` (what the indexed
listings teach), never a database. A known term takes its scenarios from the lexicon, nudged by the catalogue;
a word the lexicon does not know takes them from the listings it occurs in, weighted by how peaked that evidence is,
so a word spread over every scenario says little. Industry words (轴承, 反应釜) name who the product is for rather
than what it does, so they shape the ranking through the industry, not through the scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from search.corpus import GENERAL, CorpusStats, TagEvidence
from search.lexicon import Lexicon, Span
from search.spelling import Vocabulary, correct_query
from search.text import normalize, query_tokens

GENERIC_WEIGHT = 0.2  # 系统, 平台, software: part of the query, but says little
UNKNOWN_WEIGHT = 0.5  # a word no listing contains: the user meant it, nothing can match it
LEXICON_SHARE = 0.7  # a known term's scenarios: mostly the curated ones, partly what the catalogue says
INDUSTRY_EVIDENCE = 0.6  # share of a free word's listings in one industry that makes it an industry word
INDUSTRY_WORD_SCENARIOS = 0.3  # how much an industry word's listings say about the scenario wanted
MIN_SCENARIO = (
    0.15  # inferred scenarios weaker than this (absolute) or than a quarter of the best are dropped
)


@dataclass(frozen=True)
class Concept:
    """One meaningful piece of the query."""

    text: str
    tokens: tuple[str, ...]  # what a listing must contain to match it literally
    weight: float  # share of the query's meaning
    expansions: tuple[tuple[str, ...], ...] = ()  # token tuples of its synonyms
    expansion_texts: tuple[str, ...] = ()
    scenarios: Mapping[str, float] = field(default_factory=dict)  # scenario -> evidence in [0, 1]
    industries: tuple[str, ...] = ()

    @property
    def names_industry(self) -> bool:
        """True for a word that says who the product is for (轴承) rather than what it does."""
        return bool(self.industries) and not self.scenarios


@dataclass(frozen=True)
class QueryAnalysis:
    """Everything the backends need to know about one query."""

    query: str  # normalised, spelling corrected
    concepts: tuple[Concept, ...] = ()
    scenarios: dict[str, float] = field(default_factory=dict)  # strongest first, each in (0, 1]
    industries: tuple[str, ...] = ()
    did_you_mean: str | None = None

    @property
    def empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.concepts

    def highlight_terms(self) -> frozenset[str]:
        """Strings to mark in listings: the query's tokens and its synonyms."""
        terms = {token for concept in self.concepts for token in concept.tokens}
        terms.update(text for concept in self.concepts for text in concept.expansion_texts)
        return frozenset(terms)


def analyse_query(q: str, *, lexicon: Lexicon, corpus: CorpusStats, vocabulary: Vocabulary) -> QueryAnalysis:
    """Understand one search-box string."""
    normalized = " ".join(normalize(q).split())
    corrected = correct_query(normalized, lexicon=lexicon, corpus=corpus, vocabulary=vocabulary)
    query = corrected or normalized
    concepts = tuple(_concept(span, lexicon=lexicon, corpus=corpus) for span in lexicon.segment(query))
    concepts = tuple(c for c in concepts if c.tokens)
    return QueryAnalysis(
        query=query,
        concepts=concepts,
        scenarios=infer_scenarios(concepts),
        industries=tuple(dict.fromkeys(code for c in concepts for code in c.industries)),
        did_you_mean=corrected,
    )


def infer_scenarios(concepts: tuple[Concept, ...]) -> dict[str, float]:
    """Scenario -> weight in (0, 1]: the concepts' evidence averaged over the concepts that say what is wanted."""
    meaningful = [c for c in concepts if not c.names_industry]
    total = sum(c.weight for c in meaningful)
    if not total:
        return {}
    weights: dict[str, float] = {}
    for concept in meaningful:
        for code, evidence in concept.scenarios.items():
            weights[code] = weights.get(code, 0.0) + concept.weight * evidence / total
    best = max(weights.values(), default=0.0)
    kept = {c: w for c, w in weights.items() if w >= MIN_SCENARIO and w >= best / 4}
    return dict(sorted(kept.items(), key=lambda item: -item[1]))


def _concept(span: Span, *, lexicon: Lexicon, corpus: CorpusStats) -> Concept:
    tokens = tuple(query_tokens(span.text))
    entry = span.entry
    if not tokens:
        return Concept(span.text, (), 0.0)
    if entry is None:
        return _free_concept(span.text, tokens, corpus)
    if entry.generic:
        return Concept(span.text, tokens, GENERIC_WEIGHT)
    expansions = lexicon.expansions(entry)
    return Concept(
        text=span.text,
        tokens=tokens,
        weight=1.0,
        expansions=tuple(tuple(query_tokens(term)) for term in expansions),
        expansion_texts=tuple(expansions),
        scenarios=_known_scenarios(entry.scenarios, tokens, corpus),
        industries=entry.industries,
    )


def _known_scenarios(
    curated: Mapping[str, float], tokens: tuple[str, ...], corpus: CorpusStats
) -> dict[str, float]:
    """A known term's scenarios: the lexicon's; for a term that points to several (安全: safety or cybersecurity)
    they are weighed by how the listings holding the term are tagged."""
    if len(curated) < 2:
        return dict(curated)
    learnt = learnt_evidence(tokens, corpus).scenarios
    raw = {
        c: LEXICON_SHARE * curated.get(c, 0.0) + (1 - LEXICON_SHARE) * learnt.get(c, 0.0)
        for c in {*curated, *learnt}
    }
    top = max(raw.values())
    return {code: value / top for code, value in raw.items() if value / top >= MIN_SCENARIO}


def _free_concept(text: str, tokens: tuple[str, ...], corpus: CorpusStats) -> Concept:
    """A word the lexicon does not know: its meaning is what the listings holding it are tagged with, and its
    weight how rare it is (a word most listings hold says little)."""
    df = corpus.doc_frequencies(tokens)
    if not any(df.get(token) for token in tokens):
        return Concept(text, tokens, UNKNOWN_WEIGHT)
    if len(text) == 1 and not text.isascii():
        # a character left between known terms is mostly a particle or a fragment (的, 和, 备)
        return Concept(text, tokens, GENERIC_WEIGHT)
    size = max(corpus.document_count(), 1)
    rarest = min(df.get(token) or size for token in tokens)
    weight = min(1.0, max(GENERIC_WEIGHT, math.log((size + 1) / rarest) / math.log(20)))
    learnt = learnt_evidence(tokens, corpus)
    industries = tuple(
        c for c, share in learnt.industries.items() if share >= INDUSTRY_EVIDENCE and c != GENERAL
    )
    # the listings holding an industry's own word (反应釜) spread over whatever that industry buys: a weak hint
    damping = INDUSTRY_WORD_SCENARIOS if industries else 1.0
    scenarios = {
        c: share * damping for c, share in learnt.scenarios.items() if share * damping >= MIN_SCENARIO
    }
    return Concept(text, tokens, weight, scenarios=scenarios, industries=industries)


def learnt_evidence(tokens: tuple[str, ...], corpus: CorpusStats) -> TagEvidence:
    """How the listings holding the words are tagged; word by word (rarer words count more) if none holds all."""
    evidence = corpus.tag_evidence(tokens)
    if evidence.listings or len(tokens) < 2:
        return evidence
    df = corpus.doc_frequencies(tokens)
    size = max(corpus.document_count(), 1)
    parts = [
        (math.log(1 + size / df[t]), corpus.tag_evidence((t,))) for t in dict.fromkeys(tokens) if df.get(t)
    ]
    total = sum(idf for idf, _ in parts)
    if not total:
        return evidence
    return TagEvidence(
        listings=sum(part.listings for _, part in parts),
        scenarios=_weighted_mean([(idf, part.scenarios) for idf, part in parts], total),
        industries=_weighted_mean([(idf, part.industries) for idf, part in parts], total),
    )


def _weighted_mean(parts: list[tuple[float, dict[str, float]]], total: float) -> dict[str, float]:
    mean: dict[str, float] = {}
    for weight, shares in parts:
        for code, share in shares.items():
            mean[code] = mean.get(code, 0.0) + weight * share / total
    return mean
