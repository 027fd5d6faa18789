from flask import Blueprint

bp = Blueprint("provider", __name__, url_prefix="/provider")

from marketplace.provider import views  # noqa: E402,F401
