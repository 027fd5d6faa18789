from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

from marketplace.workspace import views  # noqa: E402,F401
