"""The staff console: vet providers and products, see who did what and when."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, func, select

from catalog import products, vetting
from catalog.models import AuditEvent, Organisation, OrgKind, OrgState, Product, ProductState
from catalog.queries import Page, pending_products, providers_by_id, providers_in_state
from marketplace import db
from marketplace.forms_common import whole_number
from marketplace.guards import decide, me, role_required
from marketplace.staff import bp
from marketplace.staff.forms import DecisionForm


@bp.route("/")
@role_required("staff")
def home():
    """What waits for a decision."""
    session = db.session()
    pending = {
        "providers": session.exec(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.kind == OrgKind.PROVIDER, Organisation.state == OrgState.PENDING)
        ).one(),
        "products": session.exec(
            select(func.count()).select_from(Product).where(Product.state == ProductState.SUBMITTED)
        ).one(),
    }
    return render_template("staff/home.html", pending=pending)


@bp.route("/providers")
@role_required("staff")
def providers():
    """Providers by vetting state, searchable by name or credit code."""
    state = request.args.get("state") if request.args.get("state") in {s.value for s in OrgState} else None
    rows = providers_in_state(db.session(), state=state, text=request.args.get("q", "").strip()[:60])
    return render_template("staff/providers.html", providers=rows, state=state, form=DecisionForm())


@bp.route("/providers/<int:provider_id>/decide", methods=["POST"])
@role_required("staff")
def decide_provider(provider_id: int):
    """Approve or suspend a provider (a suspension needs a reason)."""
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "suspend"):
        flash(_("无效的操作。"), "danger")
        return redirect(url_for("staff.providers"))
    state = OrgState.APPROVED if form.decision.data == "approve" else OrgState.SUSPENDED
    done = decide(
        lambda: vetting.set_provider_state(
            db.session(), provider_id=provider_id, state=state, reason=form.reason.data or "", actor=me()
        ),
        done=_("服务商状态已更新。"),
    )
    return redirect(url_for("staff.providers", state=request.args.get("state") if done else None))


@bp.route("/products")
@role_required("staff")
def product_queue():
    """Products submitted for review, oldest first."""
    session = db.session()
    rows = pending_products(session)
    return render_template(
        "staff/products.html",
        products=rows,
        form=DecisionForm(),
        providers=providers_by_id(session, [p.provider_id for p in rows]),
    )


@bp.route("/products/<int:product_id>/decide", methods=["POST"])
@role_required("staff")
def decide_product(product_id: int):
    """Publish a submitted product, or reject it with a reason the provider sees."""
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "reject"):
        flash(_("无效的操作。"), "danger")
        return redirect(url_for("staff.product_queue"))
    decide(
        lambda: products.review_product(
            db.session(),
            product_id=product_id,
            approve=form.decision.data == "approve",
            reason=form.reason.data or "",
            actor=me(),
        ),
        done=_("审核结果已保存。"),
    )
    return redirect(url_for("staff.product_queue"))


@bp.route("/audit")
@role_required("staff")
def audit_log():
    """Every decision, newest first, 50 a page."""
    session = db.session()
    number = whole_number(request.args.get("page", "1"), high=99_999) or 1
    total = session.exec(select(func.count()).select_from(AuditEvent)).one()
    events = session.exec(
        select(AuditEvent).order_by(col(AuditEvent.id).desc()).offset((number - 1) * 50).limit(50)
    ).all()
    return render_template(
        "staff/audit.html", page=Page(items=list(events), total=total, page=number, per_page=50)
    )
