"""Template helpers: taxonomy labels in the visitor's language, money and dates."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations
from markupsafe import Markup

from catalog.taxonomy import COUNTIES, DEPLOYMENT_LABELS, SCALES, SRDI, load_taxonomy
from marketplace.lru import LruCache

CARDS = 4096  # product cards kept per process (about 1 kB each)
FORMS = 256  # rendered forms kept per process (about 15 kB each)


def locale() -> str:
    """'zh' or 'en' (looked up once per request: a catalogue page asks about 160 times, once per label)."""
    found = g.get("locale_code")
    if found is None:
        found = g.locale_code = str(get_locale() or "zh")
    return found  # type: ignore[no-any-return]


def pick(pair: tuple[str, str]) -> str:
    """The Chinese or English half of a label pair."""
    return pair[1] if locale() == "en" else pair[0]


@lru_cache(maxsize=32)
def _labels(kind: str, lang: str) -> dict[str, str]:
    """Every label of one kind of code in one language (the taxonomy is read once per process)."""
    taxonomy = load_taxonomy()
    terms = {
        "industry": taxonomy.industries,
        "group": taxonomy.groups,
        "scenario": taxonomy.scenarios,
        "scene": taxonomy.national_scenes,
    }.get(kind)
    if terms is not None:
        return {code: term.label(lang) for code, term in terms.items()}
    pairs = {"deployment": DEPLOYMENT_LABELS, "county": COUNTIES, "scale": SCALES, "srdi": SRDI}.get(kind, {})
    return {code: pair[1] if lang == "en" else pair[0] for code, pair in pairs.items()}


def term_label(kind: str, code: str | None) -> str:
    """The label of a taxonomy code (industry, group, scenario, scene, deployment, county, scale, srdi)."""
    if not code:
        return ""
    return _labels(kind, locale()).get(code, code)


def term_labels(kind: str) -> dict[str, str]:
    """Every label of one kind of code in the visitor's language, by code (to look up many codes at once)."""
    return _labels(kind, locale())


def term_choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) of every code of a kind, in the taxonomy's order, in the visitor's language (for selects)."""
    return list(_labels(kind, locale()).items())


def cached_card(macro: Any, product: Any, provider: Any) -> Markup:
    """A product card rendered by ``macro``, reused while everything it shows is the same (the key is what the card
    shows, so it can never be stale); catalogue pages show 24 of them."""
    key = (
        locale(),
        macro.name,
        product.id,
        product.name,
        product.summary,
        tuple(product.scenarios),
        tuple(product.industries),
        product.price_min_wan,
        product.price_max_wan,
        product.delivery_days,
        product.deployment,
        product.rating,
        product.review_count,
        provider.id if provider else None,
        provider.name if provider else None,
    )
    cache: LruCache = current_app.extensions.setdefault("card_cache", LruCache(CARDS))
    html = cache.get(key)
    if html is None:
        html = Markup(macro(product, provider))
        cache.put(key, html)
    return html  # type: ignore[no-any-return]


def cached_form(macro: Any, form: Any) -> Markup:
    """A form without a CSRF token rendered by ``macro``, reused for the same input (what was typed decides what is
    shown: values, selections and messages); the catalogue's filter panel has 170 options."""
    if getattr(form.meta, "csrf", False):
        return Markup(macro(form))  # a token is the visitor's own: never shared
    key = (locale(), macro.name, tuple((f.name, tuple(f.raw_data or ()), tuple(f.errors)) for f in form))
    cache: LruCache = current_app.extensions.setdefault("form_cache", LruCache(FORMS))
    html = cache.get(key)
    if html is None:
        html = Markup(macro(form))
        cache.put(key, html)
    return html  # type: ignore[no-any-return]


def wan(value: float | None) -> str:
    """An amount in 万元, without needless decimals."""
    return wan_in(value, locale())


def wan_in(value: float | None, lang: str) -> str:
    """wan() in a language already looked up (a page of cards shows 48 amounts)."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 万元" if lang == "zh" else f"{text} ×10k CNY"


def _encoded_args() -> list[tuple[str, str]]:
    """This request's query arguments, each encoded once per request (a list page builds a dozen links)."""
    found = g.get("encoded_args")
    if found is None:
        found = g.encoded_args = [
            (key, urlencode({key: values}, doseq=True)) for key, values in request.args.lists()
        ]
    return found  # type: ignore[no-any-return]


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (None removes one); pagination and sorting links.

    Arguments keep their order; a changed one keeps its place and a new one comes last."""
    present = _encoded_args()
    parts = [
        part if key not in changes else urlencode({key: str(changes[key])})
        for key, part in present
        if key not in changes or changes[key] is not None
    ]
    known = {key for key, _part in present}
    parts += [
        urlencode({key: str(value)})
        for key, value in changes.items()
        if key not in known and value is not None
    ]
    return request.path + ("?" + "&".join(parts) if parts else "")


def toggle_url(name: str, value: str) -> str:
    """The current URL with one value of a multi-valued argument switched on or off, back on page 1."""
    args = request.args.to_dict(flat=False)
    values = args.get(name, [])
    args[name] = [v for v in values if v != value] if value in values else [*values, value]
    args.pop("page", None)
    query = urlencode(args, doseq=True)
    return request.path + (f"?{query}" if query else "")


def _translations() -> Any:
    """This request's translations, looked up once (flask_babel looks them up again for every string, which was a
    tenth of a signed-in page's time)."""
    found = g.get("babel_translations")
    if found is None:
        found = g.babel_translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(
        toggle_url=toggle_url,
        term_label=term_label,
        term_choices=term_choices,
        cached_card=cached_card,
        cached_form=cached_form,
        taxonomy=load_taxonomy,
        locale=locale,
        url_with=url_with,
        counties=COUNTIES,
        pick=pick,
    )
    app.jinja_env.filters["wan"] = wan
    app.jinja_env.filters["date"] = lambda value: value.strftime("%Y-%m-%d") if value else "—"
    app.jinja_env.filters["datetime"] = lambda value: value.strftime("%Y-%m-%d %H:%M") if value else "—"
