"""What a product card shows, worked out and escaped in Python: a catalogue page that is not cached renders 24 cards,
and cards whose template looked up each label, link and message through Jinja calls were a third of such a page's
time. templates/_macros.html (card_markup) only places the finished HTML.

The catalogue goes further: rendering that macro for each card, and escaping each label again for each card, were
still more than half of the list's rendering. So labels are escaped once per process and language, the macro is rendered
once per process, language and shape of card with stand-ins for the values (marketplace.kept_markup), and each
card is that copy with its own values put in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Flask, g, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from marketplace import pagination
from marketplace.kept_markup import Kept, StandIns, kept_copy
from marketplace.templating import locale, term_labels, wan_in

# Stands for the id in a link built once per request (no other part of the link has digits).
_MARK = 2_147_483_647


@dataclass(frozen=True, slots=True)
class _Words:
    """What every card of one request shares, as escaped HTML: labels and messages in the visitor's language, and
    links."""

    lang: str
    scenarios: dict[str, str]
    industries: dict[str, str]
    deployments: dict[str, str]
    delivery: str  # formatted per card
    general: str
    product_link: tuple[str, str]
    provider_link: tuple[str, str]


@dataclass(frozen=True, slots=True)
class CardView:
    """What templates/_macros.html (card_markup) shows of a card, each value HTML."""

    url: Markup
    name: Markup
    summary: Markup
    scenarios: list[Markup]
    price: Markup
    delivery: Markup
    deployment: Markup
    rating: Markup | None  # None before the first counted review
    review_count: int
    provider_url: Markup | None  # None when the card is shown without its provider
    provider_name: Markup | None
    industries: Markup


def _link(endpoint: str, name: str) -> tuple[str, str]:
    """The link to ``endpoint`` around its id, built once per request (url_for per card was a tenth of a card)."""
    head, _mark, tail = url_for(endpoint, **{name: _MARK}).rpartition(str(_MARK))
    return str(escape(head)), str(escape(tail))


@lru_cache(maxsize=32)
def _html_labels(kind: str, lang: str) -> dict[str, str]:
    """Every label of a kind of code in ``lang`` (the visitor's language, which term_labels answers in), escaped."""
    return {code: str(escape(label)) for code, label in term_labels(kind).items()}


def _words() -> _Words:
    found = g.get("card_words")
    if found is None:
        lang = locale()
        found = g.card_words = _Words(
            lang=lang,
            scenarios=_html_labels("scenario", lang),
            industries=_html_labels("industry", lang),
            deployments=_html_labels("deployment", lang),
            delivery=str(escape(_("%(days)s 天交付"))),
            general=str(escape(_("通用"))),
            product_link=_link("catalog.product_page", "product_id"),
            provider_link=_link("catalog.provider_page", "provider_id"),
        )
    return found  # type: ignore[no-any-return]


def _label(labels: dict[str, str], code: str) -> str:
    return labels[code] if code in labels else str(escape(code))


def _values(words: _Words, product: Any, provider: Any) -> dict[str, Any]:
    """What the card of a product and its provider (None: no footer) shows, as HTML, by card_markup's names."""
    lang, link = words.lang, words.provider_link
    return {
        "url": f"{words.product_link[0]}{int(product.id)}{words.product_link[1]}",
        "name": escape(product.name),
        "summary": escape(product.summary),
        "scenarios": [_label(words.scenarios, code) for code in product.scenarios],
        "price": escape(f"{wan_in(product.price_min_wan, lang)} – {wan_in(product.price_max_wan, lang)}"),
        "delivery": words.delivery % {"days": int(product.delivery_days)},
        "deployment": _label(words.deployments, product.deployment),
        "rating": f"{product.rating:.1f}" if product.review_count else None,
        "review_count": product.review_count,
        "provider_url": f"{link[0]}{int(provider.id)}{link[1]}" if provider else None,
        "provider_name": escape(provider.name) if provider else None,
        "industries": "、".join(_label(words.industries, code) for code in product.industries)
        or words.general,
    }


def _html(value: Any) -> Any:
    if isinstance(value, str):
        return Markup(value)
    return [Markup(item) for item in value] if isinstance(value, list) else value


def _view(values: dict[str, Any]) -> CardView:
    return CardView(**{name: _html(value) for name, value in values.items()})


def card_view(product: Any, provider: Any) -> CardView:
    """The card of a product (a Product, or a row of the card's columns) and its provider (None: no footer)."""
    return _view(_values(_words(), product, provider))


_SCENARIOS = tuple(f"scenario{n}" for n in range(16))  # more than a product may have (validation allows 3)
_NAMES = tuple(name for name in CardView.__dataclass_fields__ if name != "scenarios")


def _kept_shape(macro: Any, scenarios: int, rated: bool, footed: bool) -> Kept:
    """``macro`` rendered with stand-ins, for cards with this many scenarios, with or without a rating and with or
    without the provider's footer (what the macro shows or leaves out)."""
    stand_ins = StandIns(*_NAMES, *_SCENARIOS[:scenarios])
    shape: dict[str, Any] = dict(stand_ins.markers)
    shape["scenarios"] = [shape.pop(name) for name in _SCENARIOS[:scenarios]]
    if not rated:
        shape["rating"] = None
    if not footed:
        shape["provider_url"] = shape["provider_name"] = None
    return stand_ins.keep(macro(CardView(**shape)))


def kept_cards(macro: Any, products: Iterable[Any], providers: Mapping[int, Any]) -> list[Markup]:
    """The cards of the products (with their providers by id) as ``macro`` (templates/_macros.html, card_markup)
    shows them, each filled into a copy of it rendered once per process, language and shape of card."""
    words = _words()
    cards = []
    for product in products:
        values = _values(words, product, providers.get(product.provider_id))
        shape = (len(values["scenarios"]), values["rating"] is not None, values["provider_url"] is not None)
        if shape[0] > len(_SCENARIOS):  # no copy for that many: rendered as it is
            cards.append(Markup(macro(_view(values))))
            continue
        kept = kept_copy(("card", words.lang, macro.name, shape), _kept_shape, macro, *shape)
        values.update(zip(_SCENARIOS, values["scenarios"], strict=False))  # shorter: _SCENARIOS has spares
        cards.append(kept.fill_escaped(values))
    return cards


def init_app(app: Flask) -> None:
    """Expose card_view and kept_cards to the templates, with the pagination that list pages show below cards."""
    app.jinja_env.globals.update(card_view=card_view, kept_cards=kept_cards)
    pagination.init_app(app)
