"""Search parameters from a query string: unknown values are reported, never passed on to a backend."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from marketplace.forms_common import whole_number
from search.backend import PRICE_BANDS, SORTS, SearchFilters, SearchQuery

MAX_QUERY = 100
MAX_PAGE = 500
PER_PAGE = 20


@dataclass
class ParsedSearch:
    query: SearchQuery
    errors: dict[str, str] = field(default_factory=dict)


def _known_values() -> dict[str, set[str] | None]:
    taxonomy = load_taxonomy()
    return {
        "scenario_group": set(taxonomy.groups),
        "scenario": set(taxonomy.scenarios),
        "industry": set(taxonomy.industries),
        "price_band": {code for code, _, _ in PRICE_BANDS},
        "deployment": set(DEPLOYMENTS),
        "provider": None,  # provider ids: any short token
    }


def parse_search(args: MultiDict[str, str], *, with_facets: bool = True) -> ParsedSearch:
    """A SearchQuery from request arguments, with bilingual messages for what was dropped."""
    errors: dict[str, str] = {}
    q = " ".join((args.get("q") or "").split())
    if len(q) > MAX_QUERY:
        errors["q"] = f"搜索词过长，已截断为 {MAX_QUERY} 个字符 / the query was cut to {MAX_QUERY} characters"
        q = q[:MAX_QUERY]
    filters: dict[str, tuple[str, ...]] = {}
    for name, known in _known_values().items():
        values = tuple(dict.fromkeys(v for v in args.getlist(name) if v))
        bad = [v for v in values if (known is not None and v not in known) or len(v) > 40]
        if bad:
            errors[name] = f"无效的筛选值 / unknown filter values: {', '.join(bad[:3])}"
        filters[name] = tuple(v for v in values if v not in bad)
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = "无效的排序方式 / unknown sort order"
        sort = "relevance"
    page = whole_number(args.get("page") or "1", high=MAX_PAGE)
    if page is None:
        page = 1
        errors["page"] = f"页码应在 1 至 {MAX_PAGE} 之间 / page must be 1 to {MAX_PAGE}"
    query = SearchQuery(
        q=q,
        filters=SearchFilters(**filters),
        sort=sort,
        page=page,
        per_page=PER_PAGE,
        with_facets=with_facets,
    )
    return ParsedSearch(query=query, errors=errors)
