"""The JSON API under /api/v1: read access to the public catalogue."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlmodel import select

from catalog.interchange import product_row
from catalog.models import Organisation, Product
from catalog.products import is_public
from catalog.queries import CatalogFilters, browse, providers_by_id
from catalog.taxonomy import load_taxonomy
from marketplace import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _arg(name: str, known) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in known:
        abort(400)
    return value


@bp.get("/products")
def products():
    """Published products in the interchange format, filtered and paginated."""
    taxonomy = load_taxonomy()
    raw_page = request.args.get("page", "1")
    if not raw_page.isdigit() or not 0 < int(raw_page) < 1_000_000:
        abort(400)
    filters = CatalogFilters(
        scenario=_arg("scenario", taxonomy.scenarios),
        industry=_arg("industry", taxonomy.industries),
        scenario_group=_arg("group", taxonomy.groups),
    )
    session = db.session()
    page = browse(session, filters=filters, page=int(raw_page), per_page=24)
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
