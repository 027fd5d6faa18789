"""Safe highlighting: a listing's text HTML-escaped, with the places that match the query wrapped in <mark>.

Listings are typed by providers, so nothing in them may ever run as markup: the text is escaped piece by piece
and the only tags in the output are the ones added here. Matching is done on the normalised form (full-width
letters, case) character by character, so the marks land on the original characters. Chinese terms match as
substrings; other terms match whole (plural-folded) words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from html import escape

from search.text import is_cjk, needs_nfkc, normalize, segments, stem

PRE_TAG = "<mark>"
POST_TAG = "</mark>"


class Highlighter:
    """Marks the terms of one query in any number of texts (the terms are prepared once)."""

    def __init__(self, terms: Collection[str]) -> None:
        normalized = {normalize(term) for term in terms}
        chinese = sorted({t.replace(" ", "") for t in normalized if is_cjk(t)}, key=len, reverse=True)
        # a lookahead finds overlapping occurrences too (视觉 and 觉质 in 视觉质)
        self._chinese = re.compile("(?=(" + "|".join(map(re.escape, chinese)) + "))") if chinese else None
        self._words = {stem(s.text) for term in normalized for s in segments(term) if not s.cjk}

    def __call__(self, text: str) -> str:
        """The text escaped for HTML, with every occurrence of the terms wrapped in <mark> tags."""
        folded, origin = _fold(text)
        marked = [False] * len(text)
        spans = (
            [(m.start(), m.start() + len(m.group(1))) for m in self._chinese.finditer(folded)]
            if self._chinese
            else []
        )
        if self._words:
            spans += [
                (s.start, s.start + len(s.text))
                for s in segments(folded)
                if not s.cjk and stem(s.text) in self._words
            ]
        for start, end in spans:
            for i in range(start, end):
                marked[origin[i]] = True
        return _render(text, marked)


def highlight(text: str, *, terms: Collection[str]) -> str:
    """The text escaped for HTML, with every occurrence of the terms wrapped in <mark> tags."""
    return Highlighter(terms)(text)


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """The normalised text and, for each of its characters, the index of the original character it came from."""
    if not needs_nfkc(text):
        return text.lower(), range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = normalize(char)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _render(text: str, marked: list[bool]) -> str:
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        parts.append(f"{PRE_TAG}{piece}{POST_TAG}" if marked[i] else piece)
        i = j
    return "".join(parts)
