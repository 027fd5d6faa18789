"""Text -> search tokens, the same way at index and at query time.

Chinese is not separated by spaces and a dictionary segmenter would miss the field's jargon, so a run of Chinese
characters becomes its overlapping character bigrams (视觉质检 -> 视觉 觉质 质检) plus its last character on its own.
The trailing unigram makes a one-character query answerable as a prefix query: every character of a run starts a
bigram except the last. Everything else becomes lowercase ASCII words with a light plural fold, so "WMS", "ERP"
and "MES" stay tokens and "bearings" finds "bearing".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
_SEGMENT = re.compile(f"[{CJK_RANGES}]+|[a-z0-9]+")


@dataclass(frozen=True)
class Segment:
    """A maximal run of Chinese characters or one ASCII word, with its place in the normalised text."""

    text: str
    start: int
    cjk: bool


# Characters NFKC leaves alone or only maps to punctuation (ASCII, general and CJK punctuation, CJK ideographs,
# full-width punctuation): text made of nothing else skips the (slow) normalisation with the same tokens.
_NEEDS_NFKC = re.compile(
    "[^\x00-\x7f\u2010-\u2027\u2030-\u205e\u3001-\u3037\u303b-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)


def needs_nfkc(text: str) -> bool:
    """False when NFKC would change no letter, digit or Chinese character of the text (lowercasing then keeps
    every character in its place)."""
    return _NEEDS_NFKC.search(text) is not None


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width) and lowercase: the form every comparison works on."""
    if not needs_nfkc(text):
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return bool(_CJK_CHAR.search(text))


def stem(word: str) -> str:
    """Fold an English plural to its singular; acronyms and short words stay as they are."""
    if word[-1:] != "s" or len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def segments(normalized: str) -> Iterator[Segment]:
    """The Chinese runs and ASCII words of an already normalised text, in order."""
    for match in _SEGMENT.finditer(normalized):
        text = match.group()
        yield Segment(text=text, start=match.start(), cjk=not text.isascii())


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a Chinese run (a single character stands for itself)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def segment_tokens(segment: Segment) -> list[str]:
    """Index tokens of one segment: bigrams plus the trailing character for Chinese, the stem for a word."""
    if not segment.cjk:
        return [stem(segment.text)]
    if len(segment.text) == 1:
        return [segment.text]
    return [*bigrams(segment.text), segment.text[-1]]


_PAIRS = re.compile(f"(?=([{CJK_RANGES}]{{2}}))")
_LAST = re.compile(f"[{CJK_RANGES}](?![{CJK_RANGES}])")
_WORDS = re.compile("[a-z0-9]+")
_PLURAL = re.compile(r"\b[a-z]{3,}s\b")  # the only words ``stem`` changes


def index_text(text: str) -> str:
    """The tokens of a text as one space-separated string, for the full-text index.

    The same tokens as ``index_tokens`` but grouped by kind (bigrams, trailing characters, words): the index keeps
    no positions, so order does not matter, and three regular expressions are several times faster than a loop.
    """
    norm = normalize(text)
    words = " ".join(_WORDS.findall(norm))
    if "s" in words:
        words = _PLURAL.sub(_stem_match, words)
    return " ".join([*_PAIRS.findall(norm), *_LAST.findall(norm), words])


def _stem_match(match: re.Match[str]) -> str:
    return stem(match.group())


def index_tokens(text: str) -> list[str]:
    """Every token of a text in reading order."""
    return [token for segment in segments(normalize(text)) for token in segment_tokens(segment)]


def query_tokens(text: str) -> list[str]:
    """Tokens a query phrase must match: bigrams for Chinese, stems for words (no trailing unigrams)."""
    tokens: list[str] = []
    for segment in segments(normalize(text)):
        tokens.extend(bigrams(segment.text) if segment.cjk else [stem(segment.text)])
    return tokens


_RUNS = re.compile(f"[{CJK_RANGES}]+")


def cjk_ngrams(text: str, n: int) -> set[str]:
    """The distinct n-character slices of the Chinese runs of a normalised text (spelling vocabulary)."""
    return {run[i : i + n] for run in _RUNS.findall(text) for i in range(len(run) - n + 1)}


def ascii_words(text: str, min_length: int = 4) -> set[str]:
    """The distinct alphabetic words of a normalised text that are long enough to be worth correcting to."""
    return {s.text for s in segments(text) if not s.cjk and s.text.isalpha() and len(s.text) >= min_length}
