from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from marketplace.staff import awards, files, synonyms, views  # noqa: E402,F401
