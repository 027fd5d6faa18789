from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from marketplace.reports import views  # noqa: E402,F401
