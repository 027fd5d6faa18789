"""The exact core of "path to level N": the cheapest set of products whose lifts and points reach a level.

Branch and bound with set-cover branching on the scene requirements: pick the unmet one with the fewest contributing
products and branch on which contributor is the first (in price order) to be bought, excluding the cheaper ones in
that branch. Every subset is generated at most once and every feasible subset holds a contributor to each unmet
requirement, so nothing is missed. The score is a 0/1 knapsack solved exactly at each node (a lower bound there, the
completion once the scenes are met); a fractional-knapsack bound per scene requirement prunes the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from catalog.assessment_config import LevelRules

EPS = 1e-9
POINT_RESOLUTION = 100  # points are counted in hundredths
# Nodes the exact search may visit before it settles for the best answer found so far (the greedy one at worst).
# Small catalogues and most enterprises finish far below it; a page never waits seconds for a proof.
NODE_BUDGET = 2000


@dataclass(frozen=True)
class Candidate:
    """A product the planner may buy: its (lower) price, the level it brings each scene to, points it adds."""

    id: str
    price_wan: float
    lifts: Mapping[str, int] = field(default_factory=dict)
    points: float = 0.0

    def __post_init__(self) -> None:
        if not (
            math.isfinite(self.price_wan)
            and self.price_wan >= 0
            and math.isfinite(self.points)
            and self.points >= 0
        ):
            raise ValueError(f"candidate {self.id}: price and points must be finite and not negative")


@dataclass(frozen=True)
class Requirement:
    """One criterion of one level: a score, or a count of (mandatory) scenes at ``scene_level`` or above."""

    kind: str  # "score", "scenes" or "mandatory"
    scene_level: int
    required: float


def requirements(*, target_level: int, rules: LevelRules) -> tuple[Requirement, ...]:
    """Every criterion of levels 1..target (levels are cumulative)."""
    found = []
    for t in rules.thresholds[:target_level]:
        found.append(Requirement("score", t.scene_level, t.min_score))
        found.append(Requirement("scenes", t.scene_level, t.min_scenes))
        found.append(Requirement("mandatory", t.scene_level, t.min_mandatory))
    return tuple(found)


def contribution(
    candidate: Candidate, req: Requirement, scenes: Mapping[str, int], mandatory: frozenset[str]
) -> float:
    """How much buying the candidate now would add to one requirement's figure."""
    if req.kind == "score":
        return candidate.points
    return sum(
        1
        for scene, to in candidate.lifts.items()
        if to >= req.scene_level > scenes.get(scene, 0) and (req.kind == "scenes" or scene in mandatory)
    )


def deficit(req: Requirement, scenes: Mapping[str, int], score: float, mandatory: frozenset[str]) -> float:
    """How far the figures are from one requirement (0 when met)."""
    if req.kind == "score":
        return max(0.0, req.required - score)
    count = sum(
        1
        for scene, level in scenes.items()
        if level >= req.scene_level and (req.kind == "scenes" or scene in mandatory)
    )
    return max(0.0, req.required - count)


def apply(
    scenes: Mapping[str, int], score: float, chosen: Sequence[Candidate]
) -> tuple[dict[str, int], float]:
    """The scene levels and score after buying the chosen products (a lift never lowers a scene)."""
    after = dict(scenes)
    for candidate in chosen:
        for scene, to in candidate.lifts.items():
            after[scene] = max(after.get(scene, 0), to)
    return after, score + math.fsum(c.points for c in chosen)


def cheapest_subset(
    *,
    scenes: Mapping[str, int],
    score: float,
    reqs: Sequence[Requirement],
    candidates: Sequence[Candidate],
    mandatory: frozenset[str],
    max_nodes: int | None = NODE_BUDGET,
) -> tuple[tuple[Candidate, ...] | None, bool]:
    """The minimum-total-price subset meeting every requirement (None when no subset does), and whether that is
    proven: False when the search stopped at ``max_nodes`` and returns the cheapest subset it had found."""
    ordered = sorted(candidates, key=lambda c: (c.price_wan, c.id))
    scene_reqs = [r for r in reqs if r.kind != "score"]
    min_score = max((r.required for r in reqs if r.kind == "score"), default=0.0)
    # A greedy answer first: with a good incumbent the bounds prune most branches from the start.
    seed = _greedy(scenes, score, scene_reqs, min_score, ordered, mandatory)
    best: list[tuple[float, tuple[Candidate, ...]]] = [seed] if seed else []
    visited = [0]

    def visit(
        state: dict[str, int],
        points: float,
        total: float,
        chosen: tuple[Candidate, ...],
        allowed: list[Candidate],
    ) -> None:
        visited[0] += 1
        if max_nodes is not None and visited[0] > max_nodes:
            return
        bound, branch = _bound(state, scene_reqs, allowed, mandatory)
        if bound is None or (best and total + bound >= best[0][0] - EPS):
            return
        # The score: first the cheap fractional bound, then the 0/1 knapsack solved exactly (a lower bound here,
        # the exact completion at a leaf) only for nodes that bound did not already cut.
        needed = min_score - points
        rough = (
            _fractional_cover([(c, c.points) for c in allowed if c.points > 0], needed)
            if needed > EPS
            else 0.0
        )
        if rough is None or (best and total + rough >= best[0][0] - EPS):
            return
        topped = cheapest_points(allowed, needed=needed)
        if topped is None or (best and total + topped[0] >= best[0][0] - EPS):
            return
        if branch is None:
            best[:] = [(total + topped[0], chosen + topped[1])]
            return
        excluded: list[Candidate] = []
        for candidate in branch:
            # This branch excludes the cheaper contributors already tried; if one of them does all this one does,
            # swapping it in is never dearer, so the branch holds nothing better (exact dominance).
            if not any(_covers(c, candidate, state) for c in excluded):
                gone = {id(c) for c in excluded} | {id(candidate)}
                rest = [c for c in allowed if id(c) not in gone]
                after, after_points = apply(state, points, [candidate])
                visit(after, after_points, total + candidate.price_wan, (*chosen, candidate), rest)
            excluded.append(candidate)

    visit(dict(scenes), score, 0.0, (), ordered)
    proven = max_nodes is None or visited[0] <= max_nodes
    return (tuple(sorted(best[0][1], key=lambda c: (c.price_wan, c.id))) if best else None), proven


def cheapest_points(
    candidates: Sequence[Candidate], *, needed: float
) -> tuple[float, tuple[Candidate, ...]] | None:
    """The cheapest candidates adding at least ``needed`` points (0/1 knapsack cover), or None if all fall short."""
    if needed <= EPS:
        return 0.0, ()
    # Points are counted in hundredths and divided by their common factor, so whole points make a table of ~100.
    units = [round(c.points * POINT_RESOLUTION) for c in candidates]
    step = math.gcd(*units) or 1
    size = math.ceil(needed * POINT_RESOLUTION / step - EPS)
    costs = [0.0] + [math.inf] * size
    picks: list[tuple[Candidate, ...]] = [()] * (size + 1)
    for candidate, weight in zip(candidates, units, strict=True):
        for filled in range(size, 0, -1) if weight > 0 else ():
            before = max(0, filled - weight // step)
            if costs[before] + candidate.price_wan < costs[filled]:
                costs[filled] = costs[before] + candidate.price_wan
                picks[filled] = (*picks[before], candidate)
    return None if math.isinf(costs[size]) else (costs[size], picks[size])


def _greedy(
    scenes: Mapping[str, int],
    score: float,
    reqs: Sequence[Requirement],
    min_score: float,
    candidates: Sequence[Candidate],
    mandatory: frozenset[str],
) -> tuple[float, tuple[Candidate, ...]] | None:
    # Buy the candidate closing the most of the remaining scene deficits per 万元 until the scenes are met, then
    # the cheapest points; None when that does not get there (the exact search then decides).
    state, points, chosen, left = dict(scenes), score, [], list(candidates)
    while unmet := [(r, d) for r in reqs if (d := deficit(r, state, 0.0, mandatory)) > EPS]:
        worth = [
            (
                sum(min(contribution(c, r, state, mandatory), d) / d for r, d in unmet)
                / max(c.price_wan, EPS),
                c,
            )
            for c in left
        ]
        value, pick = max(worth, key=lambda vc: vc[0], default=(0.0, None))
        if pick is None or value <= 0:
            return None
        state, points = apply(state, points, [pick])
        chosen.append(pick)
        left.remove(pick)
    topped = cheapest_points(left, needed=min_score - points)
    if topped is None:
        return None
    return math.fsum(c.price_wan for c in chosen) + topped[0], (*chosen, *topped[1])


def _bound(
    state: Mapping[str, int],
    reqs: Sequence[Requirement],
    allowed: Sequence[Candidate],
    mandatory: frozenset[str],
) -> tuple[float | None, list[Candidate] | None]:
    # (lower bound on the extra price, contributors of the requirement to branch on); (None, None) if unreachable.
    bound, branch = 0.0, None
    for req in reqs:
        missing = deficit(req, state, 0.0, mandatory)
        if missing <= EPS:
            continue
        gains = [(c, contribution(c, req, state, mandatory)) for c in allowed]
        gains = [(c, gain) for c, gain in gains if gain > 0]
        cover = _fractional_cover(gains, missing)
        if cover is None:
            return None, None
        bound = max(bound, cover)
        if branch is None or len(gains) < len(branch):
            branch = [c for c, _ in gains]
    return bound, branch


def _fractional_cover(gains: Sequence[tuple[Candidate, float]], missing: float) -> float | None:
    # The fractional knapsack bound: buy the best price per unit first, the last one in part.
    cost = 0.0
    for candidate, gain in sorted(gains, key=lambda cg: cg[0].price_wan / cg[1]):
        take = min(1.0, missing / gain)
        cost += take * candidate.price_wan
        missing -= take * gain
        if missing <= EPS:
            return cost
    return None


def _covers(by: Candidate, other: Candidate, scenes: Mapping[str, int]) -> bool:
    # Does ``by`` (no dearer) lift every scene ``other`` usefully lifts as high, and add at least as many points?
    return (
        by.price_wan <= other.price_wan
        and by.points >= other.points
        and all(
            by.lifts.get(scene, 0) >= to for scene, to in other.lifts.items() if to > scenes.get(scene, 0)
        )
    )
