"""Audit-log export as xlsx, written by the shared exporter (``lib.xlsx.write_xlsx``). Every
text cell is neutralised here: a value starting with = + - @ (or a tab / carriage return) gets a
leading apostrophe, so a spreadsheet never runs it as a formula (CSV/formula injection). Use
``neutralise`` for any export built from user-typed text."""

from __future__ import annotations

from operator import attrgetter

from renewal.lib.xlsx import DATETIME, ExportColumn, ExportSheet
from renewal.lib.xlsx import FORMULA_STARTS as DANGEROUS  # one rule for every export


def neutralise(value):
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _text(read):
    return lambda entry: neutralise(read(entry))


def _changes(entry) -> str:
    return "；".join(f"{c.field}：{c.old} → {c.new}" for c in entry.changes)


COLUMNS = [
    ExportColumn("时间", "at", DATETIME, width=20),
    ExportColumn("操作人", _text(attrgetter("user")), width=16),
    ExportColumn("类型", _text(attrgetter("kind")), width=6),
    ExportColumn("对象类型", _text(attrgetter("model")), width=12),
    ExportColumn("记录编号", _text(attrgetter("record_id")), width=10),
    ExportColumn("记录", _text(attrgetter("record")), width=40),
    ExportColumn("变更理由", _text(attrgetter("reason")), width=30),
    ExportColumn("变更内容", _text(_changes), width=80),
]


def audit_sheet(entries) -> ExportSheet:
    """The audit log (``selectors.audit_log``) as one sheet with filter buttons."""
    return ExportSheet("审计日志", COLUMNS, entries, autofilter=True)
