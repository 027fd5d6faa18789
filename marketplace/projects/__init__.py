from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/engagements")

from marketplace.projects import views  # noqa: E402,F401
