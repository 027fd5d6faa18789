"""The editable domain lexicon: words of the field that point to scenarios, and cue words that shape a sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matching.inflection import Token, filed, joined, phrase_key, tokens

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.json"
STRONG, WEAK = 1.0, 0.35
Targets = tuple[tuple[str, float], ...]  # (scenario or cue code, weight) of one word


@dataclass(frozen=True)
class Hit:
    """One lexicon word found in a text."""

    word: str  # as written in the text
    start: int
    targets: Targets


GAP = r"[^，。；：,.;:!?！？\s]{0,4}"  # what a '*' in a word may stand for
FILLERS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "still", "often", "always", "also",
    "sometimes", "usually", "regularly", "frequently", "constantly", "repeatedly", "mostly",
    "it", "them", "everything",  # an object between verb and adverb: "sort them by hand"
})  # fmt: skip
MAX_FILLERS = 2
LATIN_PHRASE = re.compile(r"[a-z0-9\s\-‐/&'’.%+]*[a-z0-9][a-z0-9\s\-‐/&'’.%+]*")  # no Chinese in it


class WordFinder:
    """Finds many words at once; the longest word wins where two start at the same place.

    Words in Latin letters are matched word by word, each word of the text standing for its inflections
    ("inspections" finds "inspection"; see inflection.py), so that a phrase is found whatever the spaces or hyphens
    between its words. Other words (Chinese, or Chinese with Latin letters) are looked up character by character in
    a dict keyed by their first character and tried longest first, so a thousand words cost little more than ten.
    Words with a '*' gap are searched apart, longest first, and kept where no other word was found.
    """

    def __init__(self, words: Mapping[str, Iterable[tuple[str, float]]]):
        self._targets = {filed(word): tuple(targets) for word, targets in words.items()}
        lengths: dict[str, set[int]] = {}
        # Latin phrases: the key of every word -> targets ("mould flow" and "mold flow" are one phrase).
        latin: dict[tuple[str, ...], dict[str, float]] = {}
        for word, targets in sorted(self._targets.items()):
            if "*" in word:
                continue
            if LATIN_PHRASE.fullmatch(word.lower()) and (key := phrase_key(word)):
                for spelt in _spellings(key):
                    merged = latin.setdefault(spelt, {})
                    for code, weight in targets:
                        merged[code] = max(weight, merged.get(code, weight))
            else:
                lengths.setdefault(word[0], set()).add(len(word))
        self._lengths = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}
        # By their first word, longest first.
        self._phrases: dict[str, list[tuple[tuple[str, ...], Targets]]] = {}
        for key, merged in sorted(latin.items(), key=lambda item: (-len(item[0]), item[0])):
            self._phrases.setdefault(key[0], []).append((key, tuple(merged.items())))
        gapped = sorted((word for word in self._targets if "*" in word), key=lambda word: (-len(word), word))
        self._gapped = [
            (re.compile(GAP.join(map(re.escape, word.split("*"))), re.I), word) for word in gapped
        ]

    def find(self, text: str) -> list[Hit]:
        """Every non-overlapping word of the finder in the text, left to right."""
        lowered = text.lower()
        hits: list[Hit] = []
        taken: set[int] = set()
        position = 0
        while position < len(lowered):
            size = self._word_at(lowered, position)
            if size:
                word = text[position : position + size]
                hits.append(Hit(word=word, start=position, targets=self._targets[word.lower()]))
                taken.update(range(position, position + size))
                position += size
            else:
                position += 1
        for start, end, targets in self._latin_words(text, taken):
            hits.append(Hit(word=text[start:end], start=start, targets=targets))
            taken.update(range(start, end))
        for pattern, word in self._gapped:
            for found in pattern.finditer(text):
                if taken.isdisjoint(range(found.start(), found.end())):
                    hits.append(Hit(word=found.group(0), start=found.start(), targets=self._targets[word]))
                    taken.update(range(found.start(), found.end()))
        return sorted(hits, key=lambda hit: hit.start)

    def _latin_words(self, text: str, taken: set[int]) -> Iterator[tuple[int, int, Targets]]:
        """(start, end, targets) of the Latin phrases in the text, longest first at each word."""
        words = [token for token in tokens(text) if token.start not in taken]
        at = 0
        while at < len(words):
            size, targets = self._phrase_at(text, words, at)
            if size:
                yield words[at].start, words[at + size - 1].end, targets
            at += max(size, 1)

    def _phrase_at(self, text: str, words: list[Token], at: int) -> tuple[int, tuple[tuple[str, float], ...]]:
        """Number of text words and the targets of the longest phrase starting at the word `at` (0 if none)."""
        best, size = 0, 0
        found: Targets = ()
        for form in words[at].forms:
            for key, targets in self._phrases.get(form, ()):
                if len(key) <= best:
                    break  # longest first: nothing longer follows
                spanned = _spanned(text, words, at, key)
                if spanned:
                    best, size, found = len(key), spanned, targets
        return size, found

    def _word_at(self, lowered: str, position: int) -> int:
        """Length of the longest plain word starting at the position (0 if none)."""
        sizes = self._lengths.get(lowered[position])
        if not sizes or (_latin(lowered[position]) and position and _latin_letter(lowered[position - 1])):
            return 0
        for size in sizes:
            end = position + size
            if end > len(lowered) or lowered[position:end] not in self._targets:
                continue
            if not (_latin(lowered[end - 1]) and end < len(lowered) and _latin_letter(lowered[end])):
                return size
        return 0


def _spellings(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A phrase as listed, and a phrase of two or three plain words also written as one ("shopfloor")."""
    if 2 <= len(key) <= 3 and all(part.isalpha() and part.islower() for part in key):
        return [key, ("".join(key),)]
    return [key]


def _spanned(text: str, words: list[Token], at: int, key: tuple[str, ...]) -> int:
    """How many words of the text, from `at`, spell the phrase `key` (0 if they do not).

    A form of "to be", an adverb of frequency or an object pronoun may stand between its words: "passwords are
    shared", "parts often mixed up" and "sort them by hand" say what "passwords shared", "parts mixed up" and "sort
    by hand" say.
    """
    position = at
    for part in key[1:]:
        following = position + 1
        while following < len(words) and part not in words[following].forms:
            if following - position > MAX_FILLERS or words[following].forms[0] not in FILLERS:
                return 0
            following += 1
        if following >= len(words) or any(
            not joined(text, words[step - 1], words[step]) for step in range(position + 1, following + 1)
        ):
            return 0
        position = following
    return position - at + 1


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _latin_letter(char: str) -> bool:
    # Latin words must stand alone ("lot" is not in "pilot"); Chinese has no spaces between words.
    return char.isascii() and char.isalpha()


@dataclass(frozen=True)
class Lexicon:
    """Scenario words and cue words, ready to search."""

    scenarios: WordFinder
    cues: WordFinder
    codes: tuple[str, ...]  # the scenario codes the lexicon knows
    # (word, scenario) examples for the classifier: the clear words of one scenario only, one to an example, so that
    # it learns their inflections and neighbours the lexicon does not list
    examples: tuple[tuple[str, str], ...] = ()


def build_lexicon(raw: Mapping) -> Lexicon:
    """A lexicon from its JSON form (see data/lexicon.json)."""
    words: dict[str, list[tuple[str, float]]] = {}
    for code, entry in sorted(raw["scenarios"].items()):
        for strength, weight in (("terms", STRONG), ("weak", WEAK)):
            for word in entry.get(strength, ()):
                _add(words, word, code, weight)
    cues: dict[str, list[tuple[str, float]]] = {}
    for cue, cue_words in sorted(raw["cues"].items()):
        for word in cue_words:
            _add(cues, word, cue, 1.0)
    return Lexicon(
        scenarios=WordFinder(words),
        cues=WordFinder(cues),
        codes=tuple(sorted(raw["scenarios"])),
        examples=_examples(raw["scenarios"], words),
    )


def _examples(
    scenarios: Mapping, words: Mapping[str, list[tuple[str, float]]]
) -> tuple[tuple[str, str], ...]:
    """The clear words that point to a single scenario, each its own example.

    One word to an example keeps every example independent of its neighbours in the list: adding a word to the
    lexicon adds one example and leaves every other one as it was, instead of regrouping the words after it.
    """
    return tuple(
        (word, code)
        for code, entry in sorted(scenarios.items())
        for word in entry.get("terms", ())
        if "*" not in word and len(words[filed(word)]) == 1
    )


def _add(words: dict[str, list[tuple[str, float]]], word: str, code: str, weight: float) -> None:
    targets = words.setdefault(filed(word), [])
    if all(existing != code for existing, _ in targets):
        targets.append((code, weight))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped in data/lexicon.json, parsed once."""
    return build_lexicon(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))
