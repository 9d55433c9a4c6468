"""Opening an uploaded file: .xlsx/.xlsm/.xls/.ods with python-calamine, .csv in UTF-8 or GBK.

Yields the recognised sheets, in dependency order (企业 before 项目 before 月度进度 …), each
with its header mapping and a lazy row iterator (rows are not materialised). Problems of the
file as a whole (empty, corrupt, password-protected, no recognised sheet) raise ``FileProblem``;
problems of a sheet (wrong or missing headers, merged cells, formulas without a cached value)
are the sheet's issues.

An .xlsx sheet is parsed in a background thread while the importer works on the sheets before
it (python-calamine releases the GIL while it parses; one workbook parses one sheet at a time),
and the scan for formulas without a cached value runs beside it: ``SheetData.load()`` waits for
its sheet. Its height is known beforehand from the sheet's ``<dimension>``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc

from . import sheets as S

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


# -- Excel -------------------------------------------------------------------------------------


def _read_excel(path: Path, suffix: str) -> Book:
    with path.open("rb") as f:
        head = f.read(1 << 16)
    if head[:8] == OLE_MAGIC and "EncryptionInfo".encode("utf-16-le") in head:
        # An OLE container with an EncryptionInfo stream is an encrypted (password-protected) workbook.
        raise FileProblem("文件有密码保护，请取消密码后再上传")
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise FileProblem("文件有密码保护，请取消密码后再上传") from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise FileProblem(f"文件已损坏或不是有效的 Excel 文件（{type(exc).__name__}）") from exc
    issues: list[Issue] = []
    recognised: list[tuple[str, S.Sheet]] = []
    for sheet_name in workbook.sheet_names:
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
    xlsx = suffix in {".xlsx", ".xlsm"}
    heights = _dimension_heights(path) if xlsx else {}
    formulas = _background(lambda: _formulas_without_values(path) if xlsx else {})
    parsed = _background_sheets(workbook, [name for name, _ in recognised])

    def loader(name: str, spec: S.Sheet) -> Callable[[], SheetData | None]:
        def load() -> SheetData | None:
            try:
                sheet = parsed[name].result()
                missing = formulas.result().get(name, [])
            except Exception as exc:  # a damaged sheet: calamine's or zipfile's error, any kind
                raise FileProblem(f"工作表“{name}”无法读取（{type(exc).__name__}）") from exc
            return _excel_sheet(name, spec, sheet, missing)

        return load

    sheets = [
        SheetData(name, spec, height=heights.get(name, 0), loader=loader(name, spec))
        for name, spec in recognised
    ]
    if not xlsx:  # no <dimension> to size the sheets by: read them now
        for data in sheets:
            data.load()
    return Book(sheets, issues)


def _background(work: Callable[[], Any]) -> Future:
    """Run ``work`` in a daemon thread; its Future carries the result or the exception."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="import-read", daemon=True).start()
    return future


def _background_sheets(workbook, names: list[str]) -> dict[str, Future]:
    """Parse the sheets one after the other in one daemon thread (a calamine workbook parses one
    sheet at a time), each into its own Future, in the order given."""
    futures: dict[str, Future] = {name: Future() for name in names}

    def run() -> None:
        for name in names:
            try:
                futures[name].set_result(workbook.get_sheet_by_name(name))
            except BaseException as exc:
                futures[name].set_exception(exc)

    threading.Thread(target=run, name="import-parse", daemon=True).start()
    return futures


def _excel_sheet(name: str, spec: S.Sheet, sheet, formulas: list[str]) -> SheetData | None:
    start = sheet.start
    if start is None:
        return None
    col0 = start[1]
    rows = sheet.iter_rows()  # from row 1 (Excel numbering), columns from the first used one
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
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
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
    return SheetData(name, spec, columns, data_rows, sheet.height, issues)


def _sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML member in an .xlsx (workbook.xml and its relationships)."""
    workbook = z.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    members = {}
    for tag in re.findall(r"<sheet\b[^>]*/>", workbook):
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if not name or not rid or rid[1] not in targets:
            continue
        target = targets[rid[1]].lstrip("/")
        members[_unescape(name[1])] = target if target.startswith("xl/") else f"xl/{target}"
    return members


def _dimension_heights(path: Path) -> dict[str, int]:
    """Sheet name → last row of its ``<dimension ref="A1:P100001"/>`` (read from the first bytes of
    each sheet); sheets without one are left out (0 until loaded)."""
    heights = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name, member in _sheet_members(z).items():
                with z.open(member) as f:
                    head = f.read(4096)
                match = re.search(rb'<dimension ref="[A-Z]*\d*:?[A-Z]*(\d+)"', head)
                if match:
                    heights[name] = int(match[1])
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    return heights


def _formulas_without_values(path: Path) -> dict[str, list[str]]:
    """Cells that hold a formula but no cached value, per sheet name (xlsx only).

    calamine reads cached values; a formula never calculated (files written by scripts) reads as
    an empty cell, which would silently import as blank. Only sheets containing ``<f`` are parsed.
    """
    try:
        with zipfile.ZipFile(path) as z:
            found: dict[str, list[str]] = {}
            for name, member in _sheet_members(z).items():
                if not _member_contains(z, member, b"<f"):
                    continue
                xml = z.read(member).decode("utf-8", "replace")
                cells = re.finditer(r'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', xml, re.S)
                missing = [
                    m[1] for m in cells if m[2] and "<f" in m[2] and not re.search(r"<v>[^<]+</v>|<is>", m[2])
                ]
                if missing:
                    found[name] = missing
            return found
    except (zipfile.BadZipFile, KeyError):
        return {}


def _member_contains(z: zipfile.ZipFile, member: str, needle: bytes) -> bool:
    tail = b""
    with z.open(member) as f:
        while chunk := f.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


# -- CSV ---------------------------------------------------------------------------------------


def _read_csv_text(path: Path) -> str:
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
    text = _read_csv_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    for header in reader:
        if any(c.strip() for c in header):
            break
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
    columns, issues = _map_header(name, spec, header, 0)
    line_count = text.count("\n") + 1
    rows = ((n, cells) for n, cells in enumerate(reader, start=2) if not _blank_row(cells))
    return Book([SheetData(name, spec, columns, rows, line_count, issues)], [])


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
