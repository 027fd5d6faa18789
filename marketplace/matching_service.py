"""The matching model of this process: built from the listed catalogue, rebuilt when the catalogue changes.

The catalogue's version is the newest search-outbox id (every change to what is listed writes one). When only
ratings changed since the model's version (reviews), the model is patched in the request at the cost of reading the
changed products; otherwise a stale model keeps serving while a new one is built in the background, so no request
waits for a rebuild after start-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import and_, true
from sqlmodel import Session, col, func, select

from catalog.interchange import product_row
from catalog.models import Organisation, Product, SearchOutbox
from catalog.queries import products_with_providers
from catalog.subsidy import DEFAULT_RULES
from catalog.taxonomy import load_taxonomy
from matching.interchange import listing_from_row
from matching.matcher import Matcher
from matching.types import Listing, Profile

log = logging.getLogger(__name__)
_lock = threading.Lock()
# Products changed since the model's version that are checked one by one for a rating-only change; more than this
# many changes is a catalogue import or a vetting session, and a rebuild is cheaper.
MAX_PATCHED = 200


@dataclass
class _Model:
    version: int
    matcher: Matcher
    building: bool = False


def catalogue_version(session: Session) -> int:
    """Changes whenever the listed catalogue may have changed."""
    return int(session.exec(select(func.coalesce(func.max(SearchOutbox.id), 0))).one())


def listings(session: Session, *, product_ids: Sequence[int] | None = None) -> list[Listing]:
    """Every listed product (or the listed ones among ``product_ids``) as a Listing for the matching core."""
    where = (
        None if product_ids is None else and_(col(Product.listed) == true(), col(Product.id).in_(product_ids))
    )
    return [
        listing_from_row(
            {**product_row(product, provider), "rating": product.rating, "review_count": product.review_count}
        )
        for product, provider in products_with_providers(session, where=where)
    ]


def labels() -> dict[str, tuple[str, str]]:
    """Chinese and English names of scenarios and industries, for the reasons."""
    taxonomy = load_taxonomy()
    return {
        code: (term.zh, term.en)
        for terms in (taxonomy.scenarios, taxonomy.industries)
        for code, term in terms.items()
    }


_last_built: dict[tuple[Listing, ...], Matcher] = {}


def build(session: Session) -> Matcher:
    """A matcher over the listed catalogue (the last one is reused while the listings are the same)."""
    current = tuple(sorted(listings(session), key=lambda listing: listing.id))
    if current in _last_built:
        return _last_built[current]
    groups = {code: term.group or "" for code, term in load_taxonomy().scenarios.items()}
    matcher = Matcher.build(current, scenario_groups=groups, labels=labels())
    _last_built.clear()  # keep one model: a process never needs two catalogues at once
    _last_built[current] = matcher
    return matcher


def _rebuild_in_background(app: Flask, model: _Model, version: int) -> None:
    def work() -> None:
        try:
            with Session(app.extensions["db_engine"]) as session:
                matcher = build(session)
            app.extensions["matcher"] = _Model(version, matcher)
        except Exception:  # noqa: BLE001 - keep serving the old model; the next request tries again
            log.exception("rebuilding the matching model failed")
            model.building = False

    threading.Thread(target=work, name="matcher-rebuild", daemon=True).start()


def warm_up(app: Flask) -> threading.Thread:
    """Build this process's model in the background as the server starts (it takes tens of seconds at 100,000
    products), so the first request for recommendations finds it ready or waits only for the rest of the build."""

    def work() -> None:
        try:
            with Session(app.extensions["db_engine"]) as session:
                matcher(session, app)
        except Exception:  # noqa: BLE001 - the first request builds it instead
            log.exception("building the matching model at start-up failed")

    thread = threading.Thread(target=work, name="matcher-warm-up", daemon=True)
    thread.start()
    return thread


def matcher(session: Session, app: Flask | None = None, *, version: int | None = None) -> Matcher:
    """The current matcher (built on first use; rebuilt when the catalogue changed). A caller that already read the
    catalogue version in this request passes it, which saves a round trip."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if version is None:
        version = catalogue_version(session)
    model: _Model | None = app.extensions.get("matcher")
    # While a rebuild is under way it brings the model up to date: checking every request for a patch would read
    # the changed products again and again, and fail again for the change that started the rebuild.
    if model is not None and model.version != version and not model.building:
        patched = _patched(session, model.matcher, since=model.version, until=version)
        if patched is not None:
            model = _Model(version, patched)
            app.extensions["matcher"] = model
    if model is None or (model.version != version and app.config.get("MATCHER_SYNC_REBUILD")):
        with _lock:
            model = app.extensions.get("matcher")
            if model is None or model.version != version:
                model = _Model(version, build(session))
                app.extensions["matcher"] = model
    elif model.version != version and not model.building:
        model.building = True
        _rebuild_in_background(app, model, version)
    return model.matcher


def _patched(session: Session, matcher: Matcher, *, since: int, until: int) -> Matcher | None:
    """The matcher brought up to date in place when the products changed between two versions changed only in
    their ratings (what every counted review does); None when anything else changed and a rebuild is due."""
    changed = session.exec(
        select(SearchOutbox.product_id)
        .where(col(SearchOutbox.id) > since, col(SearchOutbox.id) <= until)
        .distinct()
        .limit(MAX_PATCHED + 1)
    ).all()
    # Relayed rows are pruned, oldest first (search.outbox_pruning): when the rows after this model's version no
    # longer start right after it, some of its changes are gone and a patch from the rest would miss them. Read after
    # the changes, so a prune between the two reads is caught too.
    oldest = session.exec(select(func.min(SearchOutbox.id))).one()
    if oldest is None or oldest - 1 > since:
        return None
    if len(changed) > MAX_PATCHED:
        return None
    fresh = listings(session, product_ids=changed)
    if len(fresh) != len(changed):
        return None  # a product left the listing: the set of listings changed
    return matcher.with_ratings(fresh)


class DiagnosisFields(Protocol):
    """What the matcher reads of a diagnosis (a Diagnosis, or a row of these columns)."""

    findings: str
    plan: str
    target_scenarios: list[str]
    solved_scenarios: list[str]
    budget_wan: float | None
    preferred_deployment: str | None


def profile_of(enterprise: Organisation, diagnosis: DiagnosisFields) -> Profile:
    """What the matcher reads of an enterprise and its diagnosis."""
    text = "\n".join(part for part in (diagnosis.findings, diagnosis.plan) if part)
    return Profile(
        needs_text=text,
        industry=enterprise.industry,
        budget_wan=diagnosis.budget_wan,
        target_scenarios=tuple(diagnosis.target_scenarios),
        solved=tuple(diagnosis.solved_scenarios),
        preferred_deployment=diagnosis.preferred_deployment,
        # The cap depends on the level reached at acceptance, unknown while choosing: the level-2/3 cap (the pilot's
        # floor) gives the enterprise the most it would pay, never a share smaller than it will get.
        subsidy_rate=float(DEFAULT_RULES.rate),
        subsidy_cap_wan=float(DEFAULT_RULES.caps[2]),
    )
