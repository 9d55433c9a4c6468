"""The import pipeline: read → validate every row → compare with the database → write, atomically.

One pass, in batches: each batch of rows is validated, compared with the database (new /
changed / unchanged) and — while no error has been seen and this is not a dry run — written
inside one transaction. Any error anywhere rolls the whole transaction back, so a file is
imported entirely or not at all, while memory stays flat (only the keys of the file are kept,
for duplicates and references). Sheets are processed in dependency order (企业 before 项目
before 月度进度 …) whatever their order in the workbook.

Every write goes through simple-history's bulk helpers with the importer as ``history_user``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from itertools import islice, zip_longest
from operator import is_, itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.planning.models import Area
from renewal.planning.selectors import active_plan, active_plan_document
from renewal.registry import models as R
from renewal.registry import reference

from . import cells as C
from . import sheets as S
from .bulk import insert_with_history
from .kinds._common import DELETED, unknown_key
from .reader import Book, FileProblem, Issue, SheetData, read
from .report import ImportReport, SheetReport
from .spec import RowError

# What the database columns hold, the same on SQLite and PostgreSQL (which refuses more).
INTEGER_LIMITS = {
    "SmallIntegerField": 2**15,
    "PositiveSmallIntegerField": 2**15,
    "IntegerField": 2**31,
    "PositiveIntegerField": 2**31,
    "BigIntegerField": 2**63,
    "PositiveBigIntegerField": 2**63,
}


def column_limit(spec: S.Sheet, column: S.Column):
    """The bound of a column's values in its model field: the length of a text field, or the
    magnitude a number must stay below (10^(digits − places) of a decimal field, the integer
    range). None where the column is no field of the kind's model."""
    try:
        f = spec.model._meta.get_field(column.field)
    except (AttributeError, FieldDoesNotExist):
        return None
    if isinstance(f, models.CharField | models.TextField):
        return f.max_length
    if isinstance(f, models.DecimalField):
        return Decimal(10) ** (f.max_digits - f.decimal_places)
    return INTEGER_LIMITS.get(f.get_internal_type())


def bounded(slow: Callable[[Any], Any], column: S.Column, limit) -> Callable[[Any], Any]:
    """The general reader of a text column, then its bound: the same message at preview and
    commit. (Numbers are bounded after the kind's row check, in the unit they are stored in.)"""
    if column.kind in (S.TEXT, S.CODE, S.USCC):
        return lambda raw: C.bounded_text(value, limit) if isinstance(value := slow(raw), str) else value
    return slow


def number_limits(spec: S.Sheet, columns) -> list[tuple[str, Any, S.Column]]:
    """(field, limit, column) of the sheet's number columns that are fields of its model."""
    kinds = (S.INT, S.WAN, S.DECIMAL, S.VALUE)
    return [
        (c.field, limit, c)
        for c in columns
        if c is not None and c.kind in kinds and (limit := column_limit(spec, c)) is not None
    ]


def check_limits(limits, values: dict) -> None:
    """After the kind's own check (which may change a value's unit: 3.45 % → 0.0345)."""
    for name, limit, column in limits:
        try:
            C.bounded_number(values.get(name), limit, in_wan=column.kind == S.WAN)
        except C.CellError as exc:
            raise RowError(column, str(exc)) from None


BATCH = 2000
MISS = object()  # a cell the fast reader of its column leaves to the general one
_is_miss = partial(is_, MISS)
Progress = Callable[[int, int, str], None]
DEFAULT_IMPORTERS = frozenset({Role.CITY_ADMIN, Role.AREA_OPERATOR})


def may_import(role: str | None, spec: S.Sheet) -> bool:
    """Whether ``role`` may import sheets of this kind (``Sheet.importers``)."""
    return role in (spec.importers if spec.importers is not None else DEFAULT_IMPORTERS)


# the roles that may import some kind: the upload page is theirs (a bank user: its finance kinds)
IMPORTING_ROLES = set(DEFAULT_IMPORTERS).union(*(s.importers or () for s in S.SHEETS))


# SQLite, big files: what the database maintains row by row is suspended for the import and put
# back before the commit, all inside the import's transaction (other connections only ever see
# the schema whole, and a failed import rolls it back with everything else):
# - the indicators' roll-up triggers (two upserts per project row): the roll-ups are then
#   recomputed from the registry rows in one pass;
# - the plain (non-unique) indexes of a sheet's table and of its history table, when the file
#   brings at least as many rows as the table holds: building an index once from sorted keys is
#   cheaper than inserting every row into it. Unique indexes stay: they guard the natural keys.
BULK_ROWS = 10_000


def _bulk_suspend(book: Book) -> Callable[[], None]:
    """Suspend the roll-up triggers (indicators) and drop the plain indexes of the big sheets'
    tables (SQLite); returns the function that puts everything back."""
    from renewal.indicators.services import rollups_suspend

    restore_rollups = rollups_suspend()
    dropped = []
    with connection.cursor() as cursor:
        for data in book.sheets:
            model = data.spec.model
            if model is None or data.height - 1 < BULK_ROWS:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            if cursor.fetchone()[0] > data.height - 1:
                continue
            tables = [model._meta.db_table, model.history.model._meta.db_table]
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({', '.join(['%s'] * len(tables))})",
                tables,
            )
            dropped += [
                (name, sql) for name, sql in cursor.fetchall() if not sql.upper().startswith("CREATE UNIQUE")
            ]
        for name, _ in dropped:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def restore() -> None:
        with connection.cursor() as cursor:
            for _, sql in dropped:
                cursor.execute(sql)
        restore_rollups()

    return restore


class _Enums(dict):
    """Reference enumerations (registry/data/enumerations.yaml) by name, loaded when first read."""

    def __missing__(self, name: str) -> list[str]:
        self[name] = reference.values(name)
        return self[name]


class Importer:
    def __init__(
        self,
        *,
        scope: Scope,
        user=None,
        dry_run: bool,
        progress: Progress | None = None,
        correction: str = "",
    ):
        self.scope = scope
        # a city administrator's reason for changing a locked month (the upload page, --reason)
        self.correction = (correction or "").strip()
        self.written: list[tuple] = []  # the rows of the last ``upsert`` that change something
        self.today = timezone.localdate()  # the day of the import (a row's dates are checked against it)
        self.user = user if getattr(user, "pk", None) else None
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total, stage: None)
        self.done = 0
        self.total = 0
        self.reason = ""
        self.report: ImportReport | None = None
        # reference data
        areas = list(Area.objects.all())
        self.area_codes = {a.code for a in areas}
        self.area_names = {a.code: a.name for a in areas}
        self.area_lookup: dict[str, str] = {}
        for a in areas:
            for label in [a.code, a.name, a.short_name, *(a.aliases or [])]:
                if label:
                    self.area_lookup[C.fold(str(label))] = a.code
        self.city_lookup: dict[str, str] = {}
        self.statistic_codes: set[str] = set()
        self.plan_years: tuple[int, int] | None = None  # the plan's first and last year
        try:
            plan = active_plan()
            self.city_code = plan.city_code
            self.plan_years = (plan.start_year, plan.end_year)
            for label in (plan.city_code, plan.city_name, f"{plan.city_name}市", "全市"):
                self.city_lookup[C.fold(label)] = plan.city_code
            for target in active_plan_document().targets:
                for code in (target.source.statistics, target.source.denominator):
                    if code:
                        self.statistic_codes.add(code)
        except Exception:  # no plan loaded: statistics cannot be checked (reported per row)
            self.city_code = None
        self.industries = reference.industries()
        self.enums = _Enums()  # reference enumerations by name, read once each
        # enterprises of the database: credit code → (id, area, confirmed); projects loaded per batch
        self.enterprises: dict[str, tuple[int, str, bool]] = {
            uscc: (pk, area, confirmed)
            for uscc, pk, area, confirmed in R.Enterprise.objects.values_list(
                "uscc", "id", "area_id", "uscc_confirmed"
            ).iterator(chunk_size=5000)
        }
        # soft-deleted records keep their keys: a row for one (or for a record of one) is refused
        # until a city administrator restores it (audit/trash), instead of colliding with the
        # hidden row; key → area
        self.deleted_enterprises: dict[str, str] = dict(
            R.Enterprise.all_objects.filter(is_deleted=True).values_list("uscc", "area_id")
        )
        self.deleted_projects: dict[str, str] = dict(
            R.Project.all_objects.filter(is_deleted=True).values_list("code", "area_id")
        )
        # keys seen in the file: valid rows → area; every row (valid or not) for better messages
        self.file_enterprises: dict[str, str] = {}
        self.file_enterprise_rows: dict[str, str | None] = {}  # every row, valid or not → area
        self.file_projects: dict[str, str] = {}
        self.file_project_status: dict[str, str] = {}
        self.file_project_rows: set[str] = set()
        # what a kind's rows tell the later sheets of the file (kind → its own mapping): the
        # contracts of 贷款 for 放款 and 还款, the drawdowns of 放款 for 还款
        self.file_records: dict[str, dict] = {}

    # -- entry point ---------------------------------------------------------------------------

    def run(self, path, filename: str) -> ImportReport:
        report = self.report = ImportReport(filename=filename, dry_run=self.dry_run)
        self.reason = f"Excel 导入：{filename}"
        if self.correction:
            self.reason = f"{self.reason}；更正理由：{self.correction}"[:100]
        if self.scope.role not in IMPORTING_ROLES:
            report.fatal = "当前用户无权导入数据（仅市级管理员、区域操作员和银行用户可以导入）"
            return report
        try:
            book = read(path, filename)
        except FileProblem as exc:
            report.fatal = str(exc)
            return report
        try:
            return self._book(book)
        finally:
            book.close()  # ends the reading process (safe_read)

    def _book(self, book: Book) -> ImportReport:
        report = self.report
        for issue in book.issues:
            report.add(issue)
        self.total = book.total_rows
        try:
            with transaction.atomic():
                restore = None
                if connection.vendor == "sqlite":
                    # a page cache of 16 MB for this connection: the index pages of big inserts
                    with connection.cursor() as cursor:
                        cursor.execute("PRAGMA cache_size = -16384")
                    if not self.dry_run and book.total_rows >= BULK_ROWS:
                        restore = _bulk_suspend(book)
                for data in book.sheets:  # in dependency order
                    self._sheet(data, book)
                if report.total_rows == 0 and report.error_count == 0:
                    report.fatal = "文件中没有数据行"
                if not report.ok or self.dry_run:
                    transaction.set_rollback(True)  # what was dropped comes back with the rollback
                else:
                    if restore is not None:
                        restore()
                    report.committed = True
        except FileProblem as exc:
            report.fatal = str(exc)
            report.committed = False
        self.progress(self.total, self.total, "完成")
        return report

    # -- one sheet -----------------------------------------------------------------------------

    def _sheet(self, data: SheetData, book: Book) -> None:
        report = self.report
        data.load()  # an .xlsx sheet may still be parsing in the background
        self.total = book.total_rows
        for issue in data.issues:
            report.add(issue)
        if data.empty:
            return
        if not may_import(self.scope.role, data.spec):
            # a kind the role does not import (a bank user's 企业 sheet, an area operator's 贷款)
            allowed = "、".join(Role(r).label for r in sorted(data.spec.importers or DEFAULT_IMPORTERS))
            report.add(
                Issue(
                    data.name,
                    None,
                    "",
                    f"您的角色（{self.scope.role_label}）不能导入“{data.spec.name}”表（可导入的角色：{allowed}）",
                )
            )
            return
        sheet_report = SheetReport(name=data.spec.name, kind=data.spec.kind)
        report.sheets.append(sheet_report)
        header_broken = any(i.row == 1 and i.level == "error" for i in data.issues)
        if header_broken:
            # Missing or unknown headers: the rows cannot be read reliably.
            sheet_report.rows = sum(1 for _ in data.rows)
            return
        positions = {c.field: i for i, c in enumerate(data.columns) if c is not None}
        spec = data.spec
        limits = number_limits(spec, data.columns)
        plan = []
        for i, c in enumerate(data.columns):
            if c is not None:
                limit = column_limit(spec, c)
                plan.append(
                    (i, c, self._fast_converter(c, limit), bounded(self._slow_converter(c), c, limit))
                )
        key_of = itemgetter(*spec.key)
        # (field, threshold in the stored unit, column) of the columns warned on when implausible
        warned = [
            (c.field, c.warn_above * S.WAN_IN_YUAN if c.kind == S.WAN else c.warn_above, c)
            for c in spec.warned
        ]
        keys: dict[Any, int] = {}
        self.sheet_state = {}  # what a kind's write keeps across its batches (for its ``finish``)
        rows = iter(data.rows)
        stage = f"校验并导入“{data.spec.name}”" if not self.dry_run else f"校验“{data.spec.name}”"
        while batch := list(islice(rows, BATCH)):
            clean: list[tuple[int, dict]] = []
            converted, cell_errors = self._convert([raw for _, raw in batch], plan)
            sheet_report.rows += len(batch)
            for index, (number, _) in enumerate(batch):
                values = converted[index]
                errors = cell_errors.get(index)
                if number == 2 and self._is_example(spec, values):
                    sheet_report.rows -= 1
                    sheet_report.skipped += 1
                    report.add(Issue(data.name, number, "", "模板示例行，已跳过", "warning"))
                    continue
                if errors is None:
                    try:
                        self._check_row(spec, values)
                        if limits:
                            check_limits(limits, values)
                        key = key_of(values)
                        first = keys.get(key)
                        if first is not None:
                            raise RowError(
                                spec.column(spec.key[-1]) if len(spec.key) == 1 else None,
                                f"与第 {first} 行重复（{self._key_text(spec, values)}）",
                            )
                        keys[key] = number
                    except RowError as exc:
                        errors = [(exc.column, exc.message)]
                if spec.seen is not None:
                    spec.seen(self, values, errors is None)
                if errors:
                    sheet_report.invalid += 1
                    for column, message in errors:
                        report.add(
                            Issue(
                                data.name,
                                number,
                                column.header if column else "",
                                message,
                                col_index=positions.get(column.field) if column else None,
                            )
                        )
                    continue
                if warned:
                    self._warn(data, number, values, positions, warned)
                clean.append((number, values))
            if clean:
                spec.write(self, data, clean, sheet_report, positions)
            self.done += len(batch)
            self.progress(min(self.done, self.total), self.total, stage)
        if spec.finish is not None:
            spec.finish(self, data, positions)

    @property
    def writing(self) -> bool:
        return not self.dry_run and self.report.error_count == 0

    # -- cells ---------------------------------------------------------------------------------

    def _fast_converter(self, column: S.Column, limit: int | None) -> Callable[[Any], Any]:
        """The reader of a column's usual cell: returns the value, or ``MISS`` for any other cell
        (blank, text in a number column, a value to check, a value beyond ``limit`` …), which
        then goes through the general reader of ``cells``. Never raises: a 100,000-row sheet has
        1.6 million cells, read a column at a time with ``map``."""
        kind = column.kind
        if kind in (S.TEXT, S.CODE, S.USCC):
            # printable (no control characters) and within the column's length
            longest = limit or 1_000_000
            ascii_only = kind != S.TEXT
            return lambda raw: (
                (raw.strip() or MISS)
                if raw.__class__ is str
                and len(raw) <= longest
                and raw.isprintable()
                and (not ascii_only or raw.isascii())
                else MISS
            )
        date, datetime_ = dt.date, dt.datetime
        if kind in (S.ENUM, S.ENUMS):
            allowed = set(self.enums[column.enum])
            return lambda raw: raw if raw.__class__ is str and raw in allowed else MISS
        if kind == S.BOOL:
            table = {"是": True, "否": False}
            return lambda raw: table[raw] if raw.__class__ is str and raw in table else MISS
        if kind in (S.INT, S.YEAR):
            low, high = (2000, 2100) if kind == S.YEAR else (0, float("inf"))
            return lambda raw: (
                int(raw) if raw.__class__ is float and raw.is_integer() and low <= raw <= high else MISS
            )
        if kind == S.WAN:
            wan, whole, cent = S.WAN_IN_YUAN, int(S.WAN_IN_YUAN), Decimal("0.01")

            def amount(raw):
                if raw.__class__ is float and raw >= 0:
                    if raw.is_integer():
                        return Decimal(int(raw) * whole)
                    value = Decimal(repr(raw)) * wan
                    return value if value.as_tuple().exponent >= -2 else value.quantize(cent)
                return MISS

            return amount
        if kind == S.DECIMAL:
            return lambda raw: Decimal(repr(raw)) if raw.__class__ is float and raw >= 0 else MISS
        if kind == S.DATE:
            return lambda raw: (
                raw if raw.__class__ is date else raw.date() if raw.__class__ is datetime_ else MISS
            )
        return lambda raw: MISS

    def _slow_converter(self, column: S.Column) -> Callable[[Any], Any]:
        kind = column.kind
        if kind == S.ENUM:
            allowed = self.enums[column.enum]
            return lambda raw: C.enum(raw, allowed)
        if kind == S.ENUMS:
            allowed = self.enums[column.enum]
            return lambda raw: C.enums(raw, allowed)
        if kind == S.INDUSTRY:
            return lambda raw: C.industry(raw, self.industries)
        if kind == S.AREA:
            return self._area_or_city if column.field == "area_code" else self._area
        return {
            S.TEXT: C.text,
            S.CODE: C.code,
            S.USCC: lambda raw: C.code(raw),  # checked per sheet (existing, confirmed codes)
            S.BOOL: C.boolean,
            S.INT: C.integer,
            S.YEAR: C.year,
            S.WAN: C.wan_to_yuan,
            S.DECIMAL: C.non_negative,
            S.VALUE: C.decimal,
            S.DATE: C.date,
            S.MONTH: C.month,
            S.PERIOD: C.period,
        }[kind]

    def _area(self, raw: Any) -> str | None:
        if C.is_blank(raw):
            return None
        label = C.fold(C.text(raw))
        code = self.area_lookup.get(label)
        if code is None:
            raise C.CellError(
                f"未知的区域“{C.shown(raw)}”（可填：{'、'.join(self.area_names.values())}，或区域代码）"
            )
        return code

    def _convert(self, raws: list[list], plan: list[tuple]) -> tuple[list[dict], dict[int, list]]:
        """A batch of rows, column by column: ``plan`` holds (position, column, fast reader, general
        reader) of each mapped column. Returns each row's values (field → value; None for a blank
        or a bad cell) and the errors by row index."""
        height = len(raws)
        cells = list(zip_longest(*raws)) if raws else []  # columns; short rows padded with None
        blank = (None,) * height
        fields, columns = [], []
        errors: dict[int, list] = {}
        for i, column, fast, slow in plan:
            cells_i = cells[i] if i < len(cells) else blank
            values = list(map(fast, cells_i))
            if any(map(_is_miss, values)):  # not ``MISS in values``: Decimal.__eq__ is slow on others
                for row, value in enumerate(values):
                    if value is MISS:
                        values[row] = self._cell(cells_i[row], column, slow, errors, row)
            fields.append(column.field)
            columns.append(values)
        return [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)], errors

    @staticmethod
    def _cell(raw: Any, column: S.Column, slow, errors: dict[int, list], row: int) -> Any:
        value = None
        if raw is not None and raw != "":
            try:
                value = slow(raw)
            except C.CellError as exc:
                errors.setdefault(row, []).append((column, str(exc)))
                return None
            if value == "":
                value = None
        if value is None and column.required:
            errors.setdefault(row, []).append((column, "不能为空"))
        return value

    def _area_or_city(self, raw: Any) -> str | None:
        """Statistics: an area, or the city itself (its code or name, or 全市)."""
        if not C.is_blank(raw) and C.fold(C.text(raw)) in self.city_lookup:
            return self.city_lookup[C.fold(C.text(raw))]
        return self._area(raw)

    def _is_example(self, spec: S.Sheet, values: dict) -> bool:
        """(Row 2) equal to the template's example row (every column with a fixed example)."""
        return all(
            values.get(c.field) == self._example_value(c) for c in spec.columns if c.example is not None
        )

    def _example_value(self, column: S.Column) -> Any:
        try:
            return self._slow_converter(column)(column.example)
        except C.CellError:
            return column.example

    # -- rows: checks across cells, references, scope ------------------------------------------

    def _check_row(self, spec: S.Sheet, v: dict) -> None:
        if "uscc" in v:
            v["uscc"] = v["uscc"].upper()  # already trimmed and folded by its reader
        if spec.check is not None:
            spec.check(self, spec, v)

    def in_scope(self, area: str | None) -> bool:
        return self.scope.is_city or (self.scope.role == Role.AREA_OPERATOR and area == self.scope.area)

    def refuse(self, spec: S.Sheet, field_name: str, area: str | None) -> None:
        mine = self.area_names.get(self.scope.area or "", self.scope.area or "")
        raise RowError(
            spec.column(field_name),
            f"该行属于{self.area_names.get(area or '', area or '未知区域')}，"
            f"超出您的权限范围（您只能导入{mine}的数据）",
        )

    def owned_area(self, spec: S.Sheet, uscc: str) -> str:
        """The area of the row's enterprise, refused outside the caller's scope. An enterprise of
        another area registered in the database reads exactly like an unknown one (no oracle of
        which credit codes exist elsewhere); one declared in this file says the file's area."""
        area = self.enterprise_area(spec, uscc)
        if not self.in_scope(area):
            if uscc in self.file_enterprises or uscc in self.file_enterprise_rows:
                self.refuse(spec, "uscc", area)
            raise RowError(spec.column("uscc"), unknown_key(f"企业 {uscc}", "企业"))
        return area

    def enterprise_area(self, spec: S.Sheet, uscc: str) -> str:
        area = self.file_enterprises.get(uscc)
        if area is None and uscc in self.enterprises:
            area = self.enterprises[uscc][1]
        if area is None:
            if uscc in self.file_enterprise_rows:
                if not self.in_scope(self.file_enterprise_rows[uscc]):
                    self.refuse(spec, "uscc", self.file_enterprise_rows[uscc])
                raise RowError(spec.column("uscc"), f"企业 {uscc} 在本文件“企业”表中的行有错误，请先更正")
            if uscc in self.deleted_enterprises:
                raise RowError(spec.column("uscc"), DELETED.format(what=f"企业 {uscc}"))
            raise RowError(spec.column("uscc"), unknown_key(f"企业 {uscc}", "企业"))
        return area

    def _key_text(self, spec: S.Sheet, v: dict) -> str:
        parts = []
        for f in spec.key:
            value = v[f]
            if isinstance(value, dt.date) and f == "month":
                value = f"{value:%Y-%m}"
            parts.append(str(value))
        return " / ".join(parts)

    def _warn(self, data: SheetData, number: int, v: dict, positions: dict, warned: list[tuple]) -> None:
        for field_name, threshold, column in warned:
            value = v.get(field_name)  # None too for an optional column the file does not have
            if value is None or value <= threshold:
                continue
            limit = column.warn_above
            shown = value / S.WAN_IN_YUAN if column.kind == S.WAN else Decimal(value)  # 人, 台: int
            hint = "是否误按元填写？" if column.kind == S.WAN else "请核实单位与数值。"
            self.report.add(
                Issue(
                    data.name,
                    number,
                    column.header,
                    f"数值 {shown.normalize():,f} 偏大（超过 {limit:,}），{hint}",
                    "warning",
                    positions.get(column.field),
                )
            )

    # -- batches: compare with the database and write ------------------------------------------

    def upsert(
        self,
        model,
        rows: list[tuple[int, dict]],
        existing,
        build: Callable[[dict], dict],
        sheet_report: SheetReport,
        natural: tuple[str, ...],
        *,
        return_pks: bool = False,
    ) -> dict[tuple, int]:
        """Classify each row as new / changed / unchanged and write when allowed. ``existing``: the
        records of the database the rows may match, by ``natural`` (attnames of a unique key of
        ``model``, all in what ``build`` returns). A changed record gets a new version (a page that
        read the old one is refused as stale). Returns natural key → primary key of the rows
        created when ``return_pks``; the rows written are left in ``self.written`` (row number,
        values, record attributes, the record before the change or None)."""
        by_key = {tuple(getattr(o, f) for f in natural): o for o in existing}
        fields = None
        create, update = [], []
        self.written = []
        for number, v in rows:
            attrs = build(v)
            fields = fields or list(attrs)
            current = by_key.get(tuple(attrs[f] for f in natural))
            if current is None:
                sheet_report.new += 1
                create.append(attrs)
                self.written.append((number, v, attrs, None))
            elif any(getattr(current, f) != value for f, value in attrs.items()):
                sheet_report.changed += 1
                self.written.append((number, v, attrs, {f: getattr(current, f) for f in attrs}))
                for f, value in attrs.items():
                    setattr(current, f, value)
                update.append(current)
            else:
                sheet_report.unchanged += 1
        if not self.writing:
            return {}
        created = {}
        if create:
            created = insert_with_history(
                model,
                create,
                natural=natural,
                user_id=self.user.pk if self.user else None,
                reason=self.reason,
                return_pks=return_pks,
            )
        if update:
            now = timezone.now()
            for obj in update:
                obj.updated_at = now
                obj.version += 1
            bulk_update_with_history(
                update,
                model,
                [*fields, "updated_at", "version"],
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.reason,
            )
        return created

    def enterprise_id(self, uscc: str) -> int | None:
        """The database id of an enterprise of the database or of this file (None in a dry run)."""
        return self.enterprises.get(uscc, (None,))[0]

    @staticmethod
    def refusal(what: str, sheet: str) -> str:
        """A registered record outside the caller's scope, named by a row: the same words as an
        unknown one (no oracle of which keys exist in other areas)."""
        return unknown_key(what, sheet)

    def row_warning(
        self, data: SheetData, number: int, column: S.Column | None, positions: dict, message: str
    ):
        """A warning on a row: the row is kept, the person is told (sheet, row, column)."""
        self.report.add(
            Issue(
                data.name,
                number,
                column.header if column else "",
                message,
                "warning",
                positions.get(column.field) if column else None,
            )
        )

    def row_error(
        self, data: SheetData, number: int, column: S.Column, positions: dict, message: str
    ) -> None:
        self.report.sheets[-1].invalid += 1
        self.report.add(
            Issue(data.name, number, column.header, message, col_index=positions.get(column.field))
        )
