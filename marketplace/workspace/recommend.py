"""Recommendations for the signed-in enterprise: the matching core's ranking, narrowed by filters, as products."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from flask import current_app, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import bindparam
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from catalog.models import Diagnosis, Organisation, Product, ShortlistItem, pk
from catalog.queries import providers_by_id
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from catalog.validation import optional_number
from marketplace import matching_service
from marketplace.kept_markup import Kept, StandIns
from marketplace.lru import LruCache
from marketplace.matching_service import DiagnosisFields
from marketplace.page_cache import catalogue_stamp, catalogue_version, remember_stamp, stamp_columns
from marketplace.templating import locale
from matching.matcher import Matcher
from matching.types import Listing, Match, Profile

PER_PAGE = 10
MAX_PAGE = 50
CACHED_PAGES = 64  # ranked pages per process
CACHED_BODIES = 128  # rendered page bodies per process (about 20 kB each)
_STAND_INS = StandIns("csrf_field")


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


_DIAGNOSIS = sa_inspect(Diagnosis).local_table
_SHORTLIST = sa_inspect(ShortlistItem).local_table
# Built once, in plain SQL expression terms (no ORM objects): this runs on every request for the page, and the
# ORM's share of a query was most of its cost.
_STATE = (
    core_select(
        _DIAGNOSIS.c.findings,
        _DIAGNOSIS.c.plan,
        _DIAGNOSIS.c.target_scenarios,
        _DIAGNOSIS.c.solved_scenarios,
        _DIAGNOSIS.c.budget_wan,
        _DIAGNOSIS.c.preferred_deployment,
        _SHORTLIST.c.product_id,
        *stamp_columns(),
    )
    .select_from(_DIAGNOSIS.outerjoin(_SHORTLIST, _SHORTLIST.c.enterprise_id == _DIAGNOSIS.c.enterprise_id))
    .where(_DIAGNOSIS.c.enterprise_id == bindparam("enterprise_id"))
)


def diagnosis_and_saved(
    session: Session, *, enterprise_id: int
) -> tuple[DiagnosisFields | None, frozenset[int]]:
    """What the matcher reads of the enterprise's diagnosis (None before one was filed) and the ids of the products
    it saved, read in one round trip with the catalogue stamp that the page is kept under."""
    rows = session.connection().execute(_STATE, {"enterprise_id": enterprise_id}).all()
    if not rows:
        return None, frozenset()
    remember_stamp(rows[0][7:])
    return cast(DiagnosisFields, rows[0]), frozenset(
        row.product_id for row in rows if row.product_id is not None
    )


def _caches(matcher: Matcher) -> tuple[LruCache, LruCache]:
    """This process's ranked pages and rendered bodies, kept for the matcher in use."""
    found = current_app.extensions.get("recommendation_pages")
    if found is None or found[0] is not matcher:
        # A new matcher starts empty caches: pages of an old one must not keep it alive.
        found = (matcher, LruCache(CACHED_PAGES), LruCache(CACHED_BODIES))
        current_app.extensions["recommendation_pages"] = found
    return found[1], found[2]


def _ranked(
    session: Session, *, enterprise: Organisation, diagnosis: DiagnosisFields, filters: RecommendFilters
) -> tuple[RecommendationPage, tuple[Any, ...], LruCache]:
    """The ranked page, its key and the cache of bodies that goes with the matcher that ranked it."""
    matcher = matching_service.matcher(session, version=catalogue_version(session))
    profile = matching_service.profile_of(enterprise, diagnosis)
    pages, bodies = _caches(matcher)
    key = (pk(enterprise), profile, filters.key(), catalogue_stamp(session))
    found = pages.get(key)
    if found is None:
        found = _rank(session, matcher=matcher, profile=profile, enterprise=enterprise, filters=filters)
        pages.put(key, found)
    return found, key, bodies


def recommendations(
    session: Session, *, enterprise: Organisation, diagnosis: DiagnosisFields, filters: RecommendFilters
) -> RecommendationPage:
    """One page of ranked products for the enterprise (products that left the catalogue since are skipped).

    The page is kept per process for this enterprise, its profile and filters, under the matcher in use and the
    catalogue stamp (see marketplace.page_cache): the same enterprise reloading or coming back to a page gets it
    without ranking 100,000 listings again, any change in the database makes a new one, and no enterprise ever
    gets a page kept for another."""
    return _ranked(session, enterprise=enterprise, diagnosis=diagnosis, filters=filters)[0]


def recommendations_body(
    session: Session,
    *,
    enterprise: Organisation,
    diagnosis: DiagnosisFields,
    filters: RecommendFilters,
    saved: frozenset[int],
) -> Markup:
    """The recommendations page without its layout, as HTML for the signed-in enterprise.

    Kept per process beside the ranked page, under its key (so never for another enterprise, another diagnosis or
    another state of the catalogue) with the language, the URL and the shortlist (what the "saved" badges show).
    The visitor's CSRF token is put in as the body is served: a kept body holds only a stand-in for it."""
    page, key, bodies = _ranked(session, enterprise=enterprise, diagnosis=diagnosis, filters=filters)
    body_key = (key, locale(), request.full_path, tuple(sorted(saved)))
    body: Kept | None = bodies.get(body_key) if current_app.config.get("PAGE_CACHE", True) else None
    if body is None:
        body = _STAND_INS.keep(
            render_template(
                "workspace/recommendations_body.html",
                page=page,
                filters=filters,
                saved=saved,
                **_STAND_INS.markers,
            )
        )
        bodies.put(body_key, body)
    token_field = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">').format(
        generate_csrf()
    )
    return body.fill({"csrf_field": token_field})


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
