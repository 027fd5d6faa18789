"""The `marketplace` command: demo, serve, db, import/export, accounts."""

from __future__ import annotations

import os
import sys
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


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the demo database and stop.")
@with_appcontext
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create the demo database under instance/, load the demo catalogue and accounts, and serve."""
    from marketplace import demo as demo_data

    migrate.upgrade(current_app.config["DATABASE_URL"])
    session = db.session()
    report = demo_data.load_catalog(session)
    accounts_made = demo_data.ensure_accounts(session)
    session.commit()
    click.echo(f"demo catalogue: {report.created} products added, {report.unchanged} already there")
    click.echo("demo accounts (e-mail / password):")
    for account in accounts_made:
        click.echo(f"  {account.role:<10} {account.email:<26} {account.password}")
    if no_serve:
        return
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
        "--access-logfile",
        "-",
        "marketplace.wsgi:app",
    ]
    os.execvp(args[0], args)
