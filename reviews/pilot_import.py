"""`marketplace import pilot DIR`: enterprises, engagements and reviews, each idempotent by external id.

Bad lines are reported with their file and line number and skipped; reviews are verified against their engagement
exactly as on the site (accepted, product delivered in it) and flagged by the same rules afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from catalog.errors import Invalid
from catalog.models import (
    Engagement,
    EngagementProduct,
    EngagementState,
    Organisation,
    OrgKind,
    Product,
    Review,
    pk,
)
from catalog.taxonomy import COUNTIES, SCALES, SMART_SITES, SRDI, load_taxonomy
from reviews.duplicates import normalise
from reviews.services import refresh_flags, validate_scores

FILES = ("enterprises.jsonl", "engagements.jsonl", "reviews.jsonl")
BEIJING = timezone(timedelta(hours=8))


@dataclass
class PilotReport:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILES, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILES, 0))
    errors: list[str] = field(default_factory=list)
    flagged: int = 0


def _when(value: Any, name: str) -> datetime:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise Invalid({name: "日期时间格式无效 / not an ISO date-time"}) from None
    # The format writes Beijing time; a time without an offset (or a bare date) is read as Beijing time too,
    # rather than failing at the database, which stores only aware times.
    return when if when.tzinfo else when.replace(tzinfo=BEIJING)


def _enterprise(session: Session, row: Mapping[str, Any]) -> bool:
    taxonomy = load_taxonomy()
    checks: dict[str, Mapping[str, object]] = {
        "industry": taxonomy.industries,
        "scale": SCALES,
        "srdi": SRDI,
        "county": COUNTIES,
    }
    errors = {
        name: "无效的代码 / unknown code" for name, known in checks.items() if row.get(name) not in known
    }
    if not str(row.get("name") or "").strip():
        errors["name"] = "必填 / is required"
    if row.get("batch") not in (1, 2, 3) or row.get("digital_level") not in (0, 1, 2, 3, 4):
        errors["batch"] = "批次应为 1-3，水平 0-4 / batch 1-3, level 0-4"
    # Optional: older files have neither field (not on the cloud, no smart site).
    if not isinstance(row.get("on_cloud", False), bool):
        errors["on_cloud"] = "应为 true 或 false / must be true or false"
    if row.get("smart_site") not in (None, *SMART_SITES):
        errors["smart_site"] = "应为 workshop、factory 或 null / must be workshop, factory or null"
    if errors:
        raise Invalid(errors)
    org = session.exec(select(Organisation).where(Organisation.external_id == row["id"])).first()
    if org is not None:
        return False
    session.add(
        Organisation(
            kind=OrgKind.ENTERPRISE,
            external_id=row["id"],
            name=row["name"][:120],
            industry=row["industry"],
            scale=row["scale"],
            srdi=row["srdi"],
            county=row["county"],
            employees=row.get("employees"),
            digital_level=row["digital_level"] or None,
            batch=row["batch"],
            on_cloud=row.get("on_cloud", False),
            smart_site=row.get("smart_site"),
            created_at=_when(row.get("created_at") or "2025-11-07", "created_at"),
        )
    )
    return True


def _by_external(session: Session, model: Any, external_id: Any, name: str) -> Any:
    found = session.exec(select(model).where(model.external_id == str(external_id))).first()
    if found is None:
        raise Invalid({name: f"未知编号 / unknown id {external_id}"})
    return found


def _engagement(session: Session, row: Mapping[str, Any]) -> bool:
    if session.exec(select(Engagement.id).where(Engagement.external_id == row["id"])).first() is not None:
        return False
    enterprise = _by_external(session, Organisation, row.get("enterprise"), "enterprise")
    provider = _by_external(session, Organisation, row.get("provider"), "provider")
    if row.get("state") not in {state.value for state in EngagementState}:
        raise Invalid({"state": "无效的状态 / unknown state"})
    products = [
        _by_external(session, Product, external, "products") for external in row.get("products") or []
    ]
    if not products or any(product.provider_id != provider.id for product in products):
        raise Invalid({"products": "产品须属于该服务商 / products must belong to the provider"})
    engagement = Engagement(
        external_id=row["id"],
        enterprise_id=pk(enterprise),
        provider_id=pk(provider),
        state=row["state"],
        contract_wan=row.get("contract_wan"),
        eligible_spend_wan=row.get("eligible_spend_wan"),
        level_before=row.get("level_before"),
        level_after=row.get("level_after"),
        accepted_on=date.fromisoformat(row["accepted_on"]) if row.get("accepted_on") else None,
    )
    session.add(engagement)
    session.flush()
    for product in products:
        session.add(EngagementProduct(engagement_id=pk(engagement), product_id=pk(product)))
    return True


def _review(session: Session, row: Mapping[str, Any]) -> bool:
    if session.exec(select(Review.id).where(Review.external_id == row["id"])).first() is not None:
        return False
    engagement = _by_external(session, Engagement, row.get("engagement"), "engagement")
    if engagement.state != EngagementState.ACCEPTED:
        raise Invalid({"engagement": "项目未验收，不能评价 / the engagement is not accepted"})
    product = _by_external(session, Product, row.get("product"), "product")
    if session.get(EngagementProduct, (engagement.id, product.id)) is None:
        raise Invalid({"product": "该产品不在此项目中 / the product was not delivered in this engagement"})
    scores = validate_scores(row)
    session.add(
        Review(
            external_id=row["id"],
            engagement_id=pk(engagement),
            product_id=pk(product),
            provider_id=engagement.provider_id,
            enterprise_id=engagement.enterprise_id,
            ip=str(row.get("ip") or "")[:64],
            created_at=_when(row.get("created_at"), "created_at"),
            author_created_at=_when(
                row.get("author_created_at") or row.get("created_at"), "author_created_at"
            ),
            text_normalised=normalise(scores["text"]),
            **scores,
        )
    )
    return True


STEPS: dict[str, Callable[[Session, Mapping[str, Any]], bool]] = {
    "enterprises.jsonl": _enterprise,
    "engagements.jsonl": _engagement,
    "reviews.jsonl": _review,
}


def import_pilot(session: Session, directory: Path) -> PilotReport:
    """Import the three files in order; each line in its own savepoint; flags computed at the end."""
    report = PilotReport()
    for name, step in STEPS.items():
        path = directory / name
        if not path.exists():
            report.errors.append(f"{name}: 文件不存在 / file missing")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                    raise Invalid({"id": "每行应为带 id 的对象 / each line is an object with an id"})
                with session.begin_nested():
                    created = step(session, row)
            except json.JSONDecodeError as error:
                report.errors.append(f"{name}:{number}: 不是有效的 JSON / not valid JSON ({error.msg})")
                continue
            except Invalid as error:
                report.errors.append(
                    f"{name}:{number}: " + "; ".join(f"{k}: {v}" for k, v in error.errors.items())
                )
                continue
            bucket = report.created if created else report.unchanged
            bucket[name] += 1
    all_reviews = list(session.exec(select(Review)).all())
    refresh_flags(session, reviews=all_reviews)
    report.flagged = sum(1 for review in all_reviews if review.held)
    return report


__all__ = ["import_pilot"]
