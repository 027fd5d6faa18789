"""Path to level N: what holds an enterprise back and the cheapest products that lift it to the target."""

import itertools
import json
import random
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.assessment import assess_level
from catalog.assessment_config import DEFAULT_LEVEL_RULES, DEFAULT_PATH_CONFIG
from catalog.errors import Invalid
from catalog.level_path import (
    Candidate,
    PathResult,
    Standing,
    Unreachable,
    blocking_scenes,
    candidate_from_product,
    candidates_from_products,
    cheapest_path,
    own_cost_wan,
    search_path,
    shortlist,
)

SCENES = DEFAULT_LEVEL_RULES.scenes
MANDATORY = [code for code in SCENES if code in DEFAULT_LEVEL_RULES.mandatory]
OPTIONAL = [code for code in SCENES if code not in DEFAULT_LEVEL_RULES.mandatory]
CATALOG = Path(__file__).parents[2] / "data" / "catalog.jsonl"


@pytest.fixture
def level_1_plant():
    """Level 1 with score 45: the six optional scenes at L2 and three mandatory at L1; level 2 needs 3 mandatory at L2."""
    return Standing(score=45, scenes=dict.fromkeys(OPTIONAL, 2) | dict.fromkeys(MANDATORY[:3], 1))


def lift(candidate_id: str, price: float, *scenes: str, to: int = 2, points: float = 0) -> Candidate:
    return Candidate(id=candidate_id, price_wan=price, lifts=dict.fromkeys(scenes, to), points=points)


def brute_force(current, target, candidates, budget):
    """The minimum own cost over every subset, judged by the public level rule."""
    best = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            scenes = dict(current.scenes)
            for candidate in subset:
                for scene, to in candidate.lifts.items():
                    scenes[scene] = max(scenes.get(scene, 0), to)
            score = min(100.0, current.score + sum(c.points for c in subset))
            if assess_level(score=score, scenes=scenes).level < target:
                continue
            cost = own_cost_wan(price_wan=sum(c.price_wan for c in subset), target_level=target)
            if (budget is None or cost <= Decimal(str(budget))) and (best is None or cost < best):
                best = cost
    return best


def random_case(seed):
    """A standing just below a random target, and 6-10 products lifting scenes around the target level."""
    rng = random.Random(seed)
    target = rng.randint(1, 4)
    threshold = DEFAULT_LEVEL_RULES.threshold(target)
    current = Standing(
        score=threshold.min_score - rng.choice([-5, 0, 0.5, 1, 2, 3, 4, 6]),
        scenes={s: max(0, min(4, target - rng.choice([0, 1, 1, 2, 2, 3]))) for s in SCENES},
    )
    candidates = [
        Candidate(
            id=f"C{i}",
            price_wan=rng.choice([0.5, 1, 2, 3, 5, 8, 12.5, 20, 40, 60, 110]),
            lifts={
                s: min(4, target + rng.choice([-1, 0, 0, 0, 1]))
                for s in rng.sample(SCENES, rng.choice([0, 1, 2, 2, 3]))
            },
            points=rng.choice([0, 0, 1, 1, 2, 0.5, 3]),
        )
        for i in range(rng.randint(6, 10))
    ]
    return current, target, candidates, rng.choice([None, None, 3, 10, 30])


# Beyond the first 120 seeds: cases where an over-estimated lower bound or a dominance rule blind to points
# returned a dearer path (found by mutating the search and brute-forcing 1,500 seeds).
HARD_SEEDS = [148, 324, 338, 580, 861]


@pytest.mark.parametrize("seed", [*range(120), *HARD_SEEDS])
def test_search_matches_brute_force_on_small_random_cases(seed):
    current, target, candidates, budget = random_case(seed)

    found = cheapest_path(
        current=current, target_level=target, candidates=candidates, budget_wan=budget, keep_per_scene=None
    )

    expected = brute_force(current, target, candidates, budget)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.own_cost_wan == expected
        assert found.after.level >= target
        by_id = {c.id: c for c in candidates}
        assert found.total_price_wan == Decimal(str(sum(by_id[i].price_wan for i in found.product_ids)))


def test_random_cases_exercise_combinations_unreachable_targets_and_budgets():
    kinds: Counter[str] = Counter()
    for seed in range(120):
        current, target, candidates, budget = random_case(seed)
        found = search_path(
            current=current,
            target_level=target,
            candidates=candidates,
            budget_wan=budget,
            keep_per_scene=None,
        )
        if isinstance(found, PathResult):
            kinds["combination" if len(found.product_ids) >= 2 else "single"] += 1
        else:
            kinds["budget" if "budget" in found.reason_en else "reach"] += 1

    assert kinds["combination"] >= 30 and kinds["budget"] >= 15 and kinds["reach"] >= 15


def test_already_at_the_target_buys_nothing(level_1_plant):
    found = cheapest_path(
        current=level_1_plant, target_level=1, candidates=[lift("A", 5, MANDATORY[3])], budget_wan=0
    )

    assert found is not None and found.product_ids == ()
    assert found.own_cost_wan == 0 and found.changes == ()
    assert found.explain("en").startswith("Already at level 1 or above: nothing to buy.")


def test_a_bundle_beats_two_single_products(level_1_plant):
    candidates = [
        lift("single-a", 3, MANDATORY[0]),
        lift("single-b", 3, MANDATORY[1]),
        lift("bundle", 5, MANDATORY[0], MANDATORY[1]),
        lift("single-c", 4, MANDATORY[2]),
        lift(
            "optional", 0.5, OPTIONAL[4], to=3
        ),  # cheap, but an optional scene does not help the mandatory count
    ]

    found = cheapest_path(current=level_1_plant, target_level=2, candidates=candidates, budget_wan=None)

    assert found is not None
    assert sorted(found.product_ids) == ["bundle", "single-c"]
    assert (found.total_price_wan, found.subsidy_wan, found.own_cost_wan) == (
        Decimal("9.00"),
        Decimal("4.50"),
        Decimal("4.50"),
    )
    assert found.before.level == 1 and found.after.level == 2
    assert [(c.scene, c.before, c.after, c.product_ids) for c in found.changes] == [
        (MANDATORY[0], 1, 2, ("bundle",)),
        (MANDATORY[1], 1, 2, ("bundle",)),
        (MANDATORY[2], 1, 2, ("single-c",)),
    ]


def test_points_close_the_score_gap(level_1_plant):
    current = replace(level_1_plant, score=37)
    scenes = [lift(f"m{i}", 1, scene) for i, scene in enumerate(MANDATORY[:3])]
    points = [lift("gateway", 2, points=2), lift("cloud", 1.5, points=1), lift("security", 1.2, points=1)]

    found = cheapest_path(current=current, target_level=2, candidates=scenes + points, budget_wan=None)

    assert found is not None
    # 3 points are missing: gateway + security (3.2) beats gateway + cloud (3.5); cloud + security only add 2.
    assert sorted(found.product_ids) == ["gateway", "m0", "m1", "m2", "security"]
    assert found.resulting.score == 40 and found.after.level == 2


def test_an_impossible_target_says_which_threshold_cannot_be_met(level_1_plant):
    candidates = [lift("a", 1, MANDATORY[0], to=3), lift("b", 1, MANDATORY[1], to=3)]

    found = search_path(current=level_1_plant, target_level=3, candidates=candidates, budget_wan=None)

    assert isinstance(found, Unreachable)
    assert found.reason_en == (
        "Even all 2 candidate products do not reach level 3: 2 mandatory scenes at L2 or above < 3; "
        "score 45 < 60; 2 scenes at L3 or above < 8; 2 mandatory scenes at L3 or above < 5."
    )
    assert "达不到三级" in found.reason_zh
    assert (
        cheapest_path(current=level_1_plant, target_level=3, candidates=candidates, budget_wan=None) is None
    )


def test_a_budget_too_small_gives_none_and_the_cheapest_cost(level_1_plant):
    candidates = [lift("a", 4, *MANDATORY[:3])]

    exact = cheapest_path(current=level_1_plant, target_level=2, candidates=candidates, budget_wan=2)
    short = search_path(current=level_1_plant, target_level=2, candidates=candidates, budget_wan=1.99)

    assert exact is not None and exact.own_cost_wan == Decimal("2.00")
    assert isinstance(short, Unreachable)
    assert "costs the enterprise 2.00 wan yuan after subsidy, over the budget of 1.99" in short.reason_en


def test_own_cost_follows_the_subsidy_cap_of_the_target_level():
    assert own_cost_wan(price_wan=120, target_level=2) == Decimal("70.00")
    assert own_cost_wan(price_wan=120, target_level=4) == Decimal("60.00")
    assert own_cost_wan(price_wan=120, target_level=1) == Decimal("120.00")


def test_blocking_scenes_put_mandatory_first_and_say_what_each_needs(level_1_plant):
    gaps = blocking_scenes(current=level_1_plant, target_level=2)

    assert [
        g.scene for g in gaps
    ] == MANDATORY  # 6 scenes at L2+ are there: only the mandatory count falls short
    assert gaps[0].level == 1 and gaps[0].needed == 2 and gaps[-1].level == 0
    assert gaps[0].sentence("en").endswith("(mandatory): L1, needs L2")
    assert "（约束性）：L1，需达到 L2" in gaps[0].sentence("zh")


def test_blocking_scenes_include_optional_ones_when_the_scene_count_falls_short():
    gaps = blocking_scenes(current=Standing(score=70, scenes={"quality": 3}), target_level=3)

    assert len(gaps) == 15 and all(g.needed == 3 for g in gaps)
    assert [g.mandatory for g in gaps] == [True] * 9 + [False] * 6


def test_product_tags_become_lifts_to_the_target_level_and_points(level_1_plant):
    product = {"id": "X1", "scenarios": ["visual_inspection", "quality_traceability", "data_collection"]}
    product |= {"price_min_wan": 6, "price_max_wan": 30}

    candidate = candidate_from_product(product, current=level_1_plant, target_level=3)

    assert candidate == Candidate(id="X1", price_wan=6.0, lifts={"quality": 3}, points=1 + 2)


def test_lift_by_levels_is_configurable(level_1_plant):
    config = replace(DEFAULT_PATH_CONFIG, lift_by=1)
    products = [{"id": "X2", "scenarios": ["mes", "erp_finance"], "price_min_wan": 3, "price_max_wan": 3}]
    current = replace(level_1_plant, scenes={"production_control": 4, "finance": 1})

    (candidate,) = candidates_from_products(products, current=current, target_level=3, config=config)

    assert candidate.lifts == {"production_control": 4, "finance": 2}


def test_shortlist_keeps_the_cheapest_few_per_scene():
    candidates = [lift(f"q{price}", price, "quality") for price in (7, 1, 6, 2, 5, 3, 4)]
    candidates += [lift(f"p{price}", price, points=1) for price in (9, 8)]

    kept = shortlist(candidates, scenes={}, keep_per_scene=5)

    assert sorted(c.id for c in kept) == ["p8", "p9", "q1", "q2", "q3", "q4", "q5"]


def test_target_level_must_be_1_to_4(level_1_plant):
    with pytest.raises(Invalid) as caught:
        search_path(current=level_1_plant, target_level=5, candidates=[], budget_wan=None)

    assert list(caught.value.errors) == ["target_level"]


def test_development_catalogue_yields_an_explained_level_2_path():
    products = [json.loads(line) for line in CATALOG.read_text(encoding="utf-8").splitlines() if line.strip()]
    current = Standing(score=38, scenes={"quality": 1, "finance": 2, "marketing": 1, "after_sales": 1})
    candidates = candidates_from_products(products, current=current, target_level=2)

    found = cheapest_path(current=current, target_level=2, candidates=candidates, budget_wan=30)

    assert found is not None and found.after.level >= 2 and found.before.level == 0
    assert found.own_cost_wan <= 30
    text = found.explain("zh")
    assert text.startswith("采购 ") and "企业自担" in text and "达到二级" in text
    assert found.as_dict("en")["after"]["level"] >= 2


@pytest.mark.parametrize("seed", range(60))
def test_a_search_cut_at_one_node_still_reaches_every_reachable_target(seed):
    current, target, candidates, _ = random_case(seed)

    cut = cheapest_path(
        current=current, target_level=target, candidates=candidates, keep_per_scene=None, max_nodes=1
    )
    exact = cheapest_path(current=current, target_level=target, candidates=candidates, keep_per_scene=None)

    assert (cut is None) == (exact is None)
    if cut is not None and exact is not None:
        assert cut.after.level >= target and cut.own_cost_wan >= exact.own_cost_wan and exact.proven
        if cut.own_cost_wan > exact.own_cost_wan:
            assert not cut.proven and "可能还有更便宜的组合" in cut.explain("zh")


def test_a_hard_catalogue_case_answers_within_the_node_budget_and_says_whether_it_is_proven():
    products = [json.loads(line) for line in CATALOG.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(1)
    current = Standing(score=65, scenes={s: rng.choice([0, 1, 1, 2, 2, 3]) for s in SCENES})
    candidates = candidates_from_products(products, current=current, target_level=4)

    found = search_path(current=current, target_level=4, candidates=candidates, max_nodes=200)

    assert isinstance(found, PathResult) and found.after.level == 4
    assert found.as_dict("en")["proven_cheapest"] is found.proven
