"""A copy of an uploaded workbook with every bad cell highlighted and an error column (错误说明).

The copy holds the values (not the original formatting) of every sheet; the user corrects it and
uploads it again (the importer ignores the 错误说明 column).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path
from typing import IO

import python_calamine as pc
import xlsxwriter

from . import sheets as S
from .reader import Issue, _read_csv_text


def write_annotated(target: str | IO[bytes], *, path: str | Path, filename: str, issues: list[Issue]) -> None:
    by_sheet: dict[str, dict[int, list[Issue]]] = defaultdict(lambda: defaultdict(list))
    for issue in issues:
        by_sheet[issue.sheet][issue.row or 1].append(issue)
    wb = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    bad = wb.add_format(
        {"bg_color": "#FDE2E1", "font_color": "#9B1C1C", "border": 1, "border_color": "#C8161D"}
    )
    bad_date = wb.add_format(
        {
            "bg_color": "#FDE2E1",
            "font_color": "#9B1C1C",
            "num_format": "yyyy-mm-dd",
            "border": 1,
            "border_color": "#C8161D",
        }
    )
    warn = wb.add_format({"bg_color": "#FEF3C7"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    message_format = wb.add_format({"font_color": "#9B1C1C", "text_wrap": False})
    header = wb.add_format({"bold": True, "bg_color": "#EEF3FB", "border": 1})
    for name, rows, col0 in _sheets(Path(path), filename):
        ws = wb.add_worksheet(name[:31])
        ws.freeze_panes(1, 0)
        marks = by_sheet.get(name, {})
        error_col = None
        for r, cells in enumerate(rows):
            number = r + 1
            found = marks.get(number, [])
            bad_cols = {i.col_index for i in found if i.level == "error" and i.col_index is not None}
            warn_cols = {i.col_index for i in found if i.level == "warning" and i.col_index is not None}
            for c, value in enumerate(cells):
                fmt = bad if c in bad_cols else warn if c in warn_cols else header if number == 1 else None
                _write(ws, r, col0 + c, value, fmt, bad_date if c in bad_cols else date)
            for c in bad_cols - set(range(len(cells))):
                ws.write_blank(r, col0 + c, None, bad)
            if error_col is None:
                error_col = col0 + len(cells)
                ws.write_string(r, error_col, S.ERROR_COLUMN, header)
                ws.set_column(error_col, error_col, 60)
            text = "；".join(f"{i.column or '整行'}：{i.message}" for i in found if i.level == "error")
            if text:
                ws.write_string(r, error_col, text, message_format)
    wb.close()


def _write(ws, r, c, value, fmt, date_fmt) -> None:
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, date_fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _sheets(path: Path, filename: str):
    if Path(filename).suffix.lower() == ".csv":
        text = _read_csv_text(path)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        from .reader import _guess_kind

        spec = _guess_kind(rows[0] if rows else [], Path(filename).stem)
        yield (spec.name if spec else "数据"), iter(rows), 0
        return
    workbook = pc.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        yield name, sheet.iter_rows(), (start[1] if start else 0)
