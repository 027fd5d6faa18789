"""Relayed search-outbox rows are pruned without an operator, on demand by command, and never at the expense of the
matcher's view of the catalogue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from catalog import outbox
from catalog.models import SearchOutbox, utcnow
from marketplace import create_app, matching_service, search_service
from marketplace.cli import main

NOW = utcnow()
OLD = NOW - timedelta(days=10)


def add_rows(session: Session, count: int) -> list[int]:
    """Rows relayed ten days ago."""
    rows = [
        SearchOutbox(product_id=1, created_at=OLD, next_attempt_at=OLD, done_at=OLD) for _ in range(count)
    ]
    session.add_all(rows)
    session.commit()
    return [row.id for row in rows]  # type: ignore[misc]


def remaining(session: Session) -> list[int]:
    return list(session.exec(select(SearchOutbox.id).order_by(col(SearchOutbox.id))).all())


def run(app, *args):
    return app.test_cli_runner().invoke(main, list(args))


def test_the_prune_command_says_how_many_rows_went(app, session):
    made = add_rows(session, 4)
    result = run(app, "search", "prune", "--days", "30")
    assert result.exit_code == 0, result.output
    assert "pruned 0 " in result.output and remaining(session) == made
    result = run(app, "search", "prune", "--days", "7")
    assert result.exit_code == 0, result.output
    assert "pruned 3 " in result.output and remaining(session) == made[-1:]


def test_the_prune_command_keeps_the_configured_days_by_default(app, session):
    made = add_rows(session, 3)
    app.config["SEARCH_OUTBOX_KEEP_DAYS"] = 14
    assert "pruned 0 " in run(app, "search", "prune").output
    app.config["SEARCH_OUTBOX_KEEP_DAYS"] = 7
    assert "pruned 2 " in run(app, "search", "prune").output
    assert remaining(session) == made[-1:]


def test_the_prune_command_refuses_a_negative_or_non_numeric_period(app, session):
    made = add_rows(session, 3)
    for bad in ("-1", "week"):
        result = run(app, "search", "prune", "--days", bad)
        assert result.exit_code == 2 and "--days" in result.stderr, result.output
    assert remaining(session) == made


def test_a_bad_kept_period_stops_start_up_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("SEARCH_OUTBOX_KEEP_DAYS", "-3")
    with pytest.raises(ValueError, match="SEARCH_OUTBOX_KEEP_DAYS"):
        create_app({"TESTING": True, "SEARCH_INDEX_PATH": str(tmp_path / "search.db")})


def test_the_relay_prunes_at_most_once_an_hour(app, session):
    first = add_rows(session, 3)
    assert search_service.prune_outbox_if_due(app, now=NOW) == 2
    later = add_rows(session, 2)
    assert search_service.prune_outbox_if_due(app, now=NOW + timedelta(minutes=59)) is None
    assert remaining(session) == first[-1:] + later
    assert search_service.prune_outbox_if_due(app, now=NOW + timedelta(minutes=61)) == 2
    assert remaining(session) == later[-1:]


def test_a_failed_prune_never_stops_the_relay(app, session, monkeypatch):
    def broken(*args, **kwargs):  # noqa: ANN002, ANN003
        raise RuntimeError("database away")

    monkeypatch.setattr(search_service, "prune_outbox", broken)
    assert search_service.prune_outbox_if_due(app, now=NOW) is None


def rating_of(app, external_id: str) -> float | None:
    model = app.extensions["matcher"].matcher
    return next(listing.rating for listing in model.listings if listing.id == external_id)


def test_the_matcher_is_rebuilt_not_patched_when_changes_after_its_version_were_pruned(app, session, make):
    app.config["MATCHER_SYNC_REBUILD"] = True
    provider = make.organisation("provider")
    rated, other = make.product(provider, name="视觉检测"), make.product(provider, name="能耗监测")
    matching_service.matcher(session, app)
    for product, rating in ((rated, 4.6), (other, 3.9)):  # what counting two reviews does
        product.rating, product.review_count = rating, 5
        outbox.enqueue(session, product_ids=[product.id])
        session.commit()
    session.exec(update(SearchOutbox).values(done_at=OLD))
    session.commit()
    assert run(app, "search", "prune", "--days", "7").exit_code == 0  # the first rating's row goes
    assert session.exec(select(SearchOutbox.product_id)).all() == [other.id]

    matching_service.matcher(session, app)

    assert rating_of(app, rated.external_id) == 4.6
    assert rating_of(app, other.external_id) == 3.9
    assert app.extensions["matcher"].version == matching_service.catalogue_version(session)


def test_the_matcher_is_still_patched_when_nothing_after_its_version_was_pruned(app, session, make):
    app.config["MATCHER_SYNC_REBUILD"] = True
    provider = make.organisation("provider")
    product = make.product(provider, name="视觉检测")
    add_rows(session, 3)  # older history, pruned below
    matching_service.matcher(session, app)
    learnt = app.extensions["matcher"].matcher.classifier
    assert run(app, "search", "prune", "--days", "7").exit_code == 0
    product.rating, product.review_count = 4.2, 3
    outbox.enqueue(session, product_ids=[product.id])
    session.commit()

    matching_service.matcher(session, app)

    assert rating_of(app, product.external_id) == 4.2
    assert app.extensions["matcher"].matcher.classifier is learnt  # patched in the request, not rebuilt
