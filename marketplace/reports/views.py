"""Printable reports: one enterprise's file (一企一档) on one A4 page.

The page is plain HTML; static/report.css lays it out for print, so the browser's own "print / save as PDF" makes
the document (no PDF library on the server).
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import login_required

from catalog.enterprise_files import enterprise_file as load_file
from marketplace import db
from marketplace.guards import me
from marketplace.reports import bp


@bp.route("/enterprises/<int:enterprise_id>")
@login_required
def enterprise_file(enterprise_id: int):
    """The enterprise's file on one printable page: for the enterprise, a provider it engaged, and staff."""
    file = load_file(db.session(), enterprise_id=enterprise_id, viewer=me())
    return render_template("reports/enterprise.html", file=file, printed_on=date.today())
