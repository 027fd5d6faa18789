"""Product listings: a provider drafts, submits and archives; staff publish or reject with a reason.

Lifecycle: draft -> submitted -> published | rejected; rejected or published -> (edit) draft; any -> archived.
Providers edit only their own products; everything else about another organisation's drafts does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sqlmodel import Session, col, delete, select

from catalog import audit, outbox
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import (
    Organisation,
    OrgKind,
    OrgState,
    Product,
    ProductIndustry,
    ProductScenario,
    ProductState,
    User,
    pk,
    utcnow,
)
from catalog.taxonomy import load_taxonomy
from catalog.validation import ProductSpec, validate_product

GENERAL = "general"  # the product_industry value of a product built for every industry


def apply_spec(session: Session, *, product: Product, spec: ProductSpec) -> None:
    """Copy validated content onto the product and rewrite its filter rows."""
    taxonomy = load_taxonomy()
    for field in (
        "name",
        "summary",
        "description",
        "price_min_wan",
        "price_max_wan",
        "deployment",
        "delivery_days",
        "language",
    ):
        setattr(product, field, getattr(spec, field))
    product.scenarios = list(spec.scenarios)
    product.industries = list(spec.industries)
    product.primary_scenario = spec.scenarios[0]
    product.updated_at = utcnow()
    session.add(product)
    session.flush()
    session.exec(delete(ProductScenario).where(col(ProductScenario.product_id) == pk(product)))
    session.exec(delete(ProductIndustry).where(col(ProductIndustry.product_id) == pk(product)))
    for position, code in enumerate(spec.scenarios):
        session.add(
            ProductScenario(
                product_id=pk(product),
                scenario=code,
                scenario_group=taxonomy.group_of(code),
                position=position,
            )
        )
    for industry in spec.industries or (GENERAL,):
        session.add(ProductIndustry(product_id=pk(product), industry=industry))
    session.flush()


def current_spec(product: Product) -> ProductSpec:
    """The product's content as a ProductSpec (to compare with new input)."""
    values = {field.name: getattr(product, field.name) for field in fields(ProductSpec)}
    return ProductSpec(
        **{**values, "scenarios": tuple(product.scenarios), "industries": tuple(product.industries)}
    )


def next_external_id(session: Session) -> str:
    """A fresh external id for a product made on the site (imports bring their own)."""
    last = session.exec(select(Product.id).order_by(Product.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    return f"M{(last or 0) + 1:06d}"


def own_product(session: Session, *, provider: Organisation, product_id: int) -> Product:
    """The provider's own product, or NotFound (another organisation's product is never revealed)."""
    product = session.get(Product, product_id)
    if product is None or product.provider_id != provider.id:
        raise NotFound()
    return product


def create_product(
    session: Session, *, provider: Organisation, raw: Mapping[str, Any], actor: User | None
) -> Product:
    """A new draft listing of this provider."""
    spec = validate_product(raw)
    product = Product(
        external_id=next_external_id(session),
        provider_id=provider.id,  # type: ignore[arg-type]
        primary_scenario=spec.scenarios[0],
        name=spec.name,
        price_min_wan=spec.price_min_wan,
        price_max_wan=spec.price_max_wan,
        deployment=spec.deployment,
        delivery_days=spec.delivery_days,
    )
    session.add(product)
    session.flush()
    apply_spec(session, product=product, spec=spec)
    audit.record(session, actor=actor, action="product.create", subject_type="product", subject_id=product.id)
    return product


def update_product(
    session: Session, *, provider: Organisation, product_id: int, raw: Mapping[str, Any], actor: User | None
) -> Product:
    """Edit a listing; a published or rejected one goes back to draft and leaves the public catalogue."""
    product = own_product(session, provider=provider, product_id=product_id)
    if product.state == ProductState.ARCHIVED:
        raise Conflict(bilingual("已归档的产品不能编辑", "an archived product cannot be edited"))
    apply_spec(session, product=product, spec=validate_product(raw))
    was_public = product.state == ProductState.PUBLISHED
    if product.state in (ProductState.PUBLISHED, ProductState.REJECTED, ProductState.SUBMITTED):
        product.state = ProductState.DRAFT
    product.listed = False
    session.add(product)
    if was_public:
        outbox.enqueue(session, product_ids=[product.id])  # type: ignore[list-item]
    audit.record(session, actor=actor, action="product.update", subject_type="product", subject_id=product.id)
    return product


def submit_product(
    session: Session, *, provider: Organisation, product_id: int, actor: User | None
) -> Product:
    """Send a draft (or a rejected listing after editing) to staff for review."""
    product = own_product(session, provider=provider, product_id=product_id)
    if product.state not in (ProductState.DRAFT, ProductState.REJECTED):
        raise Conflict(
            bilingual("只有草稿或被驳回的产品可以提交", "only a draft or rejected product can be submitted")
        )
    product.state = ProductState.SUBMITTED
    product.reject_reason = ""
    session.add(product)
    audit.record(session, actor=actor, action="product.submit", subject_type="product", subject_id=product.id)
    return product


def archive_product(
    session: Session, *, provider: Organisation, product_id: int, actor: User | None
) -> Product:
    """Withdraw a listing for good; it leaves the catalogue and search."""
    product = own_product(session, provider=provider, product_id=product_id)
    was_public = product.state == ProductState.PUBLISHED
    product.state = ProductState.ARCHIVED
    product.listed = False
    session.add(product)
    if was_public:
        outbox.enqueue(session, product_ids=[product.id])  # type: ignore[list-item]
    audit.record(
        session, actor=actor, action="product.archive", subject_type="product", subject_id=product.id
    )
    return product


def review_product(session: Session, *, product_id: int, approve: bool, reason: str, actor: User) -> Product:
    """Staff publish a submitted listing, or reject it with a reason the provider sees."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound()
    if product.state != ProductState.SUBMITTED:
        raise Conflict(bilingual("只能审核已提交的产品", "only a submitted product can be reviewed"))
    provider = session.get(Organisation, product.provider_id)
    if approve and (provider is None or provider.state != OrgState.APPROVED):
        raise Conflict(bilingual("服务商尚未通过审核，不能发布其产品", "the provider is not approved yet"))
    if not approve and not reason.strip():
        raise Invalid({"reason": bilingual("驳回时必须填写原因", "a reason is required to reject")})
    product.state = ProductState.PUBLISHED if approve else ProductState.REJECTED
    product.reject_reason = "" if approve else reason.strip()[:500]
    refresh_listed(product, provider)  # type: ignore[arg-type]
    if approve:
        product.published_at = utcnow()
        outbox.enqueue(session, product_ids=[product.id])  # type: ignore[list-item]
    session.add(product)
    audit.record(
        session,
        actor=actor,
        action="product.publish" if approve else "product.reject",
        subject_type="product",
        subject_id=product.external_id,
        detail={"reason": product.reject_reason},
    )
    return product


def refresh_listed(product: Product, provider: Organisation) -> None:
    """Recompute whether the public sees the product: published, and its provider approved."""
    product.listed = product.state == ProductState.PUBLISHED and provider.state == OrgState.APPROVED


def is_public(session: Session, product: Product) -> bool:
    """What anyone may see: published products of approved providers."""
    return product.listed


def visible_product(session: Session, *, product_id: int, viewer: User | None) -> Product:
    """A product the viewer may see: public ones for all, own ones for their provider, all for staff."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound()
    if is_public(session, product):
        return product
    if viewer is not None and (viewer.kind == OrgKind.STAFF or viewer.organisation_id == product.provider_id):
        return product
    raise NotFound()
