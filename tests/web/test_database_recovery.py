"""The app survives losing its database connections (a PostgreSQL restart or failover): the next request after
the server dropped every pooled connection is answered normally, without restarting the app."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE", "sqlite") != "postgres",
    reason="SQLite has no server whose connections could be dropped",
)


def drop_app_connections(engine) -> int:
    """Terminate every other server process on this database, as a restart does; how many were ended."""
    with engine.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
        conn.commit()
    return int(ended)


def test_pages_answer_right_after_the_server_dropped_every_connection(app, client, make, engine):
    product = make.product(name="断线后仍可浏览的产品")
    assert client.get("/products").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert app.extensions["db_engine"].pool.checkedin() >= 1

    assert drop_app_connections(engine) >= 1

    listing = client.get("/products")
    assert listing.status_code == 200 and product.name in listing.get_data(as_text=True)
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get(f"/products/{product.id}").status_code == 200
