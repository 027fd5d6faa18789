"""Fixtures of the integration tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import _postgres_database


@pytest.fixture
def fresh_url(tmp_path) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a throwaway PostgreSQL database."""
    if os.environ.get("TEST_DATABASE", "sqlite") == "postgres":
        generator = _postgres_database()
        yield next(generator)
        generator.close()
    else:
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
