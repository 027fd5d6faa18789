"""Staff vetting of providers into the resource pool: pending -> approved | suspended, every decision logged."""

from __future__ import annotations

from sqlmodel import Session, select

from catalog import accounts, audit, outbox
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import Organisation, OrgKind, OrgState, Product, ProductState, User, pk, utcnow
from catalog.products import refresh_listed


def set_provider_state(
    session: Session, *, provider_id: int, state: OrgState, reason: str, actor: User
) -> Organisation:
    """Approve or suspend a provider; suspension hides its products and ends its users' sessions."""
    provider = session.get(Organisation, provider_id)
    if provider is None or provider.kind != OrgKind.PROVIDER:
        raise NotFound()
    if state not in (OrgState.APPROVED, OrgState.SUSPENDED):
        raise Invalid({"state": bilingual("无效的状态", "invalid state")})
    if provider.state == state:
        raise Conflict(bilingual("服务商已处于该状态", "the provider is already in that state"))
    if state == OrgState.SUSPENDED and not reason.strip():
        raise Invalid({"reason": bilingual("暂停服务商时必须填写原因", "a reason is required to suspend")})
    provider.state = state
    provider.updated_at = utcnow()
    session.add(provider)
    published = session.exec(
        select(Product).where(Product.provider_id == provider.id, Product.state == ProductState.PUBLISHED)
    ).all()
    for product in published:
        refresh_listed(product, provider)
        session.add(product)
    outbox.enqueue(session, product_ids=[pk(product) for product in published])
    if state == OrgState.SUSPENDED:
        for user in session.exec(select(User).where(User.organisation_id == provider.id)):
            accounts.end_sessions(session, user=user)
    audit.record(
        session,
        actor=actor,
        action=f"provider.{state.value}",
        subject_type="organisation",
        subject_id=provider.id,
        detail={"reason": reason.strip()[:500], "name": provider.name},
    )
    return provider
