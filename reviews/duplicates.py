"""Near-duplicate review texts across different reviewing organisations (rapidfuzz, character level).

Texts are compared after normalisation (NFKC, case-folded, punctuation, symbols and spaces removed), so a copy
with swapped punctuation or full-width digits still matches. Chinese has no spaces, so character-level
similarity (``fuzz.ratio``, computed here as the faster but equal ``Indel.normalized_similarity``) is the right
grain; word-token scorers would see one long token.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Indel

CHUNK = 512  # rows of the similarity matrix computed at once, to bound memory on large review sets


def normalise(text: str) -> str:
    """The text reduced to the characters that carry its wording."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def near_duplicate_groups(
    entries: Sequence[tuple[str, str, str]], *, min_chars: int, min_similarity: float
) -> dict[str, tuple[tuple[str, ...], float]]:
    """For each (id, organisation, text) entry with a near copy elsewhere: the similar ids and the best score.

    Pairs from the same organisation are ignored: an enterprise may reuse its own wording for two products.
    """
    kept = [(entry_id, org, normalise(text)) for entry_id, org, text in entries]
    kept = [entry for entry in kept if len(entry[2]) >= min_chars]
    return near_copies(kept, kept, min_similarity=min_similarity)


def near_copies(
    queries: Sequence[tuple[str, str, str]],
    candidates: Sequence[tuple[str, str, str]],
    *,
    min_similarity: float,
) -> dict[str, tuple[tuple[str, ...], float]]:
    """For each (id, organisation, normalised text) query with a near copy among the candidates of other
    organisations: the similar ids and the best score. Each pair scores the same whatever else is compared, so
    a query checked against the candidates that can reach its threshold gets what the whole set would give."""
    if not queries or not candidates:
        return {}
    texts = [text for _, _, text in candidates]
    similar: dict[str, list[str]] = {}
    best: dict[str, float] = {}
    for offset in range(0, len(queries), CHUNK):
        rows = process.cdist(
            [text for _, _, text in queries[offset : offset + CHUNK]],
            texts,
            scorer=Indel.normalized_similarity,
            score_cutoff=min_similarity / 100,
        )
        for row_index, row in enumerate(rows):
            own_id, own_org, _ = queries[offset + row_index]
            for column in row.nonzero()[0]:
                other_id, other_org, _ = candidates[int(column)]
                if other_org == own_org:
                    continue
                similar.setdefault(own_id, []).append(other_id)
                best[own_id] = max(best.get(own_id, 0.0), 100 * float(row[column]))
    return {entry_id: (tuple(sorted(others)), best[entry_id]) for entry_id, others in similar.items()}


def length_band(length: int, *, min_chars: int, min_similarity: float) -> tuple[int, int]:
    """The normalised lengths a text of ``length`` characters can be ``min_similarity`` alike with.

    The score is 2 x common subsequence / (sum of lengths), and the common part is at most the shorter text, so
    lengths further apart than this can never reach the threshold (rounded outwards: a wider band is only slower).
    """
    share = min_similarity / 100
    low = math.floor(length * share / (2 - share))
    high = math.ceil(length * (2 - share) / share)
    return max(low, min_chars), high
