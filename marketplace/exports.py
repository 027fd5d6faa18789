"""Tables staff take away: the same rows as CSV (UTF-8 with a BOM, so Excel reads Chinese) or as XLSX (one or more sheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_response(name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> Response:
    """A download of the table in the asked format ('csv' or 'xlsx')."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([_safe(value) for value in row] for row in rows)
        body, mimetype = buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        return workbook_response(name, [Sheet(name, headers, rows)])
    else:
        abort(400)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (Excel keeps 31 characters), header row, rows, optional number format per column."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    formats: Sequence[str | None] = ()


def workbook_response(name: str, sheets: Sequence[Sheet]) -> Response:
    """An XLSX download with one worksheet per table, in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append([_safe(value) for value in row])
        for index, number_format in enumerate(spec.formats, start=1):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format or cell.number_format
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    response = Response(out.getvalue(), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
