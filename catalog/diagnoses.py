"""Diagnoses (诊断 + 一企一策) and shortlists: an enterprise's own data, visible to it, staff and its engaged provider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from catalog import audit
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import (
    Diagnosis,
    Engagement,
    EngagementState,
    Organisation,
    OrgKind,
    Product,
    ShortlistItem,
    User,
    pk,
    utcnow,
)
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from catalog.validation import optional_number

FINDINGS_MAX = 8000
COMPARE_MAX = 4
SHORTLIST_MAX = 50


def may_read(session: Session, *, enterprise_id: int, viewer: User | None) -> bool:
    """The enterprise itself, staff, and a provider it engaged."""
    if viewer is None:
        return False
    if viewer.kind == OrgKind.STAFF or viewer.organisation_id == enterprise_id:
        return True
    return viewer.kind == OrgKind.PROVIDER and provider_is_engaged(
        session, enterprise_id, viewer.organisation_id
    )


def provider_is_engaged(session: Session, enterprise_id: int, provider_id: int) -> bool:
    """True while the provider works, or has worked, for the enterprise (it may then read its file)."""
    engaged = (EngagementState.ACTIVE, EngagementState.ACCEPTED)
    query = select(Engagement.id).where(
        Engagement.enterprise_id == enterprise_id,
        Engagement.provider_id == provider_id,
        col(Engagement.state).in_(engaged),
    )
    return session.exec(query).first() is not None


def _codes(value: Any, known: Mapping[str, object], field: str, errors: dict[str, str]) -> list[str]:
    codes = list(dict.fromkeys(value or []))
    if not all(isinstance(code, str) and code in known for code in codes):
        errors[field] = bilingual("包含无效的选项", "contains unknown choices")
        return []
    return codes


def _budget(value: Any, errors: dict[str, str]) -> float | None:
    try:
        return optional_number(value, low=0, high=100_000)
    except ValueError:
        errors["budget_wan"] = bilingual(
            "预算应为 0 至 100000 万元之间的数字", "must be a number from 0 to 100000"
        )
        return None


def _scene_levels(value: Any, errors: dict[str, str]) -> dict[str, int]:
    scenes = load_taxonomy().national_scenes
    levels = {}
    for code, level in dict(value or {}).items():
        if code not in scenes or level not in (0, 1, 2, 3, 4, "0", "1", "2", "3", "4", None, ""):
            errors["scene_levels"] = bilingual("场景等级应为 1 至 4", "scene levels must be 1 to 4")
            return {}
        if level not in (None, "", 0, "0"):
            levels[code] = int(level)
    return levels


def validate_diagnosis(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Clean diagnosis fields, or Invalid naming each bad one."""
    taxonomy = load_taxonomy()
    errors: dict[str, str] = {}
    findings = str(raw.get("findings") or "").strip()
    plan = str(raw.get("plan") or "").strip()
    for name, text in (("findings", findings), ("plan", plan)):
        if len(text) > FINDINGS_MAX:
            errors[name] = bilingual(
                f"不能超过 {FINDINGS_MAX} 个字符", f"must be at most {FINDINGS_MAX} characters"
            )
    deployment = raw.get("preferred_deployment") or None
    if deployment is not None and deployment not in DEPLOYMENTS:
        errors["preferred_deployment"] = bilingual("无效的部署方式", "unknown deployment")
    cleaned = {
        "findings": findings,
        "plan": plan,
        "target_scenarios": _codes(
            raw.get("target_scenarios"), taxonomy.scenarios, "target_scenarios", errors
        ),
        "solved_scenarios": _codes(
            raw.get("solved_scenarios"), taxonomy.scenarios, "solved_scenarios", errors
        ),
        "budget_wan": _budget(raw.get("budget_wan"), errors),
        "preferred_deployment": deployment,
        "scene_levels": _scene_levels(raw.get("scene_levels"), errors),
    }
    if not findings and not cleaned["target_scenarios"]:
        errors["findings"] = bilingual(
            "请填写诊断发现或勾选需要的场景", "write the findings or tick the scenarios needed"
        )
    if errors:
        raise Invalid(errors)
    return cleaned


def current_diagnosis(session: Session, *, enterprise_id: int, viewer: User | None) -> Diagnosis | None:
    """The enterprise's diagnosis if the viewer may read it (NotFound otherwise); None when none was filed yet."""
    if not may_read(session, enterprise_id=enterprise_id, viewer=viewer):
        raise NotFound()
    return session.exec(select(Diagnosis).where(Diagnosis.enterprise_id == enterprise_id)).first()


def save_diagnosis(
    session: Session, *, enterprise: Organisation, raw: Mapping[str, Any], actor: User
) -> Diagnosis:
    """File or update the diagnosis (by the enterprise, or by a provider it engaged)."""
    if enterprise.kind != OrgKind.ENTERPRISE or not may_read(
        session, enterprise_id=pk(enterprise), viewer=actor
    ):
        raise NotFound()
    if actor.kind == OrgKind.STAFF:
        raise Conflict(bilingual("工作人员只能查看诊断", "staff read diagnoses; they do not write them"))
    fields = validate_diagnosis(raw)
    diagnosis = session.exec(select(Diagnosis).where(Diagnosis.enterprise_id == enterprise.id)).first()
    if diagnosis is None:
        diagnosis = Diagnosis(enterprise_id=pk(enterprise))
    for name, value in fields.items():
        setattr(diagnosis, name, value)
    diagnosis.filed_by_organisation_id = actor.organisation_id if actor.kind == OrgKind.PROVIDER else None
    diagnosis.updated_by_user_id = actor.id
    diagnosis.updated_at = utcnow()
    session.add(diagnosis)
    session.flush()
    audit.record(
        session, actor=actor, action="diagnosis.save", subject_type="organisation", subject_id=enterprise.id
    )
    return diagnosis


def shortlist(session: Session, *, enterprise_id: int) -> list[tuple[ShortlistItem, Product]]:
    """The enterprise's saved products with their notes, oldest first."""
    rows = session.exec(
        select(ShortlistItem, Product)
        .join(Product, col(Product.id) == col(ShortlistItem.product_id))
        .where(ShortlistItem.enterprise_id == enterprise_id)
        .order_by(col(ShortlistItem.id))
    ).all()
    return [(item, product) for item, product in rows]


def add_to_shortlist(session: Session, *, enterprise_id: int, product_id: int) -> ShortlistItem:
    """Save a listed product (saving it twice keeps one entry)."""
    product = session.get(Product, product_id)
    if product is None or not product.listed:
        raise NotFound()
    existing = session.exec(
        select(ShortlistItem).where(
            ShortlistItem.enterprise_id == enterprise_id, ShortlistItem.product_id == product_id
        )
    ).first()
    if existing is not None:
        return existing
    if len(shortlist(session, enterprise_id=enterprise_id)) >= SHORTLIST_MAX:
        raise Conflict(
            bilingual(f"备选清单最多 {SHORTLIST_MAX} 个产品", f"a shortlist holds at most {SHORTLIST_MAX}")
        )
    item = ShortlistItem(enterprise_id=enterprise_id, product_id=product_id)
    session.add(item)
    session.flush()
    return item


def own_item(session: Session, *, enterprise_id: int, item_id: int) -> ShortlistItem:
    """One of the enterprise's own shortlist entries (another's does not exist)."""
    item = session.get(ShortlistItem, item_id)
    if item is None or item.enterprise_id != enterprise_id:
        raise NotFound()
    return item


def set_note(session: Session, *, enterprise_id: int, item_id: int, note: str) -> ShortlistItem:
    """Write the enterprise's note on a saved product."""
    if len(note) > 1000:
        raise Invalid({"note": bilingual("备注不能超过 1000 个字符", "a note is at most 1000 characters")})
    item = own_item(session, enterprise_id=enterprise_id, item_id=item_id)
    item.note = note.strip()
    session.add(item)
    session.flush()
    return item


def remove_from_shortlist(session: Session, *, enterprise_id: int, item_id: int) -> None:
    """Take a product off the shortlist."""
    session.delete(own_item(session, enterprise_id=enterprise_id, item_id=item_id))
    session.flush()


def compare(
    session: Session, *, enterprise_id: int, item_ids: list[int]
) -> list[tuple[ShortlistItem, Product]]:
    """Up to four of the enterprise's shortlisted products, side by side, in the order asked."""
    if not 1 <= len(item_ids) <= COMPARE_MAX:
        raise Invalid(
            {
                "items": bilingual(
                    f"请选择 1 至 {COMPARE_MAX} 个产品进行对比",
                    f"choose 1 to {COMPARE_MAX} products to compare",
                )
            }
        )
    saved = {item.id: (item, product) for item, product in shortlist(session, enterprise_id=enterprise_id)}
    if any(item_id not in saved for item_id in item_ids):
        raise NotFound()
    return [saved[item_id] for item_id in dict.fromkeys(item_ids)]
