"""Who may see what: a declared policy for every page, checked cell by cell.

A signed-in user of the wrong role gets 404 (the page does not exist for them); a visitor is sent to sign in.
Object-level rules (another organisation's drafts) are checked with two organisations of each kind.
"""

import pytest

from tests.conftest import Auth

ROLES = ("anonymous", "enterprise", "provider", "staff")
LOGIN = 302
OK = 200
HIDDEN = 404

# path template -> expected status per role (GET). {product} is a draft of "the provider", {public} a published one.
POLICY = {
    "/": (OK, OK, OK, OK),
    "/products": (OK, OK, OK, OK),
    "/products/{public}": (OK, OK, OK, OK),
    "/products/{product}": (HIDDEN, HIDDEN, OK, OK),
    "/products/{foreign}": (HIDDEN, HIDDEN, HIDDEN, OK),
    "/providers/{provider}": (OK, OK, OK, OK),
    "/login": (OK, LOGIN, LOGIN, LOGIN),
    "/register": (OK, OK, OK, OK),
    "/account/password": (LOGIN, OK, OK, OK),
    "/healthz": (OK, OK, OK, OK),
    "/api/v1/products": (OK, OK, OK, OK),
    "/api/v1/openapi.json": (OK, OK, OK, OK),
    "/api/v1/products/{public_external}": (OK, OK, OK, OK),
    "/api/v1/products/{product_external}": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/search?q=视觉": (OK, OK, OK, OK),
    "/api/v1/search?q=视觉": (OK, OK, OK, OK),
    "/api/v1/suggest?q=视": (OK, OK, OK, OK),
    "/api/v1/recommendations": (HIDDEN, OK, HIDDEN, HIDDEN),
    "/workspace/": (LOGIN, OK, HIDDEN, HIDDEN),
    "/workspace/diagnosis": (LOGIN, OK, HIDDEN, HIDDEN),
    "/workspace/recommendations": (
        LOGIN,
        LOGIN,
        HIDDEN,
        HIDDEN,
    ),  # enterprise: sent to file a diagnosis first
    "/workspace/shortlist": (LOGIN, OK, HIDDEN, HIDDEN),
    "/workspace/assessment": (LOGIN, OK, HIDDEN, HIDDEN),
    "/workspace/compare?item={foreign_item}": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/profile": (LOGIN, OK, HIDDEN, HIDDEN),
    "/provider/": (LOGIN, HIDDEN, OK, HIDDEN),
    "/provider/profile": (LOGIN, HIDDEN, OK, HIDDEN),
    "/provider/products/new": (LOGIN, HIDDEN, OK, HIDDEN),
    "/provider/products/{product}/edit": (LOGIN, HIDDEN, OK, HIDDEN),
    "/provider/products/{foreign}/edit": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/staff/": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/providers": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/products": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/audit": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/synonyms": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/engagements": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/reviews": (LOGIN, HIDDEN, HIDDEN, OK),
    "/staff/awards": (LOGIN, HIDDEN, HIDDEN, OK),
    "/engagements/": (LOGIN, OK, OK, LOGIN),  # staff are sent to their own list of every file
}
# POST-only routes: who may post (with a valid CSRF token); others get LOGIN or HIDDEN as for GET pages.
POST_POLICY = {
    "/provider/products/{product}/submit": (LOGIN, HIDDEN, 302, HIDDEN),
    "/provider/products/{foreign}/submit": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/provider/products/{foreign}/archive": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/staff/providers/{provider}/decide": (LOGIN, HIDDEN, HIDDEN, 302),
    "/staff/products/{product}/decide": (LOGIN, HIDDEN, HIDDEN, 302),
    "/logout": (LOGIN, 302, 302, 302),
    "/workspace/shortlist/add": (LOGIN, 302, HIDDEN, HIDDEN),
    "/workspace/shortlist/{foreign_item}/note": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist/{foreign_item}/remove": (LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/lang": (302, 302, 302, 302),
}
NOT_PAGES = {"/static/<path:filename>", "/bootstrap/static/<path:filename>"}


@pytest.fixture
def world(make, session):
    from catalog.diagnoses import add_to_shortlist

    provider = make.organisation("provider")
    foreign = make.organisation("provider")
    other_enterprise = make.organisation("enterprise")
    world = {
        "users": {
            "enterprise": make.user("enterprise"),
            "provider": make.user("provider", organisation=provider),
            "staff": make.user("staff"),
        },
        "ids": {
            "provider": provider.id,
            "product": (draft := make.product(provider, state="draft")).id,
            "product_external": draft.external_id,
            "foreign": make.product(foreign, state="draft").id,
            "public": (public := make.product(provider)).id,
            "public_external": public.external_id,
            "foreign_item": add_to_shortlist(
                session, enterprise_id=other_enterprise.id, product_id=public.id
            ).id,
        },
    }
    session.commit()
    return world


def signed_in(client, world, role):
    if role != "anonymous":
        assert Auth(client).login(world["users"][role].email).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_declared(app, world, role):
    client = signed_in(app.test_client(), world, role)
    mismatches = []
    for template, expected in POLICY.items():
        path = template.format(**world["ids"])
        status = client.get(path).status_code
        if status != expected[ROLES.index(role)]:
            mismatches.append((path, status, expected[ROLES.index(role)]))
    assert mismatches == []


@pytest.mark.parametrize("role", ROLES)
def test_every_action_answers_each_role_as_declared(app, world, role):
    mismatches = []
    for template, expected in POST_POLICY.items():
        client = signed_in(app.test_client(), world, role)
        path = template.format(**world["ids"])
        data = {"decision": "approve", "lang": "en", "product_id": str(world["ids"]["public"]), "note": "x"}
        status = Auth(client).post(path, data, form_page="/products").status_code
        if status != expected[ROLES.index(role)]:
            mismatches.append((path, status, expected[ROLES.index(role)]))
    assert mismatches == []


def test_the_policy_covers_every_route(app):
    declared = {template.split("{")[0] for template in [*POLICY, *POST_POLICY]}
    for rule in app.url_map.iter_rules():
        if rule.rule in NOT_PAGES:
            continue
        prefix = rule.rule.split("<")[0]
        assert any(path.startswith(prefix) or prefix.startswith(path) for path in declared), rule.rule
