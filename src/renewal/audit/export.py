"""Audit-log export as xlsx. Every text cell is neutralised: a value starting with = + - @ (or a
tab / carriage return) gets a leading apostrophe, so a spreadsheet never runs it as a formula
(CSV/formula injection). Use ``neutralise`` for any export built from user-typed text."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from renewal.exchange.export import FORMULA_STARTS as DANGEROUS  # one rule for every export


def neutralise(value):
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


HEADERS = ["时间", "操作人", "类型", "对象类型", "记录编号", "记录", "变更理由", "变更内容"]


def audit_xlsx(entries) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("审计日志")
    bold = book.add_format({"bold": True, "bg_color": "#EEF3FB"})
    for c, h in enumerate(HEADERS):
        sheet.write_string(0, c, h, bold)
    widths = [20, 16, 6, 12, 10, 40, 30, 80]
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    r = 0
    for r, e in enumerate(entries, start=1):
        changes = "；".join(f"{c.field}：{c.old} → {c.new}" for c in e.changes)
        row = [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.user,
            e.kind,
            e.model,
            e.record_id,
            e.record,
            e.reason,
            changes,
        ]
        for c, value in enumerate(row):
            sheet.write_string(r, c, neutralise(value))
    sheet.autofilter(0, 0, max(r, 1), len(HEADERS) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()
