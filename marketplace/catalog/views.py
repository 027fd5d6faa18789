"""The public catalogue: browse with filters, product pages, provider pages. Open to everyone."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from catalog import products
from catalog.models import Organisation, OrgKind, OrgState
from catalog.queries import CatalogFilters, browse_cards, count_public, public_products_of
from marketplace import db, page_cache
from marketplace.catalog import bp
from marketplace.catalog.forms import FilterForm
from marketplace.forms_common import whole_number
from marketplace.guards import viewer
from marketplace.provider_names import provider_names
from marketplace.read_only import read_only
from reviews import ratings


def _filters(form: FilterForm) -> CatalogFilters:
    def value(field):
        return field.data if field.data not in ("", None) and not field.errors else None

    price_min, price_max = value(form.price_min), value(form.price_max)
    return CatalogFilters(
        scenario_group=value(form.group),
        scenario=value(form.scenario),
        industry=value(form.industry),
        price_min_wan=float(price_min) if price_min is not None else None,
        price_max_wan=float(price_max) if price_max is not None else None,
        deployment=value(form.deployment),
        max_delivery_days=value(form.delivery),
    )


def _page_number() -> int:
    return whole_number(request.args.get("page", "1"), high=999_999) or 1


@bp.route("/products")
def product_list():
    """Every published product, filtered, sorted and paginated."""
    session = read_only(db.session())

    def render() -> tuple[tuple[Markup, int], bool]:
        form = FilterForm(request.args)
        valid = form.validate()
        filters = _filters(form)
        # The same count serves every sort and page of these filters (the 800 URLs of one filter share it).
        total = page_cache.shared_value(
            session, ("catalogue total", filters), lambda: count_public(session, filters=filters)
        )
        page = browse_cards(
            session,
            filters=filters,
            sort=form.sort.data or "newest",
            page=_page_number(),
            per_page=form.per_page.data if valid and form.per_page.data else 24,
            total=total,
        )
        providers = provider_names(session, (card.provider_id for card in page.items))
        body = render_template("catalog/list_body.html", form=form, page=page, providers=providers)
        return (Markup(body), 200 if valid else 400), True

    body, status = page_cache.shared_part(session, "catalog.product_list", render)
    return render_template("catalog/list.html", body=body), status


@bp.route("/products/<int:product_id>")
def product_page(product_id: int):
    """One product: what it does, for whom, at what price, from whom."""
    session = db.session()
    product = products.visible_product(session, product_id=product_id, viewer=viewer())
    provider = session.get(Organisation, product.provider_id)
    return render_template(
        "catalog/product.html",
        rating=ratings.rating_of(session, product_id=product_id),
        reviews=ratings.public_reviews(session, product_id=product_id),
        product=product,
        provider=provider,
        preview=not products.is_public(session, product),
    )


@bp.route("/providers/<int:provider_id>")
def provider_page(provider_id: int):
    """A vetted provider and its published products."""
    session = db.session()
    provider = session.get(Organisation, provider_id)
    if provider is None or provider.kind != OrgKind.PROVIDER or provider.state != OrgState.APPROVED:
        abort(404)
    return render_template(
        "catalog/provider.html",
        rating=ratings.rating_of(session, provider_id=provider_id),
        provider=provider,
        products=public_products_of(session, provider_id=provider_id),
        title=_("服务商"),
    )
