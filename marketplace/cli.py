"""The `marketplace` command: demo, serve, db, import/export, accounts."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from marketplace import db, migrate


def _create_app() -> Flask:
    from marketplace import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """Luoyang SME digital-transformation marketplace."""


@main.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every pending migration to DATABASE_URL."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    click.echo("database schema is up to date")


@main.group("import")
def import_group() -> None:
    """Import data."""


@import_group.command("catalog")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_catalog_command(path: Path) -> None:
    """Upsert providers and products from a catalogue JSON Lines file; bad lines are reported and skipped."""
    from tqdm import tqdm

    from catalog.interchange import import_catalog

    session = db.session()
    lines = path.read_text(encoding="utf-8").splitlines()
    with tqdm(total=len(lines), unit="line", file=sys.stderr, disable=None) as bar:
        report = import_catalog(session, lines, progress=bar.update)
    session.commit()
    for number, reason in report.errors:
        click.echo(f"{path.name}:{number}: {reason}", err=True)
    click.echo(
        f"products created {report.created}, updated {report.updated}, unchanged {report.unchanged}; "
        f"providers created {report.providers_created}; changes {report.changes}; "
        f"failed lines {len(report.errors)}"
    )
    if report.errors:
        sys.exit(1)


@import_group.command("pilot")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_pilot_command(directory: Path) -> None:
    """Import enterprises.jsonl, engagements.jsonl and reviews.jsonl (idempotent by external id)."""
    from reviews.pilot_import import import_pilot

    session = db.session()
    report = import_pilot(session, directory)
    session.commit()
    for line in report.errors:
        click.echo(line, err=True)
    for name in report.created:
        click.echo(f"{name}: created {report.created[name]}, unchanged {report.unchanged[name]}")
    click.echo(f"reviews held by suspicion flags: {report.flagged}; failed lines: {len(report.errors)}")
    if report.errors:
        sys.exit(1)


@main.command("awards")
@click.option("--json", "as_json", is_flag=True, help="Print the shortlists as JSON.")
@with_appcontext
def awards_command(as_json: bool) -> None:
    """The 8 top providers and 10 top products, by external id, with scores."""
    import json

    from reviews.shortlisting import board

    result = board(db.session())

    def entries(kind: str, shortlist) -> list[dict]:  # type: ignore[no-untyped-def]
        return [
            {
                "id": result.external[kind][e.candidate.item_id],
                "name": result.names[kind][e.candidate.item_id],
                "score": round(e.score, 3),
                "rank": e.rank,
                "rank_range": list(e.rank_range),
                "contributions": {k: round(v, 3) for k, v in e.contributions.items()},
            }
            for e in shortlist.proposed
        ]

    body = {
        "providers": entries("provider", result.providers),
        "products": entries("product", result.products),
    }
    if as_json:
        click.echo(json.dumps(body, ensure_ascii=False))
        return
    for kind, rows in body.items():
        click.echo(kind)
        for row in rows:
            click.echo(f"  {row['rank']:>2}. {row['id']:<8} {row['score']:>6.1f}  {row['name']}")


@main.group("assess")
def assess_group() -> None:
    """The national digital-level self-assessment (中小企业数字化水平评测指标 2024)."""


@assess_group.command("level")
@click.option("--score", required=True, type=float, help="The scored part, 0-100.")
@click.option("--scenes", default="", help="Scene levels, e.g. quality=3,energy=2 (codes of the taxonomy).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def assess_level_command(score: float, scenes: str, lang: str) -> None:
    """Print {"level": N, "rule": "..."}: the level the site computes for this score and these scenes."""
    import json

    from catalog.assessment import assess_level, parse_scenes
    from catalog.errors import Invalid

    try:
        result = assess_level(score=score, scenes=parse_scenes(scenes) if scenes.strip() else {})
    except Invalid as error:
        for field, message in error.errors.items():
            click.echo(f"{field}: {message}", err=True)
        sys.exit(2)
    body = result.as_dict(lang)
    click.echo(json.dumps({"level": body["level"], "rule": body["rule"]}, ensure_ascii=False))


@main.group("audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every entry's hash and link; exits 1 at the first changed or missing entry."""
    from catalog.audit import verify_chain

    report = verify_chain(db.session())
    if report.ok:
        click.echo(f"audit log intact: {report.checked} entries")
        return
    click.echo(
        f"audit log broken at entry {report.broken_at}: {report.reason} ({report.checked} entries intact before it)",
        err=True,
    )
    sys.exit(1)


@main.group("export")
def export_group() -> None:
    """Export data."""


@export_group.command("catalog")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_catalog_command(path: Path | None) -> None:
    """Write every published product in the interchange format (standard output without PATH)."""
    from catalog.interchange import export_catalog

    if path is None:
        count = export_catalog(db.session(), sys.stdout)
    else:
        with path.open("w", encoding="utf-8") as out:
            count = export_catalog(db.session(), out)
    click.echo(f"exported {count} products", err=True)


@main.group("user")
def user_group() -> None:
    """Accounts."""


@user_group.command("create-staff")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.password_option()
@with_appcontext
def create_staff(email: str, name: str, password: str) -> None:
    """Create a staff account of the city bureau."""
    from sqlmodel import select

    from catalog import accounts
    from catalog.errors import Invalid
    from catalog.models import Organisation, OrgKind

    session = db.session()
    bureau = session.exec(select(Organisation).where(Organisation.kind == OrgKind.STAFF)).first()
    if bureau is None:
        bureau = Organisation(kind=OrgKind.STAFF, name="洛阳市工业和信息化局")
        session.add(bureau)
        session.flush()
    try:
        accounts.add_user(session, organisation=bureau, email=email, password=password, name=name)
    except Invalid as error:
        for field, message in error.errors.items():
            click.echo(f"{field}: {message}", err=True)
        sys.exit(2)
    session.commit()
    click.echo(f"staff account {email} created")


@main.group("search")
def search_group() -> None:
    """The search index: relay, prune, rebuild, check, batch and evaluation."""


@search_group.command("sync")
@click.option("--watch", is_flag=True, help="Keep relaying every second until interrupted; prunes hourly.")
@with_appcontext
def search_sync(watch: bool) -> None:
    """Apply pending product changes to the search index (idempotent; failures retried with backoff)."""
    import time

    from marketplace import search_service

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    while True:
        applied = search_service.sync_once(app)
        click.echo(f"applied {applied} product changes", err=True)
        if not watch:
            return
        pruned = search_service.prune_outbox_if_due(app)
        if pruned:
            click.echo(f"pruned {pruned} relayed outbox rows", err=True)
        time.sleep(1.0)


@search_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=0, max=timedelta.max.days),
    default=None,
    help="Keep the rows relayed in the last N days (default: SEARCH_OUTBOX_KEEP_DAYS, 7).",
)
@with_appcontext
def search_prune(days: int | None) -> None:
    """Delete relayed outbox rows older than the kept period (the watching relay also does this hourly)."""
    from search.outbox_pruning import prune

    if days is None:
        days = current_app.config["SEARCH_OUTBOX_KEEP_DAYS"]
    deleted = prune(db.session(), older_than=timedelta(days=days))
    click.echo(f"pruned {deleted} relayed outbox rows older than {days} days")


@search_group.command("rebuild")
@with_appcontext
def search_rebuild() -> None:
    """Rebuild the whole index from the database (readers keep the old index until the swap)."""
    from marketplace import search_service
    from search.sync import rebuild

    session = db.session()
    chosen = search_service.backend()
    count = rebuild(session, chosen)
    for mirror in search_service.mirrors(chosen):
        rebuild(session, mirror)
    session.commit()
    click.echo(f"rebuilt the {chosen.name} index with {count} products")


@search_group.command("check")
@with_appcontext
def search_check() -> None:
    """Compare the index with the database: missing, stale and extra documents; exits 1 when they differ."""
    from marketplace import search_service
    from search.sync import check

    report = check(db.session(), search_service.backend())
    for label, ids in (("missing", report.missing), ("stale", report.stale), ("extra", report.extra)):
        click.echo(
            f"{label}: {len(ids)}"
            + (f" ({', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''})" if ids else "")
        )
    if not report.ok:
        sys.exit(1)


def _read_rows(path: Path, required: tuple[str, ...]) -> list[dict]:
    """JSON Lines rows, each checked for the fields a batch command needs; exits 2 naming the bad line."""
    import json

    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            click.echo(f"{path.name}:{number}: not valid JSON ({error.msg})", err=True)
            sys.exit(2)
        missing = [name for name in required if not isinstance(row, dict) or name not in row]
        if missing:
            click.echo(f"{path.name}:{number}: missing {', '.join(missing)}", err=True)
            sys.exit(2)
        rows.append(row)
    return rows


def _search_runs(rows: list[dict], limit: int) -> dict[str, list[str]]:
    from marketplace import search_service
    from search.backend import SearchQuery

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    search_service.sync_once(app)  # rank what the database holds now
    chosen = search_service.backend()
    runs = {}
    for row in rows:
        result = chosen.search(SearchQuery(q=str(row["query"]), per_page=limit, with_facets=False))
        runs[str(row["id"])] = [hit.id for hit in result.hits]
    return runs


@search_group.command("batch")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def search_batch(path: Path, limit: int) -> None:
    """Run every query of a JSON Lines file ({"id", "query"}) and print {"id", "results"} per line."""
    import json

    for row_id, results in _search_runs(_read_rows(path, ("id", "query")), limit).items():
        click.echo(json.dumps({"id": row_id, "results": results}, ensure_ascii=False))


@search_group.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def search_eval(path: Path) -> None:
    """NDCG@10, recall@10 and MRR of the search over a labelled query file."""
    from matching.metrics import evaluate

    rows = _read_rows(path, ("id", "query", "relevant"))
    runs = _search_runs(rows, 10)
    _print_metrics(evaluate(runs, {str(row["id"]): row["relevant"] for row in rows}), runs)


def _print_metrics(metrics: dict, runs: dict[str, list[str]]) -> None:
    click.echo(f"NDCG@10   {metrics['ndcg@10']:.4f}")
    click.echo(f"recall@10 {metrics['recall@10']:.4f}")
    click.echo(f"MRR       {metrics['mrr']:.4f}")
    click.echo(f"rows      {metrics['n']}  (with no result: {sum(1 for r in runs.values() if not r)})")


@main.group("match")
def match_group() -> None:
    """Matching: batch ranking and evaluation over diagnosis cases."""


def _match_runs(rows: list[dict], limit: int) -> tuple[dict[str, list[str]], dict[str, dict]]:
    from marketplace import matching_service
    from matching.interchange import profile_from_case

    matcher = matching_service.build(db.session())  # the published products in the database, now
    runs, reasons = {}, {}
    for row in rows:
        case = {key: value for key, value in row.items() if key != "relevant"}  # labels are never read
        matches = matcher.rank(profile_from_case(case), limit=limit)
        runs[str(row["id"])] = [match.id for match in matches]
        reasons[str(row["id"])] = {m.id: [r.zh for r in m.reasons] for m in matches}
    return runs, reasons


@match_group.command("batch")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def match_batch(path: Path, limit: int) -> None:
    """Rank the published products for every case ({"id", "enterprise", "budget_wan", "needs_text", ...})."""
    import json

    runs, reasons = _match_runs(_read_rows(path, ("id", "needs_text")), limit)
    for case_id, results in runs.items():
        click.echo(
            json.dumps({"id": case_id, "results": results, "reasons": reasons[case_id]}, ensure_ascii=False)
        )


@match_group.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def match_eval(path: Path) -> None:
    """NDCG@10, recall@10 and MRR of the matching over labelled cases."""
    from matching.metrics import evaluate

    rows = _read_rows(path, ("id", "needs_text", "relevant"))
    runs, _reasons = _match_runs(rows, 10)
    _print_metrics(evaluate(runs, {str(row["id"]): row["relevant"] for row in rows}), runs)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the demo database and stop.")
@click.option(
    "--pilot/--no-pilot",
    default=True,
    show_default=True,
    help="Also generate and import a pilot data set (enterprises, engagements, reviews).",
)
@with_appcontext
def demo(host: str, port: int, no_serve: bool, pilot: bool) -> None:
    """Create the demo database under instance/, load the demo catalogue and accounts, and serve."""
    from marketplace import demo as demo_data

    migrate.upgrade(current_app.config["DATABASE_URL"])
    session = db.session()
    report = demo_data.load_catalog(session)
    accounts_made = demo_data.ensure_accounts(session)
    session.commit()
    click.echo(f"demo catalogue: {report.created} products added, {report.unchanged} already there")
    if pilot:
        pilot_report = demo_data.load_pilot(session, Path(current_app.instance_path) / "pilot")
        session.commit()
        click.echo(
            f"demo pilot: {sum(pilot_report.created.values())} enterprises, engagements and reviews added"
        )
    click.echo("demo accounts (e-mail / password):")
    for account in accounts_made:
        click.echo(f"  {account.role:<10} {account.email:<26} {account.password}")
    from marketplace import search_service

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"search index: {search_service.sync_once(app)} products indexed")
    if no_serve:
        return
    search_service.start_relay_thread(app)
    click.echo(f"serving on http://{host}:{port}  (Ctrl+C to stop)")
    from werkzeug.serving import run_simple

    # Not app.run(): Flask ignores it inside its own CLI. Threaded, as several browser tabs are normal.
    run_simple(host, port, current_app._get_current_object(), threaded=True)  # type: ignore[attr-defined]


@main.command("serve")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn); configure with DATABASE_URL, SECRET_KEY, MEILI_URL."""
    args = [
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{host}:{port}",
        # a request for recommendations may wait for the worker's matching model at start-up (~25 s at 100k)
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "marketplace.wsgi:app",
    ]
    os.execvp(args[0], args)
