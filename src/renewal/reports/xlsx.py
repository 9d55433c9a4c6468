"""Writing tables to xlsx with formulas neutralised: text is always written as a string cell
(``write_string``), never parsed, so a value such as ``=HYPERLINK(...)`` from a registry field
stays inert text; numbers are written as numbers."""

from __future__ import annotations

from decimal import Decimal

import xlsxwriter


def write(target, sheets: list[tuple[str, list[str], list[list]]]) -> None:
    """``target``: a path or a binary file object; ``sheets``: (name, headers, rows)."""
    book = xlsxwriter.Workbook(
        target, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    for name, headers, rows in sheets:
        ws = book.add_worksheet(name[:31])
        for c, h in enumerate(headers):
            ws.write_string(0, c, str(h), head)
            ws.set_column(c, c, max(10, min(40, len(str(h)) * 2 + 2)))
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row):
                if v is None:
                    ws.write_blank(r, c, None, cell)
                elif isinstance(v, bool):
                    ws.write_string(r, c, "是" if v else "否", cell)
                elif isinstance(v, int | float | Decimal):
                    ws.write_number(r, c, float(v), cell)
                else:
                    ws.write_string(r, c, str(v), cell)
        ws.freeze_panes(1, 0)
    book.close()
