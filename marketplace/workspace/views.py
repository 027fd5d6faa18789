"""The enterprise workspace: its pilot profile (diagnosis, shortlist and projects come with later features)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from catalog.organisations import update_enterprise_profile
from marketplace import db
from marketplace.guards import me, my_org, role_required
from marketplace.workspace import bp
from marketplace.workspace.forms import EnterpriseProfileForm


@bp.route("/")
@role_required("enterprise")
def home():
    """The enterprise's start page."""
    return render_template("workspace/home.html", org=my_org())


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
