"""Disjunctive facet counts over in-memory facet columns (numpy), one array per facet indexed by rowid.

Counting in SQL costs a table lookup per matching listing (tens of milliseconds for 50,000 matches); here the
match set arrives as one array of rowids and every facet is counted with vectorised bit tests. A facet's counts
ignore that facet's own filter but respect every other one, so ticking "bearings" does not hide "chemicals".
Industry counts include the general products, as the industry filter keeps them: each count is what the user gets
by picking that value.

The arrays are loaded from the docs table once per index version (see ``EmbeddedSearch``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from search.backend import FACETS, PRICE_BANDS, SearchFilters
from search.sqlite_store import FacetCodes, Tables

PROVIDER_FACET_LIMIT = 100  # like Meilisearch's maxValuesPerFacet
BANDS = [code for code, _, _ in PRICE_BANDS]
MASKED = {"scenario": "scenario", "scenario_group": "group", "industry": "industry"}
Counts = dict[str, dict[str, int]]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FacetArrays:
    """Facet columns of every indexed listing, by rowid (rows of missing rowids are never selected)."""

    present: BoolArray  # True at the rowid of every indexed listing
    scenario: IntArray  # bit masks (bits from FacetCodes)
    group: IntArray
    industry: IntArray  # 0 = general
    band: IntArray  # index into BANDS
    deployment: IntArray  # index into deployments
    provider: IntArray  # index into providers
    deployments: list[str]
    providers: list[str]


def load_facet_arrays(conn: sqlite3.Connection, tables: Tables) -> FacetArrays:
    """Read the facet columns of one generation in a single query."""
    sep = "\x1f"
    row = conn.execute(
        "SELECT group_concat(rowid), group_concat(scen), group_concat(grp), group_concat(ind),"
        f" group_concat(band, char(31)), group_concat(deployment, char(31)), group_concat(provider, char(31))"
        f" FROM {tables.docs}"
    ).fetchone()
    if row[0] is None:
        empty = np.zeros(0, dtype=np.int64)
        return FacetArrays(np.zeros(0, dtype=bool), empty, empty, empty, empty, empty, empty, [], [])
    rowids, scen, grp, ind = (np.array(str(value).split(","), dtype=np.int64) for value in row[:4])
    size = int(rowids.max()) + 1

    def spread(values: IntArray) -> IntArray:
        column = np.zeros(size, dtype=np.int64)
        column[rowids] = values
        return column

    band_index = {code: i for i, code in enumerate(BANDS)}
    bands = np.array([band_index.get(b, len(BANDS) - 1) for b in row[4].split(sep)], dtype=np.int64)
    deployments, deployment_codes = np.unique(np.array(row[5].split(sep)), return_inverse=True)
    providers, provider_codes = np.unique(np.array(row[6].split(sep)), return_inverse=True)
    present = np.zeros(size, dtype=bool)
    present[rowids] = True
    return FacetArrays(
        present=present, scenario=spread(scen), group=spread(grp), industry=spread(ind), band=spread(bands),
        deployment=spread(deployment_codes.astype(np.int64)), provider=spread(provider_codes.astype(np.int64)),
        deployments=[str(d) for d in deployments], providers=[str(p) for p in providers],
    )  # fmt: skip


def _passes(
    arrays: FacetArrays, codes: FacetCodes, rows: IntArray, facet: str, values: tuple[str, ...]
) -> BoolArray:
    """Which of the rows pass one facet's filter."""
    if facet in MASKED:
        masks = getattr(arrays, MASKED[facet])[rows]
        hit = (masks & codes.mask(facet, values)) != 0
        return hit | (masks == 0) if facet == "industry" else hit  # a general product serves every industry
    if facet == "price_band":
        return np.isin(arrays.band[rows], [BANDS.index(v) for v in values if v in BANDS])
    names = arrays.deployments if facet == "deployment" else arrays.providers
    wanted = [i for i, name in enumerate(names) if name in set(values)]
    return np.isin(getattr(arrays, facet)[rows], wanted)


def _filter_masks(
    arrays: FacetArrays, codes: FacetCodes, rows: IntArray, filters: SearchFilters
) -> dict[str, BoolArray]:
    return {f: _passes(arrays, codes, rows, f, getattr(filters, f)) for f in FACETS if getattr(filters, f)}


def filtered_rows(arrays: FacetArrays, codes: FacetCodes, rows: IntArray, filters: SearchFilters) -> IntArray:
    """The rows that pass every filter."""
    keep = np.ones(len(rows), dtype=bool)
    for mask in _filter_masks(arrays, codes, rows, filters).values():
        keep &= mask
    return rows[keep]


def facet_counts(arrays: FacetArrays, codes: FacetCodes, rows: IntArray, filters: SearchFilters) -> Counts:
    """Facet -> value -> count over the rows, each facet under every filter but its own (zero counts left out)."""
    masks = _filter_masks(arrays, codes, rows, filters)
    counts: Counts = {}
    for facet in FACETS:
        keep = np.ones(len(rows), dtype=bool)
        for other, mask in masks.items():
            if other != facet:
                keep &= mask
        counts[facet] = _count(arrays, codes, rows[keep], facet)
    return counts


def _count(arrays: FacetArrays, codes: FacetCodes, rows: IntArray, facet: str) -> dict[str, int]:
    if facet in MASKED:
        masks = getattr(arrays, MASKED[facet])[rows]
        general = int(np.count_nonzero(masks == 0)) if facet == "industry" else 0
        found = {
            value: int(np.count_nonzero(masks & (1 << bit))) + general for value, bit in codes.values(facet)
        }
        return {value: n for value, n in found.items() if n}
    if facet == "price_band":
        per_band = np.bincount(arrays.band[rows], minlength=len(BANDS))
        return {code: int(n) for code, n in zip(BANDS, per_band, strict=False) if n}
    names = arrays.deployments if facet == "deployment" else arrays.providers
    per_value = np.bincount(getattr(arrays, facet)[rows], minlength=len(names))
    order = np.argsort(-per_value, kind="stable")
    if facet == "provider":
        order = order[:PROVIDER_FACET_LIMIT]
    return {names[i]: int(per_value[i]) for i in order if per_value[i] and names[i]}


FacetRow = tuple[
    int, int, int, int, str, str, str
]  # rowid, scenario, group and industry masks, band, deployment, provider


def facet_rows(conn: sqlite3.Connection, tables: Tables, ids: list[str]) -> list[FacetRow]:
    """The facet columns of some listings, to patch cached arrays after a write."""
    rows: list[FacetRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = (
            f"SELECT rowid, scen, grp, ind, band, deployment, provider FROM {tables.docs}"
            f" WHERE id IN ({', '.join('?' * len(chunk))})"
        )
        rows.extend(conn.execute(sql, chunk).fetchall())
    return rows


def patch_arrays(arrays: FacetArrays, rows: list[FacetRow], removed: list[int]) -> FacetArrays:
    """New arrays with some listings written or removed (the old arrays stay as they were, for readers)."""
    size = max([len(arrays.scenario), *(row[0] + 1 for row in rows)])
    names = ("scenario", "group", "industry", "band", "deployment", "provider")
    columns = {name: _grown(getattr(arrays, name), size) for name in names}
    present = np.zeros(size, dtype=bool)
    present[: len(arrays.present)] = arrays.present
    deployments, providers = list(arrays.deployments), list(arrays.providers)
    band_index = {code: i for i, code in enumerate(BANDS)}
    for rowid, scen, grp, ind, band, deployment, provider in rows:
        columns["scenario"][rowid], columns["group"][rowid], columns["industry"][rowid] = scen, grp, ind
        columns["band"][rowid] = band_index.get(band, len(BANDS) - 1)
        columns["deployment"][rowid] = _code(deployments, deployment)
        columns["provider"][rowid] = _code(providers, provider)
        present[rowid] = True
    present[removed] = False
    return FacetArrays(present=present, deployments=deployments, providers=providers, **columns)


def _grown(column: IntArray, size: int) -> IntArray:
    grown = np.zeros(size, dtype=np.int64)
    grown[: len(column)] = column
    return grown


def _code(names: list[str], value: str) -> int:
    """The index of a value in a value list, appended when new (the lists are small: deployments, providers)."""
    try:
        return names.index(value)
    except ValueError:
        names.append(value)
        return len(names) - 1
