"""A small evaluator of Meilisearch filter expressions, for the fake server of the contract tests.

It follows Meilisearch's grammar for the subset the adapter may send: ``attr = value``, ``attr != value``,
``attr IN [v, ...]``, ``AND`` binding tighter than ``OR``, parentheses, double-quoted strings where
``\\"`` and ``\\\\`` are escapes (Meilisearch >= 1.4). Anything else raises ``FilterSyntaxError``, as the
real server rejects it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Predicate = Callable[[Mapping[str, Any]], bool]
_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[\[\](),]|!=|=)|(?P<word>[^\s\[\](),="!]+))'
)


class FilterSyntaxError(ValueError):
    """The expression is not valid Meilisearch filter syntax."""


def tokens(expression: str) -> list[tuple[str, str]]:
    """(kind, text) pairs; strings come back unquoted and unescaped."""
    found: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expression.rstrip()):
        match = _TOKEN.match(expression, pos)
        if match is None:
            raise FilterSyntaxError(f"cannot read {expression[pos:]!r}")
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        found.append((kind, text))
        pos = match.end()
    return found


def compile_filter(expression: str) -> Predicate:
    """A predicate over documents equivalent to the filter expression."""
    parser = _Parser(tokens(expression))
    predicate = parser.disjunction()
    if parser.pos != len(parser.toks):
        raise FilterSyntaxError(f"unexpected {parser.toks[parser.pos][1]!r}")
    return predicate


def _matches(doc: Mapping[str, Any], attribute: str, value: str) -> bool:
    stored = doc.get(attribute)
    values = stored if isinstance(stored, list) else [stored]
    return any(_as_text(item) == value for item in values)


def _as_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


class _Parser:
    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self) -> str | None:
        """The next keyword or punctuation; None at the end or before a quoted string (never a keyword)."""
        if self.pos >= len(self.toks) or self.toks[self.pos][0] == "string":
            return None
        return self.toks[self.pos][1]

    def take(self, expected: str | None = None) -> str:
        if self.pos >= len(self.toks) or (expected is not None and self.peek() != expected):
            raise FilterSyntaxError(f"expected {expected or 'more input'} at token {self.pos}")
        self.pos += 1
        return self.toks[self.pos - 1][1]

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.conjunction())
        return lambda doc: any(part(doc) for part in parts)

    def conjunction(self) -> Predicate:
        parts = [self.atom()]
        while self.peek() == "AND":
            self.take()
            parts.append(self.atom())
        return lambda doc: all(part(doc) for part in parts)

    def atom(self) -> Predicate:
        if self.peek() == "(":
            self.take("(")
            inner = self.disjunction()
            self.take(")")
            return inner
        attribute = self.take()
        operator = self.peek()
        self.take()
        if operator == "IN":
            values = self.value_list()
            return lambda doc: any(_matches(doc, attribute, v) for v in values)
        if operator in ("=", "!="):
            value = self.take()
            positive = operator == "="
            return lambda doc: _matches(doc, attribute, value) is positive
        raise FilterSyntaxError(f"unknown operator {operator!r}")

    def value_list(self) -> list[str]:
        self.take("[")
        values = [self.take()]
        while self.peek() == ",":
            self.take(",")
            values.append(self.take())
        self.take("]")
        return values
