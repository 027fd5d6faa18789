"""Synthetic catalogues of any size, recombined from the demo catalogue's own listings (deterministic per seed).

Each row is in the catalogue interchange format, so the same rows feed the database, the search index and the
matching model in the benchmarks.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.jsonl"
BRAND_CHARS = "云智数联创恒信达华盛博远泰安宏新科力通汇正明德成天元鼎聚洛伊河嵩"
DEPLOYMENTS = ("saas", "on_premise", "hybrid")
INDUSTRIES = ("bearings", "nonferrous", "electrical", "chemicals")


def read_catalog(path: Path = CATALOG) -> list[dict[str, Any]]:
    """The demo catalogue's rows."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _clauses(text: str) -> list[str]:
    return [part for part in re.split(r"[，。；、,;]", text) if part.strip()]


def synthetic_rows(count: int, *, seed: int = 7, providers: int = 2000) -> Iterator[dict[str, Any]]:
    """``count`` products whose texts recombine listings of the same primary scenario."""
    rng = random.Random(seed)
    catalog = read_catalog()
    by_scenario: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in catalog:
        by_scenario[row["scenarios"][0]].append(row)
    makers = [
        {"id": f"G{i:04d}", "name": "".join(rng.sample(BRAND_CHARS, 4)) + "科技有限公司", "city": "洛阳"}
        for i in range(providers)
    ]
    for i in range(count):
        template = rng.choice(catalog)
        peers = by_scenario[template["scenarios"][0]]
        summary = "，".join(rng.choice(_clauses(rng.choice(peers)["summary"]) or ["产品"]) for _ in range(2))
        sentences = [
            s for peer in rng.sample(peers, min(3, len(peers))) for s in peer["description"].split("。") if s
        ]
        low = round(rng.uniform(0.5, 60), 1)
        industries = (
            template["industries"]
            if rng.random() < 0.5
            else ([] if rng.random() < 0.5 else [rng.choice(INDUSTRIES)])
        )
        yield {
            "id": f"G{i:06d}",
            "provider": rng.choice(makers),
            "name": "".join(rng.sample(BRAND_CHARS, 2)) + rng.choice(peers)["name"],
            "summary": summary[:60],
            "description": "。".join(rng.sample(sentences, min(4, len(sentences)))) + "。",
            "scenarios": template["scenarios"],
            "industries": industries,
            "price_min_wan": low,
            "price_max_wan": round(low * rng.uniform(1, 3), 1),
            "deployment": rng.choice(DEPLOYMENTS),
            "delivery_days": rng.randint(7, 180),
        }
