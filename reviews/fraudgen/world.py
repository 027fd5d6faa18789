"""The honest part of the generated pilot: providers of varying quality, engagements and genuine reviews.

Every provider and product gets a hidden quality; ratings and level uplift follow it with noise, so an honest
ranking exists for the fraud to distort. Timing follows the plan's batches; reviews come days to months after
acceptance, which county staff hold on a few meeting days per county (a natural, honest clustering).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from catalog.taxonomy import load_taxonomy
from reviews.fraudgen.people import BATCHES, TZ, Enterprise, IpPool, day_between, moment, stamp
from reviews.fraudgen.texts import honest_text

DATA_END = datetime(2027, 6, 30, 23, 59, 59, tzinfo=TZ)
CRITERION_BIAS = {"effect": 0.0, "delivery": 0.05, "cost": -0.2, "service": 0.1}


@dataclass
class Product:
    """A catalogue product with its hidden quality and popularity."""

    row: dict
    quality: float
    popularity: float

    @property
    def id(self) -> str:
        """The product's external id."""
        return str(self.row["id"])

    @property
    def group(self) -> str:
        """The scenario group of the product's primary scenario."""
        return load_taxonomy().group_of(self.row["scenarios"][0])

    def fits(self, industry: str) -> bool:
        """True for general products and products built for the industry."""
        return not self.row["industries"] or industry in self.row["industries"]


@dataclass
class Provider:
    """A provider with its hidden quality, popularity and products."""

    id: str
    quality: float
    popularity: float
    products: list[Product] = field(default_factory=list)


@dataclass
class Engagement:
    """One engagement row (import format) with the generator's links to its enterprise and provider."""

    row: dict
    enterprise: Enterprise
    provider: Provider

    @property
    def accepted_on(self) -> date | None:
        """The acceptance day, when accepted."""
        return date.fromisoformat(self.row["accepted_on"]) if self.row["accepted_on"] else None


@dataclass
class Draft:
    """A review row without its final id; ``kind`` is None for honest reviews, else the fraud kind."""

    row: dict
    enterprise: Enterprise
    kind: str | None = None


@dataclass
class World:
    """Everything generated so far; reviews keyed by (engagement id, product id), one review per slot."""

    enterprises: list[Enterprise]
    providers: dict[str, Provider]
    engagements: list[Engagement]
    reviews: dict[tuple[str, str], Draft]
    ips: IpPool


def make_providers(rng: random.Random, catalog: list[dict]) -> dict[str, Provider]:
    """Providers and products from the catalogue rows, each with a hidden quality and popularity."""
    providers: dict[str, Provider] = {}
    for row in catalog:
        provider_id = row["provider"]["id"]
        if provider_id not in providers:
            providers[provider_id] = Provider(provider_id, rng.gauss(0, 0.55), rng.lognormvariate(0, 0.5))
        providers[provider_id].products.append(Product(row, rng.gauss(0, 0.3), rng.lognormvariate(0, 0.6)))
    return providers


def make_engagements(
    rng: random.Random, enterprises: list[Enterprise], providers: dict[str, Provider]
) -> list[Engagement]:
    """One engagement per enterprise, a second for about one in five, with states and level results."""
    meetings = _meeting_days(rng, enterprises)
    engagements: list[Engagement] = []
    for enterprise in enterprises:
        chosen: set[str] = set()
        for _ in range(2 if rng.random() < 0.2 else 1):
            provider = _pick_provider(rng, enterprise, providers, exclude=chosen)
            chosen.add(provider.id)
            days = meetings[(enterprise.row["county"], enterprise.row["batch"])]
            row = engagement_row(
                rng, f"G{len(engagements) + 1:05d}", enterprise, provider, accepted_days=days
            )
            engagements.append(Engagement(row, enterprise, provider))
    return engagements


def engagement_row(
    rng: random.Random,
    engagement_id: str,
    enterprise: Enterprise,
    provider: Provider,
    *,
    accepted_days: list[date],
    products: list[Product] | None = None,
    state: str | None = None,
) -> dict:
    """An engagement row; the state follows the batch timeline unless given."""
    fitting = [p for p in provider.products if p.fits(enterprise.row["industry"])] or provider.products
    if products is None:
        count = min(len(fitting), 2 if rng.random() < 0.3 else 1)
        products = _sample_weighted(rng, fitting, count)
    accepted_on = rng.choice(accepted_days)
    state = state or _state(rng, accepted_on)
    contract = round(sum(rng.uniform(p.row["price_min_wan"], p.row["price_max_wan"]) for p in products), 1)
    before = enterprise.row["digital_level"]
    accepted = state == "accepted"
    return {
        "id": engagement_id,
        "enterprise": enterprise.id,
        "provider": provider.id,
        "products": [p.id for p in products],
        "state": state,
        "contract_wan": contract if state in ("active", "accepted", "cancelled") else None,
        "eligible_spend_wan": round(contract * rng.uniform(0.55, 0.95), 1) if accepted else None,
        "level_before": before,
        "level_after": min(4, before + _gain(rng, provider.quality)) if accepted else None,
        "accepted_on": accepted_on.isoformat() if accepted else None,
    }


def add_honest_reviews(rng: random.Random, world: World) -> None:
    """Genuine reviews of accepted engagements: most clients review, days to months after acceptance."""
    for engagement in world.engagements:
        accepted_on = engagement.accepted_on
        if engagement.row["state"] != "accepted" or accepted_on is None:
            continue
        products = {p.id: p for p in engagement.provider.products}
        first: Draft | None = None
        for index, product_id in enumerate(engagement.row["products"]):
            if rng.random() > (0.85 if index == 0 else 0.65):
                continue
            if first is None:
                created = moment(rng, accepted_on + timedelta(days=review_delay(rng)))
            else:
                created = datetime.fromisoformat(first.row["created_at"]) + timedelta(
                    minutes=rng.randint(3, 180)
                )
            if created > DATA_END:
                continue
            draft = honest_review(
                rng, world, engagement, products[product_id], created=created, sibling=first
            )
            world.reviews[(engagement.row["id"], product_id)] = draft
            first = first or draft


def honest_review(
    rng: random.Random,
    world: World,
    engagement: Engagement,
    product: Product,
    *,
    created: datetime,
    sibling: Draft | None = None,
) -> Draft:
    """One genuine review; a sibling review of the same engagement shares author and IP, sometimes wording."""
    enterprise = engagement.enterprise
    scores = honest_scores(rng, enterprise=enterprise, provider=engagement.provider, product=product)
    if sibling is not None and rng.random() < 0.3:
        sibling_name = next(
            p.row["name"] for p in engagement.provider.products if p.id == sibling.row["product"]
        )
        text = sibling.row["text"].replace(sibling_name, product.row["name"])
    else:
        criteria = {name: scores[name] for name in CRITERION_BIAS}
        text = honest_text(
            rng,
            product=product.row["name"],
            industry=enterprise.row["industry"],
            group=product.group,
            scores=criteria,
        )
    if sibling is not None:
        ip, author = sibling.row["ip"], datetime.fromisoformat(sibling.row["author_created_at"])
    else:
        ip = world.ips.fresh() if rng.random() < 0.12 else enterprise.ip  # a phone on the road
        author = _author_account(rng, enterprise, created)
    row = {"engagement": engagement.row["id"], "product": product.id, **scores, "text": text}
    row |= {"created_at": stamp(created), "ip": ip, "author_created_at": stamp(author)}
    return Draft(row, enterprise)


def honest_scores(
    rng: random.Random, *, enterprise: Enterprise, provider: Provider, product: Product
) -> dict[str, int]:
    """Criterion scores 1-5 and recommend 0-10 drawn around the provider's and product's hidden quality."""
    base = 3.65 + 0.6 * provider.quality + 0.4 * product.quality + enterprise.leniency + rng.gauss(0, 0.25)
    scores = {
        name: _clamp(round(base + bias + rng.gauss(0, 0.5)), 1, 5) for name, bias in CRITERION_BIAS.items()
    }
    overall = sum(scores.values()) / len(scores)
    scores["recommend"] = _clamp(round(2.5 * (overall - 1) + rng.gauss(0, 1.0)), 0, 10)
    return scores


def review_delay(rng: random.Random) -> int:
    """Days from acceptance to review: median about two weeks, a long tail of months."""
    return min(int(rng.lognormvariate(math.log(14), 0.8)) + 1, 150)


def _author_account(rng: random.Random, enterprise: Enterprise, created: datetime) -> datetime:
    # Mostly the enterprise's first account; sometimes a colleague's newer one, rarely opened just to review.
    roll = rng.random()
    if roll < 0.015:
        return created - timedelta(days=rng.uniform(2, 12))
    if roll < 0.115:
        return max(created - timedelta(days=rng.uniform(10, 150)), enterprise.account_created)
    return enterprise.account_created


def _meeting_days(rng: random.Random, enterprises: list[Enterprise]) -> dict[tuple[str, int], list[date]]:
    # County staff accept projects on a few meeting days per batch, so acceptances cluster honestly.
    days = {}
    for county, batch in sorted({(e.row["county"], e.row["batch"]) for e in enterprises}):
        start, end = BATCHES[batch].accepted
        workdays = [d for d in (day_between(rng, start, end) for _ in range(40)) if d.weekday() < 5]
        days[(county, batch)] = sorted(set(workdays[:8]))
    return days


def _pick_provider(
    rng: random.Random, enterprise: Enterprise, providers: dict[str, Provider], *, exclude: set[str]
) -> Provider:
    pool = [p for p in providers.values() if p.id not in exclude]
    weights = [
        p.popularity * (0.2 + sum(x.fits(enterprise.row["industry"]) for x in p.products)) for p in pool
    ]
    return rng.choices(pool, weights=weights)[0]


def _sample_weighted(rng: random.Random, products: list[Product], count: int) -> list[Product]:
    chosen: list[Product] = []
    while len(chosen) < count:
        pool = [p for p in products if p not in chosen]
        chosen.append(rng.choices(pool, weights=[p.popularity for p in pool])[0])
    return chosen


def _state(rng: random.Random, accepted_on: date) -> str:
    # A few requests are declined, cancelled or left unanswered; the rest follow the batch timeline.
    roll = rng.random()
    if roll < 0.05:
        return "declined"
    if roll < 0.09:
        return "cancelled"
    if roll < 0.11:
        return "requested"
    return "accepted" if accepted_on <= DATA_END.date() else "active"


def _gain(rng: random.Random, quality: float) -> int:
    # Better providers lift enterprises further; a few projects change nothing.
    none = min(max(0.12 - 0.08 * quality, 0.02), 0.3)
    two = min(max(0.1 + 0.08 * quality, 0.03), 0.3)
    roll = rng.random()
    return 0 if roll < none else 2 if roll < none + two else 1


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
