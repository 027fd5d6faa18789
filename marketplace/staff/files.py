"""Staff views of every engagement file: filters by industry, county, batch, provider and state; exports."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from catalog.engagements import subsidy_of
from catalog.models import Engagement, EngagementState, Organisation, OrgKind
from catalog.taxonomy import COUNTIES, load_taxonomy
from marketplace import db
from marketplace.exports import table_response
from marketplace.forms_common import whole_number
from marketplace.guards import role_required
from marketplace.staff import bp

FILTERS = ("industry", "county", "batch", "provider", "state")


def _filtered():
    enterprise, provider = aliased(Organisation), aliased(Organisation)
    query = (
        select(Engagement, enterprise, provider)
        .join(enterprise, col(enterprise.id) == col(Engagement.enterprise_id))
        .join(provider, col(provider.id) == col(Engagement.provider_id))
    )
    chosen = {name: request.args.get(name) or None for name in FILTERS}
    if chosen["industry"] in load_taxonomy().industries:
        query = query.where(enterprise.industry == chosen["industry"])
    if chosen["county"] in COUNTIES:
        query = query.where(enterprise.county == chosen["county"])
    if chosen["batch"] in ("1", "2", "3"):
        query = query.where(enterprise.batch == int(chosen["batch"]))  # type: ignore[arg-type]
    if (provider_id := whole_number(chosen["provider"])) is not None:
        query = query.where(col(Engagement.provider_id) == provider_id)
    if chosen["state"] in {state.value for state in EngagementState}:
        query = query.where(Engagement.state == chosen["state"])
    return db.session().exec(query.order_by(col(Engagement.updated_at).desc())).all(), chosen


HEADERS = (
    "编号 id",
    "企业 enterprise",
    "行业 industry",
    "县区 county",
    "批次 batch",
    "服务商 provider",
    "状态 state",
    "合同金额 contract (万元)",
    "可补贴支出 eligible spend (万元)",
    "改造前 level before",
    "改造后 level after",
    "补贴 subsidy (万元)",
    "验收日期 accepted on",
)


def _row(engagement: Engagement, enterprise: Organisation, provider: Organisation) -> list:
    subsidy = subsidy_of(engagement)
    return [
        engagement.external_id or engagement.id,
        enterprise.name,
        enterprise.industry or "",
        enterprise.county or "",
        enterprise.batch or "",
        provider.name,
        engagement.state,
        engagement.contract_wan,
        engagement.eligible_spend_wan,
        engagement.level_before,
        engagement.level_after,
        float(subsidy.subsidy_wan) if subsidy else None,
        engagement.accepted_on.isoformat() if engagement.accepted_on else "",
    ]


@bp.route("/engagements")
@role_required("staff")
def engagements():
    """Every engagement file, filtered; ?format=xlsx or csv downloads the same rows."""
    rows, chosen = _filtered()
    fmt = request.args.get("format")
    if fmt:
        return table_response("engagements", HEADERS, (_row(*row) for row in rows), fmt)
    providers = (
        db.session()
        .exec(select(Organisation).where(Organisation.kind == OrgKind.PROVIDER).order_by(Organisation.name))
        .all()
    )
    return render_template(
        "staff/engagements.html",
        rows=rows[:500],
        total=len(rows),
        chosen=chosen,
        providers=providers,
        subsidy_of=subsidy_of,
    )
