"""Typo correction ("did you mean") in both languages, against the lexicon and the index vocabulary.

A word is only corrected when the index has never seen it: an English word with no document, or a Chinese run
holding a character pair that no document and no lexicon term contains (视觉质建: 质建). Words of three Chinese
characters or four letters or fewer are never corrected (too many neighbours), and the edit budget grows slowly
with length, so short words get the strictest cutoff. A Chinese correction must change the characters next to the unknown pair, so a valid
word elsewhere in the run is never "fixed".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from catalog.taxonomy import load_taxonomy
from search.corpus import CorpusStats
from search.lexicon import Lexicon
from search.text import bigrams, is_cjk, segments, stem

WINDOW = 4  # Chinese corrections look at four-character windows around the unknown pair
CANDIDATES = 12


def max_edits(length: int, *, cjk: bool = False) -> int:
    """Edits allowed in a word of this many characters: none up to 3 Chinese characters or 4 letters (too many
    neighbours: "near" is one letter from "year"), one up to 7 (8 letters), two beyond."""
    if length <= (3 if cjk else 4):
        return 0
    return 1 if length <= (7 if cjk else 8) else 2


class Vocabulary:
    """Correction targets: taxonomy labels and lexicon terms first (they win ties), then the index's own words.

    The index words are loaded on first use only: most queries have no typo and never need them.
    """

    def __init__(self, lexicon: Lexicon, index_words: Callable[[], Sequence[str]] = tuple) -> None:
        taxonomy = load_taxonomy()
        self._curated = [
            *(t.zh for t in (*taxonomy.scenarios.values(), *taxonomy.groups.values())),
            *lexicon.terms(),
        ]
        self._index_words = index_words
        self.known_pairs = frozenset(
            p for t in lexicon.terms() for s in segments(t) if s.cjk for p in bigrams(s.text)
        )
        self.known_words = frozenset(s.text for t in lexicon.terms() for s in segments(t) if not s.cjk)

    @cached_property
    def _words(self) -> list[str]:
        return [*self._curated, *self._index_words()]

    @cached_property
    def cjk(self) -> tuple[str, ...]:
        """Chinese words of three characters or more."""
        return tuple(dict.fromkeys(w for w in self._words if is_cjk(w) and " " not in w and len(w) >= 3))

    @cached_property
    def english(self) -> tuple[str, ...]:
        """English words of four letters or more."""
        words = (s.text for w in self._words for s in segments(w) if not s.cjk and s.text.isalpha())
        return tuple(dict.fromkeys(w for w in words if len(w) >= 4))


def correct_query(
    normalized: str, *, lexicon: Lexicon, corpus: CorpusStats, vocabulary: Vocabulary
) -> str | None:
    """The query with its misspelt words corrected, or None when nothing needed correcting."""
    if corpus.document_count() == 0:
        return None
    pieces: list[str] = []
    pos = 0
    for segment in segments(normalized):
        fixed = (
            _correct_run(segment.text, lexicon=lexicon, corpus=corpus, vocabulary=vocabulary)
            if segment.cjk
            else _correct_word(segment.text, corpus=corpus, vocabulary=vocabulary)
        )
        pieces += [normalized[pos : segment.start], fixed]
        pos = segment.start + len(segment.text)
    corrected = "".join(pieces) + normalized[pos:]
    return corrected if corrected != normalized else None


def _correct_word(word: str, *, corpus: CorpusStats, vocabulary: Vocabulary) -> str:
    budget = max_edits(len(word))
    if not budget or not word.isalpha() or word in vocabulary.known_words:
        return word
    if corpus.doc_frequencies([stem(word)]).get(stem(word)):
        return word
    best = _best(word, vocabulary.english, budget=budget, touchable=None)
    return best or word


def _correct_run(run: str, *, lexicon: Lexicon, corpus: CorpusStats, vocabulary: Vocabulary) -> str:
    if len(run) < WINDOW or all(span.entry is not None for span in lexicon.segment(run)):
        return run
    for _ in range(len(run)):  # each pass fixes one unknown pair; stop when none is left or none can be fixed
        unknown = _unknown_pairs(run, corpus=corpus, vocabulary=vocabulary)
        fixed = next((f for i in unknown if (f := _fix_pair(run, i, vocabulary)) is not None), None)
        if fixed is None:
            return run
        run = fixed
    return run


def _unknown_pairs(run: str, *, corpus: CorpusStats, vocabulary: Vocabulary) -> list[int]:
    pairs = bigrams(run)
    df = corpus.doc_frequencies(set(pairs))
    return [i for i, pair in enumerate(pairs) if not df.get(pair) and pair not in vocabulary.known_pairs]


def _fix_pair(run: str, i: int, vocabulary: Vocabulary) -> str | None:
    """The run with the window around the unknown pair at i replaced by its best correction, or None."""
    options: list[tuple[float, int, str]] = []  # (similarity, earlier window first, corrected run)
    for start in range(max(0, i - WINDOW + 2), min(i, len(run) - WINDOW) + 1):
        window = run[start : start + WINDOW]
        best = _best(
            window, vocabulary.cjk, budget=max_edits(WINDOW, cjk=True), touchable={i - start, i - start + 1}
        )
        if best is not None:
            similarity = Levenshtein.normalized_similarity(window, best)
            options.append((similarity, -start, run[:start] + best + run[start + WINDOW :]))
    return max(options)[2] if options else None


def _best(word: str, choices: Sequence[str], *, budget: int, touchable: Collection[int] | None) -> str | None:
    """The closest choice within the edit budget (earlier choices win ties), or None."""
    found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=budget, limit=CANDIDATES)
    ranked = sorted(found, key=lambda match: (match[1], match[2]))
    for choice, _, _ in ranked:
        if touchable is None or _edits_touch(word, choice, touchable):
            return str(choice)
    return None


def _edits_touch(word: str, choice: str, touchable: Collection[int]) -> bool:
    """True when every edit from word to choice is at (or right after) one of the touchable positions."""
    for op in Levenshtein.editops(word, choice):
        if op.src_pos not in touchable and not (op.tag == "insert" and op.src_pos - 1 in touchable):
            return False
    return True
