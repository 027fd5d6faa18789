"""Search-box completions: vocabulary (scenario labels and lexicon terms) first, then product names.

Vocabulary leads because a completed term searches better than a product name: it expands to its synonyms and
scenarios. Terms that start with what was typed come before terms that merely contain it.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from catalog.taxonomy import load_taxonomy
from search.lexicon import Lexicon
from search.sqlite_store import Tables
from search.text import normalize


@lru_cache(maxsize=4)
def vocabulary_terms(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    """(normalised, display) of every scenario label and non-generic lexicon term, shortest first."""
    taxonomy = load_taxonomy()
    labels = [label for term in taxonomy.scenarios.values() for label in (term.zh, term.en)]
    terms: dict[str, str] = {normalize(label): label for label in labels}
    for term in lexicon.terms():
        entry = lexicon.entry(term)
        if entry is not None and not entry.generic:
            terms.setdefault(term, lexicon.spelling(term))
    return tuple(sorted(terms.items(), key=lambda item: (len(item[0]), item[0])))


def vocabulary_completions(lexicon: Lexicon, prefix: str) -> list[str]:
    """Vocabulary starting with the prefix, then vocabulary containing it (Chinese words are often typed from
    the middle: 质检 -> 视觉质检)."""
    key = normalize(prefix).strip()
    if not key:
        return []
    terms = vocabulary_terms(lexicon)
    starting = [display for norm, display in terms if norm.startswith(key)]
    containing = [display for norm, display in terms if key in norm and not norm.startswith(key)]
    return starting + containing


def suggestions(
    conn: sqlite3.Connection, tables: Tables, lexicon: Lexicon, *, prefix: str, limit: int
) -> list[str]:
    """Up to ``limit`` completions of the prefix, without duplicates."""
    key = normalize(prefix).strip()
    if not key or limit <= 0:
        return []
    names = conn.execute(
        f"SELECT name FROM {tables.docs} WHERE name_key >= ? AND name_key < ? ORDER BY length(name_key), name_key LIMIT ?",
        (key, key + "\U0010ffff", limit),
    )
    found: dict[str, str] = {}
    for text in [*vocabulary_completions(lexicon, prefix), *(name for (name,) in names)]:
        found.setdefault(normalize(text), text)
        if len(found) >= limit:
            break
    return list(found.values())
