"""What the catalogue itself teaches query understanding: which words occur, and in listings of which scenarios
and industries.

A listing's scenario tags are the provider's own statement of what it is for, so the listings holding a word say
what that word means in this catalogue: "电耗" sits in listings tagged ``energy_management``, "轴承" in listings built
for the bearings industry. The evidence is read at query time from the index itself (a bounded sample of the
listings holding the words), so it is always as fresh as the index and costs nothing at write time.
``CorpusStats`` is how analysis asks; the embedded backend answers from SQLite, ``MemoryCorpus`` from a list
(tests, or a backend without a store of its own), ``NoCorpus`` knows nothing (lexicon only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from catalog.taxonomy import load_taxonomy
from search.documents import SearchDocument
from search.text import cjk_ngrams, index_text, normalize

HEAD_WEIGHT = 1.0  # a token in the name or summary says what the product is
BODY_WEIGHT = 0.4  # a token only in the description may be context ("replaces manual inspection")
PRIMARY_WEIGHT = 1.0
SECONDARY_WEIGHT = 0.5
GENERAL = "general"  # industry code counted for products built for every industry
SPELLING_NGRAM = 4
SMOOTHING = 1.0  # one pseudo-listing with no tags: a word seen once does not speak with full confidence


@dataclass(frozen=True)
class DocumentText:
    """The tokens of one document per indexed field, each as a space-separated string."""

    name: str
    summary: str
    body: str  # description
    tags: str  # provider name, scenario and industry labels


@lru_cache(maxsize=65536)
def _provider_text(provider_name: str) -> str:
    """Tokens of a provider name (a provider lists many products)."""
    return index_text(provider_name)


@lru_cache(maxsize=4096)
def _label_text(scenarios: tuple[str, ...], industries: tuple[str, ...]) -> str:
    """Tokens of the labels of a listing's tags (a few dozen combinations cover a catalogue)."""
    taxonomy = load_taxonomy()
    labels: list[str] = []
    for code in scenarios:
        term = taxonomy.scenarios.get(code)
        labels.extend((term.zh, term.en) if term else (code,))
    for code in industries:
        term = taxonomy.industries.get(code)
        labels.extend((term.zh, term.en) if term else (code,))
    return index_text(" ; ".join(labels))


def document_text(doc: SearchDocument) -> DocumentText:
    """Tokenise every indexed field of a document."""
    return DocumentText(
        name=index_text(doc.name),
        summary=index_text(doc.summary),
        body=index_text(doc.description),
        tags=f"{_provider_text(doc.provider_name)} {_label_text(doc.scenarios, doc.industries)}",
    )


@dataclass(frozen=True)
class Holder:
    """A listing that holds a query's words: its tags, and how prominently it holds them."""

    scenarios: tuple[str, ...]
    industries: tuple[str, ...]
    weight: float  # HEAD_WEIGHT when in name or summary, BODY_WEIGHT when only in the description


@dataclass(frozen=True)
class TagEvidence:
    """How the listings holding some words are tagged: shares in [0, 1] per scenario and per industry."""

    listings: float = 0.0
    scenarios: dict[str, float] = field(default_factory=dict)
    industries: dict[str, float] = field(default_factory=dict)


def tag_evidence(holders: Iterable[Holder]) -> TagEvidence:
    """Shares of the holders per scenario (a primary tag counts fully, others half) and per industry.

    Smoothing keeps one or two listings from speaking with full confidence.
    """
    total = 0.0
    scenarios: dict[str, float] = {}
    industries: dict[str, float] = {}
    for holder in holders:
        total += holder.weight
        for i, code in enumerate(holder.scenarios):
            role = PRIMARY_WEIGHT if i == 0 else SECONDARY_WEIGHT
            scenarios[code] = scenarios.get(code, 0.0) + holder.weight * role
        for code in holder.industries or (GENERAL,):
            industries[code] = industries.get(code, 0.0) + holder.weight
    scale = total + SMOOTHING
    return TagEvidence(
        listings=total,
        scenarios={code: value / scale for code, value in scenarios.items()},
        industries={code: value / scale for code, value in industries.items()},
    )


def spelling_words(names: Iterable[str]) -> list[str]:
    """Words a misspelt query may be corrected to: Chinese 4-grams of product names, most frequent first."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(cjk_ngrams(normalize(name), SPELLING_NGRAM))
    return [word for word, _ in counts.most_common()]


class CorpusStats(Protocol):
    """What query analysis may ask about the indexed catalogue."""

    def document_count(self) -> int:
        """How many documents are indexed."""
        ...

    def doc_frequencies(self, tokens: Collection[str]) -> Mapping[str, int]:
        """Token -> number of documents holding it (absent or 0 when unknown)."""
        ...

    def tag_evidence(self, tokens: Sequence[str]) -> TagEvidence:
        """How the listings holding all the tokens (a sample of them, for common words) are tagged."""
        ...

    def spelling_vocabulary(self) -> Sequence[str]:
        """Words of the index a misspelling may be corrected to, most frequent first."""
        ...


class MemoryCorpus:
    """CorpusStats over documents held in memory."""

    def __init__(self, documents: Iterable[SearchDocument] = ()) -> None:
        self._docs: list[tuple[SearchDocument, frozenset[str], frozenset[str]]] = []
        self._df: Counter[str] = Counter()
        for doc in documents:
            self.add(doc)

    def add(self, doc: SearchDocument) -> None:
        """Count one more document."""
        text = document_text(doc)
        head = frozenset(f"{text.name} {text.summary}".split())
        body = frozenset(text.body.split())
        self._docs.append((doc, head, body))
        self._df.update(head | body | frozenset(text.tags.split()))

    def document_count(self) -> int:
        """How many documents are indexed."""
        return len(self._docs)

    def doc_frequencies(self, tokens: Collection[str]) -> Mapping[str, int]:
        """Token -> number of documents holding it."""
        return {token: self._df[token] for token in tokens if self._df[token]}

    def tag_evidence(self, tokens: Sequence[str]) -> TagEvidence:
        """How the listings holding all the tokens are tagged."""
        holders = []
        for doc, head, body in self._docs:
            if all(token in head for token in tokens):
                holders.append(Holder(doc.scenarios, doc.industries, HEAD_WEIGHT))
            elif all(token in head or token in body for token in tokens):
                holders.append(Holder(doc.scenarios, doc.industries, BODY_WEIGHT))
        return tag_evidence(holders)

    def spelling_vocabulary(self) -> Sequence[str]:
        """Name 4-grams and English words of the index, most frequent first."""
        english = [w for w, _ in self._df.most_common() if w.isascii() and w.isalpha() and len(w) >= 4]
        return [*spelling_words(doc.name for doc, _, _ in self._docs), *english]


class NoCorpus:
    """CorpusStats that knows nothing: analysis then rests on the lexicon alone."""

    def document_count(self) -> int:
        """Always 0."""
        return 0

    def doc_frequencies(self, tokens: Collection[str]) -> Mapping[str, int]:
        """Nothing is known."""
        return {}

    def tag_evidence(self, tokens: Sequence[str]) -> TagEvidence:
        """No evidence."""
        return TagEvidence()

    def spelling_vocabulary(self) -> Sequence[str]:
        """No words."""
        return []
