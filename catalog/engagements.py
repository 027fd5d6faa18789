"""Engagements: the enterprise's file (一企一档) with one provider, from request to acceptance (验收).

requested -> active (provider accepts) | declined (provider declines) | cancelled (enterprise withdraws);
active -> accepted (acceptance recorded) | cancelled. Only the two parties and staff know an engagement exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from catalog import audit
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import (
    Engagement,
    EngagementProduct,
    EngagementState,
    Milestone,
    Organisation,
    OrgKind,
    Product,
    User,
    pk,
    utcnow,
)
from catalog.subsidy import SubsidyCalculation, compute_subsidy
from catalog.validation import optional_number

OPEN = (EngagementState.REQUESTED, EngagementState.ACTIVE)
MONEY_FIELDS = ("contract_wan", "eligible_software_wan", "eligible_cloud_wan", "eligible_equipment_wan")


def visible_engagement(session: Session, *, engagement_id: int, viewer: User | None) -> Engagement:
    """The engagement, for its enterprise, its provider and staff; NotFound for everyone else."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or viewer is None:
        raise NotFound()
    if viewer.kind == OrgKind.STAFF or viewer.organisation_id in (
        engagement.enterprise_id,
        engagement.provider_id,
    ):
        return engagement
    raise NotFound()


def products_of(session: Session, engagement: Engagement) -> list[Product]:
    """The products delivered in the engagement."""
    return list(
        session.exec(
            select(Product)
            .join(EngagementProduct, col(EngagementProduct.product_id) == col(Product.id))
            .where(EngagementProduct.engagement_id == engagement.id)
            .order_by(col(Product.id))
        ).all()
    )


def request_engagement(
    session: Session, *, enterprise: Organisation, product_ids: Sequence[int], message: str, actor: User
) -> Engagement:
    """The enterprise asks the provider of these (listed) products to engage."""
    products = [session.get(Product, product_id) for product_id in dict.fromkeys(product_ids)]
    if not products or any(product is None or not product.listed for product in products):
        raise NotFound()
    providers = {product.provider_id for product in products if product}
    if len(providers) != 1:
        raise Invalid({"products": bilingual("一次只能邀请一家服务商", "one request goes to one provider")})
    provider_id = providers.pop()
    if (
        session.exec(
            select(Engagement.id).where(
                Engagement.enterprise_id == enterprise.id,
                Engagement.provider_id == provider_id,
                col(Engagement.state).in_(OPEN),
            )
        ).first()
        is not None
    ):
        raise Conflict(
            bilingual("与该服务商已有进行中的合作", "an engagement with this provider is already open")
        )
    engagement = Engagement(
        enterprise_id=pk(enterprise), provider_id=provider_id, message=message.strip()[:2000]
    )
    session.add(engagement)
    session.flush()
    for product in products:
        session.add(EngagementProduct(engagement_id=pk(engagement), product_id=pk(product)))  # type: ignore[arg-type]
    audit.record(
        session, actor=actor, action="engagement.request", subject_type="engagement", subject_id=engagement.id
    )
    return engagement


def _party(engagement: Engagement, actor: User, kind: OrgKind) -> None:
    own = engagement.enterprise_id if kind == OrgKind.ENTERPRISE else engagement.provider_id
    if actor.organisation_id != own:
        raise NotFound()


def _move(
    session: Session,
    engagement: Engagement,
    *,
    allowed_from: Sequence[str],
    to: str,
    actor: User,
    detail: dict[str, Any] | None = None,
) -> Engagement:
    if engagement.state not in allowed_from:
        raise Conflict(
            bilingual("当前状态下不能执行此操作", "not possible in the engagement's current state")
        )
    engagement.state = to
    engagement.updated_at = utcnow()
    session.add(engagement)
    audit.record(
        session,
        actor=actor,
        action=f"engagement.{to}",
        subject_type="engagement",
        subject_id=engagement.id,
        detail=detail,
    )
    return engagement


def respond(
    session: Session, *, engagement: Engagement, accept: bool, reason: str, actor: User
) -> Engagement:
    """The provider accepts (the file opens) or declines with a reason."""
    _party(engagement, actor, OrgKind.PROVIDER)
    if not accept and not reason.strip():
        raise Invalid({"reason": bilingual("拒绝时请说明原因", "say why you decline")})
    engagement.decline_reason = "" if accept else reason.strip()[:500]
    to = EngagementState.ACTIVE if accept else EngagementState.DECLINED
    return _move(session, engagement, allowed_from=[EngagementState.REQUESTED], to=to, actor=actor)


def cancel(session: Session, *, engagement: Engagement, actor: User) -> Engagement:
    """The enterprise withdraws before acceptance."""
    _party(engagement, actor, OrgKind.ENTERPRISE)
    return _move(session, engagement, allowed_from=OPEN, to=EngagementState.CANCELLED, actor=actor)


def _money(raw: Mapping[str, Any], name: str, errors: dict[str, str]) -> float | None:
    try:
        return optional_number(raw.get(name), low=0, high=100_000)
    except ValueError:
        errors[name] = bilingual("应为 0 至 100000 之间的金额（万元）", "must be an amount from 0 to 100000")
        return None


def update_file(
    session: Session, *, engagement: Engagement, raw: Mapping[str, Any], actor: User
) -> Engagement:
    """The provider files the diagnosis report, the agreed plan and the contract (备案) of an active engagement."""
    _party(engagement, actor, OrgKind.PROVIDER)
    if engagement.state != EngagementState.ACTIVE:
        raise Conflict(
            bilingual("只有进行中的合作可以修改档案", "only an active engagement's file can change")
        )
    errors: dict[str, str] = {}
    amounts = {name: _money(raw, name, errors) for name in MONEY_FIELDS}
    eligible = sum(amounts[name] or 0 for name in MONEY_FIELDS[1:])
    if not errors and amounts["contract_wan"] is not None and eligible > amounts["contract_wan"] + 1e-9:
        errors["eligible_software_wan"] = bilingual(
            "可补贴支出之和不能超过合同金额", "eligible spend cannot exceed the contract amount"
        )
    texts = {name: str(raw.get(name) or "").strip() for name in ("diagnosis_report", "plan")}
    for name, text in texts.items():
        if len(text) > 8000:
            errors[name] = bilingual("不能超过 8000 个字符", "must be at most 8000 characters")
    if errors:
        raise Invalid(errors)
    for name, value in {**amounts, **texts}.items():
        setattr(engagement, name, value)
    engagement.updated_at = utcnow()
    session.add(engagement)
    audit.record(
        session, actor=actor, action="engagement.file", subject_type="engagement", subject_id=engagement.id
    )
    return engagement


def add_milestone(
    session: Session, *, engagement: Engagement, title: str, due_on: date | None, actor: User
) -> Milestone:
    """The provider plans a milestone of an active engagement."""
    _party(engagement, actor, OrgKind.PROVIDER)
    if engagement.state != EngagementState.ACTIVE:
        raise Conflict(bilingual("只有进行中的合作可以安排里程碑", "milestones belong to active engagements"))
    if not title.strip() or len(title) > 200:
        raise Invalid(
            {"title": bilingual("请填写 1 至 200 字的里程碑名称", "a title of 1 to 200 characters")}
        )
    milestone = Milestone(engagement_id=pk(engagement), title=title.strip(), due_on=due_on)
    session.add(milestone)
    session.flush()
    return milestone


def set_progress(
    session: Session, *, engagement: Engagement, milestone_id: int, progress: int, actor: User
) -> Milestone:
    """The provider reports a milestone's progress (0-100%)."""
    _party(engagement, actor, OrgKind.PROVIDER)
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.engagement_id != engagement.id:
        raise NotFound()
    if not 0 <= progress <= 100:
        raise Invalid({"progress": bilingual("进度应在 0 至 100 之间", "progress is 0 to 100")})
    milestone.progress = progress
    session.add(milestone)
    session.flush()
    return milestone


def milestones_of(session: Session, engagement: Engagement) -> list[Milestone]:
    """The engagement's milestones by due date."""
    return list(
        session.exec(
            select(Milestone)
            .where(Milestone.engagement_id == engagement.id)
            .order_by(col(Milestone.due_on), col(Milestone.id))
        ).all()
    )


def record_acceptance(
    session: Session, *, engagement: Engagement, raw: Mapping[str, Any], actor: User
) -> Engagement:
    """Acceptance (验收) by the enterprise or staff: levels before and after, eligible spend incurred, documents."""
    if actor.kind != OrgKind.STAFF:
        _party(engagement, actor, OrgKind.ENTERPRISE)
    errors: dict[str, str] = {}
    levels = {}
    for name in ("level_before", "level_after"):
        value = raw.get(name)
        if str(value) not in {"0", "1", "2", "3", "4"}:
            errors[name] = bilingual("数字化水平应为 0 至 4 级", "a level from 0 to 4")
        else:
            levels[name] = int(value)  # type: ignore[arg-type]
    spend = _money(raw, "eligible_spend_wan", errors)
    if spend is None and "eligible_spend_wan" not in errors:
        errors["eligible_spend_wan"] = bilingual(
            "请填写实际发生的可补贴支出", "the eligible spend incurred is required"
        )
    documents = [line.strip()[:200] for line in str(raw.get("documents") or "").splitlines() if line.strip()][
        :50
    ]
    if errors:
        raise Invalid(errors)
    engagement.level_before, engagement.level_after = levels["level_before"], levels["level_after"]
    engagement.eligible_spend_wan = spend
    engagement.documents = documents
    # A date object comes from an import of past files; a form's text never sets it (it was a 500, or a backdate).
    accepted_on = raw.get("accepted_on")
    engagement.accepted_on = accepted_on if isinstance(accepted_on, date) else utcnow().date()
    return _move(
        session,
        engagement,
        allowed_from=[EngagementState.ACTIVE],
        to=EngagementState.ACCEPTED,
        actor=actor,
        detail={"level_after": engagement.level_after, "eligible_spend_wan": spend},
    )


def subsidy_of(engagement: Engagement) -> SubsidyCalculation | None:
    """The subsidy due under the pilot's rules, once acceptance is recorded."""
    if engagement.eligible_spend_wan is None or engagement.level_after is None:
        return None
    return compute_subsidy(
        eligible_spend_wan=engagement.eligible_spend_wan, level_after=engagement.level_after
    )
