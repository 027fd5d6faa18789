"""What a product card shows, worked out in Python: a catalogue page that is not cached renders 24 cards, and cards
whose template looked up each label, link and message through Jinja calls were a third of such a page's time.
templates/_macros.html (product_card) only places these strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, g, url_for
from flask_babel import gettext as _

from marketplace.templating import locale, term_labels, wan_in

_MARK = 2_147_483_647  # stands for the id in a link built once per request (no other part of the link has digits)


@dataclass(frozen=True, slots=True)
class _Words:
    """What every card of one request shares: labels and messages in the visitor's language, and links."""

    lang: str
    scenarios: dict[str, str]
    industries: dict[str, str]
    deployments: dict[str, str]
    delivery: str
    general: str
    product_link: tuple[str, str]
    provider_link: tuple[str, str]


@dataclass(frozen=True, slots=True)
class CardView:
    url: str
    scenarios: list[str]
    price: str
    delivery: str
    deployment: str
    rating: str | None  # None before the first counted review
    provider_url: str | None  # None when the card is shown without its provider
    industries: str


def _link(endpoint: str, name: str) -> tuple[str, str]:
    """The link to ``endpoint`` around its id, built once per request (url_for per card was a tenth of a card)."""
    head, _mark, tail = url_for(endpoint, **{name: _MARK}).rpartition(str(_MARK))
    return head, tail


def _words() -> _Words:
    found = g.get("card_words")
    if found is None:
        found = g.card_words = _Words(
            lang=locale(),
            scenarios=term_labels("scenario"),
            industries=term_labels("industry"),
            deployments=term_labels("deployment"),
            delivery=_("%(days)s 天交付"),  # formatted per card
            general=_("通用"),
            product_link=_link("catalog.product_page", "product_id"),
            provider_link=_link("catalog.provider_page", "provider_id"),
        )
    return found  # type: ignore[no-any-return]


def card_view(product: Any, provider: Any) -> CardView:
    """The card of a product (a Product, or a row of the card's columns) and its provider (None: no footer)."""
    words = _words()
    return CardView(
        url=f"{words.product_link[0]}{product.id}{words.product_link[1]}",
        scenarios=[words.scenarios.get(code, code) for code in product.scenarios],
        price=f"{wan_in(product.price_min_wan, words.lang)} – {wan_in(product.price_max_wan, words.lang)}",
        delivery=words.delivery % {"days": product.delivery_days},
        deployment=words.deployments.get(product.deployment, product.deployment),
        rating=f"{product.rating:.1f}" if product.review_count else None,
        provider_url=f"{words.provider_link[0]}{provider.id}{words.provider_link[1]}" if provider else None,
        industries="、".join(words.industries.get(code, code) for code in product.industries) or words.general,
    )


def init_app(app: Flask) -> None:
    """Expose card_view to the templates."""
    app.jinja_env.globals["card_view"] = card_view
