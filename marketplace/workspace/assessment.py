"""The enterprise's self-assessment (before and after) and its path to the next level."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalog import self_assessments
from catalog.assessment_config import SCORE_ITEMS
from catalog.diagnoses import current_diagnosis
from catalog.errors import Invalid
from catalog.taxonomy import load_taxonomy
from marketplace import db
from marketplace.guards import me, my_org, role_required
from marketplace.workspace import bp


def _path(rows: dict, target: int | None):
    """The cheapest path to the target level, budgeted by the diagnosis (the page's target, path, products)."""
    diagnosis = current_diagnosis(db.session(), enterprise_id=my_org().id, viewer=me())
    found = self_assessments.next_level_path(
        db.session(), rows=rows, budget_wan=diagnosis.budget_wan if diagnosis else None, target=target
    )
    return (found.target, found.path, found.products) if found else (None, None, {})


@bp.route("/assessment", methods=["GET", "POST"])
@role_required("enterprise")
def assessment():
    """Fill in the self-assessment; see the level, the rule that decided it and the path to the next level."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        items = {item.code: request.form.get(f"item_{item.code}", "") for item in SCORE_ITEMS}
        scenes = {code: request.form.get(f"scene_{code}", "0") for code in load_taxonomy().national_scenes}
        try:
            _row, result = self_assessments.save(
                db.session(),
                enterprise=my_org(),
                stage=request.form.get("stage", ""),
                items=items,
                scenes=scenes,
                actor=me(),
            )
        except Invalid as error:
            db.session().rollback()
            errors = error.errors
        else:
            db.session().commit()
            flash(_("自评已保存：%(level)s 级。", level=result.level), "success")
            return redirect(url_for("workspace.assessment"))
    rows = self_assessments.stored(db.session(), enterprise_id=my_org().id)
    raw_target = request.args.get("target", "")
    target, path, products = _path(rows, int(raw_target) if raw_target in ("1", "2", "3", "4") else None)
    return render_template(
        "workspace/assessment.html",
        rows=rows,
        levels={k: self_assessments.level_of(v) for k, v in rows.items()},
        items=SCORE_ITEMS,
        scenes=load_taxonomy().national_scenes,
        errors=errors,
        form=request.form,
        target=target,
        path=path,
        path_products=products,
    ), 422 if errors else 200
