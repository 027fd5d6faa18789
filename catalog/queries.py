"""Read-side queries of the public catalogue: filtered, sorted, paginated lists that stay fast at 100,000 products.

Filters on scenario, group and industry are EXISTS sub-queries over the narrow indexed tables product_scenario and
product_industry; price, delivery and deployment are indexed columns of product.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, exists, func, or_
from sqlmodel import Session, col, select

from catalog.models import Organisation, OrgState, Product, ProductIndustry, ProductScenario, ProductState

T = TypeVar("T")

SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (col(Product.published_at).desc(), col(Product.id).desc()),
    "price_asc": (col(Product.price_min_wan).asc(), col(Product.id).asc()),
    "price_desc": (col(Product.price_max_wan).desc(), col(Product.id).desc()),
    "delivery": (col(Product.delivery_days).asc(), col(Product.id).asc()),
    "name": (col(Product.name).asc(), col(Product.id).asc()),
}
PER_PAGE_CHOICES = (12, 24, 48, 96)


@dataclass(frozen=True)
class CatalogFilters:
    scenario_group: str | None = None
    scenario: str | None = None
    industry: str | None = None  # keeps general products too
    price_min_wan: float | None = None
    price_max_wan: float | None = None
    deployment: str | None = None
    max_delivery_days: int | None = None
    provider_id: int | None = None


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _conditions(filters: CatalogFilters) -> list:
    conditions = [col(Product.state) == ProductState.PUBLISHED]
    scenario_rows = col(ProductScenario.product_id) == col(Product.id)
    if filters.scenario:
        conditions.append(exists().where(scenario_rows, col(ProductScenario.scenario) == filters.scenario))
    if filters.scenario_group:
        conditions.append(
            exists().where(scenario_rows, col(ProductScenario.scenario_group) == filters.scenario_group)
        )
    if filters.industry:
        conditions.append(
            exists().where(
                col(ProductIndustry.product_id) == col(Product.id),
                col(ProductIndustry.industry).in_([filters.industry, "general"]),
            )
        )
    if filters.price_max_wan is not None:  # affordable: the cheapest offer is within the ceiling
        conditions.append(col(Product.price_min_wan) <= filters.price_max_wan)
    if filters.price_min_wan is not None:
        conditions.append(col(Product.price_max_wan) >= filters.price_min_wan)
    if filters.deployment:
        conditions.append(col(Product.deployment) == filters.deployment)
    if filters.max_delivery_days is not None:
        conditions.append(col(Product.delivery_days) <= filters.max_delivery_days)
    if filters.provider_id is not None:
        conditions.append(col(Product.provider_id) == filters.provider_id)
    return conditions


def _approved_provider():
    return exists().where(col(Organisation.id) == col(Product.provider_id), col(Organisation.state) == OrgState.APPROVED)


def browse(
    session: Session, *, filters: CatalogFilters, sort: str = "newest", page: int = 1, per_page: int = 24
) -> Page[Product]:
    """One page of public products matching the filters, with the total."""
    where = and_(*_conditions(filters), _approved_provider())
    total = session.exec(select(func.count()).select_from(Product).where(where)).one()
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    order = SORTS.get(sort, SORTS["newest"])
    items = session.exec(
        select(Product).where(where).order_by(*order).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(items=list(items), total=int(total), page=page, per_page=per_page)


def providers_by_id(session: Session, ids: Sequence[int]) -> dict[int, Organisation]:
    """Organisations by id, in one query (for list pages)."""
    if not ids:
        return {}
    rows = session.exec(select(Organisation).where(col(Organisation.id).in_(set(ids)))).all()
    return {org.id: org for org in rows if org.id is not None}


def public_products_of(session: Session, *, provider_id: int) -> list[Product]:
    """A provider's published products, newest first."""
    return list(
        session.exec(
            select(Product)
            .where(Product.provider_id == provider_id, Product.state == ProductState.PUBLISHED)
            .order_by(col(Product.published_at).desc())
        ).all()
    )


def pending_products(session: Session) -> list[Product]:
    """Submitted products waiting for staff, oldest first."""
    return list(
        session.exec(
            select(Product).where(Product.state == ProductState.SUBMITTED).order_by(col(Product.updated_at))
        ).all()
    )


def providers_in_state(session: Session, *, state: str | None = None, text: str = "") -> list[Organisation]:
    """Providers for the staff vetting list, optionally by state or name."""
    query = select(Organisation).where(Organisation.kind == "provider")
    if state:
        query = query.where(Organisation.state == state)
    if text:
        query = query.where(or_(col(Organisation.name).contains(text), col(Organisation.uscc).contains(text)))
    return list(session.exec(query.order_by(col(Organisation.created_at).desc())).all())
