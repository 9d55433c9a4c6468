"""What a sheet kind is: its columns and everything every path needs to know about it.

A kind (企业, 项目, 月度进度 …) is declared once, in its own module of ``exchange/kinds/``, as a
``Sheet``: the columns with their Chinese headers (the contract of DESIGN.md: never rename them),
how each cell is read, the natural key, the model a row becomes, the row checks and the batch
write of the import, the export getters, the list selector with its filters, the list page and
where its records keep their area and credit code (``accounts.scope``). The importer, the
templates, the annotated copy, the exports, the list pages and the scope read these declarations;
no path names a kind. The recipe for a new kind: docs/adding-a-sheet-kind.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Column kinds: how a cell is read (cells.py) and written (export.py, template.py).
TEXT = "text"  # trimmed text
CODE = "code"  # identifier: trimmed, full-width folded (project code, indicator code)
USCC = "uscc"  # 统一社会信用代码 (GB 32100-2015)
AREA = "area"  # area name, alias or code → area code
INDUSTRY = "industry"  # GB/T 4754-2017 manufacturing code
BOOL = "bool"  # 是/否/Y/N
INT = "int"  # non-negative integer (台, 人)
YEAR = "year"
WAN = "wan"  # amount in 万元 in the sheet, yuan in the database
DECIMAL = "decimal"  # non-negative decimal in the unit of the header (亩, 吨标准煤)
VALUE = "value"  # any decimal (statistics: base units, may be negative)
DATE = "date"
MONTH = "month"  # YYYY-MM → first day of the month
ENUM = "enum"  # one value of a reference enumeration
ENUMS = "enums"  # one or more values of a reference enumeration, joined by 、 or ,
PERIOD = "period"  # YYYY or YYYY-MM

WAN_IN_YUAN = Decimal(10_000)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool = False
    enum: str | None = None  # reference enumeration (registry/data/enumerations.yaml)
    comment: str = ""
    example: Any = None
    warn_above: Decimal | None = None  # a larger value is implausible: warn, do not block
    may_be_absent: bool = False  # a column added later: files without it still import
    width: int = 14


@dataclass(frozen=True)
class ListPage:
    """The list page of a kind (登记库 tabs): its URL under /registry/, template, and the extra
    context of its filters (``context(scope) -> dict``)."""

    path: str  # URL below /registry/, e.g. "enterprises/"
    name: str  # URL name in the "registry" namespace, e.g. "enterprise_list"
    template: str
    context: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class Sheet:
    """One sheet kind, declared once (see the module docstring)."""

    kind: str  # stable English id (CLI, URLs)
    name: str  # the sheet name, as in DESIGN.md
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key (fields of a row) of an upsert
    label: str = ""
    order: int = 100  # import order: a kind after the kinds its rows refer to
    model: Any = None  # the model a row becomes
    # import: row checks across cells (importer, spec, values; raises RowError), the batch write
    # (importer, data, rows, sheet report, positions) and what a row tells later sheets
    check: Callable | None = field(default=None, compare=False)
    write: Callable | None = field(default=None, compare=False)
    seen: Callable | None = field(default=None, compare=False)  # (importer, values, valid)
    # after the sheet's last batch: checks across all its rows (importer, data, positions), with
    # what ``write`` kept in ``importer.sheet_state``; warnings only
    finish: Callable | None = field(default=None, compare=False)
    # export: field → value of a record (default: the attribute); a callable returns that dict
    getters: Mapping[str, Callable] | Callable[[], Mapping[str, Callable]] = field(
        default_factory=dict, compare=False
    )
    rows: Callable | None = field(default=None, compare=False)  # list selector (scope=, **filters)
    list_params: Mapping[str, str] = field(default_factory=dict, compare=False)  # GET name → argument
    list_page: ListPage | None = field(default=None, compare=False)
    scope: Mapping[str, str | None] | None = field(default=None, compare=False)  # area, uscc (bank) paths
    # the roles that may import this kind (role values); None: the city administrator and the area
    # operators (``importer.IMPORTING_ROLES``). The finance kinds are the banks' (P12).
    importers: frozenset[str] | None = field(default=None, compare=False)
    fields_by_header: dict[str, Column] = field(init=False, repr=False, compare=False)
    warned: tuple[Column, ...] = field(init=False, repr=False, compare=False)  # with warn_above

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields_by_header", {header_key(c.header): c for c in self.columns})
        object.__setattr__(self, "warned", tuple(c for c in self.columns if c.warn_above is not None))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def export_getters(self) -> Mapping[str, Callable]:
        return self.getters() if callable(self.getters) else self.getters


class RowError(Exception):
    """A row the import refuses: the column (or None for the whole row) and a Chinese message."""

    def __init__(self, column: Column | None, message: str):
        self.column, self.message = column, message


def header_key(text: Any) -> str:
    """Headers match after folding full-width characters and dropping spaces: 总投资（万元） = 总投资(万元)."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


YES_NO = "是 / 否（也接受 Y / N）"
# The example row of the templates (row 2) uses this fictitious but well-formed credit code; the
# importer skips row 2 when it equals the template's example exactly.
EXAMPLE_USCC = "91330402MA2EKAMP1N"
AMOUNT_LIMIT = Decimal(1_000_000)  # 万元 = 100 亿元: beyond this an amount probably was typed in yuan
