"""Who may see what: a declared policy for every route, checked cell by cell.

Six people: a visitor, an enterprise and another enterprise, a provider and another provider, and staff. "The"
enterprise engaged "the" provider (an active file); the other two have objects of their own and no tie to them.
A signed-in user of the wrong role, or anyone reaching for another organisation's object, gets 404 (it does not
exist for them); a visitor is sent to sign in.
"""

import pytest

from catalog.models import Organisation
from tests.conftest import Auth

ROLES = ("anonymous", "enterprise", "other_enterprise", "provider", "other_provider", "staff")
LOGIN = 302
OK = 200
HIDDEN = 404
DONE = 302  # a decision taken or refused answers with a redirect back to a page saying which
REFUSED = 422  # a form with errors is shown again, the errors next to their fields
CONFLICT = 409
ALL = (OK,) * 6
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
ENTERPRISES = (LOGIN, OK, OK, HIDDEN, HIDDEN, HIDDEN)
PROVIDERS = (LOGIN, HIDDEN, HIDDEN, OK, OK, HIDDEN)
STAFF = (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK)

# path template -> expected GET status per role. {product} is a draft of the provider, {foreign} one of the other
# provider, {public} a published product of the provider; {item} and {foreign_item} shortlist entries of the
# enterprise and of the other enterprise; {engagement} the file of the enterprise with the provider.
POLICY = {
    "/": ALL,
    "/products": ALL,
    "/products/{public}": ALL,
    "/products/{product}": (HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK),
    "/products/{foreign}": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK),
    "/providers/{provider}": ALL,
    "/login": (OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "/register": ALL,
    "/account/password": SIGNED_IN,
    "/healthz": ALL,
    "/api/v1/products": ALL,
    "/api/v1/openapi.json": ALL,
    "/api/v1/products/{public_external}": ALL,
    "/api/v1/products/{product_external}": (HIDDEN,) * 6,
    "/search?q=视觉": ALL,
    "/api/v1/search?q=视觉": ALL,
    "/api/v1/suggest?q=视": ALL,
    "/api/v1/recommendations": (HIDDEN, OK, OK, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/": ENTERPRISES,
    "/workspace/diagnosis": ENTERPRISES,
    # the enterprise filed a diagnosis; the other one is sent to file one first
    "/workspace/recommendations": (LOGIN, OK, LOGIN, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist": ENTERPRISES,
    "/workspace/assessment": ENTERPRISES,
    "/workspace/compare?item={item}": (LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/compare?item={foreign_item}": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/profile": ENTERPRISES,
    "/provider/": PROVIDERS,
    "/provider/profile": PROVIDERS,
    "/provider/products/new": PROVIDERS,
    "/provider/products/{product}/edit": (LOGIN, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN),
    "/provider/products/{foreign}/edit": (LOGIN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN),
    "/staff/": STAFF,
    "/staff/providers": STAFF,
    "/staff/products": STAFF,
    "/staff/audit": STAFF,
    "/staff/synonyms": STAFF,
    "/staff/engagements": STAFF,
    "/staff/reviews": STAFF,
    "/staff/awards": STAFF,
    "/staff/dashboard": STAFF,
    "/staff/dashboard/summary": STAFF,
    "/staff/dashboard/charts/levels.svg": STAFF,
    "/staff/dashboard/charts/nothing.svg": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/staff/dashboard/export.xlsx": STAFF,
    "/staff/accounts": STAFF,
    "/engagements/": (LOGIN, OK, OK, OK, OK, LOGIN),  # staff are sent to their own list of every file
    "/engagements/{engagement}": (LOGIN, OK, HIDDEN, OK, HIDDEN, OK),
    "/reports/enterprises/{enterprise}": (LOGIN, OK, HIDDEN, OK, HIDDEN, OK),
    "/reports/enterprises/{other_enterprise}": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, OK),
}
# Routes that take a POST: who may post (with a valid CSRF token and a form that is mostly wrong); the others get
# LOGIN or HIDDEN as for pages. Ordered so that no row changes what a later row finds (cancel comes last).
POST_POLICY = {
    "/login": (REFUSED, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "/register": (REFUSED,) * 6,
    "/account/password": (LOGIN, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    # the enterprise keeps the findings it filed (fields left out of a post keep their values); the other has none
    "/workspace/diagnosis": (LOGIN, DONE, REFUSED, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/assessment": (LOGIN, REFUSED, REFUSED, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/profile": (LOGIN, REFUSED, REFUSED, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist/add": (LOGIN, DONE, DONE, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist/{item}/note": (LOGIN, DONE, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist/{foreign_item}/note": (LOGIN, HIDDEN, DONE, HIDDEN, HIDDEN, HIDDEN),
    "/workspace/shortlist/{foreign_item}/remove": (LOGIN, HIDDEN, DONE, HIDDEN, HIDDEN, HIDDEN),
    "/provider/profile": (LOGIN, HIDDEN, HIDDEN, REFUSED, REFUSED, HIDDEN),
    "/provider/products/new": (LOGIN, HIDDEN, HIDDEN, REFUSED, REFUSED, HIDDEN),
    "/provider/products/{product}/edit": (LOGIN, HIDDEN, HIDDEN, REFUSED, HIDDEN, HIDDEN),
    "/provider/products/{product}/submit": (LOGIN, HIDDEN, HIDDEN, DONE, HIDDEN, HIDDEN),
    "/provider/products/{foreign}/submit": (LOGIN, HIDDEN, HIDDEN, HIDDEN, DONE, HIDDEN),
    "/provider/products/{foreign}/archive": (LOGIN, HIDDEN, HIDDEN, HIDDEN, DONE, HIDDEN),
    "/staff/providers/{provider}/decide": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/products/{product}/decide": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/accounts/{nobody_user}/decide": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/staff/reviews/{nobody}/moderate": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/awards/weights": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/awards/decide": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/synonyms/add": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/staff/synonyms/{nobody}/remove": (LOGIN,) + (HIDDEN,) * 5,
    "/engagements/request": (LOGIN, DONE, DONE, HIDDEN, HIDDEN, HIDDEN),
    "/engagements/{engagement}/respond": (LOGIN, HIDDEN, HIDDEN, DONE, HIDDEN, HIDDEN),
    "/engagements/{engagement}/file": (LOGIN, HIDDEN, HIDDEN, DONE, HIDDEN, HIDDEN),
    "/engagements/{engagement}/diagnosis": (LOGIN, HIDDEN, HIDDEN, DONE, HIDDEN, HIDDEN),
    "/engagements/{engagement}/milestones": (LOGIN, HIDDEN, HIDDEN, DONE, HIDDEN, HIDDEN),
    "/engagements/{engagement}/milestones/{nobody}": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/engagements/{engagement}/reviews": (
        LOGIN,
        CONFLICT,
        HIDDEN,
        HIDDEN,
        HIDDEN,
        HIDDEN,
    ),  # not accepted yet
    "/engagements/reviews/{nobody}/reply": (LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/engagements/{engagement}/acceptance": (LOGIN, DONE, HIDDEN, HIDDEN, HIDDEN, DONE),
    "/engagements/{engagement}/cancel": (LOGIN, DONE, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/lang": (DONE,) * 6,
    "/logout": (LOGIN, DONE, DONE, DONE, DONE, DONE),
}
NOT_PAGES = {"static", "bootstrap.static"}


@pytest.fixture
def world(make, session):
    from catalog.diagnoses import add_to_shortlist, save_diagnosis
    from catalog.engagements import request_engagement, respond

    provider, other_provider = make.organisation("provider"), make.organisation("provider")
    users = {
        "enterprise": (enterprise := make.user("enterprise")),
        "other_enterprise": (other_enterprise := make.user("enterprise")),
        "provider": (provider_user := make.user("provider", organisation=provider)),
        "other_provider": make.user("provider", organisation=other_provider),
        "staff": make.user("staff"),
    }
    public = make.product(provider)
    draft = make.product(provider, state="draft")
    ours, theirs = (session.get(Organisation, u.organisation_id) for u in (enterprise, other_enterprise))
    save_diagnosis(session, enterprise=ours, raw={"findings": "产品表面缺陷靠人工目检"}, actor=enterprise)
    engagement = request_engagement(
        session, enterprise=ours, product_ids=[public.id], message="", actor=enterprise
    )
    respond(session, engagement=engagement, accept=True, reason="", actor=provider_user)
    ids = {
        "provider": provider.id,
        "enterprise": ours.id,
        "other_enterprise": theirs.id,
        "product": draft.id,
        "product_external": draft.external_id,
        "foreign": make.product(other_provider, state="draft").id,
        "public": public.id,
        "public_external": public.external_id,
        "item": add_to_shortlist(session, enterprise_id=ours.id, product_id=public.id).id,
        "foreign_item": add_to_shortlist(session, enterprise_id=theirs.id, product_id=public.id).id,
        "engagement": engagement.id,
        "nobody": 2_000_000,
        "nobody_user": 2_000_000,
    }
    session.commit()
    return {"users": users, "ids": ids}


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
    assert mismatches == [], "\n".join(map(str, mismatches))


@pytest.mark.parametrize("role", ROLES)
def test_every_action_answers_each_role_as_declared(app, world, role):
    mismatches = []
    for template, expected in POST_POLICY.items():
        client = signed_in(app.test_client(), world, role)
        path = template.format(**world["ids"])
        data = {
            "decision": "approve",
            "lang": "en",
            "product_id": str(world["ids"]["public"]),
            "note": "x",
            "progress": "50",
        }
        status = Auth(client).post(path, data, form_page="/products").status_code
        if status != expected[ROLES.index(role)]:
            mismatches.append((path, status, expected[ROLES.index(role)]))
    assert mismatches == [], "\n".join(map(str, mismatches))


def _endpoints(app, templates, method: str, ids) -> set[str]:
    adapter = app.url_map.bind("localhost")
    return {adapter.match(t.format(**ids).split("?")[0], method=method)[0] for t in templates}


def test_the_policy_covers_every_route_and_method(app, world):
    declared_get = _endpoints(app, POLICY, "GET", world["ids"])
    declared_post = _endpoints(app, POST_POLICY, "POST", world["ids"])
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES:
            continue
        if "GET" in rule.methods and rule.endpoint not in declared_get:
            missing.append(("GET", rule.rule))
        if "POST" in rule.methods and rule.endpoint not in declared_post:
            missing.append(("POST", rule.rule))
    assert missing == []
