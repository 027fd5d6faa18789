from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

from marketplace.workspace import assessment, views  # noqa: E402,F401
