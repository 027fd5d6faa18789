"""Plain data of the matching core: listings and profiles in, needs and matches with reasons out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Listing:
    """One published product as the matcher sees it."""

    id: str
    name: str
    summary: str
    description: str
    scenarios: tuple[str, ...]  # scenario codes, first = primary
    industries: tuple[str, ...]  # empty = general product for every industry
    price_min_wan: float
    price_max_wan: float
    deployment: str  # saas | on_premise | hybrid
    delivery_days: int
    provider_name: str = ""
    rating: float | None = None
    review_count: int = 0


@dataclass(frozen=True)
class Profile:
    """An enterprise's diagnosis: free-text findings plus the few facts the form asks for."""

    needs_text: str
    industry: str | None = None
    budget_wan: float | None = None
    target_scenarios: tuple[str, ...] = ()  # ticked on the form; often empty or incomplete
    solved: tuple[str, ...] = ()  # scenario codes already in place: never recommend again
    preferred_deployment: str | None = None
    subsidy_rate: float = 0.5
    subsidy_cap_wan: float = 50.0


@dataclass(frozen=True)
class Need:
    """One need read from the findings: a scenario, how strongly it is wanted and the words that said so."""

    scenario: str
    weight: float  # 0..1, relative to the strongest need of the same findings
    evidence: tuple[str, ...] = ()
    later: bool = False  # stated as a later phase or nice-to-have
    ticked: bool = False  # ticked on the diagnosis form


@dataclass(frozen=True)
class Reason:
    """One plain-words reason for a match, in Chinese and English."""

    kind: str  # need | industry | budget | delivery | deployment | rating
    zh: str
    en: str
    evidence: tuple[str, ...] = ()  # for "need": the words of the findings that triggered it


@dataclass(frozen=True)
class Match:
    """One ranked listing with its score and reasons."""

    id: str
    score: float
    reasons: tuple[Reason, ...]
    scenario: str | None  # the need this listing answers
    own_share_min_wan: float | None  # the enterprise's share of the lowest price after the subsidy
