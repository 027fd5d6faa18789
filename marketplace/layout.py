"""The parts of base.html that are the same on every page, built once per process instead of once per page.

The navigation bar and Bootstrap's tags were a quarter of a page's rendering: a dozen links, translations and
Flask-Bootstrap's tag building, none of which changes from one request to the next. The bar differs only by the
visitor's language, kind of account and whether the page is the search page; the visitor's CSRF token, the current
URL and the organisation's name are put into a kept bar as each page is served.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from marketplace.extensions import bootstrap
from marketplace.kept_markup import Kept, StandIns
from marketplace.lru import LruCache
from marketplace.templating import locale

_STAND_INS = StandIns("csrf", "next_path", "org_name")


class BootstrapTags(NamedTuple):
    css: Markup
    js: Markup


def bootstrap_tags() -> BootstrapTags:
    """Flask-Bootstrap's <link> and <script> tags (they depend on the configuration and where the app is mounted)."""
    cache: dict[str, BootstrapTags] = current_app.extensions.setdefault("bootstrap_tags", {})
    found = cache.get(request.script_root)
    if found is None:
        found = cache[request.script_root] = BootstrapTags(bootstrap.load_css(), bootstrap.load_js())
    return found


def nav() -> Markup:
    """The navigation bar for this visitor (templates/_nav.html)."""
    kind = current_user.kind if current_user.is_authenticated else None
    show_search = request.endpoint != "discover.search_page"
    key = (locale(), request.script_root, kind, show_search)
    cache: LruCache = current_app.extensions.setdefault("nav_cache", LruCache(32))
    kept: Kept | None = cache.get(key)
    if kept is None:
        kept = _STAND_INS.keep(
            render_template("_nav.html", kind=kind, show_search=show_search, **_STAND_INS.markers)
        )
        cache.put(key, kept)
    return kept.fill(
        {
            "csrf": generate_csrf(),
            "next_path": request.full_path,
            "org_name": current_user.organisation.name if kind else "",
        }
    )


def init_app(app: Flask) -> None:
    """Expose the layout's parts to the templates."""
    app.jinja_env.globals.update(nav=nav, bootstrap_tags=bootstrap_tags)
