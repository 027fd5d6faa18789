"""The field's vocabulary as editable data (``search/data/synonyms.json``): synonym groups in Chinese and English,
the scenario codes and industries their terms point to, and the generic words every listing uses.

Backend-independent: the embedded backend expands and interprets queries with it, the Meilisearch backend can
hand ``meili_synonyms()`` to the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from search.text import is_cjk, normalize, segments, stem

LEXICON_PATH = Path(__file__).with_name("data") / "synonyms.json"
MAX_EXPANSIONS = 6


@dataclass(frozen=True)
class Group:
    """Terms that stand for one another, with the scenarios and industries they point to."""

    terms: tuple[str, ...]
    scenarios: Mapping[str, float]
    industries: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One known term: its groups, the strongest weight per scenario over them, and the industries it names."""

    term: str
    groups: tuple[int, ...]
    scenarios: Mapping[str, float]
    industries: tuple[str, ...]
    generic: bool


@dataclass(frozen=True)
class Span:
    """A piece of a query: a known term (entry set) or free text the lexicon does not know."""

    text: str
    entry: Entry | None
    cjk: bool


Units = tuple[str, ...]


def units_of(normalized: str) -> list[tuple[str, int, int]]:
    """(key, start, end) of every unit: one per Chinese character, one per (stemmed) ASCII word."""
    units: list[tuple[str, int, int]] = []
    for segment in segments(normalized):
        if segment.cjk:
            units.extend(
                (char, segment.start + i, segment.start + i + 1) for i, char in enumerate(segment.text)
            )
        else:
            units.append((stem(segment.text), segment.start, segment.start + len(segment.text)))
    return units


def _key(term: str) -> Units:
    return tuple(key for key, _, _ in units_of(normalize(term)))


class Lexicon:
    """Synonym groups indexed by term, with longest-match segmentation of queries."""

    def __init__(
        self, groups: list[Group], generic: list[str], spellings: Mapping[str, str] | None = None
    ) -> None:
        self.groups = groups
        self._spellings = dict(spellings or {})
        self._entries: dict[Units, Entry] = {}
        members: dict[Units, list[int]] = {}
        surfaces: dict[Units, str] = {}
        for number, group in enumerate(groups):
            for term in group.terms:
                members.setdefault(_key(term), []).append(number)
                surfaces.setdefault(_key(term), term)
        for term in generic:
            members.setdefault(_key(term), [])
            surfaces.setdefault(_key(term), normalize(term))
        generic_keys = {_key(term) for term in generic}
        for key, numbers in members.items():
            self._entries[key] = self._entry(surfaces[key], numbers, generic=key in generic_keys)
        self._longest = max((len(key) for key in self._entries), default=1)

    def _entry(self, term: str, numbers: list[int], *, generic: bool) -> Entry:
        scenarios: dict[str, float] = {}
        industries: dict[str, None] = {}
        for number in numbers:
            for code, weight in self.groups[number].scenarios.items():
                scenarios[code] = max(weight, scenarios.get(code, 0.0))
            industries.update(dict.fromkeys(self.groups[number].industries))
        return Entry(term, tuple(numbers), scenarios, tuple(industries), generic)

    def entry(self, term: str) -> Entry | None:
        """The entry of a term (any spelling that normalises the same way), or None."""
        return self._entries.get(_key(term))

    def terms(self) -> list[str]:
        """Every known term, normalised."""
        return [entry.term for entry in self._entries.values()]

    def spelling(self, term: str) -> str:
        """How the data file writes a normalised term (WMS rather than wms), for showing it to users."""
        return self._spellings.get(term, term)

    def expansions(self, entry: Entry, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Other terms of the entry's scenario groups, most useful first (industry lists are not synonyms)."""
        found: dict[str, None] = {}
        for number in entry.groups:
            group = self.groups[number]
            if group.scenarios:
                found.update((term, None) for term in group.terms if term != entry.term)
        return list(found)[:limit]

    def segment(self, normalized: str) -> list[Span]:
        """Split a normalised query into known terms (longest match first) and free text between them."""
        units = units_of(normalized)
        spans: list[Span] = []
        i = 0
        while i < len(units):
            length, entry = self._match(units, i, normalized)
            if entry is None:
                # free Chinese characters that touch each other form one piece of free text
                while (
                    _cjk_unit(units[i][0])
                    and i + length < len(units)
                    and _cjk_unit(units[i + length][0])
                    and units[i + length][1] == units[i + length - 1][2]
                    and self._match(units, i + length, normalized)[1] is None
                ):
                    length += 1
            text = normalized[units[i][1] : units[i + length - 1][2]]
            spans.append(Span(text, entry, is_cjk(text)))
            i += length
        return spans

    def _match(self, units: list[tuple[str, int, int]], i: int, normalized: str) -> tuple[int, Entry | None]:
        """Longest known term starting at unit i that does not cross punctuation."""
        for length in range(min(self._longest, len(units) - i), 0, -1):
            window = units[i : i + length]
            gaps = (normalized[a[2] : b[1]] for a, b in zip(window, window[1:], strict=False))
            if any(gap and not gap.isspace() for gap in gaps):
                continue
            entry = self._entries.get(tuple(key for key, _, _ in window))
            if entry is not None:
                return length, entry
        return 1, None


def _cjk_unit(key: str) -> bool:
    return len(key) == 1 and not key.isascii()


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon, parsed once per process."""
    return parse_lexicon(json.loads(path.read_text(encoding="utf-8")))


def parse_lexicon(raw: Mapping[str, Any]) -> Lexicon:
    """A lexicon from data in the file's JSON shape (keys starting with "_" are notes and are ignored)."""
    groups = [
        Group(
            terms=tuple(dict.fromkeys(normalize(term) for term in row["terms"])),
            scenarios={code: float(weight) for code, weight in (row.get("scenarios") or {}).items()},
            industries=tuple(row.get("industries") or ()),
        )
        for row in raw["groups"]
    ]
    spellings = {normalize(term): term for row in reversed(raw["groups"]) for term in reversed(row["terms"])}
    return Lexicon(groups, [str(term) for term in raw.get("generic", ())], spellings)


def meili_synonyms(lexicon: Lexicon | None = None, limit: int = MAX_EXPANSIONS) -> dict[str, list[str]]:
    """Term -> its synonyms, in the shape of Meilisearch's ``synonyms`` setting (scenario groups only)."""
    lexicon = lexicon or load_lexicon()
    synonyms: dict[str, list[str]] = {}
    for term in lexicon.terms():
        entry = lexicon.entry(term)
        if entry is not None and not entry.generic and (expansions := lexicon.expansions(entry, limit)):
            synonyms[term] = expansions
    return synonyms
