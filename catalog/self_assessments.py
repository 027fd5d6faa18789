"""Stored self-assessments (before and after transformation) and the path to a target level over the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from catalog import audit
from catalog.assessment import LevelResult, assess_level, validate_assessment
from catalog.errors import Invalid, bilingual
from catalog.interchange import product_row
from catalog.level_path import PathResult, Unreachable, candidates_from_products, search_path
from catalog.models import Organisation, Product, SelfAssessment, User, pk, utcnow
from catalog.queries import products_with_providers

STAGES = ("before", "after")


@dataclass(frozen=True)
class NextLevel:
    """The path to a target level and the catalogue products it names (by external id)."""

    stage: str
    target: int
    path: PathResult | Unreachable
    products: Mapping[str, Product]


def stored(session: Session, *, enterprise_id: int) -> dict[str, SelfAssessment]:
    """The enterprise's assessments by stage."""
    rows = session.exec(select(SelfAssessment).where(SelfAssessment.enterprise_id == enterprise_id)).all()
    return {row.stage: row for row in rows}


def save(
    session: Session,
    *,
    enterprise: Organisation,
    stage: str,
    items: Mapping[str, Any],
    scenes: Mapping[str, Any],
    actor: User,
) -> tuple[SelfAssessment, LevelResult]:
    """Validate, score and keep one assessment (signed by the acting user as truthful)."""
    if stage not in STAGES:
        raise Invalid({"stage": bilingual("阶段应为改造前或改造后", "stage is before or after")})
    assessment = validate_assessment(items=items, scenes=scenes)
    result = assess_level(score=assessment.score, scenes=assessment.scenes)
    row = stored(session, enterprise_id=pk(enterprise)).get(stage) or SelfAssessment(
        enterprise_id=pk(enterprise), stage=stage
    )
    row.items, row.scenes = dict(assessment.items), dict(assessment.scenes)
    row.score, row.level = assessment.score, result.level
    row.signed_by_user_id, row.updated_at = actor.id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"assessment.{stage}",
        subject_type="organisation",
        subject_id=enterprise.id,
        detail={"score": row.score, "level": row.level},
    )
    return row, result


def level_of(row: SelfAssessment) -> LevelResult:
    """The level and its rule, recomputed from a stored assessment."""
    return assess_level(score=row.score, scenes=row.scenes)


def path_to(
    session: Session, *, row: SelfAssessment, target_level: int, budget_wan: float | None
) -> PathResult | Unreachable:
    """The cheapest listed products that lift this assessment to the target level (within the budget)."""
    current = validate_assessment(items=row.items, scenes=row.scenes)
    candidates = candidates_from_products(
        [product_row(p, o) for p, o in products_with_providers(session)],
        current=current,
        target_level=target_level,
    )
    return search_path(
        current=current, target_level=target_level, candidates=candidates, budget_wan=budget_wan
    )


def next_level_path(
    session: Session,
    *,
    rows: Mapping[str, SelfAssessment],
    budget_wan: float | None,
    target: int | None = None,
    prefer: tuple[str, ...] = STAGES,
) -> NextLevel | None:
    """The cheapest path from the first assessment found in ``prefer`` order (before, then after) to the target.

    Without a target, the next level up, but at least level 2 (the pilot's floor) and at most level 4.
    None when the enterprise has not assessed itself yet.
    """
    base = next((rows[stage] for stage in prefer if stage in rows), None)
    if base is None:
        return None
    target = target or min(4, max(2, level_of(base).level + 1))
    path = path_to(session, row=base, target_level=target, budget_wan=budget_wan)
    products: dict[str, Product] = {}
    if isinstance(path, PathResult) and path.product_ids:
        chosen = session.exec(select(Product).where(col(Product.external_id).in_(path.product_ids))).all()
        products = {p.external_id: p for p in chosen}
    return NextLevel(stage=base.stage, target=target, path=path, products=products)
