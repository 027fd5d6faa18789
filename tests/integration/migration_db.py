"""Raw SQL on a database being migrated step by step (the database itself: the fresh_url fixture)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from marketplace.db import make_engine


def rows(url: str, sql: str, **params: Any) -> list[Any]:
    """Run one statement in its own transaction; the rows it returns, if any."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()
