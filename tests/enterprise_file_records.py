"""A typical enterprise file for the report tests: profile, both self-assessments, a diagnosis and two engagements
(one accepted with a subsidy, milestones and a review; one still in progress), built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalog import self_assessments
from catalog.assessment_config import SCORE_ITEMS
from catalog.diagnoses import save_diagnosis
from catalog.engagements import (
    add_milestone,
    record_acceptance,
    request_engagement,
    respond,
    set_progress,
    update_file,
)
from catalog.models import Engagement, Organisation, User
from reviews.services import post_review
from tests.conftest import Factory

MANDATORY_SIX = ("quality", "energy", "equipment", "production_control", "purchasing", "finance")
OTHER_TWO = ("planning_scheduling", "decision_support")
FINDINGS = "熔炼工序电耗高且无法分项计量，" * 12 + "结尾不应出现在摘要里"


@dataclass
class TypicalFile:
    enterprise: User
    first_provider: User  # accepted engagement: 80 万元 eligible at level 3 -> 40 万元 subsidy
    second_provider: User  # active engagement, no acceptance yet
    accepted: Engagement
    active: Engagement


def _assess(
    session, org: Organisation, user: User, stage: str, share: float, scenes: tuple, level: int
) -> None:
    items = {item.code: item.max_points * share for item in SCORE_ITEMS}
    self_assessments.save(
        session, enterprise=org, stage=stage, items=items, scenes=dict.fromkeys(scenes, level), actor=user
    )


def _engage(make: Factory, session, enterprise: User, org: Organisation, provider_name: str, product: str):
    provider_org = make.organisation("provider", name=provider_name)
    offered = make.product(provider_org, name=product, scenarios=["energy_management"])
    provider = make.user("provider", organisation=provider_org)
    engagement = request_engagement(
        session, enterprise=org, product_ids=[offered.id], message="请来诊断", actor=enterprise
    )
    respond(session, engagement=engagement, accept=True, reason="", actor=provider)
    return provider, engagement, offered


def typical_file(make: Factory, session) -> TypicalFile:
    """Build the file and commit it."""
    enterprise = make.user(
        "enterprise",
        name="洛阳宏远轴承有限公司",
        industry="bearings",
        county="jianxi",
        batch=1,
        scale="above",
        srdi="little_giant",
        employees=320,
    )
    org = session.get(Organisation, enterprise.organisation_id)
    _assess(session, org, enterprise, "before", 0.45, MANDATORY_SIX, 1)  # level 1, 45 points
    _assess(session, org, enterprise, "after", 0.65, (*MANDATORY_SIX, *OTHER_TWO), 3)  # level 3, 65 points
    raw = {
        "findings": FINDINGS,
        "target_scenarios": ["energy_management", "visual_inspection"],
        "solved_scenarios": ["energy_management"],
        "budget_wan": "120",
    }
    save_diagnosis(session, enterprise=org, raw=raw, actor=enterprise)

    first, accepted, product = _engage(make, session, enterprise, org, "洛阳智能装备", "能耗监测平台")
    money = {"contract_wan": "100", "eligible_software_wan": "60", "eligible_cloud_wan": "20"}
    update_file(session, engagement=accepted, raw={**money, "eligible_equipment_wan": "10"}, actor=first)
    for title, progress in (("电表安装", 100), ("能耗模型上线", 100)):
        milestone = add_milestone(session, engagement=accepted, title=title, due_on=None, actor=first)
        set_progress(session, engagement=accepted, milestone_id=milestone.id, progress=progress, actor=first)
    acceptance = {"level_before": "1", "level_after": "3", "eligible_spend_wan": "80"}
    record_acceptance(
        session, engagement=accepted, raw={**acceptance, "accepted_on": date(2026, 6, 30)}, actor=enterprise
    )
    scores = {"effect": "5", "delivery": "4", "cost": "3", "service": "5", "recommend": "9"}
    post_review(
        session, engagement_id=accepted.id, product_id=product.id, raw=scores, actor=enterprise, ip=""
    )

    second, active, _ = _engage(make, session, enterprise, org, "河洛云数据", "视觉质检一体机")
    update_file(
        session, engagement=active, raw={"contract_wan": "30", "eligible_software_wan": "12"}, actor=second
    )
    milestone = add_milestone(session, engagement=active, title="相机安装", due_on=None, actor=second)
    set_progress(session, engagement=active, milestone_id=milestone.id, progress=50, actor=second)
    session.commit()
    return TypicalFile(enterprise, first, second, accepted, active)
