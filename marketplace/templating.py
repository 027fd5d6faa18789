"""Template helpers: taxonomy labels in the visitor's language, money and dates."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import get_locale

from catalog.taxonomy import COUNTIES, DEPLOYMENT_LABELS, SCALES, SRDI, load_taxonomy


def locale() -> str:
    """'zh' or 'en'."""
    return str(get_locale() or "zh")


def pick(pair: tuple[str, str]) -> str:
    """The Chinese or English half of a label pair."""
    return pair[1] if locale() == "en" else pair[0]


def term_label(kind: str, code: str | None) -> str:
    """The label of a taxonomy code (industry, group, scenario, scene, deployment, county, scale, srdi)."""
    if not code:
        return ""
    taxonomy = load_taxonomy()
    terms = {
        "industry": taxonomy.industries,
        "group": taxonomy.groups,
        "scenario": taxonomy.scenarios,
        "scene": taxonomy.national_scenes,
    }.get(kind)
    if terms is not None:
        term = terms.get(code)
        return term.label(locale()) if term else code
    pairs = {"deployment": DEPLOYMENT_LABELS, "county": COUNTIES, "scale": SCALES, "srdi": SRDI}.get(kind, {})
    return pick(pairs[code]) if code in pairs else code


def wan(value: float | None) -> str:
    """An amount in 万元, without needless decimals."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 万元" if locale() == "zh" else f"{text} ×10k CNY"


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (None removes one); pagination and sorting links."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return request.path + (f"?{query}" if query else "")


def toggle_url(name: str, value: str) -> str:
    """The current URL with one value of a multi-valued argument switched on or off, back on page 1."""
    args = request.args.to_dict(flat=False)
    values = args.get(name, [])
    args[name] = [v for v in values if v != value] if value in values else [*values, value]
    args.pop("page", None)
    query = urlencode(args, doseq=True)
    return request.path + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.jinja_env.globals.update(
        toggle_url=toggle_url,
        term_label=term_label,
        taxonomy=load_taxonomy,
        locale=locale,
        url_with=url_with,
        counties=COUNTIES,
        pick=pick,
    )
    app.jinja_env.filters["wan"] = wan
    app.jinja_env.filters["date"] = lambda value: value.strftime("%Y-%m-%d") if value else "—"
    app.jinja_env.filters["datetime"] = lambda value: value.strftime("%Y-%m-%d %H:%M") if value else "—"
