"""The enterprise workspace: profile, diagnosis, recommendations with reasons, shortlist and comparison."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalog import diagnoses
from catalog.errors import Conflict, Invalid
from catalog.organisations import update_enterprise_profile
from catalog.taxonomy import load_taxonomy
from marketplace import db
from marketplace.forms_common import whole_number
from marketplace.guards import flash_refusal, me, my_org, role_required, safe_next, show_errors
from marketplace.workspace import bp
from marketplace.workspace.forms import DiagnosisForm, EnterpriseProfileForm, NoteForm
from marketplace.workspace.recommend import RecommendFilters, diagnosis_and_saved, recommendations_body


@bp.route("/")
@role_required("enterprise")
def home():
    """The enterprise's start page: profile, diagnosis status and the shortcuts that follow from it."""
    diagnosis = diagnoses.current_diagnosis(db.session(), enterprise_id=my_org().id, viewer=me())
    saved = diagnoses.shortlist(db.session(), enterprise_id=my_org().id)
    return render_template("workspace/home.html", org=my_org(), diagnosis=diagnosis, saved=saved)


@bp.route("/profile", methods=["GET", "POST"])
@role_required("enterprise")
def profile():
    """Edit the enterprise profile the pilot needs (industry, scale, county, level, batch)."""
    form = EnterpriseProfileForm(obj=my_org())
    if form.validate_on_submit():
        fields = {key: value for key, value in form.data.items() if key not in ("submit", "csrf_token")}
        update_enterprise_profile(db.session(), organisation=my_org(), fields=fields, actor=me())
        db.session().commit()
        flash(_("企业资料已保存。"), "success")
        return redirect(url_for("workspace.home"))
    return render_template("workspace/profile.html", form=form), 422 if form.errors else 200


def _scene_levels() -> dict[str, str]:
    return {code: request.form.get(f"scene_{code}", "") for code in load_taxonomy().national_scenes}


@bp.route("/diagnosis", methods=["GET", "POST"])
@role_required("enterprise")
def diagnosis():
    """Record the diagnosis: findings, wanted scenarios, budget, systems in place, scene levels."""
    current = diagnoses.current_diagnosis(db.session(), enterprise_id=my_org().id, viewer=me())
    form = DiagnosisForm(obj=current)
    levels = dict(current.scene_levels) if current else {}
    if form.validate_on_submit():
        raw = {**form.data, "scene_levels": _scene_levels()}
        try:
            diagnoses.save_diagnosis(db.session(), enterprise=my_org(), raw=raw, actor=me())
        except Invalid as error:
            db.session().rollback()
            show_errors(form, error)
            levels = raw["scene_levels"]
        else:
            db.session().commit()
            flash(_("诊断已保存，推荐结果已按新的诊断更新。"), "success")
            return redirect(url_for("workspace.recommend"))
    return render_template(
        "workspace/diagnosis.html", form=form, levels=levels, scenes=load_taxonomy().national_scenes
    ), 422 if form.errors else 200


@bp.route("/recommendations")
@role_required("enterprise")
def recommend():
    """The catalogue ranked for this enterprise, with the reasons in plain words."""
    session = db.session()
    current, saved = diagnosis_and_saved(session, enterprise_id=my_org().id)
    if current is None:
        flash(_("请先填写诊断，平台才能为您推荐。"), "info")
        return redirect(url_for("workspace.diagnosis"))
    filters = RecommendFilters.from_args(request.args)
    body = recommendations_body(session, enterprise=my_org(), diagnosis=current, filters=filters, saved=saved)
    return render_template("workspace/recommendations.html", body=body), 400 if filters.errors else 200


@bp.route("/shortlist")
@role_required("enterprise")
def shortlist():
    """Saved products with notes; pick up to four to compare."""
    rows = diagnoses.shortlist(db.session(), enterprise_id=my_org().id)
    return render_template("workspace/shortlist.html", rows=rows, note_form=NoteForm())


@bp.route("/shortlist/add", methods=["POST"])
@role_required("enterprise")
def shortlist_add():
    """Save a product to the shortlist."""
    product_id = whole_number(request.form.get("product_id", ""))
    if product_id is None:
        abort(400)
    try:
        diagnoses.add_to_shortlist(db.session(), enterprise_id=my_org().id, product_id=product_id)
    except Conflict as error:
        db.session().rollback()
        flash_refusal(error)
    else:
        db.session().commit()
        flash(_("已加入备选清单。"), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("workspace.shortlist"))


@bp.route("/shortlist/<int:item_id>/note", methods=["POST"])
@role_required("enterprise")
def shortlist_note(item_id: int):
    """Write a note on a saved product."""
    form = NoteForm()
    if not form.validate_on_submit():
        flash(" ".join(form.note.errors) or _("无效的操作。"), "danger")
        return redirect(url_for("workspace.shortlist"))
    diagnoses.set_note(db.session(), enterprise_id=my_org().id, item_id=item_id, note=form.note.data or "")
    db.session().commit()
    flash(_("备注已保存。"), "success")
    return redirect(url_for("workspace.shortlist", _anchor=f"item-{item_id}"))


@bp.route("/shortlist/<int:item_id>/remove", methods=["POST"])
@role_required("enterprise")
def shortlist_remove(item_id: int):
    """Take a product off the shortlist."""
    diagnoses.remove_from_shortlist(db.session(), enterprise_id=my_org().id, item_id=item_id)
    db.session().commit()
    flash(_("已从备选清单移除。"), "info")
    return redirect(url_for("workspace.shortlist"))


@bp.route("/compare")
@role_required("enterprise")
def compare():
    """Up to four shortlisted products side by side."""
    raw = request.args.getlist("item")
    item_ids = [n for n in map(whole_number, raw) if n is not None]
    if len(item_ids) < len(raw):
        abort(400)
    try:
        rows = diagnoses.compare(db.session(), enterprise_id=my_org().id, item_ids=item_ids)
    except Invalid as error:
        flash_refusal(error)
        return redirect(url_for("workspace.shortlist"))
    from catalog.queries import providers_by_id

    return render_template(
        "workspace/compare.html",
        rows=rows,
        providers=providers_by_id(db.session(), [p.provider_id for _i, p in rows]),
    )
