"""Engagement files (一企一档): request, response, report and contract, milestones, acceptance, reviews.

Every page and action resolves the engagement through ``visible_engagement``: to anyone but its two parties and
staff it does not exist (404).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import col, select

from catalog import engagements as service
from catalog.diagnoses import current_diagnosis, save_diagnosis
from catalog.errors import Conflict, Invalid
from catalog.models import Engagement, Organisation, OrgKind
from marketplace import db
from marketplace.forms_common import whole_number
from marketplace.guards import flash_refusal, me, my_org, role_required
from marketplace.projects import bp
from reviews import services as reviews


def _engagement(engagement_id: int) -> Engagement:
    return service.visible_engagement(db.session(), engagement_id=engagement_id, viewer=me())


def _done(engagement: Engagement, message: str):
    db.session().commit()
    flash(message, "success")
    return redirect(url_for("projects.show", engagement_id=engagement.id))


def _refused(engagement: Engagement, error: Invalid | Conflict):
    db.session().rollback()
    flash_refusal(error)
    return redirect(url_for("projects.show", engagement_id=engagement.id))


@bp.route("/")
@login_required
def index():
    """The signed-in organisation's engagements, newest first (staff see every file in their console)."""
    if current_user.is_staff:
        return redirect(url_for("staff.engagements"))
    side = Engagement.enterprise_id if current_user.is_enterprise else Engagement.provider_id
    rows = (
        db.session()
        .exec(select(Engagement).where(side == my_org().id).order_by(col(Engagement.updated_at).desc()))
        .all()
    )
    others = {
        org.id: org
        for org in db.session()
        .exec(
            select(Organisation).where(
                col(Organisation.id).in_({r.provider_id for r in rows} | {r.enterprise_id for r in rows})
            )
        )
        .all()
    }
    return render_template("projects/index.html", rows=rows, orgs=others)


@bp.route("/request", methods=["POST"])
@role_required("enterprise")
def request_engagement():
    """Ask a product's provider to engage (from the shortlist or a product page)."""
    ids = [n for v in request.form.getlist("product_id") if (n := whole_number(v)) is not None]
    if not ids:
        abort(400)
    try:
        engagement = service.request_engagement(
            db.session(),
            enterprise=my_org(),
            product_ids=ids,
            message=request.form.get("message", ""),
            actor=me(),
        )
    except (Invalid, Conflict) as error:
        db.session().rollback()
        flash_refusal(error)
        return redirect(url_for("workspace.shortlist"))
    return _done(engagement, _("已向服务商发出合作邀请。"))


@bp.route("/<int:engagement_id>")
@login_required
def show(engagement_id: int):
    """The whole file, as each party may see it."""
    session = db.session()
    engagement = _engagement(engagement_id)
    enterprise = session.get(Organisation, engagement.enterprise_id)
    provider = session.get(Organisation, engagement.provider_id)
    diagnosis = (
        current_diagnosis(session, enterprise_id=engagement.enterprise_id, viewer=me())
        if current_user.is_staff or current_user.is_enterprise or engagement.state in ("active", "accepted")
        else None
    )
    given = {
        r.product_id: r
        for r in session.exec(
            select(reviews.Review).where(reviews.Review.engagement_id == engagement.id)
        ).all()
    }
    return render_template(
        "projects/show.html",
        engagement=engagement,
        enterprise=enterprise,
        provider=provider,
        diagnosis=diagnosis,
        products=service.products_of(session, engagement),
        milestones=service.milestones_of(session, engagement),
        subsidy=service.subsidy_of(engagement),
        given=given,
        today=date.today(),
    )


@bp.route("/<int:engagement_id>/respond", methods=["POST"])
@role_required("provider")
def respond(engagement_id: int):
    """The provider accepts or declines a request."""
    engagement = _engagement(engagement_id)
    try:
        service.respond(
            db.session(),
            engagement=engagement,
            accept=request.form.get("decision") == "accept",
            reason=request.form.get("reason", ""),
            actor=me(),
        )
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("已答复合作邀请。"))


@bp.route("/<int:engagement_id>/cancel", methods=["POST"])
@role_required("enterprise")
def cancel(engagement_id: int):
    """The enterprise withdraws before acceptance."""
    engagement = _engagement(engagement_id)
    try:
        service.cancel(db.session(), engagement=engagement, actor=me())
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("合作已取消。"))


@bp.route("/<int:engagement_id>/file", methods=["POST"])
@role_required("provider")
def file(engagement_id: int):
    """The provider files the diagnosis report, the plan and the contract."""
    engagement = _engagement(engagement_id)
    try:
        service.update_file(db.session(), engagement=engagement, raw=request.form, actor=me())
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("档案已更新。"))


@bp.route("/<int:engagement_id>/diagnosis", methods=["POST"])
@role_required("provider")
def file_diagnosis(engagement_id: int):
    """The engaged provider files the enterprise's diagnosis (findings, budget, scenarios) on its behalf."""
    engagement = _engagement(engagement_id)
    enterprise = db.session().get(Organisation, engagement.enterprise_id)
    raw = {
        **request.form.to_dict(),
        "target_scenarios": request.form.getlist("target_scenarios"),
        "solved_scenarios": request.form.getlist("solved_scenarios"),
    }
    try:
        save_diagnosis(db.session(), enterprise=enterprise, raw=raw, actor=me())  # type: ignore[arg-type]
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("已为企业提交诊断。"))


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise Invalid({"due_on": "日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD"}) from None


@bp.route("/<int:engagement_id>/milestones", methods=["POST"])
@role_required("provider")
def add_milestone(engagement_id: int):
    """Plan a milestone."""
    engagement = _engagement(engagement_id)
    try:
        service.add_milestone(
            db.session(),
            engagement=engagement,
            title=request.form.get("title", ""),
            due_on=_date(request.form.get("due_on")),
            actor=me(),
        )
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("里程碑已添加。"))


@bp.route("/<int:engagement_id>/milestones/<int:milestone_id>", methods=["POST"])
@role_required("provider")
def milestone_progress(engagement_id: int, milestone_id: int):
    """Report a milestone's progress."""
    engagement = _engagement(engagement_id)
    progress = whole_number(request.form.get("progress", ""), low=0, high=100)
    try:
        if progress is None:
            raise Invalid({"progress": "进度应为 0 至 100 / progress is 0 to 100"})
        service.set_progress(
            db.session(), engagement=engagement, milestone_id=milestone_id, progress=progress, actor=me()
        )
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("进度已更新。"))


@bp.route("/<int:engagement_id>/acceptance", methods=["POST"])
@role_required("enterprise", "staff")
def acceptance(engagement_id: int):
    """Record acceptance (验收): levels before and after, eligible spend incurred, documents."""
    engagement = _engagement(engagement_id)
    try:
        service.record_acceptance(db.session(), engagement=engagement, raw=request.form, actor=me())
    except (Invalid, Conflict) as error:
        return _refused(engagement, error)
    return _done(engagement, _("验收信息已记录，可以评价服务了。"))


@bp.route("/<int:engagement_id>/reviews", methods=["POST"])
@role_required("enterprise")
def review(engagement_id: int):
    """Review a product delivered in this accepted engagement (once)."""
    product_id = whole_number(request.form.get("product_id", ""))
    if product_id is None:
        _engagement(engagement_id)  # not the caller's engagement: 404 before any word on the form
        abort(400)
    # post_review reads the engagement itself (only its enterprise may review): the view does not read it first.
    try:
        posted = reviews.post_review(
            db.session(),
            engagement_id=engagement_id,
            product_id=product_id,
            raw=request.form,
            actor=me(),
            ip=request.remote_addr or "",
        )
    except Conflict as error:
        db.session().rollback()
        flash_refusal(error)
        return show(engagement_id), 409
    except Invalid as error:
        return _refused(_engagement(engagement_id), error)
    db.session().commit()
    flash(_("感谢您的评价。"), "success")
    return redirect(url_for("projects.show", engagement_id=posted.engagement_id))


@bp.route("/reviews/<int:review_id>/reply", methods=["POST"])
@role_required("provider")
def reply(review_id: int):
    """The provider replies publicly to a review of its work."""
    try:
        review = reviews.reply(
            db.session(), review_id=review_id, text=request.form.get("reply", ""), actor=me()
        )
    except Invalid as error:
        db.session().rollback()
        flash_refusal(error)
        return redirect(url_for("provider.home"))
    db.session().commit()
    flash(_("回复已发布。"), "success")
    return redirect(
        url_for("catalog.product_page", product_id=review.product_id, _anchor=f"review-{review.id}")
    )


__all__ = ["OrgKind"]
