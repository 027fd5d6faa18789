"""Review texts for the generator: honest ones composed from many fragments, copied ones from a shared template.

Fragments live in ``texts.json`` (editable). Each sentence follows the score of the criterion it talks about, so
a review praising delivery but complaining about cost reads like one.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

TEXTS_PATH = Path(__file__).with_name("texts.json")
SHORT_SHARE = 0.06  # honest one-liners: they coincide across firms, as real ones do


@lru_cache(maxsize=1)
def fragments() -> dict[str, Any]:
    """The text fragments, parsed once."""
    return json.loads(TEXTS_PATH.read_text(encoding="utf-8"))


def tone(score: float) -> str:
    """The tone of a 1-5 score: pos (4-5), neu (3) or neg (1-2)."""
    return "pos" if score >= 3.75 else "neu" if score >= 2.75 else "neg"


def honest_text(
    rng: random.Random, *, product: str, industry: str, group: str, scores: dict[str, int]
) -> str:
    """A review text whose sentences match the criterion scores (effect/delivery/cost/service)."""
    texts = fragments()
    overall = sum(scores.values()) / len(scores)
    if rng.random() < SHORT_SHARE:
        return rng.choice(texts["short"][tone(overall)])
    effects = texts["effects"][group][tone(scores["effect"])]
    sentences = rng.sample(effects, k=min(len(effects), rng.choice((1, 1, 2))))
    for criterion in ("delivery", "cost", "service"):
        if rng.random() < 0.6:
            sentences.append(rng.choice(texts[criterion][tone(scores[criterion])]))
    rng.shuffle(sentences)
    opening = rng.choice(texts["openings"][tone(overall)])
    closing = rng.choice(texts["closings"][tone(overall)])
    return _fill("".join([opening, *sentences, closing]), rng, product=product, industry=industry)


def copied_text(rng: random.Random, *, template: str, product: str) -> str:
    """One copy of a shared glowing template, lightly edited the way copy-pasters disguise it."""
    edits = fragments()["fraud_edits"]
    text = template.format(product=product)
    for old, new in edits["swaps"]:
        if rng.random() < 0.3:
            text = text.replace(old, new)
    if rng.random() < 0.4:
        text = text.replace("，", ",")
    return text + rng.choice(edits["tails"])


def fraud_templates() -> list[str]:
    """The glowing templates a provider hands to its clients."""
    return list(fragments()["fraud_templates"])


def _fill(template: str, rng: random.Random, *, product: str, industry: str) -> str:
    texts = fragments()
    n = rng.randint(4, 15)
    slots = {
        "product": product,
        "industry": rng.choice(texts["industry_words"].get(industry, ["制造"])),
        "line": rng.choice(texts["lines"]),
        "role": rng.choice(texts["roles"]),
        "months": rng.randint(2, 12),
        "weeks": rng.randint(1, 6),
        "n": n,
        "m": rng.randint(1, 3),
        "pct": rng.randint(10, 45),
        "pct_small": rng.randint(3, 15),
        "pct_a": rng.randint(3, 9),
        "pct_b": f"{rng.uniform(0.3, 2.0):.1f}",
    }
    slots["when"] = rng.choice(texts["when"]).format(month=rng.randint(1, 12))
    return template.format(**slots)
