"""Opening an uploaded file: .xlsx/.xlsm/.xls/.ods with python-calamine, .csv in UTF-8 or GBK.

Yields the recognised sheets, in dependency order (企业 before 项目 before 月度进度 …), each
with its header mapping and a lazy row iterator (rows are not materialised). Problems of the
file as a whole (empty, corrupt, password-protected, no recognised sheet) raise ``FileProblem``;
problems of a sheet (wrong or missing headers, merged cells, formulas without a cached value)
are the sheet's issues.

Nothing is parsed here: a child process (``safe_read``) inspects the file under the bounds of
the ``RENEWAL_UPLOAD_*`` settings (uncompressed size, sheets, cells, columns per kind) with a
memory limit, parses it with python-calamine and streams the rows back; its refusals become
``FileProblem`` with a Chinese message (``refusal``). An .xlsx sheet is parsed in the child while
the importer works on the sheets before it; ``SheetData.load()`` waits for its sheet. Heights are
known beforehand (an .xlsx sheet's ``<dimension>``; .xls/.ods/.csv sheets are parsed first).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renewal.lib import units, uploads
from renewal.lib.text import visible

from . import sheets as S
from .safe_read import ChildFailed, Reading, Refused

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = EXCEL_SUFFIXES | {".csv"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(Exception):
    """The file cannot be read at all (Chinese message)."""


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None  # Excel row number (header = 1); None: the sheet as a whole
    column: str  # header text, or "" for the row/sheet as a whole
    message: str
    level: str = "error"  # error | warning
    col_index: int | None = None  # 0-based column in the sheet, for the annotated copy

    def __post_init__(self) -> None:
        # a sheet name or header quoted from the file may hold a NUL: never store it
        for name in ("sheet", "column", "message"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, visible(value))

    def line(self) -> str:
        """`sheet, row, column: message` — the CLI contract (DESIGN.md)."""
        row = f"第{self.row}行" if self.row else "-"
        return f"{self.sheet}, {row}, {self.column or '-'}: {self.message}"


@dataclass
class SheetData:
    name: str  # the sheet name in the file
    spec: S.Sheet
    columns: list[S.Column | None] = field(default_factory=list)  # position → column (None: ignored)
    rows: Iterator[tuple[int, list[Any]]] = iter(())  # (Excel row number, cells), blank rows skipped
    height: int = 0  # rows including the header (an upper bound of data rows + 1)
    issues: list[Issue] = field(default_factory=list)  # the sheet's problems (headers, merges, formulas)
    empty: bool = False  # no header at all
    loader: Callable[[], SheetData | None] | None = None  # reads the sheet on ``load()``

    def load(self) -> SheetData:
        """Read the sheet if not done yet (waits for its background parse); raises FileProblem."""
        if self.loader is not None:
            loader, self.loader = self.loader, None
            data = loader()
            if data is None:
                self.empty, self.issues = True, [Issue(self.name, None, "", "工作表为空（没有表头）")]
            else:
                self.columns, self.rows, self.height, self.issues = (
                    data.columns,
                    data.rows,
                    data.height,
                    data.issues,
                )
        return self


@dataclass
class Book:
    sheets: list[SheetData]  # recognised sheets, in dependency order
    issues: list[Issue]  # problems of the file as a whole (unknown sheets)
    stream: _Stream | None = None  # the reading process the sheets come from

    def close(self) -> None:
        """End the reading process (also done when the book is dropped)."""
        if self.stream is not None:
            self.stream.close()

    @property
    def total_rows(self) -> int:
        """Data rows (an upper bound): exact for loaded sheets, from ``<dimension>`` for the others."""
        return sum(max(d.height - 1, 0) for d in self.sheets)


def read(path: str | Path, filename: str | None = None) -> Book:
    path = Path(path)
    name = filename or path.name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileProblem(f"不支持的文件类型“{suffix or name}”（请上传 .xlsx、.xls 或 .csv 文件）")
    if not path.exists() or path.stat().st_size == 0:
        raise FileProblem("文件为空（0 字节）")
    if suffix == ".csv":
        return _read_csv(path, name)
    return _read_excel(path, suffix)


# -- reading in the bounded child process (safe_read) -------------------------------------------


def limits() -> dict:
    """The bounds of one file's reading (settings ``RENEWAL_UPLOAD_*``, decision 0023)."""
    from django.conf import settings

    return {
        "unpacked_bytes": settings.RENEWAL_UPLOAD_MAX_UNPACKED_BYTES,
        "cells": settings.RENEWAL_UPLOAD_MAX_CELLS,
        "sheets": settings.RENEWAL_UPLOAD_MAX_SHEETS,
        "memory_bytes": settings.RENEWAL_UPLOAD_READ_MEMORY_BYTES,
        "cpu_seconds": settings.RENEWAL_UPLOAD_READ_SECONDS,
    }


def column_bound(spec: S.Sheet) -> int:
    """The most columns a sheet of this kind may use: its headers and some slack (notes, a table
    that starts in column B, the 错误说明 column of the annotated copy)."""
    from django.conf import settings

    return len(spec.columns) + settings.RENEWAL_UPLOAD_COLUMN_SLACK


def _mb(size: int) -> str:
    mb = size / 1048576
    return f"{units.number(mb, 0 if mb == int(mb) else 1)} MB"


def _cols(n: int) -> str:
    return f"{units.number(n, 0)} 列（到第 {_col_letter(n - 1)} 列）"


def refusal(exc: Refused) -> str:
    """The Chinese message of a refusal of the reading process."""
    f = exc.figures
    limit = f.get("limit")
    match exc.code:
        case "unpacked_declared":
            return f"文件解压后为 {_mb(f['size'])}，超过 {_mb(limit)} 上限，已拒收"
        case "unpacked_actual":
            return f"文件解压后超过 {_mb(limit)} 上限，已拒收"
        case "member_mismatch":
            return (
                f"文件内部的“{f['member']}”解压后与其声明的大小（{units.number(f['declared'], 0)} 字节）或校验值不符，"
                "文件已损坏或被篡改，已拒收"
            )
        case "member_too_big":
            return f"文件内部的“{f['member']}”超过 {_mb(limit)}，不是正常的 Excel 文件，已拒收"
        case "members":
            return f"文件内部有 {units.number(f['count'], 0)} 个部件，超过 {units.number(limit, 0)} 个上限，已拒收"
        case "doctype":
            return f"文件内部的“{f['member']}”含有 XML 实体声明（<!DOCTYPE>），正常的 Excel 文件没有，已拒收"
        case "strings":
            return f"文件的文字单元格超过 {units.number(limit, 0)} 个上限，已拒收"
        case "sheets":
            return (
                f"文件有 {units.number(f['count'], 0)} 个工作表，超过 {units.number(limit, 0)} 个上限，已拒收"
            )
        case "columns":
            return (
                f"工作表“{f['sheet']}”用到 {_cols(f['cols'])}，超过该表的上限 {units.number(limit, 0)} 列，"
                "已拒收；请删除多余的列后再上传"
            )
        case "cells":
            where = f"（使用范围 {f['ref']}）" if f.get("ref") else ""
            return (
                f"工作表“{f['sheet']}”{where}有 {units.number(f['rows'], 0)} 行 × {units.number(f['cols'], 0)} 列，"
                f"超过 {units.number(limit, 0)} 个单元格上限，已拒收；请删除多余的行和列后再上传"
            )
        case "password":
            return "文件有密码保护，请取消密码后再上传"
        case "corrupt":
            return f"文件已损坏或不是有效的 Excel 文件（{f['kind']}）"
        case "sheet_broken":
            return f"工作表“{f['sheet']}”无法读取（{f['kind']}）"
        case "csv_encoding":
            return "CSV 文件编码无法识别（请保存为 UTF-8 或 GBK 编码）"
        case "csv_binary":
            return "文件已损坏或不是文本格式的 CSV 文件"
        case "csv_broken":
            return f"CSV 文件格式有误，无法读取（{f['detail']}）"
        case "memory":
            return memory_refusal()
    return f"文件无法读取（{exc.code}）"


def memory_refusal() -> str:
    from django.conf import settings

    return f"读取文件所需内存超过 {_mb(settings.RENEWAL_UPLOAD_READ_MEMORY_BYTES)} 上限，已停止读取，未写入任何数据"


class _Stream:
    """The frames of one ``safe_read.Reading``, with its refusals turned into ``FileProblem``."""

    def __init__(self, path: Path, suffix: str):
        self.reading = Reading(path, suffix, limits())
        self.pending: Iterator | None = None

    def frame(self) -> tuple:
        try:
            return self.reading.frame()
        except Refused as exc:
            raise FileProblem(refusal(exc)) from exc
        except ChildFailed as exc:
            if exc.reason == "memory":
                raise FileProblem(memory_refusal()) from exc
            if exc.reason == "time":
                raise FileProblem("读取文件超时，已停止读取，未写入任何数据") from exc
            raise FileProblem(f"文件无法读取（读取进程意外结束，代码 {exc.code}）") from exc

    def expect(self, kind: str) -> tuple:
        frame = self.frame()
        if frame[0] != kind:
            self.close()
            raise FileProblem(f"文件无法读取（读取进程答非所问：{frame[0]}）")
        return frame

    def send(self, message) -> None:
        self.reading.send(message)

    def sheet(self, name: str) -> tuple:
        """The next sheet's frame (the rows of the sheet before, if left unread, are skipped)."""
        if self.pending is not None:
            for _ in self.pending:
                pass
        frame = self.expect("sheet")
        if frame[1] != name:
            self.close()
            raise FileProblem(f"文件无法读取（读取进程给出工作表“{frame[1]}”而非“{name}”）")
        self.pending = self._rows()
        return frame

    def _rows(self) -> Iterator[list]:
        while True:
            frame = self.frame()
            if frame[0] == "end":
                return
            yield from frame[1]

    def rows(self) -> Iterator[list]:
        return self.pending

    def close(self) -> None:
        self.reading.close()


# -- Excel -------------------------------------------------------------------------------------


def _read_excel(path: Path, suffix: str) -> Book:
    with path.open("rb") as f:
        head = f.read(1 << 16)
    if head[:8] == OLE_MAGIC and "EncryptionInfo".encode("utf-16-le") in head:
        # An OLE container with an EncryptionInfo stream is an encrypted (password-protected) workbook.
        raise FileProblem("文件有密码保护，请取消密码后再上传")
    if uploads.looks_like_html(head):
        raise FileProblem(HTML)
    stream = _Stream(path, suffix)
    try:
        names = stream.expect("names")[1]
        issues: list[Issue] = []
        recognised: list[tuple[str, S.Sheet]] = []
        for sheet_name in names:
            spec = S.sheet_for(sheet_name)
            if spec is None:
                if sheet_name.strip() not in S.AUXILIARY_SHEETS:
                    issues.append(
                        Issue(
                            sheet_name,
                            None,
                            "",
                            "未识别的工作表，已跳过（可导入：" + "、".join(S.BY_NAME) + "）",
                            "warning",
                        )
                    )
                continue
            recognised.append((sheet_name, spec))
        if not recognised:
            raise FileProblem("文件中没有可导入的工作表（工作表名称应为：" + "、".join(S.BY_NAME) + "）")
        order = {s.kind: i for i, s in enumerate(S.SHEETS)}
        recognised.sort(key=lambda item: order[item[1].kind])
        stream.send([(name, column_bound(spec)) for name, spec in recognised])
        _, heights, formulas = stream.expect("sized")
    except FileProblem:
        stream.close()
        raise

    def loader(name: str, spec: S.Sheet) -> Callable[[], SheetData | None]:
        def load() -> SheetData | None:
            _, _, start, height, merged = stream.sheet(name)
            return _excel_sheet(name, spec, start, height, merged, stream.rows(), formulas.get(name, []))

        return load

    sheets = [
        SheetData(name, spec, height=heights.get(name, 0), loader=loader(name, spec))
        for name, spec in recognised
    ]
    return Book(sheets, issues, stream)


HTML = "文件" + uploads.HTML


def _excel_sheet(
    name: str, spec: S.Sheet, start, height: int, merged, rows: Iterator[list], formulas: list[str]
) -> SheetData | None:
    if start is None:
        return None
    col0 = start[1]
    # rows from row 1 (Excel numbering), columns from the first used one
    header: list[Any] | None = None
    header_row = 0
    for i, cells in enumerate(rows):
        if any(not _blank(c) for c in cells):
            header, header_row = cells, i + 1
            break
    if header is None:
        return None
    columns, issues = _map_header(name, spec, header, col0)
    if header_row != 1:
        issues.append(Issue(name, header_row, "", f"表头应在第 1 行，实在第 {header_row} 行"))
    for (r0, c0), (r1, c1) in merged or []:
        where = f"{_col_letter(c0)}{r0 + 1}:{_col_letter(c1)}{r1 + 1}"
        if r0 + 1 <= header_row:  # the header (or above it): one header per column
            message = f"合并单元格 {where}：表头不能有合并单元格，请取消合并，每列填写一个表头"
        else:
            message = f"合并单元格 {where}：数据区不能有合并单元格，请取消合并并逐行填写"
        issues.append(Issue(name, r0 + 1, _header_at(columns, c0 - col0), message, col_index=c0 - col0))
    for ref in formulas:
        match = re.match(r"([A-Z]+)(\d+)", ref)
        col = _col_index(match[1]) - col0
        issues.append(
            Issue(
                name,
                int(match[2]),
                _header_at(columns, col),
                f"单元格 {ref} 是公式但没有计算结果，请在 Excel 中打开并保存（或粘贴为数值）后再上传",
                col_index=col,
            )
        )
    data_rows = ((n, cells) for n, cells in enumerate(rows, start=header_row + 1) if not _blank_row(cells))
    return SheetData(name, spec, columns, data_rows, height, issues)


# -- CSV ---------------------------------------------------------------------------------------


def _read_csv_text(path: Path) -> str:
    """The whole text of a CSV (the annotated copy: files that passed the reading bounds)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB 18030 is a superset of GBK
        try:
            text = codecs.decode(data, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem("CSV 文件编码无法识别（请保存为 UTF-8 或 GBK 编码）")
    if "\x00" in text:
        raise FileProblem("文件已损坏或不是文本格式的 CSV 文件")
    return text


def _read_csv(path: Path, filename: str) -> Book:
    with path.open("rb") as f:
        if uploads.looks_like_html(f.read(4096)):
            raise FileProblem(HTML)
    stream = _Stream(path, ".csv")
    try:
        stream.expect("names")
        _, header, line_count = stream.expect("csv")
        if not header or not any(c.strip() for c in header):
            raise FileProblem("文件为空（没有表头）")
        spec = _guess_kind(header, Path(filename).stem)
        if spec is None:
            raise FileProblem(
                "无法识别 CSV 的数据种类：表头应与模板之一一致（"
                + "、".join(S.BY_NAME)
                + "），或以种类命名文件（如 项目.csv）"
            )
        name = spec.name
        stream.send([(name, column_bound(spec))])
        stream.expect("sized")
        stream.sheet(name)
    except FileProblem:
        stream.close()
        raise
    columns, issues = _map_header(name, spec, header, 0)
    rows = ((n, cells) for n, cells in enumerate(stream.rows(), start=2) if not _blank_row(cells))
    return Book([SheetData(name, spec, columns, rows, line_count, issues)], [], stream)


def _guess_kind(header: list[str], stem: str) -> S.Sheet | None:
    by_stem = S.sheet_for(stem)
    if by_stem is not None:
        return by_stem
    keys = {S.header_key(h) for h in header}
    best = max(S.SHEETS, key=lambda s: len(keys & set(s.fields_by_header)) / len(s.columns))
    overlap = keys & set(best.fields_by_header)
    return best if len(overlap) >= max(2, len(best.columns) // 2) else None


# -- headers -----------------------------------------------------------------------------------


def _map_header(name: str, spec: S.Sheet, header: list[Any], col0: int) -> tuple[list, list[Issue]]:
    columns: list[S.Column | None] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = S.header_key(raw)
        column = spec.fields_by_header.get(key)
        if not key or key == S.ERROR_COLUMN:
            columns.append(None)
            continue
        if column is None:
            issues.append(
                Issue(
                    name,
                    1,
                    str(raw).strip(),
                    f"未知的列“{str(raw).strip()}”（第 {_col_letter(i + col0)} 列）；表头应为：{'、'.join(spec.headers)}",
                    col_index=i,
                )
            )
            columns.append(None)
            continue
        if column.field in seen:
            issues.append(Issue(name, 1, column.header, "列重复出现", col_index=i))
            columns.append(None)
            continue
        seen[column.field] = i
        columns.append(column)
    missing = [c.header for c in spec.columns if c.field not in seen and not c.may_be_absent]
    if missing:
        issues.append(Issue(name, 1, "", f"缺少列：{'、'.join(missing)}"))
    return columns, issues


def _header_at(columns: list, index: int) -> str:
    if 0 <= index < len(columns) and columns[index] is not None:
        return columns[index].header
    return ""


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _blank_row(cells: list[Any]) -> bool:
    for c in cells:  # a plain loop: called once per row, usually answered by the first cell
        if c is not None and c != "" and not (c.__class__ is str and not c.strip()):
            return False
    return True


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _col_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1
