"""Tables staff take away: the same rows as CSV (UTF-8 with a BOM, so Excel reads Chinese) or as XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
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
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = name[:31]
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(value) for value in row])
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        body, mimetype = out.getvalue(), XLSX
    else:
        abort(400)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
