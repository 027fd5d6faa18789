"""Synonym groups staff add in the web app, stored in the database on top of the shipped lexicon file.

Every change bumps a version, so each worker swaps in the merged lexicon on its next search (and a Meilisearch
index gets the new synonyms through its settings).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from catalog import audit
from catalog.errors import NotFound
from catalog.models import Setting, User, utcnow
from search.lexicon import LEXICON_PATH, Lexicon
from search.synonym_edits import lexicon_from_data, merge_lexicon, validate_group

KEY = "search_synonyms"


def _stored(session: Session) -> dict[str, Any]:
    setting = session.get(Setting, KEY)
    return dict(setting.value) if setting else {"groups": [], "version": 0}


def groups(session: Session) -> list[dict[str, Any]]:
    """The staff's synonym groups, in the order they were added."""
    return list(_stored(session)["groups"])


def version(session: Session) -> int:
    """Changes whenever staff change the synonyms (0 before the first change)."""
    return int(_stored(session).get("version", 0))


def _save(session: Session, stored: dict[str, Any], actor: User, action: str, detail: dict[str, Any]) -> None:
    setting = session.get(Setting, KEY) or Setting(key=KEY)
    stored["version"] = int(stored.get("version", 0)) + 1
    setting.value, setting.updated_at = stored, utcnow()
    session.add(setting)
    audit.record(session, actor=actor, action=action, subject_type="setting", subject_id=KEY, detail=detail)


def add_group(session: Session, *, raw: Mapping[str, Any], actor: User) -> dict[str, Any]:
    """Validate and store one synonym group."""
    group = validate_group(raw)
    stored = _stored(session)
    stored["groups"] = [*stored["groups"], group]
    _save(session, stored, actor, "search.synonyms.add", {"terms": group["terms"]})
    return group


def remove_group(session: Session, *, index: int, actor: User) -> None:
    """Delete one staff group by its position."""
    stored = _stored(session)
    if not 0 <= index < len(stored["groups"]):
        raise NotFound()
    removed = stored["groups"].pop(index)
    _save(session, stored, actor, "search.synonyms.remove", {"terms": removed.get("terms", [])})


def lexicon(session: Session) -> Lexicon:
    """The shipped lexicon with the staff's groups merged in."""
    base = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return lexicon_from_data(merge_lexicon(base, groups(session)))
