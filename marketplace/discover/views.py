"""The search results page: free text in Chinese or English, facets, sorting, did-you-mean, and no dead ends."""

from __future__ import annotations

import nh3
from flask import render_template, request
from markupsafe import Markup
from sqlmodel import col, select

from catalog.models import Organisation, Product
from catalog.queries import match_text, providers_by_id
from marketplace import db, page_cache, search_service
from marketplace.discover import bp
from marketplace.discover.params import parse_search
from marketplace.forms_common import whole_number
from search.backend import SearchResult, SearchUnavailable


def safe_highlight(html: str) -> Markup:
    """A backend's highlight with nothing but <mark> tags left (defence in depth: backends escape already)."""
    return Markup(nh3.clean(html, tags={"mark"}, attributes={}))


def products_for(result: SearchResult) -> list[Product]:
    """The listed products of the hits, in the hits' order (a hit whose product left the catalogue is dropped)."""
    ids = [hit.id for hit in result.hits]
    if not ids:
        return []
    rows = (
        db.session().exec(select(Product).where(col(Product.external_id).in_(ids), col(Product.listed))).all()
    )
    by_id = {row.external_id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def provider_names(values: list[str]) -> dict[str, str]:
    """Names for the provider facet's values (external ids, or ORG<id> for providers registered on the site)."""
    session = db.session()
    external = [v for v in values if not v.startswith("ORG")]
    internal = [n for v in values if v.startswith("ORG") and (n := whole_number(v[3:])) is not None]
    names = {}
    if external:
        for org in session.exec(
            select(Organisation).where(col(Organisation.external_id).in_(external))
        ).all():
            names[org.external_id or ""] = org.name
    for org_id, org in providers_by_id(session, internal).items():
        names[f"ORG{org_id}"] = org.name
    return names


@bp.route("/search")
def search_page():
    """Search the published catalogue."""
    parsed = parse_search(request.args)
    session = db.session()

    def render() -> tuple[Markup, bool]:
        try:
            result = search_service.backend().search(parsed.query)
            products = products_for(result)
        except SearchUnavailable:
            # Every index is down: plain text matching in the database keeps the page useful (and never a 5xx).
            products = match_text(session, words=parsed.query.q.split(), limit=parsed.query.per_page)
            result = SearchResult(hits=[], total=len(products), degraded=True)
        highlights = {
            hit.id: {k: safe_highlight(v) for k, v in hit.highlights.items()} for hit in result.hits
        }
        body = render_template(
            "discover/search_body.html",
            query=parsed.query,
            result=result,
            products=products,
            highlights=highlights,
            providers=providers_by_id(session, [p.provider_id for p in products]),
            errors=parsed.errors,
            pages=max(1, -(-result.total // parsed.query.per_page)),
            provider_names=provider_names(list(result.facets.get("provider", {}))),
        )
        # A degraded answer is not kept: the next visitor should get the real index as soon as it is back.
        return Markup(body), not result.degraded

    body = page_cache.shared_part(session, "discover.search_page", render)
    return render_template(
        "discover/search.html", query=parsed.query, body=body
    ), 400 if parsed.errors else 200
