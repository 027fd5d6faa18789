"""Review fraud pipeline: detection figures per generator seed, and timings as the review count grows.

Per seed the figures of full recomputation (``flag_reviews`` over every review), then those of the request path:
the reviews posted one by one through ``post_review`` into a throwaway SQLite database, each flagged only against
what it can change (``reviews.arrival``), compared review by review with full recomputation.

Run: ``python benchmarks/reviews_fraud.py [--seeds 7 11 42]`` from the repository root. Prints numbers only;
the pass/fail targets live in tests/unit/test_reviews_fraudgen.py and tests/integration/test_review_arrival.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from marketplace.db import make_engine  # noqa: E402
from marketplace.migrate import upgrade  # noqa: E402
from reviews.dataset import load_pilot, read_jsonl  # noqa: E402
from reviews.flags import flag_reviews, held_ids  # noqa: E402
from reviews.fraudgen import generate  # noqa: E402
from reviews.records import EngagementRecord, ReviewRecord  # noqa: E402
from reviews.shortlist import shortlist  # noqa: E402
from tests.review_replay import enterprises_and_projects, post_all, stored_and_recomputed  # noqa: E402


def detection(seed: int, directory: Path) -> None:
    """Print recall per injected kind, honest flag rate and boosted items in the shortlists for one seed."""
    started = time.perf_counter()
    generate(directory, seed=seed)
    generated = time.perf_counter() - started
    data = load_pilot(directory)
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    flags = flag_reviews(data.reviews)
    injected = {review_id for ids in truth["injected"].values() for review_id in ids}
    honest = [r.id for r in data.reviews if r.id not in injected]
    recall = {kind: sum(1 for r in ids if flags[r]) / len(ids) for kind, ids in truth["injected"].items()}
    honest_rate = sum(1 for r in honest if flags[r]) / len(honest)
    print(
        f"seed {seed}: reviews {len(data.reviews)} honest {len(honest)} injected {len(injected)} "
        f"(generated in {generated:.2f}s)"
    )
    print("  recall " + " ".join(f"{kind}={value:.0%}" for kind, value in recall.items()))
    print(f"  honest flagged {honest_rate:.2%}")
    as_of = datetime.fromisoformat(truth["as_of"])
    for kind, key in (("provider", "boosted_providers"), ("product", "boosted_products")):
        for label, held in (("with flags", held_ids(flags)), ("without flags", frozenset())):
            result = shortlist(
                kind=kind, reviews=data.reviews, engagements=data.engagements, as_of=as_of, held_ids=held
            )
            hits = sorted(set(truth[key]) & set(result.proposed_ids))
            print(f"  {kind} top {result.top} {label}: boosted shortlisted {hits or 'none'}")
    replay(directory, injected)


def replay(directory: Path, injected: set[str]) -> None:
    """Post the data set's reviews one by one, in time order, and compare the stored flags with full recomputation."""
    scratch = directory / "replay"
    scratch.mkdir()
    url = f"sqlite:///{scratch / 'replay.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        users = enterprises_and_projects(session, directory, scratch)
        rows = sorted(read_jsonl(directory / "reviews.jsonl"), key=lambda row: (row["created_at"], row["id"]))
        started = time.perf_counter()
        refused = post_all(session, rows, users)
        per_post = (time.perf_counter() - started) / len(rows)
        stored, recomputed = stored_and_recomputed(session)
    engine.dispose()
    same = sum(stored[key] == recomputed[key] for key in stored)
    caught = sum(1 for key in injected if key in refused or stored[key][1])
    honest = [held for key, (_, held) in stored.items() if key not in injected]
    print(
        f"  posted one by one: flags as full recomputation's on {same}/{len(stored)}, {len(refused)} refused; "
        f"injected held or refused {caught}/{len(injected)}; honest held {sum(honest) / len(honest):.2%}; "
        f"{per_post * 1000:.1f} ms per post (SQLite)"
    )


def timings(directory: Path, seeds: list[int]) -> None:
    """Print flagging and shortlisting time on several independent data sets pooled (ids prefixed by seed)."""
    reviews: list[ReviewRecord] = []
    engagements: list[EngagementRecord] = []
    for count, seed in enumerate(seeds, start=1):
        generate(directory / f"t{seed}", seed=seed)
        data = load_pilot(directory / f"t{seed}")
        reviews += [
            replace(
                r,
                id=f"{seed}-{r.id}",
                enterprise_id=f"{seed}-{r.enterprise_id}",
                engagement_id=f"{seed}-{r.engagement_id}",
            )
            for r in data.reviews
        ]
        engagements += [
            replace(e, id=f"{seed}-{e.id}", enterprise_id=f"{seed}-{e.enterprise_id}")
            for e in data.engagements
        ]
        if count & (count - 1):
            continue  # time at 1, 2, 4, 8... pooled data sets
        as_of = max(r.created_at for r in reviews)
        started = time.perf_counter()
        flags = flag_reviews(reviews)
        flagged = time.perf_counter() - started
        started = time.perf_counter()
        shortlist(
            kind="product", reviews=reviews, engagements=engagements, as_of=as_of, held_ids=held_ids(flags)
        )
        ranked = time.perf_counter() - started
        share = sum(1 for own in flags.values() if own) / len(reviews)
        print(
            f"  {len(reviews):6d} reviews: flag_reviews {flagged:6.2f}s ({share:.1%} flagged)"
            f"  product shortlist {ranked:5.2f}s"
        )


def main() -> None:
    """Detection figures for each seed, then timings on the first seed's data."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 42])
    parser.add_argument("--pool", type=int, default=8, help="independent data sets pooled for the timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            detection(seed, Path(tmp) / str(seed))
        print("timings (independent data sets pooled):")
        timings(Path(tmp), list(range(100, 100 + args.pool)))


if __name__ == "__main__":
    main()
