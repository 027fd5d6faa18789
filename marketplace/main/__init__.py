"""Home page, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlmodel import func, select

from catalog.models import Organisation, OrgKind, OrgState, Product, ProductState
from catalog.queries import CatalogFilters, browse
from marketplace import db
from marketplace.guards import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """The front page: what the marketplace offers, by scenario group, and the newest products."""
    session = db.session()
    counts = {
        "products": session.exec(
            select(func.count()).select_from(Product).where(Product.state == ProductState.PUBLISHED)
        ).one(),
        "providers": session.exec(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.kind == OrgKind.PROVIDER, Organisation.state == OrgState.APPROVED)
        ).one(),
    }
    newest = browse(session, filters=CatalogFilters(), sort="newest", per_page=6)
    return render_template("main/index.html", counts=counts, newest=newest)


@bp.route("/lang", methods=["POST"])
def set_language():
    """Switch between Chinese and English (kept in a cookie for a year)."""
    lang = request.form.get("lang")
    response = redirect(safe_next(request.form.get("next")) or url_for("main.index"))
    if lang in ("zh", "en"):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/healthz")
def health():
    """For the load balancer: 200 when the database answers."""
    db.session().exec(text("SELECT 1"))  # type: ignore[call-overload]
    return jsonify(status="ok")
