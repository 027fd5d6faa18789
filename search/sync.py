"""The outbox relay: brings the search index up to the database, never losing an update.

Each product write added a ``SearchOutbox`` row in its own transaction. The relay re-reads the current product for
every pending row (so applying a row twice, or late, is harmless), upserts listed products and deletes the others,
and marks the rows done only after the backend confirmed. A failure leaves them pending with an exponential backoff;
rows held back only because the backend was down are retried as soon as it answers its health check again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, update
from sqlmodel import Session, col, select

from catalog.interchange import product_row
from catalog.models import Organisation, Product, SearchOutbox, utcnow
from catalog.queries import products_with_providers
from search.backend import SearchBackend, SearchUnavailable
from search.documents import SearchDocument, document_from_mapping

MAX_BACKOFF = timedelta(minutes=5)
# How relay() records a failure of the backend being down (see relay's last_error), not of what it was sent.
_OUTAGE_ERROR = f"{SearchUnavailable.__name__}: %"


def document_for(product: Product, provider: Organisation) -> SearchDocument:
    """The search document of a product: its public interchange fields plus what sorting needs."""
    row = product_row(product, provider)
    row["published_at"] = product.published_at.timestamp() if product.published_at else 0.0
    row["rating"], row["review_count"] = product.rating, product.review_count
    return document_from_mapping(row)


def listed_documents(session: Session, *, batch: int = 2000) -> Iterator[SearchDocument]:
    """Every listed product as a search document, in id order (for rebuild and check)."""
    for product, provider in products_with_providers(session, batch=batch):
        yield document_for(product, provider)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number ``attempts``: 2, 4, 8 ... seconds, at most five minutes."""
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


@dataclass
class SyncReport:
    upserted: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.upserted + self.deleted


def pending_rows(session: Session, *, now: datetime, limit: int) -> Sequence[SearchOutbox]:
    """Outbox rows due now, oldest first."""
    return session.exec(
        select(SearchOutbox)
        .where(col(SearchOutbox.done_at).is_(None), col(SearchOutbox.next_attempt_at) <= now)
        .order_by(col(SearchOutbox.id))
        .limit(limit)
    ).all()


def _split(session: Session, product_ids: Iterable[int]) -> tuple[list[SearchDocument], list[str]]:
    """Current documents of the listed products, and the external ids of the others (to delete)."""
    wanted = list(dict.fromkeys(product_ids))
    # One query for the batch (two lookups a row cost the relay more than the post that queued it), read afresh:
    # the session may hold an older state of a product.
    rows = session.exec(
        select(Product, Organisation)
        .outerjoin(Organisation, col(Organisation.id) == col(Product.provider_id))
        .where(col(Product.id).in_(wanted))
        .execution_options(populate_existing=True)
    ).all()
    current = {product.id: (product, provider) for product, provider in rows}
    upserts, deletes = [], []
    for product_id in wanted:
        if product_id not in current:
            continue
        product, provider = current[product_id]
        if product.listed and provider is not None:
            upserts.append(document_for(product, provider))
        else:
            deletes.append(product.external_id)
    return upserts, deletes


def relay(
    session: Session,
    backend: SearchBackend,
    *,
    batch: int = 200,
    now: datetime | None = None,
    mirrors: Sequence[SearchBackend] = (),
) -> SyncReport:
    """Apply one batch of due outbox rows to the backend (and, best effort, to mirrors such as a fallback index)."""
    now = now or utcnow()
    rows = pending_rows(session, now=now, limit=batch)
    report = SyncReport()
    if not rows:
        return report
    upserts, deletes = _split(session, [row.product_id for row in rows])
    try:
        if upserts:
            backend.upsert(upserts)
        if deletes:
            backend.delete(deletes)
    except Exception as error:  # noqa: BLE001 - any failure of the backend means: not done, retry later
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            session.add(row)
        report.failed = len(rows)
        report.errors.append(rows[0].last_error)
    else:
        for row in rows:
            row.done_at = now
            session.add(row)
        report.upserted, report.deleted = len(upserts), len(deletes)
    for mirror in mirrors:
        _apply_quietly(mirror, upserts, deletes)
    session.flush()
    return report


def _apply_quietly(backend: SearchBackend, upserts: list[SearchDocument], deletes: list[str]) -> None:
    try:
        if upserts:
            backend.upsert(upserts)
        if deletes:
            backend.delete(deletes)
    except Exception:  # noqa: BLE001, S110 - a mirror is best effort; the next rebuild repairs it
        pass


def _held_back_by_outage(now: datetime) -> list[ColumnElement[bool]]:
    return [
        col(SearchOutbox.done_at).is_(None),
        col(SearchOutbox.next_attempt_at) > now,
        col(SearchOutbox.last_error).like(_OUTAGE_ERROR),
    ]


def retry_after_recovery(session: Session, backend: SearchBackend, *, now: datetime) -> int:
    """Make the rows that wait only because the backend was down due now, once it answers its health check again;
    returns how many. After an outage of some minutes their backoff would otherwise keep the index behind the
    database for up to MAX_BACKOFF after the backend came back. Rows the backend refused for what they held keep
    their backoff: retrying them every pass would only fail again. The health check is asked only while such rows
    wait."""
    if not session.exec(select(exists().where(*_held_back_by_outage(now)))).one():
        return 0
    if not backend.health():
        return 0
    result = session.connection().execute(
        update(SearchOutbox).where(*_held_back_by_outage(now)).values(next_attempt_at=now)
    )
    session.commit()
    return int(result.rowcount)


def drain(
    session: Session,
    backend: SearchBackend,
    *,
    now: datetime | None = None,
    mirrors: Sequence[SearchBackend] = (),
) -> SyncReport:
    """Relay batches until nothing is due or a batch fails; commits after each batch. Rows held back by an outage
    are due again first if the backend has come back (retry_after_recovery)."""
    retry_after_recovery(session, backend, now=now or utcnow())
    total = SyncReport()
    while True:
        report = relay(session, backend, now=now, mirrors=mirrors)
        session.commit()
        total.upserted += report.upserted
        total.deleted += report.deleted
        total.failed += report.failed
        total.errors += report.errors
        if report.failed or not report.applied:
            return total


@dataclass
class CheckReport:
    missing: list[str]  # listed in the database, absent from the index
    stale: list[str]  # indexed, but not the current version
    extra: list[str]  # indexed, but not listed in the database

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check(session: Session, backend: SearchBackend) -> CheckReport:
    """Compare the index with the database, document by document."""
    wanted = {doc.id: doc.fingerprint for doc in listed_documents(session)}
    indexed = backend.fingerprints()
    return CheckReport(
        missing=sorted(wanted.keys() - indexed.keys()),
        stale=sorted(key for key in wanted.keys() & indexed.keys() if wanted[key] != indexed[key]),
        extra=sorted(indexed.keys() - wanted.keys()),
    )


def rebuild(session: Session, backend: SearchBackend) -> int:
    """Replace the whole index with the database's listed products; outbox rows due so far count as done."""
    started = utcnow()
    documents = list(listed_documents(session))
    backend.rebuild(documents)
    for row in pending_rows(session, now=started, limit=1_000_000):
        if row.created_at <= started:
            row.done_at = started
            session.add(row)
    session.flush()
    return len(documents)
