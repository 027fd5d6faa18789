"""What the embedded backend does beyond the contract: a file index shared by workers, threads, a generation swap,
the development catalogue, and staying available."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from search.backend import SearchQuery, SearchUnavailable
from search.documents import SearchDocument, document_from_mapping
from search.embedded import EmbeddedSearch
from search.sqlite_write import fingerprint

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


@pytest.fixture
def catalogue() -> list[SearchDocument]:
    """The development catalogue (170 listings)."""
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    return [document_from_mapping(json.loads(line)) for line in lines if line.strip()]


@pytest.fixture
def index_path(tmp_path: Path) -> str:
    """Where a file index lives."""
    return str(tmp_path / "search.sqlite3")


def _ids(backend: EmbeddedSearch, q: str) -> list[str]:
    return [hit.id for hit in backend.search(SearchQuery(q=q, per_page=10, with_facets=False)).hits]


def test_a_file_index_survives_a_restart(index_path: str, catalogue: list[SearchDocument]) -> None:
    first = EmbeddedSearch(index_path)
    first.rebuild(catalogue)
    before = _ids(first, "视觉质检")
    first.close()

    assert _ids(EmbeddedSearch(index_path), "视觉质检") == before


def test_a_write_by_one_worker_is_seen_by_another(index_path: str, catalogue: list[SearchDocument]) -> None:
    writer, reader = EmbeddedSearch(index_path), EmbeddedSearch(index_path)
    writer.rebuild(catalogue[:50])
    reader.search(SearchQuery(q="能耗"))  # the reader caches what it knows about this version

    writer.upsert([replace(catalogue[60], name="全新能耗看板")])
    writer.delete([catalogue[0].id])

    assert _ids(reader, "全新能耗看板")[0] == catalogue[60].id
    assert catalogue[0].id not in reader.fingerprints()
    assert reader.search(SearchQuery()).total == 50


def test_facet_counts_follow_writes_in_the_same_worker(catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(":memory:")
    backend.upsert(catalogue[:60])
    before = backend.search(SearchQuery(q="能耗")).facets["deployment"]
    moved = [replace(doc, deployment="hybrid") for doc in catalogue[:60]]

    backend.upsert(moved)

    assert len(before) > 1
    assert backend.search(SearchQuery(q="能耗")).facets["deployment"] == {"hybrid": sum(before.values())}


def test_threads_can_search_while_another_writes(index_path: str, catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(index_path)
    backend.rebuild(catalogue)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for q in ("能耗", "WMS", "视觉质建", "反应釜 安全", ""):
                backend.search(SearchQuery(q=q))
        except BaseException as exc:  # any failure in a thread must fail the test
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for doc in catalogue[:30]:
        backend.upsert([replace(doc, summary=doc.summary + "（新版）")])
    for thread in readers:
        thread.join()

    assert errors == []
    assert backend.search(SearchQuery(q="新版")).total == 30


def test_the_development_queries_all_find_something(catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(":memory:")
    backend.rebuild(catalogue)
    queries = (CATALOG.parent / "queries.jsonl").read_text(encoding="utf-8").splitlines()

    for line in queries:
        assert backend.search(SearchQuery(q=json.loads(line)["query"])).total > 0


def test_gibberish_finds_nothing_instead_of_anything(catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(":memory:")
    backend.rebuild(catalogue)

    assert backend.search(SearchQuery(q="xqzvw")).total == 0


def test_a_rebuild_drops_the_old_generation(index_path: str, catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(index_path)
    backend.rebuild(catalogue[:10])
    backend.rebuild(catalogue[10:20])

    assert set(backend.fingerprints()) == {doc.id for doc in catalogue[10:20]}
    assert _ids(backend, catalogue[0].name) == [] or catalogue[0].id not in _ids(backend, catalogue[0].name)


def test_the_fast_fingerprint_is_the_documents_own(catalogue: list[SearchDocument]) -> None:
    assert all(fingerprint(doc) == doc.fingerprint for doc in catalogue)


def test_an_unusable_index_is_unhealthy_and_unavailable(tmp_path: Path) -> None:
    backend = EmbeddedSearch(str(tmp_path / "missing" / "search.sqlite3"))

    assert backend.health() is False
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(q="能耗"))


def test_suggest_offers_vocabulary_then_product_names(catalogue: list[SearchDocument]) -> None:
    backend = EmbeddedSearch(":memory:")
    backend.rebuild(catalogue)

    suggestions = backend.suggest("轴承", limit=6)

    assert suggestions[0] == "轴承"
    assert "轴承参数化设计与选型软件" in backend.suggest("轴承", limit=20)
    assert backend.suggest("wm") == ["WMS", "Warehouse management (WMS)"]
