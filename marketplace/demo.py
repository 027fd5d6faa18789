"""The demo: a SQLite database with the demo catalogue and one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from catalog import accounts
from catalog.interchange import ImportReport, import_catalog
from catalog.models import Organisation, OrgKind, OrgState, User
from catalog.uscc import make_code
from reviews.pilot_import import PilotReport

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG = ROOT / "data" / "catalog.jsonl"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


ACCOUNTS = (
    DemoAccount("staff", "staff@demo.luoyang", "demo-staff-2025"),
    DemoAccount("enterprise", "enterprise@demo.luoyang", "demo-enterprise-2025"),
    DemoAccount("provider", "provider@demo.luoyang", "demo-provider-2025"),
)


def _organisation(session: Session, role: str) -> Organisation:
    if role == "provider":  # the demo provider runs the first imported provider, so it has products to manage
        first = session.exec(
            select(Organisation).where(Organisation.kind == OrgKind.PROVIDER).order_by(Organisation.id)
        ).first()
        if first is not None:
            return first
    names = {
        "staff": "洛阳市工业和信息化局",
        "enterprise": "洛阳示范轴承有限公司",
        "provider": "洛阳示范数字科技有限公司",
    }
    org = Organisation(
        kind=role,
        name=names[role],
        state=OrgState.APPROVED,
        uscc=make_code({"staff": 1, "enterprise": 2, "provider": 3}[role]),
    )
    if role == "enterprise":
        org.industry, org.scale, org.srdi, org.county = "bearings", "above", "srdi", "jianxi"
        org.employees, org.digital_level, org.batch = 180, 1, 2
    session.add(org)
    session.flush()
    return org


def ensure_accounts(session: Session) -> list[DemoAccount]:
    """One account per role (kept if it exists already)."""
    for account in ACCOUNTS:
        if session.exec(select(User).where(User.email == account.email)).first() is None:
            accounts.add_user(
                session,
                organisation=_organisation(session, account.role),
                email=account.email,
                password=account.password,
                name=f"demo {account.role}",
            )
    return list(ACCOUNTS)


def load_catalog(session: Session, path: Path = DEMO_CATALOG) -> ImportReport:
    """Import the demo catalogue (idempotent)."""
    with path.open(encoding="utf-8") as lines:
        return import_catalog(session, lines)


def load_pilot(session: Session, directory: Path) -> PilotReport:
    """Generate (once) and import a development pilot data set: 460 enterprises, engagements and reviews."""
    from reviews.fraudgen import generate
    from reviews.pilot_import import import_pilot

    if not (directory / "reviews.jsonl").exists():
        generate(directory, seed=7, catalog_path=DEMO_CATALOG)
    return import_pilot(session, directory)
