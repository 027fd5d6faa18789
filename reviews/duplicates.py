"""Near-duplicate review texts across different reviewing organisations (rapidfuzz, character level).

Texts are compared after normalisation (NFKC, case-folded, punctuation, symbols and spaces removed), so a copy
with swapped punctuation or full-width digits still matches. Chinese has no spaces, so character-level
similarity (``fuzz.ratio``, computed here as the faster but equal ``Indel.normalized_similarity``) is the right
grain; word-token scorers would see one long token.
"""

from __future__ import annotations

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
    texts = [text for _, _, text in kept]
    similar: dict[str, list[str]] = {}
    best: dict[str, float] = {}
    for offset in range(0, len(texts), CHUNK):
        rows = process.cdist(
            texts[offset : offset + CHUNK],
            texts,
            scorer=Indel.normalized_similarity,
            score_cutoff=min_similarity / 100,
        )
        for row_index, row in enumerate(rows):
            own_id, own_org, _ = kept[offset + row_index]
            for column in row.nonzero()[0]:
                other_id, other_org, _ = kept[int(column)]
                if other_org == own_org:
                    continue
                similar.setdefault(own_id, []).append(other_id)
                best[own_id] = max(best.get(own_id, 0.0), 100 * float(row[column]))
    return {entry_id: (tuple(sorted(others)), best[entry_id]) for entry_id, others in similar.items()}
