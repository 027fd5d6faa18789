"""Quality of the matcher on the diagnosis dev set: NDCG@10, recall@10 and MRR over data/cases.jsonl.

Run from the repository root:  python benchmarks/matching_eval.py [--cases FILE] [--details] [--ablations]

On data/cases.jsonl (the default) it prints, besides the whole set, the two halves apart: the "tuning" half (cases
at even positions: D001, D003, ...) is the only one whose findings and per-case results were read while the lexicon
and weights were written; the "held-out" half (odd positions) shows whether that work carries over to findings
nobody tuned on. data/cases_second.jsonl (written blind to the matcher, see data/README.md) is a tuning set as a
whole: it is printed by the language of the findings instead.
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
from matching.classifier import ScenarioClassifier, in_latin_letters  # noqa: E402
from matching.interchange import listing_from_row, profile_from_case, read_jsonl  # noqa: E402
from matching.lexicon import build_lexicon  # noqa: E402
from matching.matcher import Matcher  # noqa: E402
from matching.metrics import evaluate, ndcg_at_k, reciprocal_rank  # noqa: E402

DEV_CASES = ROOT / "data" / "cases.jsonl"
DEV_CATALOG = ROOT / "data" / "catalog.jsonl"


def build_matcher(catalog: Path = DEV_CATALOG) -> Matcher:
    """The matcher over a whole catalogue (the dev one by default) with the shared taxonomy."""
    taxonomy = load_taxonomy()
    terms = [*taxonomy.scenarios.values(), *taxonomy.groups.values(), *taxonomy.industries.values()]
    labels = {term.code: (term.zh, term.en) for term in terms}
    listings = [listing_from_row(row) for row in read_jsonl(catalog)]
    groups = {code: term.group or "" for code, term in taxonomy.scenarios.items()}
    return Matcher.build(listings, scenario_groups=groups, labels=labels)


def relabelled(cases: list[dict], catalog: Path) -> list[dict]:
    """The cases with their labels computed over another catalogue (each case must carry its `needs`)."""
    from scripts.label_cases import label

    if any("needs" not in case for case in cases):
        raise SystemExit("--catalog needs cases that carry their written `needs` (cases_second.jsonl and later)")
    products = list(read_jsonl(catalog))
    return [{**case, "relevant": label(case, products)} for case in cases]


def report(name: str, matcher: Matcher, cases: list[dict], halves: bool) -> dict[str, list[str]]:
    """Print the three metrics on all cases and on each half (or each language); return the runs."""
    runs = {case["id"]: [m.id for m in matcher.rank(profile_from_case(case), limit=10)] for case in cases}
    print(f"\n{name}\n{'set':22} {'n':>3} {'ndcg@10':>8} {'recall@10':>9} {'mrr':>6}")
    parts = [("all cases", cases)]
    if halves:
        parts += [("tuning half (even)", cases[0::2]), ("held-out half (odd)", cases[1::2])]
    else:
        english = [case for case in cases if in_latin_letters(case["needs_text"])]
        parts += [
            ("Chinese findings", [case for case in cases if case not in english]),
            ("English findings", english),
        ]
    for label, rows in parts:
        if not rows:
            continue
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
    parser.add_argument("--cases", type=Path, default=DEV_CASES, help="diagnosis cases with relevance labels")
    parser.add_argument(
        "--catalog",
        type=Path,
        default=DEV_CATALOG,
        help="rank this catalogue instead (products the matcher was never tuned on); the cases' labels are "
        "recomputed over it from their written needs by scripts/label_cases.py",
    )
    args = parser.parse_args()
    halves = args.cases.resolve() == DEV_CASES and args.catalog.resolve() == DEV_CATALOG
    started = time.perf_counter()
    matcher = build_matcher(args.catalog)
    cases = list(read_jsonl(args.cases))
    if args.catalog.resolve() != DEV_CATALOG:
        cases = relabelled(cases, args.catalog)
    runs = report("matcher (lexicon + classifier + cues)", matcher, cases, halves)
    if args.ablations:
        parts = vars(matcher) | {"classifier": ScenarioClassifier(codes=matcher.classifier.codes)}
        report("lexicon and cues alone (no classifier)", Matcher(**parts), cases, halves)
        parts = vars(matcher) | {"lexicon": build_lexicon({"scenarios": {}, "cues": {}})}
        report("classifier alone (no lexicon, no cues)", Matcher(**parts), cases, halves)
    print(f"\nelapsed {time.perf_counter() - started:.1f}s")
    if args.details:
        for case in cases[0::2] if halves else cases:
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
