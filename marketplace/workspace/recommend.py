"""Recommendations for the signed-in enterprise: the matching core's ranking, narrowed by filters, as products."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from catalog.models import Diagnosis, Organisation, Product, pk
from catalog.queries import providers_by_id
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from catalog.validation import optional_number
from marketplace import matching_service
from marketplace.lru import LruCache
from marketplace.page_cache import catalogue_stamp
from matching.matcher import Matcher
from matching.types import Listing, Match, Profile

PER_PAGE = 10
MAX_PAGE = 50
CACHED_PAGES = 64  # ranked pages per process


@dataclass
class RecommendFilters:
    scenario: str | None = None
    own_industry_only: bool = False
    max_price_wan: float | None = None
    deployment: str | None = None
    max_delivery_days: int | None = None
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> RecommendFilters:
        """Filters from the query string; unknown values are dropped with a message."""
        found = cls()
        scenario = args.get("scenario") or None
        if scenario is not None and scenario not in load_taxonomy().scenarios:
            found.errors["scenario"] = "无效的场景 / unknown scenario"
        else:
            found.scenario = scenario
        deployment = args.get("deployment") or None
        if deployment is not None and deployment not in DEPLOYMENTS:
            found.errors["deployment"] = "无效的部署方式 / unknown deployment"
        else:
            found.deployment = deployment
        found.own_industry_only = args.get("own_industry") == "1"
        found.max_price_wan = _number(args.get("max_price"), 0, 100_000, "max_price", found.errors)
        delivery = _number(args.get("max_delivery"), 1, 3650, "max_delivery", found.errors)
        found.max_delivery_days = int(delivery) if delivery is not None else None
        page = _number(args.get("page"), 1, MAX_PAGE, "page", found.errors)
        found.page = int(page) if page is not None else 1
        return found

    def key(self) -> tuple[Any, ...]:
        """What tells one set of filters from another (for caching pages)."""
        return (
            self.scenario,
            self.own_industry_only,
            self.max_price_wan,
            self.deployment,
            self.max_delivery_days,
            self.page,
        )

    def allows(self, listing: Listing, industry: str | None) -> bool:
        """Whether a ranked listing passes the filters."""
        return (
            (self.scenario is None or self.scenario in listing.scenarios)
            and (not self.own_industry_only or industry in listing.industries)
            and (self.max_price_wan is None or listing.price_min_wan <= self.max_price_wan)
            and (self.deployment is None or listing.deployment == self.deployment)
            and (self.max_delivery_days is None or listing.delivery_days <= self.max_delivery_days)
        )


def _number(raw: str | None, low: float, high: float, name: str, errors: dict[str, str]) -> float | None:
    try:
        return optional_number(raw, low=low, high=high)
    except ValueError:
        errors[name] = f"应在 {low:g} 至 {high:g} 之间 / must be from {low:g} to {high:g}"
        return None


@dataclass
class Recommendation:
    match: Match
    product: Product
    provider: Organisation | None


@dataclass
class RecommendationPage:
    items: list[Recommendation]
    page: int
    has_next: bool
    needs: list


def recommendations(
    session: Session, *, enterprise: Organisation, diagnosis: Diagnosis, filters: RecommendFilters
) -> RecommendationPage:
    """One page of ranked products for the enterprise (products that left the catalogue since are skipped).

    The page is kept per process for this enterprise, its profile and filters, under the matcher in use and the
    catalogue stamp (see marketplace.page_cache): the same enterprise reloading or coming back to a page gets it
    without ranking 100,000 listings again, any change in the database makes a new one, and no enterprise ever
    gets a page kept for another."""
    matcher = matching_service.matcher(session)
    profile = matching_service.profile_of(enterprise, diagnosis)
    cached_for, cache = current_app.extensions.get("recommendation_pages", (None, None))
    if cached_for is not matcher or cache is None:
        # A new matcher starts an empty cache: pages of an old one must not keep it alive.
        cache = LruCache(CACHED_PAGES)
        current_app.extensions["recommendation_pages"] = (matcher, cache)
    key = (pk(enterprise), profile, filters.key(), catalogue_stamp(session))
    found = cache.get(key)
    if found is None:
        found = _rank(session, matcher=matcher, profile=profile, enterprise=enterprise, filters=filters)
        cache.put(key, found)
    return found  # type: ignore[no-any-return]


def _rank(
    session: Session,
    *,
    matcher: Matcher,
    profile: Profile,
    enterprise: Organisation,
    filters: RecommendFilters,
) -> RecommendationPage:
    offset = (filters.page - 1) * PER_PAGE
    matches = matcher.rank(
        profile,
        limit=PER_PAGE + 1,
        offset=offset,
        allowed=lambda listing: filters.allows(listing, enterprise.industry),
    )
    wanted = [match.id for match in matches]
    rows = session.exec(
        select(Product).where(col(Product.external_id).in_(wanted), col(Product.listed))
    ).all()
    by_id = {row.external_id: row for row in rows}
    providers = providers_by_id(session, [row.provider_id for row in rows])
    items = [
        Recommendation(match, by_id[match.id], providers.get(by_id[match.id].provider_id))
        for match in matches[:PER_PAGE]
        if match.id in by_id
    ]
    return RecommendationPage(
        items=items, page=filters.page, has_next=len(matches) > PER_PAGE, needs=matcher.read_needs(profile)
    )
