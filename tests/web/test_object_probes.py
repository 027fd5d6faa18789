"""Object-level access: hundreds of probes at other organisations' objects read or change nothing."""

import random

from sqlmodel import select

from catalog.models import Engagement, Product, ShortlistItem
from tests.conftest import Auth

GET_TEMPLATES = (
    "/provider/products/{id}/edit",
    "/engagements/{id}",
    "/workspace/compare?item={id}",
    "/products/{id}",
    "/staff/engagements?provider={id}&format=csv",
)
POST_TEMPLATES = (
    "/provider/products/{id}/submit",
    "/provider/products/{id}/archive",
    "/engagements/{id}/respond",
    "/engagements/{id}/cancel",
    "/engagements/{id}/file",
    "/engagements/{id}/acceptance",
    "/engagements/{id}/reviews",
    "/engagements/{id}/diagnosis",
    "/workspace/shortlist/{id}/note",
    "/workspace/shortlist/{id}/remove",
    "/engagements/reviews/{id}/reply",
)


def ids_to_try(real: list[int]) -> list[str]:
    rng = random.Random(11)
    return (
        [str(i) for i in real]
        + [str(rng.randint(1, 5000)) for _ in range(12)]
        + ["0", "-1", "99999999999999999999"]
    )


def test_probes_at_other_organisations_objects(app, make, session):
    # the victims: a provider with a draft, an enterprise with a shortlist and an engagement
    victim_provider = make.organisation("provider")
    draft = make.product(victim_provider, state="draft", name="victim draft")
    public = make.product(victim_provider, name="public")
    victim = make.user("enterprise")
    from catalog.diagnoses import add_to_shortlist
    from catalog.engagements import request_engagement

    item = add_to_shortlist(session, enterprise_id=victim.organisation_id, product_id=public.id)
    engagement = request_engagement(
        session,
        enterprise=session.get(type(victim_provider), victim.organisation_id),
        product_ids=[public.id],
        message="",
        actor=victim,
    )
    session.commit()
    before = (draft.state, engagement.state, item.note)

    attackers = {"other provider": make.user("provider"), "other enterprise": make.user("enterprise")}
    real = [draft.id, engagement.id, item.id]
    probes, leaks = 0, []
    for label, attacker in attackers.items():
        client = Auth(app.test_client())
        client.login(attacker.email)
        token = client.token("/")
        for object_id in ids_to_try(real):
            for template in GET_TEMPLATES:
                path = template.format(id=object_id)
                response = client.client.get(path)
                probes += 1
                body = response.get_data(as_text=True)
                if response.status_code == 200 and (
                    "victim draft" in body or "text/csv" in response.mimetype
                ):
                    leaks.append((label, path))
            for template in POST_TEMPLATES:
                path = template.format(id=object_id)
                data = {
                    "csrf_token": token,
                    "decision": "accept",
                    "note": "pwned",
                    "reply": "pwned",
                    "product_id": str(public.id),
                    "level_before": "1",
                    "level_after": "4",
                    "eligible_spend_wan": "1",
                    "findings": "pwned",
                    "effect": "5",
                    "delivery": "5",
                    "cost": "5",
                    "service": "5",
                    "recommend": "10",
                }
                response = client.client.post(path, data=data)
                probes += 1
                if response.status_code not in (400, 404, 405):
                    leaks.append((label, path, response.status_code))
    session.expire_all()
    after = (
        session.get(Product, draft.id).state,
        session.get(Engagement, engagement.id).state,
        session.get(ShortlistItem, item.id).note,
    )
    assert probes >= 500, probes
    assert leaks == [] and after == before
    assert session.exec(select(Engagement).where(Engagement.state == "accepted")).first() is None
