"""Organisation profiles: the provider's public profile and the enterprise's pilot profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from catalog import audit
from catalog.errors import Invalid, bilingual
from catalog.models import Organisation, User, utcnow
from catalog.taxonomy import COUNTIES, SCALES, SRDI, load_taxonomy

PROVIDER_FIELDS = ("name", "introduction", "city", "contact_person", "phone", "email")
ENTERPRISE_FIELDS = (
    "name",
    "industry",
    "scale",
    "srdi",
    "county",
    "employees",
    "digital_level",
    "batch",
    "on_cloud",
    "contact_person",
    "phone",
)


def _check_codes(values: Mapping[str, Any]) -> None:
    taxonomy = load_taxonomy()
    allowed: dict[str, Mapping[str, object]] = {
        "industry": taxonomy.industries,
        "scale": SCALES,
        "srdi": SRDI,
        "county": COUNTIES,
    }
    errors = {}
    for field, known in allowed.items():
        if values.get(field) not in (None, "") and values[field] not in known:
            errors[field] = bilingual("无效的选项", "not one of the choices")
    for field in ("service_counties", "industries_served"):
        choices: Mapping[str, object] = COUNTIES if field == "service_counties" else taxonomy.industries
        if any(code not in choices for code in values.get(field) or ()):
            errors[field] = bilingual("无效的选项", "not one of the choices")
    if errors:
        raise Invalid(errors)


def update_provider_profile(
    session: Session, *, organisation: Organisation, fields: Mapping[str, Any], actor: User
) -> Organisation:
    """Save the provider's profile (only the profile's own fields; role, state and owner never change here)."""
    _check_codes(fields)
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(organisation, name, (fields[name] or "").strip())
    organisation.service_counties = list(fields.get("service_counties") or [])
    organisation.industries_served = list(fields.get("industries_served") or [])
    organisation.updated_at = utcnow()
    session.add(organisation)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="provider.profile",
        subject_type="organisation",
        subject_id=organisation.id,
    )
    return organisation


def update_enterprise_profile(
    session: Session, *, organisation: Organisation, fields: Mapping[str, Any], actor: User
) -> Organisation:
    """Save the enterprise's pilot profile: industry, scale, SRDI status, county, size, level, batch, cloud use."""
    _check_codes(fields)
    for name in ENTERPRISE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    organisation.updated_at = utcnow()
    session.add(organisation)
    session.flush()
    return organisation
