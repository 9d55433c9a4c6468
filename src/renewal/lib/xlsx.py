"""Generic xlsx export: rows + column specs → a workbook people can read and re-import.

Any app can call ``write_xlsx(target, [ExportSheet(name, columns, rows)])``; a ready table of
headers and row lists (a report's) goes through ``table_sheet``. Chinese headers
carry their units; numbers are written as numbers (a ``units.Shown`` figure as its rounded number
with its decimals), dates as dates; the header row is frozen;
columns get sensible widths; text that Excel would take for a formula (= + - @, tab, CR) is
written as text with Excel's quote prefix (CSV/formula injection), so its value is unchanged and
an export re-imports as a no-op. Rows are streamed (xlsxwriter ``constant_memory``): memory stays
flat on big lists.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from renewal.lib.units import Shown

TEXT = "text"
INT = "int"
NUMBER = "number"
WAN = "wan"  # a yuan amount written in 万元
YI = "yi"  # a yuan amount written in 亿元
PERCENT = "percent"  # a ratio (0.55) shown as 55.0%
DATE = "date"
DATETIME = "datetime"  # a moment, written in local time to the minute
MONTH = "month"  # a date written as YYYY-MM text
BOOL = "bool"  # 是 / 否
AUTO = "auto"  # by the value's type: numbers as numbers, bool as 是/否, anything else as text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    header: str  # with the unit, e.g. 总投资(万元)
    value: str | Callable[[Any], Any]  # attribute / key name, or a function of the row
    kind: str = TEXT
    width: int | None = None

    def get(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        if isinstance(row, dict):
            return row.get(self.value)
        return getattr(row, self.value)


@dataclass
class ExportSheet:
    name: str
    columns: list[ExportColumn]
    rows: Iterable[Any]
    autofilter: bool = False  # filter buttons on the header row


def table_sheet(name: str, headers: list[str], rows: Iterable[list]) -> ExportSheet:
    """A sheet from headers and row lists whose cells are written by their type (``AUTO``), for
    tables built once for several outputs (a bulletin's Word tables and its xlsx annex)."""
    columns = [ExportColumn(h, operator.itemgetter(i), AUTO) for i, h in enumerate(headers)]
    return ExportSheet(name, columns, rows)


def neutralise(text: str) -> bool:
    """Would Excel (or LibreOffice) read this text as a formula when it is edited or pasted?"""
    return text.startswith(FORMULA_STARTS)


def write_xlsx(target: str | IO[bytes], sheets: list[ExportSheet]) -> int:
    """Write the sheets; returns the number of data rows written."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    header = workbook.add_format(
        {"bold": True, "bg_color": "#EEF3FB", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    formats = {
        INT: workbook.add_format({"num_format": "0"}),
        NUMBER: workbook.add_format({"num_format": "General"}),
        WAN: workbook.add_format({"num_format": "#,##0.00####"}),
        YI: workbook.add_format({"num_format": "#,##0.00####"}),
        PERCENT: workbook.add_format({"num_format": "0.0%"}),
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    for places in range(7):  # a Shown figure: thousands separated, its own decimals
        formats[("places", places)] = workbook.add_format(
            {"num_format": "#,##0" + ("." + "0" * places if places else "")}
        )
    quoted = workbook.add_format({"quote_prefix": True})
    written = 0
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name[:31])
        for c, column in enumerate(sheet.columns):
            ws.set_column(c, c, column.width or _width(column))
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        for c, column in enumerate(sheet.columns):
            ws.write_string(0, c, column.header, header)
        r = 0
        for r, row in enumerate(sheet.rows, start=1):
            for c, column in enumerate(sheet.columns):
                _write(ws, r, c, column.kind, column.get(row), formats, quoted)
        if sheet.autofilter:
            ws.autofilter(0, 0, max(r, 1), len(sheet.columns) - 1)
        written += r
    workbook.close()
    return written


def _write(ws, r: int, c: int, kind: str, value: Any, formats: dict, quoted) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Shown):
        ws.write_number(r, c, float(value.value), formats[("places", min(value.places, 6))])
        return
    if kind == AUTO:
        if isinstance(value, bool):
            kind = BOOL
        elif isinstance(value, int | float | Decimal):
            kind = NUMBER
    if kind in (INT, NUMBER, WAN, YI, PERCENT):
        if isinstance(value, bool):
            value = int(value)
        if kind == WAN:
            value = Decimal(value) / 10_000
        elif kind == YI:
            value = Decimal(value) / 100_000_000
        number = float(value)
        ws.write_number(r, c, int(number) if kind == INT else number, formats[kind])
    elif kind == DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats[DATE])
    elif kind == DATETIME:
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        ws.write_datetime(r, c, value, formats[DATETIME])
    elif kind == MONTH:
        ws.write_string(r, c, f"{value:%Y-%m}")
    elif kind == BOOL:
        ws.write_string(r, c, "是" if value else "否")
    else:
        text = str(value)
        if neutralise(text):
            ws.write_string(r, c, text, quoted)
        else:
            ws.write_string(r, c, text)


def _width(column: ExportColumn) -> int:
    base = sum(2 if ord(ch) > 127 else 1 for ch in column.header) + 2
    minimum = {DATE: 12, DATETIME: 17, MONTH: 10, TEXT: 14, WAN: 14, YI: 12}.get(column.kind, 10)
    return max(min(base, 40), minimum)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(sheets: list[ExportSheet], filename: str):
    """A page's table as an xlsx download (``filename`` may be Chinese: RFC 5987 encoded)."""
    import io
    from urllib.parse import quote

    from django.http import HttpResponse

    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
