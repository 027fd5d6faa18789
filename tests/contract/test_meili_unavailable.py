"""A slow, failing or absent Meilisearch becomes SearchUnavailable (the app then falls back to the embedded
backend); health() answers False instead of raising. Real sockets, via pytest-httpserver."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from meilisearch.errors import MeilisearchApiError
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from search.backend import SearchQuery, SearchUnavailable
from search.documents import SearchDocument
from search.meili import MeiliSearch
from tests.conftest import closed_port

TIMEOUT_S = 0.2


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown so a handler stalling past the client's timeout finishes quickly."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def stalling_server(httpserver: HTTPServer, release: threading.Event) -> HTTPServer:
    """A server that answers every request only after the client has given up."""

    def stall(request: Request) -> Response:
        release.wait(timeout=TIMEOUT_S * 10)
        return Response('{"status": "available"}', content_type="application/json")

    httpserver.expect_request("").respond_with_handler(stall)
    return httpserver


@pytest.fixture
def closed_port_url() -> str:
    """A local URL where nothing listens."""
    return f"http://127.0.0.1:{closed_port()}"


def _meili(url: str) -> MeiliSearch:
    return MeiliSearch(url, "key", timeout_s=TIMEOUT_S, task_timeout_s=1.0)


def test_search_timing_out_is_unavailable(stalling_server: HTTPServer) -> None:
    with pytest.raises(SearchUnavailable):
        _meili(stalling_server.url_for("/").rstrip("/")).search(SearchQuery(q="质检"))


def test_health_is_false_when_the_server_is_too_slow(stalling_server: HTTPServer) -> None:
    assert _meili(stalling_server.url_for("/").rstrip("/")).health() is False


def test_write_timing_out_is_unavailable(
    stalling_server: HTTPServer, make_doc: Callable[..., SearchDocument]
) -> None:
    with pytest.raises(SearchUnavailable):
        _meili(stalling_server.url_for("/").rstrip("/")).upsert([make_doc()])


def test_refused_connection_is_unavailable(closed_port_url: str) -> None:
    meili = _meili(closed_port_url)

    with pytest.raises(SearchUnavailable):
        meili.search(SearchQuery(q="质检"))
    assert meili.health() is False


def test_server_error_is_unavailable(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/multi-search").respond_with_json(
        {
            "message": "internal",
            "code": "internal",
            "type": "internal",
            "link": "https://docs.meilisearch.com",
        },
        status=500,
    )

    with pytest.raises(SearchUnavailable):
        _meili(httpserver.url_for("/").rstrip("/")).search(SearchQuery(q="质检"))


def test_a_rejected_query_is_not_mistaken_for_an_outage(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/multi-search").respond_with_json(
        {
            "message": "bad filter",
            "code": "invalid_search_filter",
            "type": "invalid_request",
            "link": "https://x",
        },
        status=400,
    )

    # A bug in the request must surface, not be hidden behind the fallback backend.
    with pytest.raises(MeilisearchApiError, match="bad filter"):
        _meili(httpserver.url_for("/").rstrip("/")).search(SearchQuery(q="质检"))
