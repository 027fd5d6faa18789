"""Safe highlights from Meilisearch's ``_formatted`` values.

Meilisearch inserts the highlight tags into the *raw* stored text without escaping it, so a listing containing
``<script>`` would come back as live markup. We align the formatted value with the raw value to find where the
tags were inserted, escape the raw text ourselves and put the marks back. A literal "<mark>" typed into a
listing stays text, because it is matched against the raw value, never trusted as a tag.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape

PRE_TAG = "<mark>"
POST_TAG = "</mark>"
_TAG_SPLIT = re.compile(f"({re.escape(PRE_TAG)}|{re.escape(POST_TAG)})")


def safe_highlight(*, raw: str, formatted: str | None) -> str:
    """The raw text HTML-escaped, with the highlights of ``formatted`` as <mark> tags (escaped text alone if
    the two cannot be aligned)."""
    if not formatted:
        return escape(raw)
    marks = _align(raw, tuple(_TAG_SPLIT.split(formatted)))
    if marks is None:
        return escape(raw)
    return _render(raw, marks)


def _align(raw: str, tokens: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """Marked (start, end) spans of ``raw`` such that tokens = raw with tags inserted; None if none fit."""

    @cache
    def walk(k: int, pos: int, open_at: int) -> tuple[tuple[int, int], ...] | None:
        # open_at: where the currently open mark started in raw, -1 when no mark is open.
        if k == len(tokens):
            return () if pos == len(raw) and open_at < 0 else None
        token = tokens[k]
        if token in (PRE_TAG, POST_TAG):
            opens = token == PRE_TAG
            if opens == (open_at < 0):  # a tag in the right place: try it as a tag first
                rest = walk(k + 1, pos, pos if opens else -1)
                if rest is not None:
                    return rest if opens else ((open_at, pos), *rest)
        if raw.startswith(token, pos):  # plain text, or a tag-like string that was in the raw text
            return walk(k + 1, pos + len(token), open_at)
        return None

    found = walk(0, 0, -1)
    walk.cache_clear()
    return None if found is None else [span for span in found if span[0] < span[1]]


def _render(raw: str, marks: list[tuple[int, int]]) -> str:
    """Escaped raw text with each span wrapped in mark tags."""
    parts: list[str] = []
    pos = 0
    for start, end in marks:
        parts.append(escape(raw[pos:start]))
        parts.append(PRE_TAG + escape(raw[start:end]) + POST_TAG)
        pos = end
    parts.append(escape(raw[pos:]))
    return "".join(parts)
