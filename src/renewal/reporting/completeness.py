"""Completeness and timeliness of reporting (issue 17): per area and month, how many projects had
to report, how many reported on time, late, or not at all; the same for the task reports of the
responsible units.

Who must report for month M (docs/decisions/0029-completeness-and-reminders.md): a project that was
在建 (workflow.REPORTING_STATES) at some moment of M by its workflow history — 在建 on M's first
day (``spells.status_on_subquery``) or entering 在建 by a transition effective during M. So a
project that starts mid-month reports for that month, and one that is completed (竣工) mid-month
reports for it too (its last month of work); a project that reaches 在建 only next month does not.
A project without any transition (records created before the workflow history) is read by its
current status, as the 督办 list always did.

A report's time is when its row was first created; it is on time when that is on or before the
deadline (``selectors.progress_deadline``), late after it, missing when there is none and the
deadline has passed, and pending (待报, counted neither way) before the deadline.

Rates are fractions (Decimal) shown through ``lib.units.percent``; a cell that expects nothing has
no rate (None), not 100 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.lib import units
from renewal.lib.months import next_month
from renewal.planning.models import Area
from renewal.registry import spells, workflow
from renewal.registry.models import MonthlyProgress, Project, ProjectTransition

from . import selectors


def expected_filter(month: dt.date) -> Q:
    """The projects that must report for ``month`` (the module's rule), as one filter over
    ``Project`` (it needs the annotation ``status_at_start``: see ``expected``)."""
    states = workflow.REPORTING_STATES
    entered = ProjectTransition.objects.filter(
        project=OuterRef("pk"),
        to_status__in=states,
        effective_on__gte=month,
        effective_on__lt=next_month(month),
    )
    any_step = ProjectTransition.objects.filter(project=OuterRef("pk"))
    return Q(status_at_start__in=states) | Q(Exists(entered)) | (Q(status__in=states) & ~Q(Exists(any_step)))


def expected(month: dt.date, projects: QuerySet | None = None) -> QuerySet:
    """``projects`` (default: every live project) narrowed to those that must report for ``month``."""
    qs = Project.objects.all() if projects is None else projects
    return qs.annotate(status_at_start=spells.status_on_subquery(month)).filter(expected_filter(month))


def first_reports(months: list[dt.date], projects: QuerySet) -> dict[tuple[int, dt.date], dt.datetime]:
    """(project id, month) → when the project first reported that month (its row's creation)."""
    rows = (
        MonthlyProgress.objects.filter(month__in=months, project__in=projects.values("pk"))
        .values("project_id", "month")
        .annotate(first=Min("created_at"))
    )
    return {(r["project_id"], r["month"]): r["first"] for r in rows}


def rate(part: int, whole: int) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


@dataclass
class Cell:
    """One area (or unit) in one month."""

    month: dt.date
    deadline: dt.datetime
    due: bool  # the deadline has passed
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0  # not reported, deadline not yet passed
    css: str = "none"  # band(), set once per board (``_colour``)
    missing_ids: list = field(default_factory=list)  # project ids (or clause codes for a unit)
    pending_ids: list = field(default_factory=list)
    late_items: list = field(default_factory=list)  # (project id or clause, first report time)

    @property
    def reported(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        """及时率: reported on time ÷ expected."""
        return rate(self.on_time, self.expected)

    @property
    def reported_rate(self) -> Decimal | None:
        """报送率 (completeness): reported at all ÷ expected."""
        return rate(self.reported, self.expected)

    def add(self, other: Cell) -> None:
        for f in ("expected", "on_time", "late", "missing", "pending"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def count(self, key, at: dt.datetime | None, now: dt.datetime) -> None:
        """Count one expected report (``at``: when it was first made, or None)."""
        self.expected += 1
        if at is None:
            if now > self.deadline:
                self.missing += 1
                self.missing_ids.append(key)
            else:
                self.pending += 1
                self.pending_ids.append(key)
        elif at > self.deadline:
            self.late += 1
            self.late_items.append((key, at))
        else:
            self.on_time += 1

    def band(self, bands=None) -> str:
        """The colour of the cell by its on-time rate (plan: reporting.completeness)."""
        r = self.on_time_rate
        if r is None or not self.due:
            return "none"
        bands = bands or selectors.reporting_rules().completeness
        return "good" if r >= bands.good else "fair" if r >= bands.fair else "poor"

    @property
    def on_time_text(self) -> str:
        return units.percent(self.on_time_rate) if self.expected else "—"

    @property
    def reported_text(self) -> str:
        return units.percent(self.reported_rate) if self.expected else "—"


@dataclass
class Row:
    key: str
    name: str
    cells: list[Cell]
    total: Cell


def _total(months: list[dt.date], cells: list[Cell], deadline) -> Cell:
    last = months[-1] if months else None
    t = Cell(month=last, deadline=deadline(last) if last else None, due=all(c.due for c in cells))
    for c in cells:
        t.add(c)
    return t


def _colour(board: dict) -> dict:
    bands = selectors.reporting_rules().completeness
    for row in [*board["rows"], board["city"]]:
        for c in [*row.cells, row.total]:
            c.css = c.band(bands)
    return board


def progress_board(
    *, months: list[dt.date], projects: QuerySet | None = None, now: dt.datetime | None = None
) -> dict:
    """Area × month cells of monthly progress reporting for ``projects`` (default: all live
    projects of the active areas: figures, not records), with a 全市 row and per-month totals."""
    now = now or timezone.now()
    base = Project.objects.all() if projects is None else projects
    areas = list(Area.objects.filter(is_active=True).order_by("order", "code"))
    reports = first_reports(months, base)
    cells: dict[tuple[str, dt.date], Cell] = {}
    deadlines = {m: selectors.progress_deadline(m) for m in months}
    for m in months:
        due = deadlines[m]
        for a in areas:
            cells[(a.code, m)] = Cell(month=m, deadline=due, due=now > due)
        for pid, area in expected(m, base).order_by("area__order", "code").values_list("pk", "area_id"):
            cell = cells.get((area, m))
            if cell is not None:
                cell.count(pid, reports.get((pid, m)), now)
    rows = []
    for a in areas:
        row_cells = [cells[(a.code, m)] for m in months]
        rows.append(Row(a.code, a.name, row_cells, _total(months, row_cells, selectors.progress_deadline)))
    city_cells = []
    for m in months:
        c = Cell(month=m, deadline=deadlines[m], due=now > deadlines[m])
        for a in areas:
            c.add(cells[(a.code, m)])
        city_cells.append(c)
    city = Row("city", "全市", city_cells, _total(months, city_cells, selectors.progress_deadline))
    return _colour({"months": months, "rows": rows, "city": city})


def all_units_scope() -> Scope:
    """The city's breadth over the task clauses (the board's figures and the reminders read every
    unit's cells; pages narrow by their caller's scope before)."""
    return Scope(role=Role.CITY_REVIEWER)


def task_board(*, scope: Scope, months: list[dt.date], now: dt.datetime | None = None) -> dict:
    """Unit × month cells of task reporting, from the task matrix (clause × unit × month) in the
    caller's scope: a unit expects one report per clause it leads and month."""
    now = now or timezone.now()
    matrix = selectors.task_matrix(scope=scope, months=months, now=now)
    by_unit: dict[str, tuple[str, list[Cell]]] = {}
    for r in matrix["rows"]:
        unit = r["unit"]
        if unit.id not in by_unit:
            by_unit[unit.id] = (
                unit.name,
                [Cell(month=c["month"], deadline=c["due"], due=now > c["due"]) for c in r["cells"]],
            )
        for cell, c in zip(by_unit[unit.id][1], r["cells"], strict=True):
            report = c["report"]
            cell.count(r["clause"].code, report.submitted_at if report else None, now)
    rows = [
        Row(uid, name, cells, _total(months, cells, selectors.task_deadline))
        for uid, (name, cells) in sorted(by_unit.items(), key=lambda kv: kv[0])
    ]
    city_cells = []
    for k, m in enumerate(months):
        due = selectors.task_deadline(m)
        c = Cell(month=m, deadline=due, due=now > due)
        for row in rows:
            c.add(row.cells[k])
        city_cells.append(c)
    city = Row("all", "全部单位", city_cells, _total(months, city_cells, selectors.task_deadline))
    return _colour({"months": months, "rows": rows, "city": city})


def trend(board: dict) -> dict:
    """The chart's series: per month the city's on-time and reported rates in percent (None when
    nothing was expected)."""

    def pct(v):
        return None if v is None else float(units.rounded(v * 100, 1))

    return {
        "months": [f"{m:%Y-%m}" for m in board["months"]],
        "on_time": [pct(c.on_time_rate) if c.due else None for c in board["city"].cells],
        "reported": [pct(c.reported_rate) if c.due else None for c in board["city"].cells],
    }
