"""Path to level N: the scenes that hold an enterprise back, and the cheapest products that lift it to the target.

Model (assumptions in ``catalog/data/assessment.json``, section ``path``): a product tagged with a scenario lifts
that scenario's national scene to the target level's scene level (or by ``lift_by`` levels), adds a few points to
the score per foundation item or scenario group it serves, and costs the enterprise its lower price minus the
subsidy, min(50% x total, cap). The cap is the one of the *target* level: the plan is budgeted against the target,
and it keeps the own cost increasing with the total price, so the cheapest total is also the cheapest own cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from catalog.assessment import LevelResult, assess_level, level_checks, validate_scenes
from catalog.assessment_config import (
    DEFAULT_LEVEL_RULES,
    DEFAULT_PATH_CONFIG,
    LevelRules,
    PathConfig,
    foundation_items_of_scenarios,
)
from catalog.errors import Invalid, bilingual
from catalog.level_path_result import AssessmentLike, PathResult, SceneChange, SceneGap, Standing, Unreachable
from catalog.level_path_search import NODE_BUDGET, Candidate, apply, cheapest_subset, requirements
from catalog.subsidy import DEFAULT_RULES, LEVEL_NAMES_EN, LEVEL_NAMES_ZH, SubsidyRules, compute_subsidy
from catalog.taxonomy import load_taxonomy

__all__ = [
    "AssessmentLike",
    "Candidate",
    "PathResult",
    "SceneChange",
    "SceneGap",
    "Standing",
    "Unreachable",
    "blocking_scenes",
    "candidate_from_product",
    "candidates_from_products",
    "cheapest_path",
    "own_cost_wan",
    "search_path",
    "shortlist",
]


def candidate_from_product(
    product: Mapping[str, Any],
    *,
    current: AssessmentLike,
    target_level: int,
    config: PathConfig = DEFAULT_PATH_CONFIG,
    rules: LevelRules = DEFAULT_LEVEL_RULES,
) -> Candidate:
    """A catalogue product (interchange format) as a planner candidate, priced at its lower price."""
    taxonomy, foundation = load_taxonomy(), foundation_items_of_scenarios()
    to_level = rules.threshold(target_level).scene_level
    lifts: dict[str, int] = {}
    point_keys: set[tuple[str, str]] = set()
    for tag in product.get("scenarios", ()):
        term = taxonomy.scenarios.get(tag)
        if term is None:
            continue
        if term.national_scene:
            now = current.scenes.get(term.national_scene, 0)
            lift = to_level if config.lift_by is None else min(rules.max_scene_level, now + config.lift_by)
            lifts[term.national_scene] = max(lifts.get(term.national_scene, 0), lift)
        # Each foundation item or group counts once per product, however many of its tags name it.
        point_keys.add(("item", foundation[tag]) if tag in foundation else ("group", term.group or ""))
    points = sum(
        (config.points_by_foundation_item if kind == "item" else config.points_by_group).get(key, 0.0)
        for kind, key in point_keys
    )
    return Candidate(
        id=str(product["id"]), price_wan=float(product["price_min_wan"]), lifts=lifts, points=points
    )


def candidates_from_products(
    products: Iterable[Mapping[str, Any]],
    *,
    current: AssessmentLike,
    target_level: int,
    config: PathConfig = DEFAULT_PATH_CONFIG,
    rules: LevelRules = DEFAULT_LEVEL_RULES,
) -> list[Candidate]:
    """Every product as a planner candidate (see ``candidate_from_product``)."""
    return [
        candidate_from_product(p, current=current, target_level=target_level, config=config, rules=rules)
        for p in products
    ]


def shortlist(
    candidates: Sequence[Candidate], *, scenes: Mapping[str, int], keep_per_scene: int
) -> list[Candidate]:
    """The cheapest few candidates per scene they lift, plus the cheapest few per point among points-only ones."""
    # A heuristic cut that keeps the exact search small on a full catalogue: a product that is the 6th cheapest for
    # every scene it lifts is rarely part of the cheapest path. The search is exact over what is kept.
    keep: dict[str, Candidate] = {}
    by_price = sorted(candidates, key=lambda c: (c.price_wan, c.id))
    for scene in {s for c in candidates for s in c.lifts}:
        lifting = [c for c in by_price if c.lifts.get(scene, 0) > scenes.get(scene, 0)]
        keep.update((c.id, c) for c in lifting[:keep_per_scene])
    points_only = [c for c in by_price if c.points > 0 and c.id not in keep and not _lifts_any(c, scenes)]
    points_only.sort(key=lambda c: (c.price_wan / c.points, c.id))
    keep.update((c.id, c) for c in points_only[:keep_per_scene])
    return [c for c in candidates if c.id in keep]


def blocking_scenes(
    *, current: AssessmentLike, target_level: int, rules: LevelRules = DEFAULT_LEVEL_RULES
) -> tuple[SceneGap, ...]:
    """The scenes holding the enterprise below the target level (mandatory first) and the level each needs."""
    scenes = validate_scenes(current.scenes, rules=rules)
    needed: dict[str, int] = {}
    for level in range(1, target_level + 1):
        for check in level_checks(score=current.score, scenes=scenes, level=level, rules=rules):
            if check.met or check.kind == "score":
                continue
            for scene, now in scenes.items():
                if now < check.scene_level and (check.kind == "scenes" or scene in rules.mandatory):
                    needed[scene] = max(needed.get(scene, 0), check.scene_level)
    order = {scene: i for i, scene in enumerate(rules.scenes)}
    gaps = [SceneGap(s, s in rules.mandatory, scenes[s], to) for s, to in needed.items()]
    return tuple(sorted(gaps, key=lambda g: (not g.mandatory, order[g.scene])))


def search_path(
    *,
    current: AssessmentLike,
    target_level: int,
    candidates: Sequence[Candidate],
    budget_wan: float | None = None,
    rules: LevelRules = DEFAULT_LEVEL_RULES,
    subsidy_rules: SubsidyRules = DEFAULT_RULES,
    keep_per_scene: int | None = DEFAULT_PATH_CONFIG.keep_per_scene,
    max_nodes: int | None = NODE_BUDGET,
) -> PathResult | Unreachable:
    """The minimum-own-cost products reaching the target level within the budget, or why there are none."""
    if isinstance(target_level, bool) or target_level not in {t.level for t in rules.thresholds}:
        raise Invalid({"target_level": bilingual("目标等级应为 1 到 4", "target level must be 1 to 4")})
    scenes = validate_scenes(current.scenes, rules=rules)
    before = assess_level(score=current.score, scenes=scenes, rules=rules)  # also validates the score
    blocking = blocking_scenes(current=current, target_level=target_level, rules=rules)
    pool = (
        list(candidates)
        if keep_per_scene is None
        else shortlist(candidates, scenes=scenes, keep_per_scene=keep_per_scene)
    )
    reqs = requirements(target_level=target_level, rules=rules)
    # None only when no subset reaches the target: the search starts from a greedy answer, which exists whenever
    # the whole pool reaches it, so a search cut short at its node budget still never misses a reachable target.
    chosen, proven = cheapest_subset(
        scenes=scenes,
        score=current.score,
        reqs=reqs,
        candidates=pool,
        mandatory=rules.mandatory,
        max_nodes=max_nodes,
    )
    if chosen is None:
        return _out_of_reach(current, scenes, target_level, pool, blocking, rules)
    result = replace(
        _result(before, scenes, target_level, chosen, blocking, rules, subsidy_rules), proven=proven
    )
    if budget_wan is not None and result.own_cost_wan > Decimal(str(budget_wan)):
        return _over_budget(result, budget_wan)
    return result


def cheapest_path(
    *,
    current: AssessmentLike,
    target_level: int,
    candidates: Sequence[Candidate],
    budget_wan: float | None = None,
    rules: LevelRules = DEFAULT_LEVEL_RULES,
    subsidy_rules: SubsidyRules = DEFAULT_RULES,
    keep_per_scene: int | None = DEFAULT_PATH_CONFIG.keep_per_scene,
    max_nodes: int | None = NODE_BUDGET,
) -> PathResult | None:
    """``search_path`` without the reason: the cheapest path, or None when the target is out of reach."""
    found = search_path(
        current=current,
        target_level=target_level,
        candidates=candidates,
        budget_wan=budget_wan,
        rules=rules,
        subsidy_rules=subsidy_rules,
        keep_per_scene=keep_per_scene,
        max_nodes=max_nodes,
    )
    return found if isinstance(found, PathResult) else None


def own_cost_wan(
    *, price_wan: float, target_level: int, subsidy_rules: SubsidyRules = DEFAULT_RULES
) -> Decimal:
    """The enterprise's own share of a total price: price - min(rate x price, cap of the target level)."""
    return compute_subsidy(
        eligible_spend_wan=price_wan, level_after=target_level, rules=subsidy_rules
    ).own_share_wan


def _result(
    before: LevelResult,
    scenes: dict[str, int],
    target_level: int,
    chosen: Sequence[Candidate],
    blocking: tuple[SceneGap, ...],
    rules: LevelRules,
    subsidy_rules: SubsidyRules,
) -> PathResult:
    after_scenes, after_score = apply(scenes, before.score, chosen)
    resulting = Standing(score=min(100.0, round(after_score, 6)), scenes=after_scenes)
    # Every product is treated as eligible spend (software, cloud services, data-collection equipment).
    calc = compute_subsidy(
        eligible_spend_wan=sum(c.price_wan for c in chosen), level_after=target_level, rules=subsidy_rules
    )
    return PathResult(
        target_level=target_level,
        product_ids=tuple(c.id for c in chosen),
        total_price_wan=calc.eligible_wan,
        subsidy_wan=calc.subsidy_wan,
        own_cost_wan=calc.own_share_wan,
        before=before,
        after=assess_level(score=resulting.score, scenes=after_scenes, rules=rules),
        resulting=resulting,
        blocking=blocking,
        changes=_changes(scenes, after_scenes, chosen, rules),
    )


def _changes(
    before: Mapping[str, int], after: Mapping[str, int], chosen: Sequence[Candidate], rules: LevelRules
) -> tuple[SceneChange, ...]:
    changes = []
    for scene in rules.scenes:
        if after[scene] > before[scene]:
            ids = tuple(c.id for c in chosen if c.lifts.get(scene, 0) == after[scene])
            changes.append(SceneChange(scene, scene in rules.mandatory, before[scene], after[scene], ids))
    return tuple(sorted(changes, key=lambda c: not c.mandatory))


def _out_of_reach(
    current: AssessmentLike,
    scenes: dict[str, int],
    target_level: int,
    pool: Sequence[Candidate],
    blocking: tuple[SceneGap, ...],
    rules: LevelRules,
) -> Unreachable:
    best_scenes, best_score = apply(scenes, current.score, pool)
    missed = [
        check
        for level in range(1, target_level + 1)
        for check in level_checks(score=min(100.0, best_score), scenes=best_scenes, level=level, rules=rules)
        if not check.met
    ]
    name_zh, name_en = LEVEL_NAMES_ZH[target_level], LEVEL_NAMES_EN[target_level]
    return Unreachable(
        target_level=target_level,
        reason_zh=f"即使选用全部 {len(pool)} 个候选产品也达不到{name_zh}："
        + "；".join(c.sentence("zh") for c in missed)
        + "。",
        reason_en=f"Even all {len(pool)} candidate products do not reach {name_en}: "
        + "; ".join(c.sentence("en") for c in missed)
        + ".",
        blocking=blocking,
    )


def _over_budget(result: PathResult, budget_wan: float) -> Unreachable:
    cost, name_zh, name_en = (
        result.own_cost_wan,
        LEVEL_NAMES_ZH[result.target_level],
        LEVEL_NAMES_EN[result.target_level],
    )
    ids = ", ".join(result.product_ids)
    return Unreachable(
        target_level=result.target_level,
        reason_zh=f"达到{name_zh}的最便宜组合（{ids}）企业自担 {cost} 万元，超出预算 {budget_wan} 万元。",
        reason_en=f"The cheapest combination reaching {name_en} ({ids}) costs the enterprise {cost} wan yuan "
        f"after subsidy, over the budget of {budget_wan} wan yuan.",
        blocking=result.blocking,
    )


def _lifts_any(candidate: Candidate, scenes: Mapping[str, int]) -> bool:
    return any(to > scenes.get(scene, 0) for scene, to in candidate.lifts.items())
