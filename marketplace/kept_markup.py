"""Markup kept per process and shared between requests, with stand-ins for what differs from one use to the next.

Rendering the same navigation bar or recommendations body for every request was a large share of a page, yet such
markup differs between visitors only by a few values (their CSRF token, the URL, their organisation's name); a
catalogue card differs from the next only by the product's values. A kept copy holds random stand-ins for those
values instead, and each use puts its own values in their place.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup, escape


class Kept(NamedTuple):
    """Markup turned into a format string once, when it is kept, so that filling it in is one call."""

    pattern: str  # the markup with each stand-in as a {name} field (and its own braces doubled)
    slots: tuple[str, ...]  # the names of the stand-ins it holds

    def fill(self, values: Mapping[str, str]) -> Markup:
        """The markup with every stand-in replaced by its value, escaped unless it is Markup already.

        A value is put in as it is and never searched for stand-ins itself."""
        return Markup(self.pattern.format_map({name: escape(values[name]) for name in self.slots}))

    def fill_escaped(self, values: Mapping[str, str]) -> Markup:
        """fill() with values that are escaped already (the cards of a page escape what they show themselves)."""
        return Markup(self.pattern.format_map(values))


class StandIns:
    """Stand-ins for some named values: render the markup with ``markers`` in place of the values, then ``keep``."""

    def __init__(self, *names: str) -> None:
        # Random per process, so no text in a page (a product's, a visitor's) can spell one; letters and digits
        # only, so they come out of any escaping unchanged, in text and in attributes alike.
        tag = secrets.token_hex(12)
        self.markers = {name: Markup(f"kept{tag}{name}") for name in names}
        self._names = {str(marker): name for name, marker in self.markers.items()}
        longest_first = sorted(self._names, key=len, reverse=True)  # "csrf" must not cut "csrf_field" short
        self._pattern = re.compile("(" + "|".join(map(re.escape, longest_first)) + ")")

    def keep(self, html: str) -> Kept:
        """Markup rendered with ``markers``, ready to be filled in."""
        pieces = self._pattern.split(html)
        slots = [self._names[marker] for marker in pieces[1::2]]
        texts = [text.replace("{", "{{").replace("}", "}}") for text in pieces[0::2]]
        fields = [f"{{{name}}}" for name in slots] + [""]
        return Kept(
            "".join(text + field for text, field in zip(texts, fields, strict=True)), tuple(set(slots))
        )


def kept_copy(key: Hashable, make: Callable[..., Kept], *args: Any) -> Kept:
    """The copy this process keeps under ``key``, made by ``make(*args)`` the first time it is asked for. For markup
    with few shapes (a card, the pagination: per language and shape), so the copies are never evicted."""
    copies: dict[Hashable, Kept] = current_app.extensions.setdefault("kept_markup", {})
    found = copies.get(key)
    if found is None:
        found = copies[key] = make(*args)
    return found
