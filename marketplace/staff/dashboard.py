"""Staff: the pilot dashboard against the plan's targets, its charts, its workbook and the bureau's summary."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Response, abort, render_template

from catalog.pilot_progress import PilotProgress, pilot_progress
from marketplace import db
from marketplace.exports import workbook_response
from marketplace.guards import role_required
from marketplace.staff import bp
from marketplace.staff.charts import CHARTS, render_svg
from marketplace.staff.dashboard_tables import Table, cell, dashboard_tables, goal_labels
from marketplace.templating import locale

# The chart carries its own <style> and nothing else. Shown through <img>, Chromium applies it whatever the policy;
# opened on its own (a new tab) the SVG is a document under this response's policy, and the site's style-src 'self'
# would strip its colours. So: inline styles yes, scripts and every fetch no.
BEIJING = timezone(timedelta(hours=8))
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'"


def _figures() -> tuple[PilotProgress, list[Table]]:
    progress = pilot_progress(db.session())
    return progress, dashboard_tables(progress)


@bp.route("/dashboard")
@role_required("staff")
def dashboard():
    """Progress against the pilot's targets: cards, charts, and every chart's table."""
    progress, tables = _figures()
    return render_template(
        "staff/dashboard.html",
        progress=progress,
        tables=tables,
        labels=goal_labels(),
        charts=[t for t in tables if t.name in CHARTS],
        cell=cell,
    )


@bp.route("/dashboard/charts/<name>.svg")
@role_required("staff")
def dashboard_chart(name: str):
    """One chart as an SVG image (drawn on the server from the same table the page shows)."""
    if name not in CHARTS:
        abort(404)
    table = next(t for t in _figures()[1] if t.name == name)
    response = Response(render_svg(table), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CSP
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Language"] = locale()
    return response


@bp.route("/dashboard/export.xlsx")
@role_required("staff")
def dashboard_export():
    """Every table of the dashboard in one workbook, one sheet per table."""
    return workbook_response("pilot-dashboard", [table.sheet() for table in _figures()[1]])


@bp.route("/dashboard/summary")
@role_required("staff")
def dashboard_summary():
    """The printable pilot summary for the bureau: the same figures on one or two A4 pages."""
    progress, tables = _figures()
    return render_template(
        "staff/dashboard_summary.html",
        progress=progress,
        tables={table.name: table for table in tables},
        cell=cell,
        now=datetime.now(BEIJING),
    )
