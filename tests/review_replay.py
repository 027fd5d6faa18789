"""The generated pilot's reviews posted one by one through post_review, as their enterprises would: for the test
of the request path's flags (tests/integration/test_review_arrival.py) and the fraud benchmark."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from catalog.errors import Conflict
from catalog.interchange import import_catalog
from catalog.models import Engagement, Organisation, OrgKind, Product, Review, User
from catalog.passwords import hash_password
from reviews.flags import flag_reviews
from reviews.pilot_import import import_pilot
from reviews.services import post_review, record_of

CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.jsonl"


def enterprises_and_projects(session: Session, pilot_dir: Path, scratch: Path) -> dict[int, User]:
    """The pilot without its reviews (imported from a copy in ``scratch``), and one user per enterprise."""
    for name in ("enterprises.jsonl", "engagements.jsonl"):
        shutil.copy(pilot_dir / name, scratch / name)
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    import_pilot(session, scratch)
    password = hash_password("correct-horse-battery")
    users = {}
    firms = session.exec(select(Organisation).where(Organisation.kind == OrgKind.ENTERPRISE)).all()
    for firm in firms:
        users[firm.id] = User(
            email=f"{firm.external_id}@pilot.test",
            password_hash=password,
            organisation_id=firm.id,
            kind=OrgKind.ENTERPRISE,
        )
        session.add(users[firm.id])
    session.flush()
    return users


def post_all(session: Session, rows: list[dict], users: dict[int, User]) -> set[str]:
    """Post the rows in the order given, as their enterprises would; returns the external ids refused."""
    engagements = {e.external_id: e for e in session.exec(select(Engagement)).all()}
    products = {p.external_id: p.id for p in session.exec(select(Product)).all()}
    refused = set()
    for row in rows:
        engagement = engagements[row["engagement"]]
        try:
            post_review(
                session,
                engagement_id=engagement.id,  # type: ignore[arg-type]
                product_id=products[row["product"]],  # type: ignore[arg-type]
                raw=row,
                actor=users[engagement.enterprise_id],
                ip=row["ip"],
                created_at=datetime.fromisoformat(row["created_at"]),
                author_created_at=datetime.fromisoformat(row["author_created_at"]),
                external_id=row["id"],
            )
        except Conflict:
            refused.add(row["id"])
    return refused


def stored_and_recomputed(session: Session) -> tuple[dict, dict]:
    """Per external id: (flag codes, held) as stored, and as full recomputation over all of them gives them."""
    stored = session.exec(select(Review)).all()
    full = flag_reviews([record_of(review) for review in stored])
    as_stored = {r.external_id: ([f["code"] for f in r.flags], r.held) for r in stored}
    recomputed = {r.external_id: ([f.code for f in full[str(r.id)]], bool(full[str(r.id)])) for r in stored}
    return as_stored, recomputed
