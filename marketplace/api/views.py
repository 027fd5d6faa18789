"""The JSON API under /api/v1: read access to the public catalogue."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, request
from sqlmodel import select

from catalog.interchange import product_row
from catalog.models import Organisation, Product
from catalog.products import is_public
from catalog.queries import CatalogFilters, browse, providers_by_id
from catalog.taxonomy import load_taxonomy
from marketplace import db
from marketplace.forms_common import whole_number

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SPEC = Path(__file__).with_name("openapi.json")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return Response(SPEC.read_bytes(), mimetype="application/json")


def _arg(name: str, known) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in known:
        abort(400)
    return value


@bp.get("/products")
def products():
    """Published products in the interchange format, filtered and paginated."""
    taxonomy = load_taxonomy()
    number = whole_number(request.args.get("page", "1"), high=999_999)
    if number is None:
        abort(400)
    filters = CatalogFilters(
        scenario=_arg("scenario", taxonomy.scenarios),
        industry=_arg("industry", taxonomy.industries),
        scenario_group=_arg("group", taxonomy.groups),
    )
    session = db.session()
    page = browse(session, filters=filters, page=number, per_page=24)
    providers = providers_by_id(session, [p.provider_id for p in page.items])
    return jsonify(
        total=page.total,
        page=page.page,
        pages=page.pages,
        items=[product_row(p, providers[p.provider_id]) for p in page.items],
    )


@bp.get("/products/<external_id>")
def product(external_id: str):
    """One published product by its external id."""
    session = db.session()
    row = session.exec(select(Product).where(Product.external_id == external_id)).first()
    if row is None or not is_public(session, row):
        abort(404)
    return jsonify(product_row(row, session.get(Organisation, row.provider_id)))


@bp.get("/search")
def search():
    """Search results and facet counts as JSON (the same engine and parameters as the search page)."""
    from marketplace import search_service
    from marketplace.discover.params import parse_search

    parsed = parse_search(request.args)
    if parsed.errors:
        return jsonify(
            error={"status": 400, "message": "请求参数有误 / invalid parameters", "fields": parsed.errors}
        ), 400
    result = search_service.backend().search(parsed.query)
    return jsonify(
        q=parsed.query.q,
        page=parsed.query.page,
        per_page=parsed.query.per_page,
        total=result.total,
        results=[{"id": hit.id, "score": hit.score, "highlights": hit.highlights} for hit in result.hits],
        facets=result.facets,
        did_you_mean=result.did_you_mean,
        scenarios=result.scenarios,
        degraded=result.degraded,
    )


@bp.get("/suggest")
def suggest():
    """Completions for the search box as the user types."""
    from marketplace import search_service

    prefix = " ".join((request.args.get("q") or "").split())[:50]
    return jsonify(suggestions=search_service.backend().suggest(prefix, 8) if prefix else [])


@bp.get("/recommendations")
def recommendations():
    """The signed-in enterprise's ranked products with reasons (to anyone else this does not exist)."""
    from flask_login import current_user

    from catalog.diagnoses import current_diagnosis
    from marketplace.workspace.recommend import RecommendFilters
    from marketplace.workspace.recommend import recommendations as ranked

    if not current_user.is_authenticated or not current_user.is_enterprise:
        abort(404)
    session = db.session()
    diagnosis = current_diagnosis(
        session, enterprise_id=current_user.organisation.id, viewer=current_user.user
    )
    filters = RecommendFilters.from_args(request.args)
    if filters.errors:
        return jsonify(
            error={"status": 400, "message": "请求参数有误 / invalid parameters", "fields": filters.errors}
        ), 400
    if diagnosis is None:
        return jsonify(results=[], needs=[], message="请先填写诊断 / file a diagnosis first")
    page = ranked(session, enterprise=current_user.organisation, diagnosis=diagnosis, filters=filters)
    return jsonify(
        page=page.page,
        has_next=page.has_next,
        needs=[
            {"scenario": n.scenario, "weight": n.weight, "evidence": list(n.evidence)} for n in page.needs
        ],
        results=[
            {
                "id": item.product.external_id,
                "name": item.product.name,
                "score": item.match.score,
                "scenario": item.match.scenario,
                "own_share_min_wan": item.match.own_share_min_wan,
                "reasons": [
                    {"kind": r.kind, "zh": r.zh, "en": r.en, "evidence": list(r.evidence)}
                    for r in item.match.reasons
                ],
            }
            for item in page.items
        ],
    )
