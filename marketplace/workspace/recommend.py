"""Recommendations for the signed-in enterprise: the matching core's ranking, narrowed by filters, as products."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from catalog.models import Diagnosis, Organisation, Product
from catalog.queries import providers_by_id
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from catalog.validation import optional_number
from marketplace import matching_service
from matching.types import Listing, Match

PER_PAGE = 10
MAX_PAGE = 50


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
    """One page of ranked products for the enterprise (products that left the catalogue since are skipped)."""
    matcher = matching_service.matcher(session)
    profile = matching_service.profile_of(enterprise, diagnosis)
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
