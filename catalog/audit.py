"""The append-only, hash-chained audit log: every staff decision, who, what and when.

Each entry's hash covers its content and the previous entry's hash, so changing or deleting any entry breaks the
chain from that point on; ``verify_chain`` finds the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from catalog.models import AuditEvent, User


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "at": event.at.isoformat(),
            "actor": event.actor_user_id,
            "label": event.actor_label,
            "action": event.action,
            "subject": [event.subject_type, event.subject_id],
            "detail": event.detail,
            "prev": event.prev_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: object,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry chained to the last one."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    event = AuditEvent(
        actor_user_id=actor.id if actor else None,
        actor_label=(actor.email if actor else "system"),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        detail=detail or {},
        prev_hash=last.hash if last else "",
        hash="",
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first entry whose hash or link does not hold
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the log in order and report the first entry that was changed, or whose predecessor was removed."""
    previous = ""
    checked = 0
    # populate_existing: read what the database holds now, not objects this session already has in memory.
    query = select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(populate_existing=True)
    for event in session.exec(query):
        if event.prev_hash != previous:
            return ChainReport(checked, event.id, "link to the previous entry broken (deleted or reordered)")
        if _digest(event) != event.hash:
            return ChainReport(checked, event.id, "content does not match its hash (changed)")
        previous = event.hash
        checked += 1
    return ChainReport(checked, None)
