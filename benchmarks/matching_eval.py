"""Quality of the matcher on the diagnosis dev set: NDCG@10, recall@10 and MRR over data/cases.jsonl.

Run from the repository root:  python benchmarks/matching_eval.py [--details] [--ablations]

Besides the whole set it prints the two halves apart: the "tuning" half (cases at even positions: D001, D003, ...)
is the only one whose findings and per-case results were read while the lexicon and weights were written; the
"held-out" half (odd positions) shows whether that work carries over to findings nobody tuned on.
--ablations also scores the lexicon alone and the catalogue-trained classifier alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.taxonomy import load_taxonomy  # noqa: E402
from matching.classifier import ScenarioClassifier  # noqa: E402
from matching.interchange import listing_from_row, profile_from_case, read_jsonl  # noqa: E402
from matching.lexicon import build_lexicon  # noqa: E402
from matching.matcher import Matcher  # noqa: E402
from matching.metrics import evaluate, ndcg_at_k, reciprocal_rank  # noqa: E402


def build_matcher() -> Matcher:
    """The matcher over the whole dev catalogue with the shared taxonomy."""
    taxonomy = load_taxonomy()
    terms = [*taxonomy.scenarios.values(), *taxonomy.groups.values(), *taxonomy.industries.values()]
    labels = {term.code: (term.zh, term.en) for term in terms}
    listings = [listing_from_row(row) for row in read_jsonl(ROOT / "data" / "catalog.jsonl")]
    groups = {code: term.group or "" for code, term in taxonomy.scenarios.items()}
    return Matcher.build(listings, scenario_groups=groups, labels=labels)


def report(name: str, matcher: Matcher, cases: list[dict]) -> dict[str, list[str]]:
    """Print the three metrics on all cases and on each half; return the runs."""
    runs = {case["id"]: [m.id for m in matcher.rank(profile_from_case(case), limit=10)] for case in cases}
    print(f"\n{name}\n{'set':22} {'n':>3} {'ndcg@10':>8} {'recall@10':>9} {'mrr':>6}")
    halves = [("all cases", cases), ("tuning half (even)", cases[0::2]), ("held-out half (odd)", cases[1::2])]
    for label, rows in halves:
        result = evaluate(runs, {row["id"]: row["relevant"] for row in rows})
        figures = f"{result['ndcg@10']:8.4f} {result['recall@10']:9.4f} {result['mrr']:6.4f}"
        print(f"{label:22} {result['n']:>3} {figures}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--details", action="store_true", help="per-case figures and needs of the tuning half"
    )
    parser.add_argument(
        "--ablations", action="store_true", help="also the lexicon alone and the classifier alone"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    matcher = build_matcher()
    cases = list(read_jsonl(ROOT / "data" / "cases.jsonl"))
    runs = report("matcher (lexicon + classifier + cues)", matcher, cases)
    if args.ablations:
        parts = vars(matcher) | {"classifier": ScenarioClassifier(codes=matcher.classifier.codes)}
        report("lexicon and cues alone (no classifier)", Matcher(**parts), cases)
        parts = vars(matcher) | {"lexicon": build_lexicon({"scenarios": {}, "cues": {}})}
        report("classifier alone (no lexicon, no cues)", Matcher(**parts), cases)
    print(f"\nelapsed {time.perf_counter() - started:.1f}s")
    if args.details:
        for case in cases[0::2]:
            needs = matcher.read_needs(profile_from_case(case))
            ran, grades = runs[case["id"]], case["relevant"]
            figures = f"ndcg={ndcg_at_k(ran, grades):.3f} rr={reciprocal_rank(ran, grades):.2f}"
            print(
                case["id"],
                figures,
                [(need.scenario, round(need.weight, 2), need.later) for need in needs[:5]],
            )


if __name__ == "__main__":
    main()
