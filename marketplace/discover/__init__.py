from flask import Blueprint

bp = Blueprint("discover", __name__)

from marketplace.discover import views  # noqa: E402,F401
