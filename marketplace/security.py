"""Who is signed in, and the headers every response carries."""

from __future__ import annotations

from flask import Flask, Response
from flask_login import UserMixin

from catalog import accounts
from catalog.models import Organisation, User
from marketplace import db
from marketplace.extensions import login_manager

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class CurrentUser(UserMixin):
    """The signed-in user as Flask-Login sees it: the session id carries a token rotated at sign-out."""

    def __init__(self, user: User, organisation: Organisation):
        self.user = user
        self.organisation = organisation

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"

    @property
    def kind(self) -> str:
        return self.user.kind

    @property
    def is_staff(self) -> bool:
        return self.user.kind == "staff"

    @property
    def is_provider(self) -> bool:
        return self.user.kind == "provider"

    @property
    def is_enterprise(self) -> bool:
        return self.user.kind == "enterprise"


@login_manager.user_loader
def load_user(session_id: str) -> CurrentUser | None:
    """The user for a session id, or None once the token was rotated (sign-out, password change, suspension)."""
    found = accounts.signed_in(db.session(), session_id)
    return CurrentUser(*found) if found else None


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    """Sign-in settings and security headers."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    app.after_request(_headers)
