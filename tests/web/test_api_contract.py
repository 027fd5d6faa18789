"""Every answer of the JSON API matches its own OpenAPI description (served at /api/v1/openapi.json)."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

from marketplace import search_service
from tests.conftest import Auth


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return OpenAPI.from_dict(json.loads(response.data))


def check(spec, response, *, valid_request=True):
    """Validate the request (unless it is invalid on purpose) and the response against the description."""
    request = WerkzeugOpenAPIRequest(response.request)
    if valid_request:
        spec.validate_request(request)
    spec.validate_response(request, WerkzeugOpenAPIResponse(response))


def test_catalogue_search_and_errors_match_the_description(app, client, spec, make):
    product = make.product(name="能耗在线监测", scenarios=["energy_management"])
    from catalog import outbox

    outbox.enqueue(make.session, product_ids=[product.id])
    make.session.commit()
    search_service.sync_once(app)
    for path in (
        "/api/v1/products",
        "/api/v1/products?scenario=energy_management&page=1",
        f"/api/v1/products/{product.external_id}",
        "/api/v1/products/none",
        "/api/v1/search?q=能耗&industry=bearings",
        "/api/v1/search?q=x&sort=newest",
        "/api/v1/suggest?q=能",
        "/api/v1/recommendations",
    ):
        check(spec, client.get(path))
    # codes outside the described enums: the 400 answers still match the description
    for path in ("/api/v1/products?scenario=bogus", "/api/v1/search?industry=textiles"):
        response = client.get(path)
        assert response.status_code == 400
        check(spec, response, valid_request=False)


def test_recommendations_match_the_description(app, spec, make):
    make.product(name="能耗在线监测", scenarios=["energy_management"])
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise", industry="nonferrous").email)
    check(spec, firm.client.get("/api/v1/recommendations"))
    firm.post(
        "/workspace/diagnosis",
        {"findings": "电费太高，想做能耗监测", "budget_wan": "20"},
        form_page="/workspace/diagnosis",
    )
    response = firm.client.get("/api/v1/recommendations")
    assert response.get_json()["results"]
    check(spec, response)
    check(spec, firm.client.get("/api/v1/recommendations?max_price=-1"))
