"""Shared fixtures: a real database (SQLite file or a throwaway PostgreSQL database), the app, clients, factories.

Choose the database with TEST_DATABASE=sqlite (default) or TEST_DATABASE=postgres; TEST_PG_URL points at the
PostgreSQL server (default: the local one, user postgres). Each pytest-xdist worker gets its own database.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from catalog import accounts
from catalog.models import Organisation, OrgKind, OrgState, Product, User, utcnow
from catalog.products import apply_spec, refresh_listed
from catalog.uscc import make_code
from catalog.validation import validate_product
from marketplace import create_app
from marketplace.db import make_engine
from marketplace.migrate import upgrade

PASSWORD = "correct-horse-battery"
PG_SERVER = os.environ.get("TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_database() -> Iterator[str]:
    import psycopg

    name = f"mkt_test_{uuid.uuid4().hex[:10]}"
    server = make_url(PG_SERVER)
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session (worker)."""
    if os.environ.get("TEST_DATABASE", "sqlite") == "postgres":
        generator = _postgres_database()
        url = next(generator)
        upgrade(url)
        yield url
        generator.close()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def _wipe(engine: Engine) -> None:
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A Session on a freshly emptied database."""
    _wipe(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


def closed_port() -> int:
    """A loopback port that was free a moment ago and is closed again: nothing answers there (a server that is
    down, as a client sees it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_settings(database_url: str, tmp_path: Path, **over: Any) -> dict[str, Any]:
    """The settings of an app on the test database; CSRF stays on, as in production."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "RATELIMIT_ENABLED": False,
        "SEARCH_INDEX_PATH": str(tmp_path / "search.db"),
        **over,
    }


@pytest.fixture
def app(database_url: str, session: Session, tmp_path) -> Iterator[Flask]:
    """The app on the test database; CSRF stays on, as in production."""
    application = create_app(app_settings(database_url, tmp_path))
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real forms."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def token(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": self.token()}
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/")})

    def post(self, path: str, data: dict[str, Any] | None = None, *, form_page: str = "/", **kwargs: Any):
        """POST with a valid CSRF token taken from a page of the same session."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token(form_page)}, **kwargs)


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


class Factory:
    """Makes organisations, users and products straight in the database."""

    def __init__(self, session: Session):
        self.session = session
        self.serial = 100

    def organisation(self, kind: str = "provider", **over: Any) -> Organisation:
        self.serial += 1
        fields = {
            "kind": kind,
            "name": f"{kind} {self.serial}",
            "uscc": make_code(self.serial),
            "state": OrgState.APPROVED,
            **over,
        }
        org = Organisation(**fields)
        self.session.add(org)
        self.session.commit()
        return org

    def user(
        self, kind: str = "enterprise", organisation: Organisation | None = None, **org_over: Any
    ) -> User:
        organisation = organisation or self.organisation(kind, **org_over)
        self.serial += 1  # two users of one organisation get two addresses
        user = accounts.add_user(
            self.session,
            organisation=organisation,
            email=f"{kind}{self.serial}@example.cn",
            password=PASSWORD,
        )
        self.session.commit()
        return user

    def product(
        self, provider: Organisation | None = None, *, state: str = "published", **over: Any
    ) -> Product:
        provider = provider or self.organisation("provider")
        self.serial += 1
        raw = {
            "name": f"产品 {self.serial}",
            "summary": "简介",
            "description": "说明",
            "scenarios": ["visual_inspection"],
            "industries": [],
            "price_min_wan": 5,
            "price_max_wan": 10,
            "deployment": "saas",
            "delivery_days": 30,
            **over,
        }
        spec = validate_product(raw)
        product = Product(
            external_id=f"T{self.serial:05d}",
            provider_id=provider.id,
            primary_scenario=spec.scenarios[0],
            name=spec.name,
            price_min_wan=spec.price_min_wan,
            price_max_wan=spec.price_max_wan,
            deployment=spec.deployment,
            delivery_days=spec.delivery_days,
            state=state,
        )
        self.session.add(product)
        self.session.flush()
        apply_spec(self.session, product=product, spec=spec)
        if state == "published":
            product.published_at = utcnow()
        refresh_listed(product, provider)
        self.session.commit()
        return product


@pytest.fixture
def make(session: Session) -> Factory:
    return Factory(session)


__all__ = ["PASSWORD", "Auth", "Factory", "OrgKind", "csrf_from"]
