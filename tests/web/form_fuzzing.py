"""Pieces of the HTML form fuzzer: who may use a route, which fields its forms have, nasty values, a caller.

Routes and fields are found, not listed: routes from the app's url_map (a new route is fuzzed without touching
the tests), the roles a route admits from its ``role_required`` guard, the fields and their legal values from the
forms and links of the pages each role can see.
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from catalog.uscc import make_code
from tests.conftest import PASSWORD, Auth

ROLES = ("anonymous", "enterprise", "provider", "staff")
# Columns an attacker would love to set through a form; no form has them, so they must change nothing.
EXTRA_FIELDS = (
    "role", "kind", "owner", "organisation_id", "provider_id", "enterprise_id", "verified", "state", "listed",
    "rating", "score", "is_active", "id", "external_id", "accepted_on", "author_user_id", "hidden", "held",
)  # fmt: skip
# Values that broke parsers somewhere: Unicode digits that str.isdigit() accepts and int() does not, numbers
# beyond any column, a digit string longer than int() converts, NaN and infinities, NUL and control bytes,
# markup and SQL, and strings far beyond every field's limit.
SPECIAL = (
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "0", "-1", "1.5", "1e309", "NaN", "-inf", "2147483648",
    "99999999999999999999", "9" * 5000, "¹", "²3", "١٢", "１２", "0x1F", " 7 ", "2026-02-30", "9999-12-31",
    "<script>alert(1)</script>", "'; DROP TABLE organisation; --", "%s%n{0}", "../../etc/passwd", "\u202e",
    "\ufeff", "ORG", "ORG¹", "中" * 9000, "数字化" * 30_000,
)  # fmt: skip
# Legal-looking values for any field, so that some requests get past the first check.
GENERIC_GOOD = (
    "1", "3", "5", "10", "approve", "accept", "reject", "suspend", "hide", "clear", "provider", "product",
    "2026-12-01", "能耗监测 视觉质检", "Energy monitoring", PASSWORD, "correct-horse-battery-2", "13800000000",
)  # fmt: skip
# Legal values by input type, for inputs a page shows empty.
TYPICAL = {
    "number": ("1", "3", "10", "100"),
    "email": ("fuzz@example.cn",),
    "date": ("2026-12-01",),
    "tel": ("13800000000",),
    "password": (PASSWORD, "another-long-password"),
    "text": ("能耗监测 视觉质检", "Energy monitoring"),
}
# Legal values a page cannot show (a fresh credit code, a phone number, terms of a synonym group).
BY_NAME = {
    "uscc": (make_code(9001), make_code(9002)),
    "phone": ("13800000000", "0379-6123 4567"),
    "terms": ("能耗, 电耗, energy", "视觉质检, AOI"),
    "email": ("fuzz@example.cn",),
}
# Appended to a legal value: it passes the format checks and carries the nasty part to the database.
TAILS = ("\x00", "\x00\x00", "\x01\x1f\x7f", "\u202e", "\r\n\t", "0" * 5000, "中" * 9000)
BOGUS_IDS = (0, 999_999, 2_147_483_647)  # ids no row has (the real ones come from the database)

NASTY = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),  # any Unicode: CJK, controls, NUL
    st.text("洛阳轴承铜铝化工能耗视觉质检仓储诊断企业服务商", min_size=1, max_size=30),
    st.sampled_from(SPECIAL),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.dates().map(date.isoformat),
)


def roles_of(view) -> tuple[str, ...]:
    """The roles a view admits: those its role_required guard names, or every role when it names none."""
    kinds = inspect.getclosurevars(view).nonlocals.get("kinds")
    return tuple(kinds) if kinds else ROLES


def is_page(rule: Rule) -> bool:
    """Routes a person uses through forms and links (the API has its own fuzzer; files are not pages)."""
    return not rule.rule.startswith(("/static", "/bootstrap", "/api/")) and rule.rule != "/healthz"


@dataclass
class Found:
    """Field names with the values seen for them, per (method, endpoint)."""

    fields: dict[tuple[str, str], dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )

    def add(self, method: str, endpoint: str, name: str, value: str | None) -> None:
        values = self.fields[(method, endpoint)][name]
        if value:
            values.add(value)

    def of(self, method: str, endpoint: str) -> dict[str, set[str]]:
        """The fields of one route with every value seen for each name on any form (an edit form's values
        fill the empty new-item form); a route no page links to gets every field seen anywhere."""
        union: dict[str, set[str]] = defaultdict(set)
        for (seen_method, _endpoint), names in self.fields.items():
            if seen_method == method:
                for name, values in names.items():
                    union[name] |= values
        own = self.fields.get((method, endpoint))
        return {name: union[name] for name in own} if own is not None else union


class _PageParser(HTMLParser):
    """Forms (method, action, fields with their values) and links with a query string."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[tuple[str, str | None]]]] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("method") or "get").upper(), a.get("action") or "", []))
        elif tag == "a" and "?" in (a.get("href") or ""):
            self.links.append(a["href"] or "")
        elif self.forms and tag in ("input", "select", "textarea", "button") and a.get("name"):
            self.forms[-1][2].append((a["name"] or "", a.get("value")))
            for typical in (*TYPICAL.get(a.get("type") or "", ()), *BY_NAME.get(a["name"] or "", ())):
                self.forms[-1][2].append((a["name"] or "", typical))
            self._select = a["name"] if tag == "select" else self._select
        elif self.forms and tag == "option" and self._select:
            self.forms[-1][2].append((self._select, a.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def discover(app: Flask, found: Found, page_path: str, html: str) -> None:
    """Record the forms and query links of one page under the routes they go to."""
    adapter = app.url_map.bind("localhost")
    parser = _PageParser()
    parser.feed(html)
    targets = [(method, action or page_path, fields) for method, action, fields in parser.forms]
    for link in parser.links:
        parts = urlsplit(link)
        targets.append(("GET", parts.path or page_path, parse_qsl(parts.query, keep_blank_values=True)))
    for method, target, fields in targets:
        try:
            endpoint, _args = adapter.match(urlsplit(target).path, method=method)
        except HTTPException:
            continue  # a link off the site, or to a route that does not take this method
        for name, value in fields:
            if name != "csrf_token":
                found.add(method, str(endpoint), name, value)


def fill(rule: Rule, ids: dict[str, list[int]]):
    """A strategy for the rule's path: each argument takes a real id of its kind (any id for a kind not known
    here) or an id no row has."""
    names = list(rule.arguments)
    every = sorted({i for pool in ids.values() for i in pool})
    parts = [st.sampled_from([*ids.get(name, every), *BOGUS_IDS]) for name in names]
    return st.tuples(*parts).map(lambda values: rule.build(dict(zip(names, values, strict=True)))[1])


def form_values(fields: dict[str, set[str]]):
    """A strategy for a request's fields: a legal value for each, then a few of them left out, made nasty or
    repeated, plus unknown extra fields. Starting from legal input lets requests get past the first check."""
    names = sorted(fields)

    def legal(name: str):
        return st.sampled_from(sorted(fields[name]) or GENERIC_GOOD)

    base = st.tuples(*[legal(name) for name in names]) if names else st.just(())
    # a legal value with a nasty tail (a NUL, control characters, a huge string) gets past the format checks
    tail = st.sampled_from(TAILS).map(lambda text: ("tail", text))
    mutation = st.one_of(st.none(), NASTY, st.lists(NASTY, min_size=2, max_size=3), tail)
    mutations = st.lists(st.tuples(st.sampled_from(names), mutation), max_size=3) if names else st.just([])
    extra = st.lists(
        st.tuples(st.one_of(st.sampled_from(EXTRA_FIELDS), st.text(min_size=1, max_size=12)), NASTY),
        max_size=3,
    )

    def pairs(drawn) -> list[tuple[str, str]]:
        values, changes, extras = drawn
        chosen: dict[str, str | list[str] | None] = dict(zip(names, values, strict=True))
        for name, change in changes:
            if isinstance(change, tuple):  # a tail, appended to the value chosen so far
                before = chosen[name]
                chosen[name] = (before if isinstance(before, str) else "") + change[1]
            else:
                chosen[name] = change
        out: list[tuple[str, str]] = []
        for name, value in chosen.items():
            for item in value if isinstance(value, list) else [] if value is None else [value]:
                out.append((name, item))
        return out + extras

    return st.tuples(base, mutations, extra).map(pairs)


ERROR_SHOWN = re.compile(rb'is-invalid|invalid-feedback|alert-danger|</h1>\s*<p class="text-muted">[^<]')
CSRF_REFUSED = b"reload the page and try again"


@dataclass
class Caller:
    """One signed-in role (or a visitor) with a valid CSRF token, re-signed in whenever a request signs it out."""

    client: FlaskClient
    role: str
    email: str | None
    sent: int = 0
    _token: str = ""
    _raw: str | None = None

    def _session_value(self, key: str):
        with self.client.session_transaction() as session:
            return session.get(key)

    def settle(self) -> list[tuple[str, str]]:
        """Take the flashed messages (they would pile up in the cookie) and restore the caller's role."""
        with self.client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
            signed_in = "_user_id" in session
            if self.email is None and signed_in:
                session.clear()  # a visitor registered: back to being a visitor
        if self.email is not None and not signed_in:
            assert Auth(self.client).login(self.email).status_code == 302, f"{self.role} cannot sign in again"
        return flashes

    def token(self) -> str:
        """A CSRF token valid for the current session (fetched again only when the session changed)."""
        raw = self._session_value("csrf_token")
        if raw is None or raw != self._raw:
            self._token = Auth(self.client).token("/")
            self._raw = self._session_value("csrf_token")
        return self._token

    def post(self, path: str, pairs: list[tuple[str, str]]):
        """POST the fields with a valid CSRF token."""
        data = MultiDict([*pairs, ("csrf_token", self.token())])
        response = self.client.post(path, data=data)
        self.sent += 1
        return response

    def get(self, path: str, pairs: list[tuple[str, str]]):
        """GET with the pairs as the query string."""
        response = self.client.get(path, query_string=pairs)
        self.sent += 1
        return response
