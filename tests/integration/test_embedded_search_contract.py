"""The backend contract (``backend_contract.py``) run against the embedded backend, in memory and on a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.embedded import EmbeddedSearch
from tests.integration.backend_contract import *  # noqa: F403


@pytest.fixture(params=["memory", "file"])
def search_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedSearch]:
    """An empty embedded index, in memory or in a SQLite file."""
    backend = EmbeddedSearch(":memory:" if request.param == "memory" else str(tmp_path / "search.sqlite3"))
    backend.ensure_index()
    yield backend
    backend.close()
