"""Read-side queries of the public catalogue: filtered, sorted, paginated lists that stay fast at 100,000 products.

Filters on scenario, group and industry are EXISTS sub-queries over the narrow indexed tables product_scenario and
product_industry; price, delivery and deployment are indexed columns of product.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import Text, and_, bindparam, cast, func, literal, or_, true
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from catalog.models import Organisation, OrgKind, Product, ProductIndustry, ProductScenario, ProductState, pk

T = TypeVar("T")

SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (col(Product.published_at).desc(), col(Product.id).desc()),
    "price_asc": (col(Product.price_min_wan).asc(), col(Product.id).asc()),
    "price_desc": (col(Product.price_max_wan).desc(), col(Product.id).desc()),
    "delivery": (col(Product.delivery_days).asc(), col(Product.id).asc()),
    "rating": (
        col(Product.rating).desc().nulls_last(),
        col(Product.review_count).desc(),
        col(Product.id).asc(),
    ),
    "name": (col(Product.name).asc(), col(Product.id).asc()),
}
PER_PAGE_CHOICES = (12, 24, 48, 96)
COUNT_CAP = 5000


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


def _tagged(column: Any, values: Sequence[str]) -> Any:
    """Product ids carrying one of the values in a tag table (an IN sub-query: SQLite and PostgreSQL both run it
    once against the tag index instead of once per product, unlike a correlated EXISTS)."""
    table = column.class_
    return col(Product.id).in_(select(table.product_id).where(column.in_(values)))


def _conditions(filters: CatalogFilters) -> list[Any]:
    conditions: list[Any] = [col(Product.listed) == true()]
    if filters.scenario:
        conditions.append(_tagged(col(ProductScenario.scenario), [filters.scenario]))
    if filters.scenario_group:
        conditions.append(_tagged(col(ProductScenario.scenario_group), [filters.scenario_group]))
    if filters.industry:
        conditions.append(_tagged(col(ProductIndustry.industry), [filters.industry, "general"]))
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


def count_public(session: Session, *, filters: CatalogFilters) -> int:
    """How many public products match the filters, counted up to COUNT_CAP + 1 (more is "over COUNT_CAP")."""
    # Counting stops at the cap: an exact count of 30,000 matches costs ~100 ms on SQLite and nobody pages that far.
    where = and_(*_conditions(filters))
    capped = select(literal(1)).select_from(Product).where(where).limit(COUNT_CAP + 1).subquery()
    return min(int(session.exec(select(func.count()).select_from(capped)).one()), COUNT_CAP + 1)


def _page_number(page: int, per_page: int, total: int) -> int:
    """The page asked for, kept between the first and the last."""
    return max(1, min(page, max(1, math.ceil(min(total, COUNT_CAP) / per_page))))


def _window(page: int, per_page: int) -> dict[str, int]:
    """The parameters of _page_ids for one page."""
    return {"offset": (page - 1) * per_page, "limit": per_page}


@lru_cache(maxsize=128)
def _page_ids(filters: CatalogFilters, sort: str) -> tuple[Any, tuple[Any, ...]]:
    """The ids of one page as a sub-query (the page set by the parameters :offset and :limit, see _window), and
    the sort order. Sorting and cutting narrow rows (ids) first, then joining the page's wide rows to them, in one
    round trip: sorting thousands of full rows with their descriptions is what made a filtered page slow.

    Built once per filters and sort: building the statement cost as much as running it."""
    order = SORTS.get(sort, SORTS["newest"])
    ids = (
        select(Product.id)
        .where(and_(*_conditions(filters)))
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery()
    )
    return ids, order


def _counted_page(items: list[T], total: int, page: int, per_page: int) -> Page[T]:
    return Page(
        items=items,
        total=min(total, COUNT_CAP),
        page=page,
        per_page=per_page,
        extra={"more": total > COUNT_CAP},
    )


def browse(
    session: Session,
    *,
    filters: CatalogFilters,
    sort: str = "newest",
    page: int = 1,
    per_page: int = 24,
    total: int | None = None,
) -> Page[Product]:
    """One page of public products matching the filters, with the total (counted up to COUNT_CAP unless the
    caller already knows ``total``, as count_public gives it)."""
    if total is None:
        total = count_public(session, filters=filters)
    page = _page_number(page, per_page, total)
    ids, order = _page_ids(filters, sort)
    query = select(Product).join(ids, col(Product.id) == ids.c.id).order_by(*order)
    items = list(session.exec(query, params=_window(page, per_page)).all())
    return _counted_page(items, total, page, per_page)


class Card(NamedTuple):
    """What a product card shows of the product (see templates/_macros.html card_markup)."""

    id: int
    name: str
    summary: str
    scenarios: tuple[str, ...]
    industries: tuple[str, ...]
    price_min_wan: float
    price_max_wan: float
    delivery_days: int
    deployment: str
    rating: float | None
    review_count: int
    provider_id: int


_CODE_LISTS = ("scenarios", "industries")  # JSON arrays of codes, read as their text (see _codes)


@lru_cache(maxsize=128)
def _card_query(filters: CatalogFilters, sort: str) -> Any:
    """One page of Cards (see _page_ids), built once per filters and sort."""
    product = Product.__table__  # type: ignore[attr-defined]
    ids, order = _page_ids(filters, sort)
    columns = [
        cast(product.c[name], Text).label(name) if name in _CODE_LISTS else product.c[name]
        for name in Card._fields
    ]
    return core_select(*columns).select_from(product.join(ids, product.c.id == ids.c.id)).order_by(*order)


@lru_cache(maxsize=4096)
def _codes(raw: str) -> tuple[str, ...]:
    """A JSON array of codes, parsed once per distinct text: a page of 24 cards held 48 such arrays, drawn from a
    few hundred combinations, and decoding each one again was a tenth of the page's time."""
    return tuple(json.loads(raw))


def browse_cards(
    session: Session, *, filters: CatalogFilters, sort: str, page: int, per_page: int, total: int
) -> Page[Card]:
    """browse() for the catalogue's cards: the same page, as Cards, in one query. Loading full products (with
    descriptions of up to 8,000 characters, as ORM objects) was half the cost of a catalogue page that is not
    cached; plain tuples also read faster than result rows in templates. The providers' names are the caller's
    to add (the web layer keeps them between requests)."""
    page = _page_number(page, per_page, total)
    rows = session.connection().execute(_card_query(filters, sort), _window(page, per_page)).all()
    cards = [Card._make((*row[:3], _codes(row[3]), _codes(row[4]), *row[5:])) for row in rows]
    return _counted_page(cards, total, page, per_page)


class ProviderName(NamedTuple):
    id: int
    name: str


def provider_names(session: Session, ids: Sequence[int] | None = None) -> dict[int, ProviderName]:
    """Providers' ids and names by id (every provider's without ``ids``), in one narrow query (what a product card
    shows of its provider)."""
    query = select(Organisation.id, Organisation.name)
    if ids is None:
        query = query.where(Organisation.kind == OrgKind.PROVIDER)
    elif not ids:
        return {}
    else:
        query = query.where(col(Organisation.id).in_(set(ids)))
    return {row[0]: ProviderName(row[0], row[1]) for row in session.exec(query).all() if row[0] is not None}


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
            .where(Product.provider_id == provider_id, col(Product.listed) == true())
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


def match_text(session: Session, *, words: Sequence[str], limit: int = 20) -> list[Product]:
    """Listed products whose name or summary contains every word: the last resort when the search index is down."""
    query = select(Product).where(col(Product.listed) == true())
    for word in [w for w in words if w][:5]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(or_(col(Product.name).ilike(pattern), col(Product.summary).ilike(pattern)))
    return list(session.exec(query.order_by(col(Product.published_at).desc()).limit(limit)).all())


def products_with_providers(
    session: Session, *, where: Any = None, batch: int = 2000
) -> Iterator[tuple[Product, Organisation]]:
    """Products (all listed ones unless ``where`` says otherwise) with their providers, in id order, read in
    batches so 100,000 products never sit in one result set."""
    condition = col(Product.listed) == true() if where is None else where
    last_id = 0
    while True:
        rows = session.exec(
            select(Product, Organisation)
            .join(Organisation, col(Organisation.id) == col(Product.provider_id))
            .where(condition, col(Product.id) > last_id)
            .order_by(col(Product.id))
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = pk(rows[-1][0])
