"""The enterprise's self-assessment (before and after) and its path to the next level."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

from catalog import self_assessments
from catalog.assessment_config import SCORE_ITEMS
from catalog.diagnoses import current_diagnosis
from catalog.errors import Invalid
from catalog.level_path import PathResult
from catalog.models import Product
from catalog.taxonomy import load_taxonomy
from marketplace import db
from marketplace.guards import me, my_org, role_required
from marketplace.workspace import bp


def _path(rows: dict, target: int | None):
    """The cheapest path from the 'before' assessment (or the only one) to the target level."""
    base = rows.get("before") or rows.get("after")
    if base is None:
        return None, None, {}
    target = target or min(4, max(2, self_assessments.level_of(base).level + 1))
    diagnosis = current_diagnosis(db.session(), enterprise_id=my_org().id, viewer=me())
    budget = diagnosis.budget_wan if diagnosis else None
    path = self_assessments.path_to(db.session(), row=base, target_level=target, budget_wan=budget)
    products = {}
    if isinstance(path, PathResult) and path.product_ids:
        products = {
            p.external_id: p
            for p in db.session()
            .exec(select(Product).where(col(Product.external_id).in_(path.product_ids)))
            .all()
        }
    return target, path, products


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
