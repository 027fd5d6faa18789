"""Fixtures for the Meilisearch adapter tests: a fake server whose every exchange is checked against the
published OpenAPI description, the adapter pointed at it, and a search-document factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
import responses

from search.documents import SearchDocument
from search.meili import MeiliSearch
from tests.contract.fake_meili import BASE_URL, FakeMeili
from tests.contract.openapi_contract import contract_violations

SYNONYMS = {"能耗": ["能源管理", "用电监测"], "质检": ["检测", "缺陷检测"]}


@pytest.fixture
def http_calls() -> Iterator[responses.RequestsMock]:
    """Every HTTP request the client sends is intercepted and recorded."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def fake_meili(http_calls: responses.RequestsMock) -> Iterator[FakeMeili]:
    """An in-memory Meilisearch; after the test, every recorded exchange must satisfy the description."""
    fake = FakeMeili()
    fake.install(http_calls)
    yield fake
    violations = contract_violations(http_calls.calls)
    if violations:
        pytest.fail(
            "requests or answers outside the Meilisearch API description:\n" + "\n".join(map(str, violations))
        )


@pytest.fixture
def meili(fake_meili: FakeMeili) -> MeiliSearch:
    """The adapter talking to the fake server."""
    return MeiliSearch(BASE_URL, "test-key", synonyms=SYNONYMS, task_timeout_s=1.0)


@pytest.fixture
def make_doc() -> Callable[..., SearchDocument]:
    """Build a search document; keyword arguments override the defaults."""
    base = SearchDocument(
        id="P1",
        name="视觉质检系统",
        summary="轴承表面缺陷在线检测",
        description="基于深度学习的外观缺陷检测。",
        provider_id="S1",
        provider_name="洛阳智造科技",
        scenarios=("visual_inspection",),
        scenario_groups=("production",),
        industries=("bearings",),
        price_min_wan=8.0,
        price_max_wan=20.0,
        deployment="on_premise",
        delivery_days=45,
        rating=4.5,
        review_count=3,
        published_at=1_700_000_000.0,
    )

    def make(**over: Any) -> SearchDocument:
        return replace(base, **over)

    return make


@pytest.fixture
def catalog(make_doc: Callable[..., SearchDocument]) -> list[SearchDocument]:
    """Five listings spread over scenarios, industries (two general), prices, providers and dates."""
    return [
        make_doc(id="P1"),
        make_doc(
            id="P2", name="能耗监测平台", summary="电水气能耗在线监测", scenarios=("energy_management",),
            industries=(), price_min_wan=3.0, price_max_wan=6.0, deployment="saas", provider_id="S2",
            rating=None, published_at=1_710_000_000.0,
        ),
        make_doc(
            id="P3", name="化工视觉质检", industries=("chemicals",), price_min_wan=30.0, price_max_wan=40.0,
            deployment="hybrid", provider_id="S2", rating=4.8, published_at=1_690_000_000.0,
        ),
        make_doc(
            id="P4", name="轴承MES", summary="生产工单管理", scenarios=("mes",),
            industries=("bearings", "nonferrous"), price_min_wan=60.0, price_max_wan=90.0, provider_id="S3",
            rating=3.9, published_at=1_720_000_000.0,
        ),
        make_doc(
            id="P5", name="仓储管理云", summary="扫码出入库", scenarios=("warehouse",),
            scenario_groups=("supply_chain",), industries=(), price_min_wan=12.0, price_max_wan=15.0,
            deployment="saas", rating=4.0, published_at=1_700_000_500.0,
        ),
    ]  # fmt: skip


@pytest.fixture
def indexed(meili: MeiliSearch, catalog: list[SearchDocument]) -> MeiliSearch:
    """The adapter with the catalogue indexed."""
    meili.upsert(catalog)
    return meili
