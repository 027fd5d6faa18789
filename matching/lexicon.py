"""The editable domain lexicon: words of the field that point to scenarios, and cue words that shape a sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.json"
STRONG, WEAK = 1.0, 0.35
EXAMPLE_WORDS = 5  # lexicon words per classifier example: a short phrase, like a clause of the findings


@dataclass(frozen=True)
class Hit:
    """One lexicon word found in a text."""

    word: str  # as written in the text
    start: int
    targets: tuple[tuple[str, float], ...]  # (scenario or cue code, weight)


GAP = r"[^，。；：,.;:!?！？\s]{0,4}"  # what a '*' in a word may stand for


class WordFinder:
    """Finds many words at once; the longest word wins where two start at the same place.

    Plain words are looked up position by position in a dict keyed by their first character and tried longest
    first, so a thousand words cost little more than ten. Words with a '*' gap are searched apart and kept where no
    plain word was found.
    """

    def __init__(self, words: Mapping[str, Iterable[tuple[str, float]]]):
        self._targets = {word.lower(): tuple(targets) for word, targets in words.items()}
        lengths: dict[str, set[int]] = {}
        for word in self._targets:
            if "*" not in word:
                lengths.setdefault(word[0], set()).add(len(word))
        self._lengths = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}
        gapped = sorted(word for word in self._targets if "*" in word)
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
        for pattern, word in self._gapped:
            for found in pattern.finditer(text):
                if taken.isdisjoint(range(found.start(), found.end())):
                    hits.append(Hit(word=found.group(0), start=found.start(), targets=self._targets[word]))
                    taken.update(range(found.start(), found.end()))
        return sorted(hits, key=lambda hit: hit.start)

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
    # (text, scenario) examples for the classifier: the clear words of one scenario only, a few to a text, so that
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
    """The clear words that point to a single scenario, EXAMPLE_WORDS to a text, in the lexicon's order."""
    examples = []
    for code, entry in sorted(scenarios.items()):
        own = [word for word in entry.get("terms", ()) if "*" not in word and len(words[word.lower()]) == 1]
        for start in range(0, len(own), EXAMPLE_WORDS):
            examples.append((" ".join(own[start : start + EXAMPLE_WORDS]), code))
    return tuple(examples)


def _add(words: dict[str, list[tuple[str, float]]], word: str, code: str, weight: float) -> None:
    targets = words.setdefault(word.lower(), [])
    if all(existing != code for existing, _ in targets):
        targets.append((code, weight))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped in data/lexicon.json, parsed once."""
    return build_lexicon(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))
