"""The Meilisearch adapter against a fake server: index set-up, writes and rebuilds.

Every HTTP exchange is checked against Meilisearch's OpenAPI description: the ``fake_meili`` fixture fails
the test on any violation.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests
import responses

from catalog.taxonomy import load_taxonomy
from search.backend import SearchUnavailable
from search.documents import SearchDocument
from search.meili import MeiliSearch, MeiliTaskFailed
from search.meili_documents import index_settings, meili_document
from tests.contract.conftest import SYNONYMS
from tests.contract.fake_meili import BASE_URL, FakeIndex, FakeMeili
from tests.contract.openapi_contract import exchange_violations

MakeDoc = Callable[..., SearchDocument]


# -- index and writes ---------------------------------------------------------------------------------------


def test_ensure_index_creates_the_index_with_every_setting(meili: MeiliSearch, fake_meili: FakeMeili) -> None:
    meili.ensure_index()

    index = fake_meili.indexes["products"]
    assert index.primary_key == "id"
    assert index.settings == index_settings(synonyms=SYNONYMS)
    assert index.settings["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 4, "twoTypos": 8}
    assert index.settings["localizedAttributes"][0]["locales"][0] == "cmn"


def test_ensure_index_twice_writes_nothing_the_second_time(meili: MeiliSearch, fake_meili: FakeMeili) -> None:
    meili.ensure_index()
    tasks_before = len(fake_meili.tasks)

    meili.ensure_index()

    assert len(fake_meili.tasks) == tasks_before


def test_ensure_index_repairs_stale_settings(meili: MeiliSearch, fake_meili: FakeMeili) -> None:
    fake_meili.indexes["products"] = FakeIndex("products", "id", settings={"searchableAttributes": ["*"]})

    meili.ensure_index()

    assert fake_meili.indexes["products"].settings["searchableAttributes"][0] == "name"


def test_upsert_stores_the_mapped_documents_once_meilisearch_confirms(
    meili: MeiliSearch,
    fake_meili: FakeMeili,
    catalog: list[SearchDocument],
    http_calls: responses.RequestsMock,
) -> None:
    meili.upsert(catalog)

    stored = fake_meili.indexes["products"].documents
    assert stored["P2"] == meili_document(catalog[1], taxonomy=load_taxonomy())
    assert all(task["status"] == "succeeded" for task in fake_meili.tasks.values())
    polled = {
        call.request.url.rsplit("/", 1)[-1] for call in http_calls.calls if "/tasks/" in call.request.url
    }
    assert polled == {str(uid) for uid in fake_meili.tasks}


def test_upsert_of_a_changed_document_replaces_it(
    indexed: MeiliSearch, fake_meili: FakeMeili, make_doc: MakeDoc
) -> None:
    indexed.upsert([make_doc(id="P1", name="新版视觉质检")])

    assert fake_meili.indexes["products"].documents["P1"]["name"] == "新版视觉质检"
    assert len(fake_meili.indexes["products"].documents) == 5


def test_upsert_raises_when_meilisearch_rejects_the_task(
    meili: MeiliSearch, fake_meili: FakeMeili, catalog: list[SearchDocument]
) -> None:
    meili.ensure_index()
    fake_meili.failing_task_types["documentAdditionOrUpdate"] = "invalid_document_id"

    with pytest.raises(MeiliTaskFailed, match="invalid_document_id"):
        meili.upsert(catalog)


def test_write_not_confirmed_in_time_is_unavailable(
    fake_meili: FakeMeili, catalog: list[SearchDocument]
) -> None:
    fake_meili.stuck = True
    meili = MeiliSearch(BASE_URL, None, task_timeout_s=0.2)

    with pytest.raises(SearchUnavailable):
        meili.upsert(catalog)


def test_delete_removes_the_given_ids_and_ignores_unknown_ones(
    indexed: MeiliSearch, fake_meili: FakeMeili
) -> None:
    indexed.delete(["P2", "P4", "NOPE", 'P"9\\'])

    assert sorted(fake_meili.indexes["products"].documents) == ["P1", "P3", "P5"]


def test_delete_with_quotes_in_an_id_deletes_exactly_that_document(
    meili: MeiliSearch, fake_meili: FakeMeili, make_doc: MakeDoc
) -> None:
    meili.upsert([make_doc(id='A"B'), make_doc(id="A"), make_doc(id="B")])

    meili.delete(['A"B'])

    assert sorted(fake_meili.indexes["products"].documents) == ["A", "B"]


# -- rebuild ------------------------------------------------------------------------------------------------


def test_rebuild_swaps_in_a_complete_index_and_drops_the_old_one(
    indexed: MeiliSearch, fake_meili: FakeMeili, make_doc: MakeDoc, http_calls: responses.RequestsMock
) -> None:
    fresh_docs = [make_doc(id="N1"), make_doc(id="N2")]

    indexed.rebuild(iter(fresh_docs))

    assert list(fake_meili.indexes) == ["products"]
    live = fake_meili.indexes["products"]
    assert sorted(live.documents) == ["N1", "N2"]
    assert live.settings == index_settings(synonyms=SYNONYMS)
    # Readers only ever query "products": the new documents went to another index until the swap.
    paths = [(call.request.method, call.request.path_url) for call in http_calls.calls]
    swap_at = paths.index(("POST", "/swap-indexes"))
    additions = [i for i, (m, p) in enumerate(paths) if m == "POST" and p.startswith("/indexes/products_")]
    assert additions and max(additions) < swap_at
    assert not any(m == "POST" and p.startswith("/indexes/products/documents") for m, p in paths[-10:])


def test_rebuild_works_before_any_live_index_exists(
    meili: MeiliSearch, fake_meili: FakeMeili, make_doc: MakeDoc
) -> None:
    meili.rebuild([make_doc(id="N1")])

    assert list(fake_meili.indexes) == ["products"]
    assert list(fake_meili.indexes["products"].documents) == ["N1"]


def test_failed_rebuild_leaves_the_live_index_untouched_and_cleans_up(
    indexed: MeiliSearch, fake_meili: FakeMeili, make_doc: MakeDoc
) -> None:
    fake_meili.failing_task_types["documentAdditionOrUpdate"] = "invalid_document_id"

    with pytest.raises(MeiliTaskFailed):
        indexed.rebuild([make_doc(id="N1")])

    assert list(fake_meili.indexes) == ["products"]
    assert len(fake_meili.indexes["products"].documents) == 5


# -- the contract checker itself ----------------------------------------------------------------------------


def _exchange(path: str, body: object, answer: object, status: int = 200) -> list[str]:
    request = requests.Request(
        "POST", f"{BASE_URL}{path}", json=body, headers={"Authorization": "Bearer k"}
    ).prepare()
    response = requests.Response()
    response.status_code = status
    response.headers["Content-Type"] = "application/json"
    response._content = json.dumps(answer).encode()
    return [str(v) for v in exchange_violations(request, response)]


def test_contract_checker_rejects_a_malformed_request_and_answer() -> None:
    ok_answer = {"results": []}
    assert (
        _exchange(
            "/multi-search", {"queries": [{"indexUid": "products", "facets": ["scenarios"]}]}, ok_answer
        )
        == []
    )
    bad_request = _exchange(
        "/multi-search", {"queries": [{"indexUid": "products", "page": "two"}]}, ok_answer
    )
    assert any("queries/0/page" in v for v in bad_request)
    bad_facets = _exchange("/multi-search", {"queries": [{"indexUid": "products", "facets": 3}]}, ok_answer)
    assert any("queries/0/facets" in v for v in bad_facets)
    bad_answer = _exchange("/multi-search", {"queries": []}, {"results": [{"hits": "none"}]})
    assert bad_answer
