"""One enterprise's file (一企一档) gathered for one printable page: profile, self-assessments and the path to the
next level, diagnosis, engagements with their subsidy, and the reviews given.

Who may read it follows the diagnosis rule (the enterprise itself, staff, a provider it engaged); everyone else is
told it does not exist. An engaged provider sees only its own engagements with the enterprise and the reviews of
them: only the two parties and staff know that an engagement exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from catalog import self_assessments
from catalog.assessment import LevelResult
from catalog.diagnoses import may_read
from catalog.engagements import milestones_of, products_of, subsidy_of
from catalog.errors import NotFound
from catalog.models import (
    Diagnosis,
    Engagement,
    Milestone,
    Organisation,
    OrgKind,
    Product,
    Review,
    SelfAssessment,
    User,
)
from catalog.subsidy import SubsidyCalculation


@dataclass(frozen=True)
class StageSummary:
    """One stored self-assessment (before or after) with the level it reaches and the rule that decided it."""

    stage: str
    row: SelfAssessment
    result: LevelResult


@dataclass(frozen=True)
class EngagementSummary:
    """One engagement as the file shows it: provider, products, money, milestones, acceptance and reviews."""

    engagement: Engagement
    provider: Organisation
    products: Sequence[Product]
    milestones: Sequence[Milestone]
    subsidy: SubsidyCalculation | None
    reviews: Sequence[tuple[Review, Product]]

    @property
    def milestones_done(self) -> int:
        """How many milestones report 100%."""
        return sum(1 for milestone in self.milestones if milestone.progress >= 100)

    @property
    def progress(self) -> int | None:
        """The mean progress of the milestones in whole percent (None without milestones)."""
        if not self.milestones:
            return None
        return round(sum(milestone.progress for milestone in self.milestones) / len(self.milestones))

    @property
    def planned_eligible_wan(self) -> float | None:
        """The eligible part of the contract as filed (software + cloud + equipment), None if none was filed."""
        parts = (
            self.engagement.eligible_software_wan,
            self.engagement.eligible_cloud_wan,
            self.engagement.eligible_equipment_wan,
        )
        return None if all(part is None for part in parts) else sum(part or 0 for part in parts)


@dataclass(frozen=True)
class EnterpriseFile:
    """Everything the one-page file shows, already filtered for the viewer."""

    enterprise: Organisation
    stages: Mapping[str, StageSummary]
    next_level: self_assessments.NextLevel | None
    diagnosis: Diagnosis | None
    engagements: Sequence[EngagementSummary]

    @property
    def subsidy_total_wan(self) -> Decimal:
        """The subsidy due over the engagements shown (accepted ones only have one)."""
        return sum((e.subsidy.subsidy_wan for e in self.engagements if e.subsidy), Decimal("0.00"))

    @property
    def reviews(self) -> list[tuple[Review, Product]]:
        """The reviews the enterprise gave in the engagements shown, with the product reviewed."""
        return [pair for summary in self.engagements for pair in summary.reviews]


def enterprise_file(session: Session, *, enterprise_id: int, viewer: User | None) -> EnterpriseFile:
    """The enterprise's file as the viewer may see it; NotFound for anyone who may not read it."""
    enterprise = session.get(Organisation, enterprise_id)
    if (
        enterprise is None
        or enterprise.kind != OrgKind.ENTERPRISE
        or viewer is None
        or not may_read(session, enterprise_id=enterprise_id, viewer=viewer)
    ):
        raise NotFound()
    rows = self_assessments.stored(session, enterprise_id=enterprise_id)
    diagnosis = session.exec(select(Diagnosis).where(Diagnosis.enterprise_id == enterprise_id)).first()
    return EnterpriseFile(
        enterprise=enterprise,
        stages={
            stage: StageSummary(stage, rows[stage], self_assessments.level_of(rows[stage]))
            for stage in self_assessments.STAGES
            if stage in rows
        },
        # The file looks ahead from where the enterprise stands now: the 'after' assessment once there is one.
        next_level=self_assessments.next_level_path(
            session,
            rows=rows,
            budget_wan=diagnosis.budget_wan if diagnosis else None,
            prefer=tuple(reversed(self_assessments.STAGES)),
        ),
        diagnosis=diagnosis,
        engagements=_engagements(session, enterprise_id=enterprise_id, viewer=viewer),
    )


def _engagements(session: Session, *, enterprise_id: int, viewer: User) -> list[EngagementSummary]:
    query = select(Engagement).where(Engagement.enterprise_id == enterprise_id)
    if viewer.kind == OrgKind.PROVIDER:
        query = query.where(Engagement.provider_id == viewer.organisation_id)
    engagements = session.exec(query.order_by(col(Engagement.created_at), col(Engagement.id))).all()
    providers = {
        org.id: org
        for org in session.exec(
            select(Organisation).where(col(Organisation.id).in_({e.provider_id for e in engagements}))
        ).all()
    }
    summaries = []
    for engagement in engagements:
        products = products_of(session, engagement)
        by_id = {product.id: product for product in products}
        given = session.exec(
            select(Review).where(Review.engagement_id == engagement.id).order_by(col(Review.id))
        ).all()
        summaries.append(
            EngagementSummary(
                engagement=engagement,
                provider=providers[engagement.provider_id],
                products=products,
                milestones=milestones_of(session, engagement),
                subsidy=subsidy_of(engagement),
                reviews=[
                    (review, by_id[review.product_id]) for review in given if review.product_id in by_id
                ],
            )
        )
    return summaries
