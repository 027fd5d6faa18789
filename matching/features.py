"""The catalogue as column arrays, and the vectorised fit scores of every listing for one profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.reasons import MIN_REVIEWS
from matching.types import Listing, Profile

# How much a listing's scenario at each tag position answers a need: the primary tag fully, later tags partly.
POSITION_WEIGHTS = (1.0, 0.4, 0.35)
# Fit steps mirror the grades: built for the enterprise's industry is a step up, over budget a step down, built
# only for other industries lower still.
GRADE_BASE = 2.0  # the fit of a general listing within budget
OWN_INDUSTRY, OTHER_INDUSTRY, OVER_BUDGET = 1.0, -1.5, -1.0
QUICK, PREFERRED_DEPLOYMENT, RATED = 0.05, 0.1, 0.05  # tie-breakers, well below one step


@dataclass(frozen=True)
class Columns:
    """Per-listing arrays in catalogue order; scenario indices point into `codes` (len(codes) = no tag)."""

    codes: tuple[str, ...]
    primary: np.ndarray  # scenario index of the first tag
    # per tag position, per scenario index: the rows carrying that scenario at that position
    by_position: tuple[tuple[np.ndarray, ...], ...]
    own_industry: dict[str, np.ndarray]  # industry code -> fit of each listing for an enterprise of it
    price_min: np.ndarray
    deployment: dict[str, np.ndarray]  # deployment -> listings offering it (bool)
    constant: np.ndarray  # tie-breakers that do not depend on the profile (quick delivery, rating)


def build_columns(listings: Sequence[Listing], *, codes: Sequence[str]) -> Columns:
    """Column arrays of the listings, once at start-up."""
    index = {code: number for number, code in enumerate(codes)}
    # Index arrays are intp: numpy gathers with them several times faster than with int32.
    tags = np.full((len(listings), len(POSITION_WEIGHTS)), len(codes), dtype=np.intp)
    for row, listing in enumerate(listings):
        for position, code in enumerate(listing.scenarios[: len(POSITION_WEIGHTS)]):
            tags[row, position] = index.get(code, len(codes))
    general = np.array([not listing.industries for listing in listings], dtype=bool)
    others = np.where(general, 0.0, OTHER_INDUSTRY)  # the fit for an industry no listing names
    own_industry = {"": others}
    for code in sorted({code for listing in listings for code in listing.industries}):
        built_for = np.array([code in listing.industries for listing in listings], dtype=bool)
        own_industry[code] = np.where(built_for, OWN_INDUSTRY, others)
    return Columns(
        codes=tuple(codes),
        primary=tags[:, 0].copy(),
        by_position=tuple(
            tuple(np.flatnonzero(tags[:, position] == number) for number in range(len(codes)))
            for position in range(len(POSITION_WEIGHTS))
        ),
        own_industry=own_industry,
        price_min=np.array([listing.price_min_wan for listing in listings], dtype=float),
        deployment={
            kind: np.array([listing.deployment == kind for listing in listings], dtype=bool)
            for kind in sorted({listing.deployment for listing in listings})
        },
        constant=tie_breakers(listings),
    )


def tie_breakers(listings: Sequence[Listing]) -> np.ndarray:
    """The profile-independent tie-breakers of the listings: quick delivery, a good rating once reviewed."""
    delivery = np.array([listing.delivery_days for listing in listings], dtype=float)
    rating = np.array([item.rating if item.rating is not None else 3.0 for item in listings], dtype=float)
    reviewed = np.array([item.review_count >= MIN_REVIEWS for item in listings], dtype=bool)
    return -QUICK * np.clip(delivery / 180.0, 0.0, 1.0) + RATED * np.where(
        reviewed, (rating - 3.0) / 2.0, 0.0
    )


def need_match(columns: Columns, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best need weight each listing answers (through any of its tags) and the scenario index it answers."""
    strength = np.zeros(len(columns.primary))
    scenario = columns.primary.copy()
    # Only the rows tagged with a needed scenario are touched: a handful of needs, not the whole catalogue.
    needed = np.flatnonzero(weights > 0)
    for position, factor in enumerate(POSITION_WEIGHTS):
        for number in needed:
            rows = columns.by_position[position][number]
            better = rows[strength[rows] < weights[number] * factor]
            strength[better] = weights[number] * factor
            scenario[better] = number
    return strength, scenario


def industry_fit(columns: Columns, industry: str | None, rows: np.ndarray) -> np.ndarray:
    """+1 built for the enterprise's industry, 0 general, negative when built only for other industries."""
    if industry is None:
        return np.zeros(len(rows))
    return columns.own_industry.get(industry, columns.own_industry[""])[rows]


def budget_fit(columns: Columns, profile: Profile, rows: np.ndarray) -> np.ndarray:
    """0 when the lowest price fits the budget, OVER_BUDGET (a little less when only just over) otherwise."""
    if profile.budget_wan is None:
        return np.zeros(len(rows))
    budget = max(profile.budget_wan, 1e-9)
    price = columns.price_min[rows]
    over = np.clip((price - budget) / budget, 0.0, 1.0)
    return np.where(price <= budget, 0.0, OVER_BUDGET * (0.5 + 0.5 * over))


def extras(columns: Columns, profile: Profile, rows: np.ndarray) -> np.ndarray:
    """Small tie-breakers: quick delivery, a good rating once reviews exist, the preferred deployment."""
    preferred = columns.deployment.get(profile.preferred_deployment or "")
    if preferred is None:
        return columns.constant[rows]
    return columns.constant[rows] + PREFERRED_DEPLOYMENT * preferred[rows]
