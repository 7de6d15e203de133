"""CSV and Excel export with Chinese headers (what users open in Excel/WPS)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from urllib.parse import quote

from fastapi.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(v: object) -> object:
    if isinstance(v, list):
        return "、".join(str(x.get("name", x)) if isinstance(x, dict) else str(x) for x in v)
    if isinstance(v, dict):
        return "；".join(f"{k}:{x}" for k, x in v.items())
    return v


def table(rows: Iterable[dict], columns: dict[str, str]) -> list[list[object]]:
    return [list(columns.values())] + [[_cell(r.get(k)) for k in columns] for r in rows]


def to_csv(rows: Iterable[dict], columns: dict[str, str], filename: str) -> Response:
    buf = io.StringIO()
    csv.writer(buf).writerows(table(rows, columns))
    # a BOM so that Excel opens UTF-8 as UTF-8
    return Response(
        ("\ufeff" + buf.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}.csv"},
    )


def to_xlsx(rows: Iterable[dict], columns: dict[str, str], filename: str, sheet: str = "Sheet1") -> Response:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for r in table(rows, columns):
        ws.append(r)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, col in enumerate(ws.columns, 1):
        width = max((len(str(c.value or "")) for c in col), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width * 1.6))
        if width > 40:
            for c in col[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        del i
    buf = io.BytesIO()
    wb.save(buf)
    return Response(
        buf.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"},
    )


def export(fmt: str, rows: list[dict], columns: dict[str, str], filename: str) -> Response:
    return to_xlsx(rows, columns, filename, filename) if fmt == "xlsx" else to_csv(rows, columns, filename)
