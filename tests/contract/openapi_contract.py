"""Checks recorded HTTP exchanges against Meilisearch's published OpenAPI description.

The description (data/meilisearch/openapi.json) does not pass strict spec validation, so it is loaded
with spec validation off. Its known errors are listed in ``KNOWN_SPEC_ERRORS``, each with the reason;
every other mismatch is a contract violation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import requests
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_schema_validator import OAS31Validator

SPEC_PATH = Path(__file__).resolve().parents[2] / "data" / "meilisearch" / "openapi.json"


@dataclass(frozen=True)
class Violation:
    operation: str  # "POST /multi-search"
    where: str  # "request" or "response"
    pointer: str  # JSON path inside the body, "" for the root or for non-body errors
    message: str
    instance: Any = None

    def __str__(self) -> str:
        return f"{self.operation} {self.where} at /{self.pointer}: {self.message}"


@dataclass(frozen=True)
class KnownSpecError:
    """One known error of the description, tolerated where it occurs and nowhere else."""

    method: str
    path: str  # regex over the URL path
    where: str
    pointer: str  # regex over Violation.pointer
    message: str  # regex over Violation.message
    why: str
    value_ok: Callable[[Any], bool] = lambda value: True
    # When the tolerated error hides a whole body, the schema the body is checked against instead.
    instead: str | None = None

    def covers(self, violation: Violation) -> bool:
        method, path = violation.operation.split(" ", 1)
        return (
            method == self.method
            and re.fullmatch(self.path, path) is not None
            and violation.where == self.where
            and re.fullmatch(self.pointer, violation.pointer) is not None
            and re.search(self.message, violation.message) is not None
            and self.value_ok(violation.instance)
        )


def _is_attribute_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_multi_search_results(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("results"), list) and "hits" not in value


KNOWN_SPEC_ERRORS: tuple[KnownSpecError, ...] = (
    # The description types the search parameter `facets` as an object ({"patterns": [...]}); the server and
    # the official client use an array of attribute names. Tolerated only when the value IS such an array.
    KnownSpecError(
        method="POST",
        path=r"/multi-search|/indexes/[^/]+/search",
        where="request",
        pointer=r"(queries/\d+/)?facets",
        message=r"is not valid under any of the given schemas",
        why="`facets` typed as an object, real requests send an array of attribute names",
        value_ok=_is_attribute_list,
    ),
    # The 200 answer of /multi-search is described only in its federated shape (FederatedSearchResult), but
    # without `federation` the server answers {"results": [...]}, which the same file describes as
    # `SearchResults`. Tolerated only for that shape, which is then checked against SearchResults instead.
    KnownSpecError(
        method="POST",
        path=r"/multi-search",
        where="response",
        pointer=r"",
        message=r"is a required property|is not valid under any of the given schemas",
        why="non-federated multi-search answer described as federated",
        value_ok=_is_multi_search_results,
        instead="SearchResults",
    ),
    # /multi-search lists no 404, yet a query on a missing index answers 404 `index_not_found` (as every
    # single-index route documents). Tolerated for that status; the body must still be a ResponseError.
    KnownSpecError(
        method="POST",
        path=r"/multi-search",
        where="response",
        pointer=r"",
        message=r"Unknown response http status: 404",
        why="404 index_not_found missing from /multi-search responses",
        instead="ResponseError",
    ),
    # TaskView types startedAt/finishedAt as plain strings while its own descriptions say they are `null`
    # until the task starts/finishes (as the server sends them). Tolerated for null only.
    KnownSpecError(
        method="GET",
        path=r"/tasks/\d+",
        where="response",
        pointer=r"startedAt|finishedAt",
        message=r"None is not of type 'string'",
        why="TaskView timestamps are null before the task starts/finishes",
        value_ok=lambda value: value is None,
    ),
)


def _unsigned(bits: int) -> Callable[[Any], bool]:
    """A checker of the description's Rust-style integer formats (u-int8, u-int32, u-int64)."""
    return lambda value: not isinstance(value, int) or 0 <= value < 2**bits


UNSIGNED_FORMATS = {"u-int8": _unsigned(8), "u-int32": _unsigned(32), "u-int64": _unsigned(64)}


@cache
def openapi() -> OpenAPI:
    """The parsed description (spec validation off: the file does not pass it)."""
    config = Config(spec_validator_cls=None, extra_format_validators=UNSIGNED_FORMATS)
    return OpenAPI.from_dict(_spec(), config=config)


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def _body(raw: bytes | str | None) -> Any:
    try:
        return json.loads(raw or "null")
    except ValueError:
        return raw


def _from_result(errors: Iterable[Exception], *, operation: str, where: str) -> list[Violation]:
    found = []
    for error in errors:
        schema_errors = list(getattr(error.__cause__, "schema_errors", ()))
        if not schema_errors:
            found.append(Violation(operation, where, "", f"{type(error).__name__}: {error}"))
        for schema_error in schema_errors:
            pointer = "/".join(str(part) for part in schema_error.absolute_path)
            found.append(Violation(operation, where, pointer, schema_error.message, schema_error.instance))
    return found


def schema_violations(value: Any, *, schema: str, operation: str, where: str) -> list[Violation]:
    """Mismatches of one value against a named schema of the description's components."""
    root = {"$ref": f"#/components/schemas/{schema}", "components": _spec()["components"]}
    validator = OAS31Validator(root, format_checker=OAS31Validator.FORMAT_CHECKER)
    return [
        Violation(operation, where, "/".join(str(p) for p in e.absolute_path), e.message, e.instance)
        for e in validator.iter_errors(value)
    ]


def exchange_violations(request: requests.PreparedRequest, response: Any) -> list[Violation]:
    """Every mismatch of one request and its answer, known spec errors removed (and substituted)."""
    wrapped = RequestsOpenAPIRequest(request)
    operation = f"{wrapped.method.upper()} {wrapped.path}"
    found = _from_result(openapi().iter_request_errors(wrapped), operation=operation, where="request")
    if isinstance(response, requests.ConnectionError):
        # The fake was switched off (FakeMeili.down): there is no answer to check, only the request.
        return [v for v in found if not _known(v)]
    if not isinstance(response, requests.Response):
        return [Violation(operation, "response", "", f"the fake server did not answer: {response!r}")]
    answer_errors = openapi().iter_response_errors(wrapped, RequestsOpenAPIResponse(response))
    found += _from_result(answer_errors, operation=operation, where="response")
    kept = [v for v in found if not _known(v)]
    substitutes = {known.instead for v in found if (known := _known(v)) is not None and known.instead}
    for schema in sorted(substitutes):
        kept += schema_violations(
            _body(response.content), schema=schema, operation=operation, where="response"
        )
    return kept


def _known(violation: Violation) -> KnownSpecError | None:
    return next((known for known in KNOWN_SPEC_ERRORS if known.covers(violation)), None)


def contract_violations(calls: Iterable[Any]) -> list[Violation]:
    """Every violation in a sequence of ``responses`` calls (objects with .request and .response)."""
    return [v for call in calls for v in exchange_violations(call.request, call.response)]
