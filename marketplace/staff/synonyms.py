"""Staff edit search synonyms (on top of the shipped lexicon); searches use them right away."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace import db
from marketplace.guards import decide, me, role_required
from marketplace.staff import bp
from search import staff_synonyms


@bp.route("/synonyms")
@role_required("staff")
def synonyms():
    """The staff's synonym groups and a form to add one."""
    return render_template("staff/synonyms.html", groups=staff_synonyms.groups(db.session()))


@bp.route("/synonyms/add", methods=["POST"])
@role_required("staff")
def add_synonyms():
    """Add a group: terms that mean the same, and the scenarios they point to."""
    raw = {
        "terms": request.form.get("terms", ""),
        "scenarios": request.form.getlist("scenarios"),
        "industries": request.form.getlist("industries"),
    }
    decide(lambda: staff_synonyms.add_group(db.session(), raw=raw, actor=me()), done=_("同义词已生效。"))
    return redirect(url_for("staff.synonyms"))


@bp.route("/synonyms/<int:index>/remove", methods=["POST"])
@role_required("staff")
def remove_synonyms(index: int):
    """Delete a staff group."""
    staff_synonyms.remove_group(db.session(), index=index, actor=me())
    db.session().commit()
    flash(_("同义词组已删除。"), "info")
    return redirect(url_for("staff.synonyms"))
