"""Timing pages through the app's test client: the same loop for every page benchmark."""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping

from flask.testing import FlaskClient


def time_pages(
    client: FlaskClient, pages: Mapping[str, str], requests: int
) -> dict[str, tuple[float, float]]:
    """p50 and p95 in milliseconds per page (label -> path), after one warm-up request each."""
    figures = {}
    for label, path in pages.items():
        assert client.get(path).status_code == 200, path
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
        timings.sort()
        figures[label] = (statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)])
    return figures
