"""An in-memory stand-in for the Meilisearch HTTP API, answering the official client through ``responses``.

It keeps indexes, documents, settings and tasks, so every adapter method can be exercised end to end without a
server; its answers follow the shapes of data/meilisearch/openapi.json (the contract test validates them).
Search itself lives in ``fake_search``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
import responses
from requests import PreparedRequest

from tests.contract.fake_filter import FilterSyntaxError, compile_filter
from tests.contract.fake_search import answer_query

BASE_URL = "http://localhost:7700"
NOW = "2026-01-05T08:00:00.000000Z"
Reply = tuple[int, dict[str, str], str]


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _error(status: int, code: str, message: str) -> Reply:
    body = {
        "message": message,
        "code": code,
        "type": "invalid_request",
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }
    return status, {}, json.dumps(body)


def _ok(body: Any, status: int = 200) -> Reply:
    return status, {}, json.dumps(body, ensure_ascii=False)


class FakeMeili:
    """The fake server. Knobs: ``failing_task_types`` (task type -> error code) makes those tasks fail,
    ``stuck`` leaves tasks enqueued forever, ``health_status`` is what /health reports, ``down`` refuses every
    connection (the server stopped)."""

    def __init__(self) -> None:
        self.indexes: dict[str, FakeIndex] = {}
        self.tasks: dict[int, dict[str, Any]] = {}
        self.failing_task_types: dict[str, str] = {}
        self.stuck = False
        self.health_status = "available"
        self.down = False

    def install(self, mock: responses.RequestsMock) -> None:
        """Route every Meilisearch endpoint the adapter uses to this fake."""
        routes: list[tuple[str, str, Callable[..., Reply]]] = [
            ("GET", r"/health", lambda req: _ok({"status": self.health_status})),
            ("GET", r"/tasks/(\d+)", self.get_task),
            ("POST", r"/indexes", self.create_index),
            ("GET", r"/indexes/([\w-]+)", self.get_index),
            ("DELETE", r"/indexes/([\w-]+)", self.delete_index),
            ("GET", r"/indexes/([\w-]+)/settings", self.get_settings),
            ("PATCH", r"/indexes/([\w-]+)/settings", self.update_settings),
            ("POST", r"/indexes/([\w-]+)/documents", self.add_documents),
            ("POST", r"/indexes/([\w-]+)/documents/delete", self.delete_documents),
            ("POST", r"/indexes/([\w-]+)/documents/fetch", self.fetch_documents),
            ("POST", r"/indexes/([\w-]+)/search", self.search),
            ("POST", r"/multi-search", self.multi_search),
            ("POST", r"/swap-indexes", self.swap_indexes),
        ]
        for method, path, handler in routes:
            pattern = re.compile(re.escape(BASE_URL) + path + r"(\?.*)?$")
            mock.add_callback(
                method,
                pattern,
                callback=self._unless_down(_route(pattern, handler)),
                content_type="application/json",
            )

    def _unless_down(
        self, callback: Callable[[PreparedRequest], Reply]
    ) -> Callable[[PreparedRequest], Reply]:
        def answer(req: PreparedRequest) -> Reply:
            if self.down:
                raise requests.ConnectionError(f"connection refused: {req.url}")
            return callback(req)

        return answer

    # -- tasks -----------------------------------------------------------------------------------------------

    def enqueue(self, kind: str, index_uid: str | None, apply: Callable[[], str | None]) -> Reply:
        """Record a task, run it at once (``apply`` returns an error code or None) and answer 202."""
        uid = len(self.tasks)
        error_code = self.failing_task_types.get(kind) or (None if self.stuck else apply())
        status = "enqueued" if self.stuck else ("failed" if error_code else "succeeded")
        error = None
        if error_code:
            error = {
                "message": f"fake failure {error_code}",
                "code": error_code,
                "type": "invalid_request",
                "link": "https://docs.meilisearch.com/errors",
            }
        self.tasks[uid] = {
            "uid": uid,
            "batchUid": uid,
            "indexUid": index_uid,
            "status": status,
            "type": kind,
            "canceledBy": None,
            "details": {},
            "error": error,
            "duration": "PT0.001S",
            "enqueuedAt": NOW,
            "startedAt": NOW,
            "finishedAt": None if self.stuck else NOW,
        }
        return _ok(
            {"taskUid": uid, "indexUid": index_uid, "status": "enqueued", "type": kind, "enqueuedAt": NOW},
            202,
        )

    def get_task(self, req: PreparedRequest, uid: str) -> Reply:
        task = self.tasks.get(int(uid))
        return _ok(task) if task else _error(404, "task_not_found", f"Task `{uid}` not found.")

    # -- indexes ---------------------------------------------------------------------------------------------

    def create_index(self, req: PreparedRequest) -> Reply:
        body = _json(req)
        uid = body["uid"]

        def apply() -> str | None:
            if uid in self.indexes:
                return "index_already_exists"
            self.indexes[uid] = FakeIndex(uid, body.get("primaryKey"))
            return None

        return self.enqueue("indexCreation", uid, apply)

    def get_index(self, req: PreparedRequest, uid: str) -> Reply:
        index = self.indexes.get(uid)
        if index is None:
            return _error(404, "index_not_found", f"Index `{uid}` not found.")
        return _ok({"uid": uid, "primaryKey": index.primary_key, "createdAt": NOW, "updatedAt": NOW})

    def delete_index(self, req: PreparedRequest, uid: str) -> Reply:
        return self.enqueue(
            "indexDeletion", uid, lambda: None if self.indexes.pop(uid, None) else "index_not_found"
        )

    def get_settings(self, req: PreparedRequest, uid: str) -> Reply:
        index = self.indexes.get(uid)
        return _ok(index.settings) if index else _error(404, "index_not_found", f"Index `{uid}` not found.")

    def update_settings(self, req: PreparedRequest, uid: str) -> Reply:
        def apply() -> None:
            self.indexes.setdefault(uid, FakeIndex(uid, None)).settings.update(_json(req))

        return self.enqueue("settingsUpdate", uid, apply)

    def swap_indexes(self, req: PreparedRequest) -> Reply:
        def apply() -> str | None:
            for pair in _json(req):
                first, second = pair["indexes"]
                if first not in self.indexes or second not in self.indexes:
                    return "index_not_found"
                self.indexes[first], self.indexes[second] = self.indexes[second], self.indexes[first]
            return None

        return self.enqueue("indexSwap", None, apply)

    # -- documents -------------------------------------------------------------------------------------------

    def add_documents(self, req: PreparedRequest, uid: str) -> Reply:
        primary_key = parse_qs(urlparse(req.url or "").query).get("primaryKey", [None])[0]

        def apply() -> None:
            index = self.indexes.setdefault(uid, FakeIndex(uid, primary_key))
            key = index.primary_key or "id"
            index.documents.update({str(doc[key]): doc for doc in _json(req)})

        return self.enqueue("documentAdditionOrUpdate", uid, apply)

    def delete_documents(self, req: PreparedRequest, uid: str) -> Reply:
        def apply() -> str | None:
            index = self.indexes.get(uid)
            if index is None:
                return "index_not_found"
            doomed = compile_filter(_json(req)["filter"])
            index.documents = {k: d for k, d in index.documents.items() if not doomed(d)}
            return None

        return self.enqueue("documentDeletion", uid, apply)

    def fetch_documents(self, req: PreparedRequest, uid: str) -> Reply:
        index = self.indexes.get(uid)
        if index is None:
            return _error(404, "index_not_found", f"Index `{uid}` not found.")
        body = _json(req)
        offset, limit = body.get("offset", 0), body.get("limit", 20)
        fields = body.get("fields")
        docs = [d for _, d in sorted(index.documents.items())]
        page = [
            {k: v for k, v in d.items() if fields is None or k in fields}
            for d in docs[offset : offset + limit]
        ]
        return _ok({"results": page, "offset": offset, "limit": limit, "total": len(docs)})

    # -- search ----------------------------------------------------------------------------------------------

    def search(self, req: PreparedRequest, uid: str) -> Reply:
        answer = self.run_query({**_json(req), "indexUid": uid})
        return answer if isinstance(answer, tuple) else _ok(answer)

    def multi_search(self, req: PreparedRequest) -> Reply:
        answers = [self.run_query(query) for query in _json(req)["queries"]]
        for answer in answers:
            if isinstance(answer, tuple):
                return answer
        return _ok({"results": answers})

    def run_query(self, query: dict[str, Any]) -> dict[str, Any] | Reply:
        """One search query's answer (the shape of SearchResultWithIndex), or an error reply."""
        index = self.indexes.get(query["indexUid"])
        if index is None:
            return _error(404, "index_not_found", f"Index `{query['indexUid']}` not found.")
        searchable = index.settings.get("searchableAttributes") or ["*"]
        try:
            return answer_query(list(index.documents.values()), query=query, searchable=searchable)
        except FilterSyntaxError as exc:
            return _error(400, "invalid_search_filter", str(exc))


def _route(pattern: re.Pattern[str], handler: Callable[..., Reply]) -> Callable[[PreparedRequest], Reply]:
    def callback(req: PreparedRequest) -> Reply:
        match = pattern.match(req.url or "")
        assert match is not None
        return handler(req, *match.groups()[:-1])

    return callback


def _json(req: PreparedRequest) -> Any:
    body = req.body.decode() if isinstance(req.body, bytes) else req.body
    return json.loads(body or "null")
