"""Unbound extensions, bound to the app in the factory."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
bootstrap = Bootstrap5()


def select_locale() -> str:
    """The language the visitor chose (a cookie), Chinese until they switch."""
    chosen = request.cookies.get("lang")
    return chosen if chosen in ("zh", "en") else "zh"
