"""The generated 460-enterprise pilot in a database, for the dashboard's tests and its benchmark.

``reviews.fraudgen`` writes the pilot (enterprises with cloud use and smart sites, engagements, reviews); the
catalogue and the pilot are imported as staff would; then a deterministic sprinkling of what the import format
does not carry (self-assessments, award decisions, providers not yet approved, an enterprise outside the pilot),
so every branch of the dashboard's definitions has rows to count.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from catalog.interchange import import_catalog
from catalog.models import AwardDecision, Organisation, OrgKind, OrgState, Product, SelfAssessment
from catalog.products import refresh_listed
from reviews.fraudgen import generate
from reviews.pilot_import import import_pilot

CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.jsonl"


def load_pilot_data(session: Session, directory: Path, *, seed: int = 7) -> None:
    """Generate (once per directory) and import the pilot, add the extras, commit."""
    if not (directory / "enterprises.jsonl").exists():
        generate(directory, seed=seed)
    import_catalog(session, CATALOG.read_text(encoding="utf-8").splitlines())
    report = import_pilot(session, directory)
    # Only injected fraud may be refused (reviews of never-accepted engagements); enterprises and projects all load.
    assert all(error.startswith("reviews.jsonl") for error in report.errors), report.errors[:3]
    add_extras(session)
    session.commit()


def add_extras(session: Session) -> None:
    """Self-assessments, award decisions, two providers back to pending and one enterprise outside the pilot."""
    enterprises = session.exec(
        select(Organisation)
        .where(Organisation.kind == OrgKind.ENTERPRISE, col(Organisation.batch).is_not(None))
        .order_by(col(Organisation.id))
    ).all()
    for index, enterprise in enumerate(enterprises):
        if index % 7 == 0:  # a 'before' assessment that disagrees with the profile now and then
            session.add(SelfAssessment(enterprise_id=enterprise.id, stage="before", level=index % 4))
        if index % 5 == 0:  # an 'after' assessment, also for some enterprises not yet accepted
            session.add(SelfAssessment(enterprise_id=enterprise.id, stage="after", level=2 + index % 3))
    providers = session.exec(
        select(Organisation).where(Organisation.kind == OrgKind.PROVIDER).order_by(col(Organisation.id))
    ).all()
    for provider in providers[-2:]:  # as vetting does: their products leave the listing with them
        provider.state = OrgState.PENDING
        for product in session.exec(select(Product).where(Product.provider_id == provider.id)).all():
            refresh_listed(product, provider)
            session.add(product)
    for index, provider in enumerate(providers[:5]):
        session.add(
            AwardDecision(kind="provider", candidate_id=provider.id, shortlisted=index != 2, reason="t")
        )
    products = session.exec(select(Product).order_by(col(Product.id)).limit(7)).all()
    for index, product in enumerate(products):
        session.add(
            AwardDecision(kind="product", candidate_id=product.id, shortlisted=index != 0, reason="t")
        )
    session.add(Organisation(kind=OrgKind.ENTERPRISE, name="试点外企业", industry="bearings", on_cloud=True))
    session.flush()
