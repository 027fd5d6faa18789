"""One row of facts per pilot enterprise, as a SQL subquery the dashboard's aggregates GROUP BY.

A *pilot enterprise* is an enterprise organisation enrolled in a batch (``batch`` set): the 460 of the plan.
Everything here is SQL the database evaluates; no row is loaded into Python.

Digital level **before** transformation, first that exists:
  1. the enterprise's signed 'before' self-assessment (the plan's own yardstick, signed as truthful);
  2. the ``level_before`` of its earliest engagement that records one (what the provider found at diagnosis);
  3. the ``digital_level`` of its profile (what it declared on registering).
Digital level **after** transformation, first that exists:
  1. the enterprise's signed 'after' self-assessment (acceptance rests on it);
  2. the best ``level_after`` of its *accepted* engagements (what acceptance recorded).
There is deliberately no third fallback: an enterprise not yet accepted has no level after (NULL, shown as "not
yet assessed"). Carrying its level before forward would count unfinished work toward the "all at level 2" target.

Subsidy **committed** per enterprise: the plan caps the subsidy per enterprise (50 万元 at level 2-3, 70 at level 4,
nothing below 2, by the level reached after), so the eligible spend of all its accepted engagements is added up
first, then ``rate x spend`` is rounded to the cent and capped at the cap of its level after. This is
``catalog.subsidy.compute_subsidy`` applied to the enterprise's total; the engagements list shows the same rules per
project, which can add up to more for an enterprise with two projects.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Float, Numeric, Subquery, and_, case, cast, func, literal, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import col

from catalog.models import Engagement, EngagementState, Organisation, OrgKind, SelfAssessment
from catalog.subsidy import DEFAULT_RULES, SubsidyRules


def is_pilot_enterprise() -> Any:
    """The WHERE clause that picks the pilot's enterprises out of ``organisation``."""
    return and_(col(Organisation.kind) == OrgKind.ENTERPRISE, col(Organisation.batch).is_not(None))


def _accepted() -> Subquery:
    # One row per enterprise with accepted engagements: how many, the best level reached, the spend to subsidise.
    return (
        select(
            col(Engagement.enterprise_id).label("enterprise_id"),
            func.count().label("accepted"),
            func.max(Engagement.level_after).label("best_after"),
            func.sum(Engagement.eligible_spend_wan).label("spend"),
        )
        .where(col(Engagement.state) == EngagementState.ACCEPTED)
        .group_by(col(Engagement.enterprise_id))
        .subquery("accepted_engagements")
    )


def _first_level_before() -> Any:
    # The earliest engagement's finding; created_at then id, because bulk imports share one timestamp.
    return (
        select(col(Engagement.level_before))
        .where(
            col(Engagement.enterprise_id) == col(Organisation.id), col(Engagement.level_before).is_not(None)
        )
        .order_by(col(Engagement.created_at), col(Engagement.id))
        .limit(1)
        .correlate(Organisation)
        .scalar_subquery()
    )


def enterprise_facts(rules: SubsidyRules = DEFAULT_RULES) -> CTE:
    """Per pilot enterprise: its grouping codes, cloud and smart site, levels before/after and subsidy figures.

    A CTE, so a query that aggregates it several ways (totals, each breakdown) computes the facts once.
    """
    before = aliased(SelfAssessment, name="assessed_before")
    after = aliased(SelfAssessment, name="assessed_after")
    accepted = _accepted()
    level_before = func.coalesce(before.level, _first_level_before(), Organisation.digital_level)
    level_after = func.coalesce(after.level, accepted.c.best_after)
    caps = {level: float(cap) for level, cap in rules.caps.items()}
    # The cap counts only where there is something to subsidise (an accepted engagement).
    cap = case((accepted.c.accepted.is_(None), 0.0), else_=case(caps, value=level_after, else_=0.0))
    # Rounded like compute_subsidy: to the cent, half up (numeric ROUND on PostgreSQL, decimal text on SQLite).
    spend = func.coalesce(accepted.c.spend, 0.0) * literal(float(rules.rate))
    raw = type_coerce(func.round(cast(spend, Numeric(16, 4)), 2), Float)
    return (
        select(
            col(Organisation.id).label("id"),
            col(Organisation.industry).label("industry"),
            col(Organisation.county).label("county"),
            col(Organisation.batch).label("batch"),
            col(Organisation.scale).label("scale"),
            col(Organisation.srdi).label("srdi"),
            col(Organisation.on_cloud).label("on_cloud"),
            col(Organisation.smart_site).label("smart_site"),
            level_before.label("level_before"),
            level_after.label("level_after"),
            func.coalesce(accepted.c.accepted, 0).label("accepted"),
            type_coerce(cap, Float).label("subsidy_cap"),
            raw.label("subsidy_raw"),
            type_coerce(case((raw > cap, cap), else_=raw), Float).label("subsidy"),
        )
        .outerjoin(
            before, and_(col(before.enterprise_id) == col(Organisation.id), col(before.stage) == "before")
        )
        .outerjoin(after, and_(col(after.enterprise_id) == col(Organisation.id), col(after.stage) == "after"))
        .outerjoin(accepted, accepted.c.enterprise_id == col(Organisation.id))
        .where(is_pilot_enterprise())
        .cte("pilot_enterprise")
        .prefix_with("MATERIALIZED")
    )
