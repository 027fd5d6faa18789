"""Pagination links worked out in Python; templates/_macros.html (pagination_markup) only places them.

A list page shows up to nine page links, each a url_with() call and a few Jinja expressions: the pagination was 7% of
the worker's time for a catalogue page that is not cached. The links differ only by the page number, so their URL is
built once per request around a stand-in for it. The catalogue goes further and fills a copy of the macro rendered
once per process, language and number of links (marketplace.kept_markup), as it does for its cards.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import Flask, g
from markupsafe import Markup, escape

from marketplace.kept_markup import Kept, StandIns, kept_copy
from marketplace.templating import locale, url_with

# Stands for the page number in a URL built once per request; random per process, so no query string spells it.
_MARK = f"page{secrets.token_hex(12)}"


class PageLink(NamedTuple):
    state: Any  # the item's class: "active", "disabled" or ""
    url: Any
    number: Any


@dataclass(frozen=True, slots=True)
class PaginationView:
    shown: bool  # more than one page
    previous: PageLink
    links: list[PageLink]
    next: PageLink
    number: Any
    pages: Any
    total: Any


def _page_url() -> Callable[[int], Markup]:
    """This request's URL with the page changed (url_with(page=n)) as a function of n, escaped for HTML."""
    found = g.get("page_url")
    if found is None:
        head, mark, tail = url_with(page=_MARK).partition(_MARK)
        if mark and _MARK not in tail:
            head, tail = escape(head), escape(tail)
            found = g.page_url = lambda number: Markup(f"{head}{number}{tail}")
        else:
            found = g.page_url = lambda number: escape(url_with(page=number))
    return found  # type: ignore[no-any-return]


def pagination_view(number: int, pages: int, total: int) -> PaginationView:
    """The links to the pages around page ``number`` of ``pages`` (``total`` items), the previous and the next."""
    url = _page_url()
    return PaginationView(
        shown=pages > 1,
        previous=PageLink("disabled" if number <= 1 else "", url(number - 1), number - 1),
        links=[
            PageLink("active" if n == number else "", url(n), n)
            for n in range(max(1, number - 3), min(pages, number + 3) + 1)
        ],
        next=PageLink("disabled" if number >= pages else "", url(number + 1), number + 1),
        number=number,
        pages=pages,
        total=total,
    )


_LINK = ("state", "url", "number")
_MAX_LINKS = 7  # page - 3 to page + 3
_SLOTS = tuple(
    tuple(f"{item}_{part}" for part in _LINK)
    for item in ("previous", "next", *(f"link{n}" for n in range(_MAX_LINKS)))
)


def _kept_shape(macro: Any, shown: bool, links: int) -> Kept:
    """``macro`` rendered with stand-ins for pagination with ``links`` page links (none at all unless ``shown``)."""
    slots = _SLOTS[: 2 + links]
    stand_ins = StandIns(*(name for names in slots for name in names), "number", "pages", "total")
    marker = stand_ins.markers
    previous, following, *numbered = (PageLink(*(marker[name] for name in names)) for names in slots)
    view = PaginationView(
        shown=shown,
        previous=previous,
        links=numbered,
        next=following,
        number=marker["number"],
        pages=marker["pages"],
        total=marker["total"],
    )
    return stand_ins.keep(macro(view))


def kept_pagination(macro: Any, number: int, pages: int, total: int) -> Markup:
    """What ``macro`` (templates/_macros.html, pagination_markup) shows for pagination_view(number, pages, total),
    filled into a copy of it rendered once per process, language and number of links (at most seven)."""
    view = pagination_view(number, pages, total)
    shape = (view.shown, len(view.links))
    kept = kept_copy(("pagination", locale(), macro.name, shape), _kept_shape, macro, *shape)
    # The links' URLs are escaped already, their states and numbers need no escaping.
    values = {"number": int(number), "pages": int(pages), "total": int(total)}
    for names, link in zip(_SLOTS, (view.previous, view.next, *view.links), strict=False):
        values.update(zip(names, link, strict=True))
    return kept.fill_escaped(values)


def init_app(app: Flask) -> None:
    """Expose pagination_view and kept_pagination to the templates."""
    app.jinja_env.globals.update(pagination_view=pagination_view, kept_pagination=kept_pagination)
