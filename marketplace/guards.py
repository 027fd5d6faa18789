"""Route guards: who may reach a page. A page of another role answers 404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from catalog.errors import Conflict, DomainError, Invalid
from catalog.models import Organisation, User
from marketplace import db
from marketplace.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*kinds: str) -> Callable[[F], F]:
    """Sign-in required (redirect to the login page); a signed-in user of another role gets 404."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.kind not in kinds:
                abort(404)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def me() -> User:
    """The signed-in user's row."""
    return cast(User, current_user.user)


def my_org() -> Organisation:
    """The signed-in user's organisation."""
    return cast(Organisation, current_user.organisation)


def viewer() -> User | None:
    """The signed-in user's row, or None for a visitor."""
    return current_user.user if current_user.is_authenticated else None


def show_errors(form: FlaskForm, error: Invalid) -> None:
    """Put a service's field errors next to the form's fields (or on the form when no field matches)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), message]
        else:
            form.form_errors.append(message)


def safe_next(target: str | None) -> str | None:
    """A redirect target only when it is a local path (no open redirect through //host or backslashes).

    Control characters are refused too: a line break in a Location header was a 500 (and a header injection).
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return None


def flash_refusal(error: DomainError) -> None:
    """Tell the user why a decision was refused (field messages, or the conflict's own message)."""
    flash(" ".join(error.errors.values()) if isinstance(error, Invalid) else str(error), "danger")


def decide(action: Callable[[], object], *, done: str) -> bool:
    """Run one staff or owner decision in the request's transaction: commit and flash ``done``, or roll back and
    flash why it was refused (Invalid, Conflict). NotFound and Forbidden propagate: they answer 404."""
    try:
        action()
    except (Invalid, Conflict) as error:
        db.session().rollback()
        flash_refusal(error)
        return False
    db.session().commit()
    flash(done, "success")
    return True
