"""Ranking quality metrics of the development sets: NDCG@k (gain 2^grade - 1), recall@k over grade >= 2, MRR."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k ids against graded relevance."""
    dcg = sum((2 ** grades.get(item, 0) - 1) / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10, min_grade: int = 2) -> float:
    """Share of the items graded >= min_grade that appear in the first k ids."""
    wanted = {item for item, grade in grades.items() if grade >= min_grade}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / len(wanted)


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int], min_grade: int = 2) -> float:
    """1 / rank of the first id graded >= min_grade (0 when none is ranked)."""
    for rank, item in enumerate(ranked, start=1):
        if grades.get(item, 0) >= min_grade:
            return 1.0 / rank
    return 0.0


def evaluate(
    runs: Mapping[str, Sequence[str]], labels: Mapping[str, Mapping[str, int]], k: int = 10
) -> dict[str, float]:
    """Mean NDCG@k, recall@k and MRR over every labelled row (a row with no run counts as an empty ranking)."""
    rows = list(labels)
    if not rows:
        return {"ndcg@10": 0.0, "recall@10": 0.0, "mrr": 0.0, "n": 0}
    totals = {"ndcg@10": 0.0, "recall@10": 0.0, "mrr": 0.0}
    for row in rows:
        ranked = list(runs.get(row, ()))
        totals["ndcg@10"] += ndcg_at_k(ranked, labels[row], k)
        totals["recall@10"] += recall_at_k(ranked, labels[row], k)
        totals["mrr"] += reciprocal_rank(ranked, labels[row])
    return {**{name: value / len(rows) for name, value in totals.items()}, "n": len(rows)}
