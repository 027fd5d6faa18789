"""Injected review fraud aimed at boosting a few mediocre providers and their best-selling products.

Each kind is injected on its own so each detector can be measured on its own: the burst reviews come from old
accounts, home IPs and distinct texts, and only their timing gives them away; likewise for the other kinds.
Fraud replaces what the colluding client would honestly have written, as it does in life.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reviews.fraudgen.people import Enterprise, day_between, moment, stamp
from reviews.fraudgen.texts import copied_text, fraud_templates, honest_text
from reviews.fraudgen.world import (
    DATA_END,
    Draft,
    Engagement,
    Product,
    Provider,
    World,
    engagement_row,
    review_delay,
)

KINDS = ("burst", "new_account", "shared_ip", "copied_text", "unaccepted")
PER_PROVIDER = {"burst": 6, "new_account": 4, "shared_ip": 4, "copied_text": 4, "unaccepted": 4}
# Fraud is staged on projects accepted by then, leaving it room to happen before the data end.
LATEST_ACCEPTANCE = DATA_END.date() - timedelta(days=60)


@dataclass
class Targets:
    """The providers and products the fraud boosts."""

    providers: list[Provider]
    products: list[Product]


def choose_targets(world: World) -> Targets:
    """The two busiest providers among the weakest 40% by hidden quality, and their most engaged products."""
    accepted = {p: 0 for p in world.providers}
    slots: dict[str, int] = {}
    for engagement in world.engagements:
        if engagement.row["state"] == "accepted":
            accepted[engagement.provider.id] += 1
            for product_id in engagement.row["products"]:
                slots[product_id] = slots.get(product_id, 0) + 1
    # Fraud is for those who cannot win honestly: weak but busy enough to stage it with their own clients.
    weakest = sorted(world.providers.values(), key=lambda p: p.quality)
    mediocre = weakest[: max(2, int(len(weakest) * 0.4))]
    mediocre.sort(key=lambda p: (-accepted[p.id], p.id))
    providers = mediocre[:2]
    ranked = [sorted(p.products, key=lambda x: (-slots.get(x.id, 0), x.id)) for p in providers]
    products = [ranked[0][0], ranked[1][0]] + ranked[0][1:2]
    return Targets(providers, products)


def inject(rng: random.Random, world: World, targets: Targets) -> dict[str, list[Draft]]:
    """Add every kind of fraud for each boosted provider; returns the injected drafts by kind."""
    injected: dict[str, list[Draft]] = {kind: [] for kind in KINDS}
    templates = fraud_templates()
    for index, provider in enumerate(targets.providers):
        own = [p for p in targets.products if p in provider.products]
        main, second = own[0], own[-1]
        injected["burst"] += _burst(rng, world, provider, main)
        injected["new_account"] += _new_accounts(rng, world, provider, own)
        injected["shared_ip"] += _shared_ip(rng, world, provider, own)
        injected["copied_text"] += _copied(rng, world, provider, second, templates[index % len(templates)])
        injected["unaccepted"] += _unaccepted(rng, world, provider, main)
    return injected


def _burst(rng: random.Random, world: World, provider: Provider, product: Product) -> list[Draft]:
    slots = _take_slots(rng, world, provider, [product], PER_PROVIDER["burst"])
    start = _start_after(rng, slots, days=(3, 15))
    times = [start + timedelta(hours=rng.uniform(0, 40)) for _ in slots]
    return [_fraud(rng, world, slot, "burst", created=when) for slot, when in zip(slots, times, strict=True)]


def _new_accounts(
    rng: random.Random, world: World, provider: Provider, products: list[Product]
) -> list[Draft]:
    drafts = []
    for slot in _take_slots(rng, world, provider, products, PER_PROVIDER["new_account"]):
        created = _after_acceptance(rng, slot)
        author = created - timedelta(days=rng.uniform(0.3, 5))  # an account opened just to post this
        drafts.append(_fraud(rng, world, slot, "new_account", created=created, author=author))
    return drafts


def _shared_ip(rng: random.Random, world: World, provider: Provider, products: list[Product]) -> list[Draft]:
    slots = _take_slots(rng, world, provider, products, PER_PROVIDER["shared_ip"])
    office = world.ips.fresh()  # the provider's own office, posting for its clients
    start = _start_after(rng, slots, days=(2, 10))
    return [
        _fraud(rng, world, slot, "shared_ip", created=start + timedelta(days=rng.uniform(0, 20)), ip=office)
        for slot in slots
    ]


def _copied(
    rng: random.Random, world: World, provider: Provider, product: Product, template: str
) -> list[Draft]:
    drafts = []
    for slot in _take_slots(rng, world, provider, [product], PER_PROVIDER["copied_text"]):
        text = copied_text(rng, template=template, product=product.row["name"])
        drafts.append(
            _fraud(rng, world, slot, "copied_text", created=_after_acceptance(rng, slot), text=text)
        )
    return drafts


def _unaccepted(rng: random.Random, world: World, provider: Provider, product: Product) -> list[Draft]:
    drafts = []
    for enterprise in _outsiders(rng, world, provider, PER_PROVIDER["unaccepted"]):
        state = rng.choice(("requested", "active", "declined", "cancelled"))
        engagement = _add_engagement(rng, world, enterprise, provider, product, state=state)
        registered = datetime.fromisoformat(enterprise.row["created_at"]).date() + timedelta(days=30)
        created = moment(
            rng, day_between(rng, min(registered, LATEST_ACCEPTANCE), DATA_END.date() - timedelta(days=1))
        )
        drafts.append(_fraud(rng, world, (engagement, product), "unaccepted", created=created))
    return drafts


Slot = tuple[Engagement, Product]


def _take_slots(
    rng: random.Random, world: World, provider: Provider, products: list[Product], count: int
) -> list[Slot]:
    # Real clients of the provider, one slot per enterprise; colluding extra clients if there are too few.
    free: dict[str, Slot] = {}
    for engagement in world.engagements:
        accepted_on = engagement.accepted_on
        if engagement.provider is not provider or accepted_on is None or accepted_on > LATEST_ACCEPTANCE:
            continue
        for product in products:
            taken = world.reviews.get((engagement.row["id"], product.id))
            if product.id in engagement.row["products"] and (taken is None or taken.kind is None):
                free.setdefault(engagement.enterprise.id, (engagement, product))
    chosen = rng.sample(sorted(free.values(), key=lambda s: s[0].row["id"]), min(count, len(free)))
    for enterprise in _outsiders(rng, world, provider, count - len(chosen)):
        product = rng.choice(products)
        chosen.append((_add_engagement(rng, world, enterprise, provider, product, state="accepted"), product))
    return chosen


def _outsiders(rng: random.Random, world: World, provider: Provider, count: int) -> list[Enterprise]:
    engaged = {e.enterprise.id for e in world.engagements if e.provider is provider}
    early = [e for e in world.enterprises if e.id not in engaged and e.row["batch"] < 3]
    return rng.sample(early, max(count, 0))


def _add_engagement(
    rng: random.Random,
    world: World,
    enterprise: Enterprise,
    provider: Provider,
    product: Product,
    *,
    state: str,
) -> Engagement:
    registered = datetime.fromisoformat(enterprise.row["created_at"]).date()
    day = day_between(rng, max(date(2026, 5, 1), registered + timedelta(days=60)), LATEST_ACCEPTANCE)
    engagement_id = f"G{len(world.engagements) + 1:05d}"
    row = engagement_row(
        rng, engagement_id, enterprise, provider, accepted_days=[day], products=[product], state=state
    )
    if state == "accepted":
        row["level_after"] = row["level_before"]  # a favour, not a transformation
    engagement = Engagement(row, enterprise, provider)
    world.engagements.append(engagement)
    return engagement


def _start_after(rng: random.Random, slots: list[Slot], *, days: tuple[int, int]) -> datetime:
    latest = max(engagement.accepted_on or LATEST_ACCEPTANCE for engagement, _ in slots)
    return moment(rng, latest + timedelta(days=rng.randint(*days)))


def _after_acceptance(rng: random.Random, slot: Slot) -> datetime:
    accepted_on = slot[0].accepted_on or LATEST_ACCEPTANCE
    return moment(rng, accepted_on + timedelta(days=min(review_delay(rng), 45)))


def _fraud(
    rng: random.Random,
    world: World,
    slot: Slot,
    kind: str,
    *,
    created: datetime,
    author: datetime | None = None,
    ip: str | None = None,
    text: str | None = None,
) -> Draft:
    engagement, product = slot
    enterprise = engagement.enterprise
    scores = {name: 5 if rng.random() < 0.9 else 4 for name in ("effect", "delivery", "cost", "service")}
    if text is None:
        text = honest_text(
            rng,
            product=product.row["name"],
            industry=enterprise.row["industry"],
            group=product.group,
            scores=scores,
        )
    row = {
        "engagement": engagement.row["id"],
        "product": product.id,
        **scores,
        "recommend": rng.choice((9, 10, 10)),
    }
    row |= {"text": text, "created_at": stamp(created), "ip": ip or enterprise.ip}
    row["author_created_at"] = stamp(author or enterprise.account_created)
    draft = Draft(row, enterprise, kind)
    world.reviews[(engagement.row["id"], product.id)] = draft
    return draft
