"""The provider console: profile and product listings (draft -> submitted -> published / rejected -> archived)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

from catalog import products
from catalog.errors import Invalid
from catalog.models import Product
from catalog.organisations import update_provider_profile
from marketplace import db
from marketplace.guards import me, my_org, role_required, show_errors
from marketplace.provider import bp
from marketplace.provider.forms import ConfirmForm, ProductForm, ProviderProfileForm


@bp.route("/")
@role_required("provider")
def home():
    """The provider's products in every state, and where its vetting stands."""
    rows = (
        db.session()
        .exec(
            select(Product).where(Product.provider_id == my_org().id).order_by(col(Product.updated_at).desc())
        )
        .all()
    )
    return render_template("provider/home.html", products=rows, org=my_org(), confirm=ConfirmForm())


@bp.route("/profile", methods=["GET", "POST"])
@role_required("provider")
def profile():
    """Edit the provider's public profile."""
    form = ProviderProfileForm(obj=my_org())
    if form.validate_on_submit():
        update_provider_profile(db.session(), organisation=my_org(), fields=form.data, actor=me())
        db.session().commit()
        flash(_("资料已保存。"), "success")
        return redirect(url_for("provider.home"))
    return render_template("provider/profile.html", form=form), 422 if form.errors else 200


def _save(form: ProductForm, product_id: int | None):
    try:
        if product_id is None:
            product = products.create_product(db.session(), provider=my_org(), raw=form.raw(), actor=me())
        else:
            product = products.update_product(
                db.session(), provider=my_org(), product_id=product_id, raw=form.raw(), actor=me()
            )
    except Invalid as error:
        db.session().rollback()
        show_errors(form, error)
        return None
    db.session().commit()
    flash(_("产品已保存为草稿，提交审核后才会公开。"), "success")
    return redirect(url_for("provider.home", _anchor=f"product-{product.id}"))


@bp.route("/products/new", methods=["GET", "POST"])
@role_required("provider")
def new_product():
    """Draft a new listing."""
    form = ProductForm()
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    return render_template("provider/product_form.html", form=form, product=None), 422 if form.errors else 200


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@role_required("provider")
def edit_product(product_id: int):
    """Edit one of the provider's own listings (another provider's answers 404)."""
    product = products.own_product(db.session(), provider=my_org(), product_id=product_id)
    form = ProductForm(obj=product)
    if form.validate_on_submit() and (done := _save(form, product_id)):
        return done
    return render_template(
        "provider/product_form.html", form=form, product=product
    ), 422 if form.errors else 200


@bp.route("/products/<int:product_id>/submit", methods=["POST"])
@role_required("provider")
def submit_product(product_id: int):
    """Send a draft to the city bureau for review."""
    products.submit_product(db.session(), provider=my_org(), product_id=product_id, actor=me())
    db.session().commit()
    flash(_("已提交审核。"), "success")
    return redirect(url_for("provider.home"))


@bp.route("/products/<int:product_id>/archive", methods=["POST"])
@role_required("provider")
def archive_product(product_id: int):
    """Withdraw a listing from the catalogue for good."""
    products.archive_product(db.session(), provider=my_org(), product_id=product_id, actor=me())
    db.session().commit()
    flash(_("产品已归档。"), "info")
    return redirect(url_for("provider.home"))
