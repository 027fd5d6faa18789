"""The pilot's progress against its targets, computed with SQL aggregates over ``catalog.pilot_facts``.

Every figure is a COUNT or SUM the database computes (GROUP BY for the breakdowns); Python only reshapes the few
aggregate rows. What counts as "before", "after" and "committed" is defined once, in ``catalog.pilot_facts``.
Supply side: providers are provider organisations *approved* into the pool; products are *listed* ones
(published and their provider approved). Award money is each shortlisted decision times the plan's cap per award.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal_column, null, select, true, union_all
from sqlmodel import Session, col

from catalog.models import AwardDecision, Organisation, OrgKind, OrgState, Product
from catalog.pilot_facts import enterprise_facts
from catalog.pilot_targets import PilotTargets, load_targets
from catalog.subsidy import CENT, DEFAULT_RULES, SubsidyRules

DIMENSIONS = ("industry", "county", "batch")
LEVELS: tuple[int | None, ...] = (
    None,
    0,
    1,
    2,
    3,
    4,
)  # None: no level known (before) / not yet assessed (after)


@dataclass(frozen=True)
class Counts:
    """Aggregates over a set of pilot enterprises (all of them, or one industry, county or batch)."""

    enterprises: int = 0
    above_size: int = 0
    below_size: int = 0
    little_giants: int = 0
    srdi: int = 0
    on_cloud: int = 0
    accepted: int = 0  # with at least one accepted engagement
    level2_after: int = 0  # level after >= 2
    level4_after: int = 0
    workshops: int = 0
    factories: int = 0
    subsidy_wan: Decimal = Decimal("0.00")  # committed, per-enterprise cap applied
    subsidy_cap_wan: Decimal = Decimal("0.00")  # the caps of the enterprises with an accepted engagement
    at_cap: int = 0  # enterprises whose subsidy the cap (50 or 70, not the 0 below level 2) decided

    @property
    def smart_sites(self) -> int:
        """Smart workshops and factories together (the plan's 30)."""
        return self.workshops + self.factories


@dataclass(frozen=True)
class Breakdown:
    """The aggregates of one industry, county or batch (``code`` None: the field is empty)."""

    code: str | int | None
    counts: Counts


@dataclass(frozen=True)
class Goal:
    """One target with its actual figure."""

    key: str
    actual: int | Decimal
    target: int | Decimal

    @property
    def share(self) -> float:
        """Actual over target, 0..1 (a target of 0 is met)."""
        return 1.0 if not self.target else min(float(self.actual) / float(self.target), 1.0)

    @property
    def met(self) -> bool:
        """True once the actual reaches the target."""
        return self.actual >= self.target


@dataclass(frozen=True)
class AwardMoney:
    """Shortlisted award candidates and the money they commit at the plan's cap per award."""

    providers: int
    products: int
    provider_wan: Decimal
    product_wan: Decimal


@dataclass(frozen=True)
class PilotProgress:
    """Everything the dashboard and the bureau's summary show."""

    targets: PilotTargets
    totals: Counts
    levels_before: Mapping[int | None, int]
    levels_after: Mapping[int | None, int]
    breakdowns: Mapping[str, list[Breakdown]]
    providers: int
    products: int
    awards: AwardMoney
    subsidy_ceiling_wan: Decimal

    @property
    def has_data(self) -> bool:
        """False until the first pilot enterprise is enrolled."""
        return self.totals.enterprises > 0

    def goals(self) -> list[Goal]:
        """The plan's targets in the plan's order, each with its actual figure."""
        t, n = self.targets, self.totals
        return [
            Goal("enterprises", n.enterprises, t.enterprises),
            Goal("above_size", n.above_size, t.above_size),
            Goal("below_size", n.below_size, t.below_size),
            Goal("little_giants", n.little_giants, t.little_giants),
            Goal("srdi", n.srdi, t.srdi),
            Goal("on_cloud", n.on_cloud, t.on_cloud),
            Goal("level2_after", n.level2_after, t.enterprises),
            Goal("level4_after", n.level4_after, t.level4),
            Goal("providers", self.providers, t.providers),
            Goal("products", self.products, t.products),
            Goal("smart_sites", n.smart_sites, t.smart_sites),
            Goal("award_providers", self.awards.providers, t.award_providers),
            Goal("award_products", self.awards.products, t.award_products),
        ]


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _aggregates(facts: Any) -> list[Any]:
    c = facts.c
    return [
        func.count().label("enterprises"),
        _count_if(c.scale == "above").label("above_size"),
        _count_if(c.scale == "below").label("below_size"),
        _count_if(c.srdi == "little_giant").label("little_giants"),
        _count_if(c.srdi == "srdi").label("srdi"),
        _count_if(c.on_cloud == true()).label("on_cloud"),
        _count_if(c.accepted > 0).label("accepted"),
        _count_if(c.level_after >= 2).label("level2_after"),
        _count_if(c.level_after == 4).label("level4_after"),
        _count_if(c.smart_site == "workshop").label("workshops"),
        _count_if(c.smart_site == "factory").label("factories"),
        func.coalesce(func.sum(c.subsidy), 0).label("subsidy_wan"),
        func.coalesce(func.sum(c.subsidy_cap), 0).label("subsidy_cap_wan"),
        _count_if(and_(c.subsidy_cap > 0, c.subsidy_raw > c.subsidy_cap)).label("at_cap"),
    ]


def _wan(value: Any) -> Decimal:
    # Float sums of cent amounts carry binary noise; the figure is in cents, so round once here.
    return Decimal(str(value or 0)).quantize(CENT)


def _counts(row: Any) -> Counts:
    money = {"subsidy_wan", "subsidy_cap_wan"}
    values: dict[str, Any] = {k: _wan(row[k]) if k in money else int(row[k]) for k in _COUNT_FIELDS}
    return Counts(**values)


_COUNT_FIELDS = tuple(Counts.__dataclass_fields__)
# Each grouping of the one query: its name and the facts column it groups by (None: the totals).
_GROUPINGS: tuple[tuple[str, str | None], ...] = (
    ("total", None),
    *((dimension, dimension) for dimension in DIMENSIONS),
    ("level_before", "level_before"),
    ("level_after", "level_after"),
)


def _grouped_counts(session: Session, facts: Any) -> dict[str, dict[str | None, Counts]]:
    """Totals, each breakdown and both level distributions in one UNION ALL over the facts (computed once)."""
    parts = []
    for name, column in _GROUPINGS:
        # Codes travel as text so the union's column has one type; batches and levels are turned back below.
        code = cast(facts.c[column], String) if column else null()
        part = select(literal_column(f"'{name}'").label("grouping"), code.label("code"), *_aggregates(facts))
        parts.append(part.group_by(facts.c[column]) if column else part)
    grouped: dict[str, dict[str | None, Counts]] = {name: {} for name, _ in _GROUPINGS}
    for row in session.execute(union_all(*parts)).mappings():
        grouped[row["grouping"]][row["code"]] = _counts(row)
    return grouped


def _code(dimension: str, code: str | None) -> str | int | None:
    return int(code) if code is not None and dimension == "batch" else code


def _levels(grouped: Mapping[str | None, Counts]) -> dict[int | None, int]:
    found = {None if code is None else int(code): counts.enterprises for code, counts in grouped.items()}
    return {level: found.get(level, 0) for level in LEVELS}


def _supply(session: Session) -> tuple[int, int]:
    providers = select(func.count()).where(
        col(Organisation.kind) == OrgKind.PROVIDER, col(Organisation.state) == OrgState.APPROVED
    )
    products = select(func.count()).where(col(Product.listed) == true())
    return int(session.execute(providers).scalar_one()), int(session.execute(products).scalar_one())


def _awards(session: Session, targets: PilotTargets) -> AwardMoney:
    query = (
        select(col(AwardDecision.kind), func.count())
        .where(col(AwardDecision.shortlisted) == true())
        .group_by(col(AwardDecision.kind))
    )
    shortlisted = dict(session.execute(query).all())
    providers, products = int(shortlisted.get("provider", 0)), int(shortlisted.get("product", 0))
    return AwardMoney(
        providers=providers,
        products=products,
        provider_wan=providers * targets.award_provider_cap_wan,
        product_wan=products * targets.award_product_cap_wan,
    )


def subsidy_ceiling(targets: PilotTargets, rules: SubsidyRules = DEFAULT_RULES) -> Decimal:
    """The most the plan's targets could commit: every enterprise at the level-2 cap, the level-4 ones at theirs."""
    low, high = Decimal(rules.caps[targets.min_level_after]), Decimal(rules.caps[4])
    return ((targets.enterprises - targets.level4) * low + targets.level4 * high).quantize(CENT)


def pilot_progress(
    session: Session, *, targets: PilotTargets | None = None, rules: SubsidyRules = DEFAULT_RULES
) -> PilotProgress:
    """Every dashboard figure, from four aggregate queries.

    One UNION ALL over the enterprises, two counts of supply (providers, products), one of award decisions.
    """
    targets = targets or load_targets()
    grouped = _grouped_counts(session, enterprise_facts(rules))
    providers, products = _supply(session)
    return PilotProgress(
        targets=targets,
        totals=grouped["total"].get(None, Counts()),
        levels_before=_levels(grouped["level_before"]),
        levels_after=_levels(grouped["level_after"]),
        breakdowns={
            dimension: [
                Breakdown(_code(dimension, code), counts) for code, counts in grouped[dimension].items()
            ]
            for dimension in DIMENSIONS
        },
        providers=providers,
        products=products,
        awards=_awards(session, targets),
        subsidy_ceiling_wan=subsidy_ceiling(targets, rules),
    )
