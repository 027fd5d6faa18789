"""Domain errors; the web shell maps each to one HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it exists."""

    status = 404


class Forbidden(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403


class Conflict(DomainError):
    """The action clashes with the object's current state (e.g. approving a draft)."""

    status = 409


class Invalid(DomainError):
    """Input failed validation: ``errors`` maps field name -> bilingual message."""

    status = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def bilingual(zh: str, en: str) -> str:
    """One message for both audiences: Chinese first, English second."""
    return f"{zh} / {en}"
