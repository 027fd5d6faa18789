"""Compute the graded relevance labels of diagnosis cases from the needs written into each case.

Each case carries `needs` = {"primary": [...], "nice": [...], "solved": [...]} (scenario codes), the enterprise's
industry and its budget. The labels (`relevant`, product id -> grade 1..3) follow data/README.md; the `calibrated`
rules (default) are the reading that reproduces the labels of the shared development set (see `--check`):

- a primary need N and a product whose scenarios are S (S[0] its primary scenario), industries I, price_min m:
  start at 3 when N == S[0], at 2 when N is one of S[1:]; minus 1 for a general product (I == []), minus 2 for a
  product built only for other industries, minus 1 when m > budget ("within budget" = the lowest price fits);
  floor 0. That gives 3 = primary scenario, own industry, within budget; 2 = primary scenario and general within
  budget, or own industry over budget, or a secondary scenario of an own-industry product within budget; 1 =
  general over budget, another industry within budget, a secondary scenario of a general product within budget or
  of an own-industry product over budget; 0 otherwise.
- a nice-to-have need counts only on a product's primary scenario: the grade above minus 1, capped at 1.
- a product whose primary scenario is a solved need gets 0 (it would replace a system already working).
- a product's grade is the maximum over the needs.

`--rules literal` applies the README sentence word for word instead: 3 / 2 as above on the primary scenario,
1 for any secondary scenario, for another industry whatever the price, and for a nice need on any scenario;
a solved need contributes 0.

    .venv/bin/python scripts/label_cases.py data/cases_second.jsonl            # rewrites `relevant` in place
    .venv/bin/python scripts/label_cases.py --check data/cases.jsonl           # agreement with existing labels
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

Product = dict[str, Any]
Case = dict[str, Any]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _fit(product: Product, industry: str, budget: float) -> tuple[int, bool]:
    """Penalty for the product's industry fit, and whether its lowest price is within budget."""
    industries = product["industries"]
    if industry in industries:
        penalty = 0
    elif not industries:
        penalty = 1
    else:
        penalty = 2
    return penalty, float(product["price_min_wan"]) <= budget


def grade_calibrated(product: Product, industry: str, budget: float, needs: dict[str, list[str]]) -> int:
    scenarios: list[str] = product["scenarios"]
    if scenarios[0] in needs.get("solved", []):
        return 0
    penalty, within = _fit(product, industry, budget)
    best = 0
    for need in needs.get("primary", []):
        if need == scenarios[0]:
            start = 3
        elif need in scenarios[1:]:
            start = 2
        else:
            continue
        best = max(best, start - penalty - (0 if within else 1))
    for need in needs.get("nice", []):
        if need == scenarios[0]:
            best = max(best, min(1, 3 - penalty - (0 if within else 1) - 1))
    return max(best, 0)


def grade_literal(product: Product, industry: str, budget: float, needs: dict[str, list[str]]) -> int:
    scenarios: list[str] = product["scenarios"]
    industries = product["industries"]
    within = float(product["price_min_wan"]) <= budget
    best = 0
    for need in needs.get("primary", []):
        if need == scenarios[0]:
            if industry in industries:
                best = max(best, 3 if within else 2)
            elif not industries:
                best = max(best, 2 if within else 1)
            else:
                best = max(best, 1)
        elif need in scenarios[1:]:
            best = max(best, 1)
    for need in needs.get("nice", []):
        if need in scenarios:
            best = max(best, 1)
    return best


RULES = {"calibrated": grade_calibrated, "literal": grade_literal}


def label(case: Case, catalog: list[Product], rules: str = "calibrated") -> dict[str, int]:
    grade = RULES[rules]
    industry = case["enterprise"]["industry"]
    budget = float(case["budget_wan"])
    out: dict[str, int] = {}
    for product in catalog:
        g = grade(product, industry, budget, case["needs"])
        if g > 0:
            out[product["id"]] = g
    return out


def infer_needs(case: Case, by_id: dict[str, Product], naive: bool) -> dict[str, list[str]]:
    """Need set behind existing labels. naive: primary scenarios of every grade >= 2 product. Otherwise only
    those that no rule reading explains by a secondary scenario (grade 3, or grade 2 of a general product, or an
    own-industry grade 2 whose secondary scenarios meet no inferred need); nice = primary scenarios of grade-1
    products that the primary needs do not explain."""
    industry = case["enterprise"]["industry"]
    rel: dict[str, int] = case["relevant"]
    primary: set[str] = set()
    if naive:
        primary = {by_id[p]["scenarios"][0] for p, g in rel.items() if g >= 2}
    else:
        for p, g in rel.items():
            prod = by_id[p]
            if g == 3 or (g == 2 and not prod["industries"]):
                primary.add(prod["scenarios"][0])
        for p, g in rel.items():
            prod = by_id[p]
            if g == 2 and industry in prod["industries"] and not set(prod["scenarios"][1:]) & primary:
                primary.add(prod["scenarios"][0])
    nice: set[str] = set()
    for p, g in rel.items():
        scen = by_id[p]["scenarios"]
        if g == 1 and not set(scen) & primary:
            nice.add(scen[0])
    return {"primary": sorted(primary), "nice": sorted(nice), "solved": []}


def check(cases: list[Case], catalog: list[Product]) -> None:
    by_id = {p["id"]: p for p in catalog}
    for naive in (True, False):
        for rules in ("literal", "calibrated"):
            exact = 0
            pairs = agree = 0
            diffs: Counter[tuple[int, int]] = Counter()
            for case in cases:
                inferred = {**case, "needs": infer_needs(case, by_id, naive)}
                mine = label(inferred, catalog, rules)
                theirs: dict[str, int] = case["relevant"]
                exact += mine == theirs
                for pid in set(mine) | set(theirs):
                    pairs += 1
                    a, b = theirs.get(pid, 0), mine.get(pid, 0)
                    agree += a == b
                    if a != b:
                        diffs[(a, b)] += 1
            name = "naive" if naive else "refined"
            print(
                f"needs={name:7} rules={rules:10} cases exact {exact}/{len(cases)} ({100 * exact / len(cases):.0f}%)"
                f"  labelled pairs agree {agree}/{pairs} ({100 * agree / pairs:.1f}%)"
            )
            for (a, b), n in diffs.most_common(6):
                print(f"    existing {a} -> computed {b}: {n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("cases", type=Path)
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog.jsonl"))
    parser.add_argument("--rules", choices=sorted(RULES), default="calibrated")
    parser.add_argument("--check", action="store_true", help="compare with the labels already in CASES")
    parser.add_argument("--min-good", type=int, default=2, help="warn when fewer products have grade >= 2")
    args = parser.parse_args(argv)
    catalog = load_jsonl(args.catalog)
    cases = load_jsonl(args.cases)
    if args.check:
        check(cases, catalog)
        return 0
    weak = []
    for case in cases:
        case["relevant"] = dict(sorted(label(case, catalog, args.rules).items()))
        if sum(g >= 2 for g in case["relevant"].values()) < args.min_good:
            weak.append(case["id"])
    with args.cases.open("w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    if weak:
        print(f"fewer than {args.min_good} products of grade >= 2: {', '.join(weak)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
