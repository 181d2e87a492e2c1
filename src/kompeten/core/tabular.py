"""One way to write a table for download, as XLSX or CSV: the same columns and rows either way. Text that a
spreadsheet would run as a formula (starting with = + - @) is written as text; dates stay dates in XLSX and ISO
in CSV; the CSV starts with a byte-order mark so Excel reads its UTF-8 names right."""

import csv
import datetime as dt
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_bytes(columns, rows, title="Data"):
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe(v) for v in row])
    for col in ws.iter_cols(min_row=2):
        for cell in col:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(8, min(40, len(str(name)) + 6))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(columns, rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else _safe(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def download(columns, rows, fmt, filename, title="Data"):
    """A response with the table as `fmt` (xlsx or csv), named filename.<fmt>."""
    rows = list(rows)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        fmt = "xlsx"
        response = HttpResponse(xlsx_bytes(columns, rows, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
