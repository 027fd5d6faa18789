from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from marketplace.staff import accounts, awards, dashboard, files, synonyms, views  # noqa: E402,F401
