"""Rank stability: how far each candidate's rank moves when the award weights move by +-20%.

A candidate whose rank holds under every reasonable weighting is a safe pick; one that jumps from 3rd to 12th
depends on a judgement call the jury should see. Reported per candidate as (best rank, worst rank).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from reviews.awards import COMPONENTS, AwardWeights, Candidate, rank

SPREAD = 0.2


def weight_variants(
    weights: AwardWeights, *, spread: float = SPREAD, grid: bool = False
) -> list[AwardWeights]:
    """The base weights plus each weight moved by -spread and +spread, one at a time or over the full grid."""
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    factors = (1 - spread, 1.0, 1 + spread)
    base = weights.as_dict()
    if grid:
        combos = itertools.product(factors, repeat=len(COMPONENTS))
        return [
            replace(weights, **{n: base[n] * f for n, f in zip(COMPONENTS, combo, strict=True)})
            for combo in combos
        ]
    variants = [weights]
    for name in COMPONENTS:
        variants += [replace(weights, **{name: base[name] * factor}) for factor in (factors[0], factors[2])]
    return variants


def rank_ranges(
    candidates: Sequence[Candidate], *, weights: AwardWeights, spread: float = SPREAD, grid: bool = False
) -> dict[str, tuple[int, int]]:
    """Each eligible candidate's (best rank, worst rank) over the weight variants (rank 1 is best)."""
    ranges: dict[str, tuple[int, int]] = {}
    for variant in weight_variants(weights, spread=spread, grid=grid):
        for position, (candidate, _score) in enumerate(rank(candidates, variant), start=1):
            best, worst = ranges.get(candidate.item_id, (position, position))
            ranges[candidate.item_id] = (min(best, position), max(worst, position))
    return ranges
