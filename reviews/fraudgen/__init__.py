"""Deterministic development data for the review pipeline: a pilot with honest reviews and injected fraud.

``generate(out_dir)`` writes enterprises.jsonl, engagements.jsonl, reviews.jsonl (the import format) and
truth.json (the injected review ids by kind, the boosted provider and product ids). Same seed, same files.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path

from reviews.fraudgen.fraud import KINDS, choose_targets, inject
from reviews.fraudgen.people import IpPool, make_enterprises
from reviews.fraudgen.sites import add_site_facts
from reviews.fraudgen.world import (
    DATA_END,
    Draft,
    World,
    add_honest_reviews,
    make_engagements,
    make_providers,
)

CATALOG_PATH = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"

__all__ = ["CATALOG_PATH", "DATA_END", "generate", "main"]


def generate(
    out_dir: str | Path, *, seed: int = 7, catalog_path: str | Path = CATALOG_PATH
) -> dict[str, int]:
    """Write the pilot data set and its truth file into ``out_dir``; returns row counts per file."""
    rng = random.Random(seed)
    catalog = [
        json.loads(line) for line in Path(catalog_path).read_text(encoding="utf-8").splitlines() if line
    ]
    ips = IpPool(rng)
    enterprises = make_enterprises(rng, ips)
    add_site_facts(enterprises, seed=seed)  # its own stream: the draws of ``rng`` below stay as they were
    providers = make_providers(rng, catalog)
    world = World(enterprises, providers, make_engagements(rng, enterprises, providers), {}, ips)
    add_honest_reviews(rng, world)
    targets = choose_targets(world)
    injected = inject(rng, world, targets)
    engagement_ids = _renumber_engagements(world)
    reviews = _numbered_reviews(world, engagement_ids)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "enterprises.jsonl", [e.row for e in enterprises])
    _write_jsonl(
        out / "engagements.jsonl", sorted((e.row for e in world.engagements), key=lambda row: row["id"])
    )
    _write_jsonl(out / "reviews.jsonl", [draft.row for draft in reviews])
    truth = {
        "seed": seed,
        "as_of": DATA_END.isoformat(),
        "injected": {kind: sorted(draft.row["id"] for draft in injected[kind]) for kind in KINDS},
        "boosted_providers": [provider.id for provider in targets.providers],
        "boosted_products": [product.id for product in targets.products],
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = {"enterprises": len(enterprises), "engagements": len(world.engagements), "reviews": len(reviews)}
    return counts | {"injected": sum(len(drafts) for drafts in injected.values())}


def _renumber_engagements(world: World) -> dict[str, str]:
    # Ids in enterprise order, so engagements added for the fraud do not stand out by their number.
    ordered = sorted(world.engagements, key=lambda e: (e.enterprise.id, e.row["id"]))
    mapping = {e.row["id"]: f"G{index:05d}" for index, e in enumerate(ordered, start=1)}
    for engagement in world.engagements:
        engagement.row["id"] = mapping[engagement.row["id"]]
    return mapping


def _numbered_reviews(world: World, engagement_ids: dict[str, str]) -> list[Draft]:
    # Ids in time order, so injected reviews are not told apart by their number either.
    drafts = sorted(
        world.reviews.values(), key=lambda d: (d.row["created_at"], d.row["engagement"], d.row["product"])
    )
    for index, draft in enumerate(drafts, start=1):
        draft.row["engagement"] = engagement_ids[draft.row["engagement"]]
        draft.row = {"id": f"R{index:05d}", **draft.row}
    return drafts


def _write_jsonl(path: Path, rows: Sequence[dict]) -> None:
    lines = (json.dumps(row, ensure_ascii=False) for row in rows)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m reviews.fraudgen OUT_DIR [--seed N] [--catalog PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m reviews.fraudgen", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--catalog", type=Path, default=CATALOG_PATH)
    args = parser.parse_args(argv)
    counts = generate(args.out_dir, seed=args.seed, catalog_path=args.catalog)
    print(" ".join(f"{name}={count}" for name, count in counts.items()), f"-> {args.out_dir}")
    return 0
