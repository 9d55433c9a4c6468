"""Reads of monthly reporting: deadlines, the 督办 list (late and missing reports per area), the
approval ladder of each area's month, and the task matrix (clause × unit × month)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.lib.months import month_start, next_month, parse_month  # noqa: F401 — the months of reporting
from renewal.planning import selectors as plans
from renewal.planning.models import Area, Clause
from renewal.registry.models import MonthlyProgress, Project

from . import approval
from .models import MonthApproval, MonthApprovalStep, TaskReport


def reporting_rules():
    """The plan's reporting section (deadlines); defaults when no plan is loaded."""
    from renewal.planning.schema import Reporting

    try:
        return plans.active_plan_document().reporting
    except plans.NoPlanLoaded:
        return Reporting()


def deadline(month: dt.date, day: int) -> dt.datetime:
    """End of day ``day`` of the month after ``month``, local time (the report of M is due then)."""
    due = next_month(month).replace(day=day)
    tz = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=tz)


def progress_deadline(month: dt.date) -> dt.datetime:
    return deadline(month, reporting_rules().progress_due_day)


def task_deadline(month: dt.date) -> dt.datetime:
    return deadline(month, reporting_rules().task_due_day)


def approval_state(area: str, month: dt.date) -> str:
    """Where ``area``'s ``month`` stands on the approval ladder (no row: 填报中)."""
    state = MonthApproval.objects.filter(area_id=area, month=month_start(month)).values_list(
        "state", flat=True
    )
    return state.first() or approval.OPEN


def approval_states(*, areas, months) -> dict[tuple[str, dt.date], str]:
    """The ladder's state of each (area, month) that has a row, read at once (the importer's batch);
    a pair missing from the answer is 填报中."""
    rows = MonthApproval.objects.filter(area_id__in=set(areas), month__in=set(months))
    return {(a, m): state for a, m, state in rows.values_list("area_id", "month", "state")}


def approval_summary(*, scope: Scope, month: dt.date) -> dict[str, int]:
    """How many of the caller's areas stand at each state of the ladder for ``month`` (督办 page)."""
    areas = list(
        scope.filter_by_area(Area.objects.filter(is_active=True), "code").values_list("code", flat=True)
    )
    states = approval_states(areas=areas, months=[month_start(month)])
    counts = dict.fromkeys(approval.STATES, 0)
    for code in areas:
        counts[states.get((code, month_start(month)), approval.OPEN)] += 1
    return counts


def approval_board(*, scope: Scope, month: dt.date, now: dt.datetime | None = None) -> dict:
    """The approval page of ``month``: for each area in the caller's scope its state, version, the
    reporting figures of the 督办 list (expected, on time, late, missing), the steps the caller may
    take now, and the month's step log."""
    from .approval import steps_from

    month = month_start(month)
    reporting = overdue_list(scope=scope, month=month, now=now)
    approvals = {
        a.area_id: a
        for a in MonthApproval.objects.filter(month=month, area_id__in=[r.code for r in reporting["areas"]])
    }
    rows = []
    for r in reporting["areas"]:
        a = approvals.get(r.code)
        state = a.state if a else approval.OPEN
        steps = [
            s
            for s in steps_from(state)
            if scope.can(s.permission) and (s.level == "city" or scope.covers(area=r.code))
        ]
        rows.append({"area": r, "state": state, "version": a.version if a else 0, "steps": steps})
    log = (
        MonthApprovalStep.objects.filter(
            approval__month=month, approval__area_id__in=[r.code for r in reporting["areas"]]
        )
        .select_related("approval__area", "user")
        .order_by("-at", "-id")
    )
    counts = [(s, sum(1 for row in rows if row["state"] == s)) for s in approval.STATES]
    return {**reporting, "rows": rows, "log": list(log), "counts": counts}


def due_month(today: dt.date | None = None) -> dt.date:
    """The month most recently due: last month."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def default_month(today: dt.date | None = None, *, of: str = "progress") -> dt.date:
    """The month a reporting page opens on: the last month with data (``of``: monthly progress or
    task reports) when it is earlier than the month most recently due, else that month — so that a
    page does not open on an empty calendar month (the demo's data end in 2024-09)."""
    due = due_month(today)
    model = TaskReport if of == "tasks" else MonthlyProgress
    last = model.objects.filter(month__lte=due).aggregate(m=Max("month"))["m"]
    return last if last is not None else due


@dataclass
class AreaReporting:
    code: str
    name: str
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    missing_projects: list = field(default_factory=list)
    late_projects: list = field(default_factory=list)

    @property
    def reported(self) -> int:
        return self.on_time + self.late


def overdue_list(*, scope: Scope, month: dt.date, now: dt.datetime | None = None) -> dict:
    """督办 list for ``month``: per area in the caller's scope, the projects that must report
    (in 在建 during the month by their workflow history: ``completeness.expected``), how many
    reported on time, late, or not at all (past the deadline). A report's time is when its row was
    first created (``created_at``)."""
    from .completeness import expected

    now = now or timezone.now()
    due = progress_deadline(month)
    areas = scope.filter_by_area(Area.objects.filter(is_active=True), "code")
    if scope.role == Role.ENTERPRISE:
        areas = Area.objects.none()
    rows = {a.code: AreaReporting(a.code, a.name) for a in areas}
    projects = expected(
        month, scope.filter_records(Project.objects.filter(area_id__in=list(rows)))
    ).select_related("enterprise")
    # first report of each project for the month (created_at of the live row)
    reported = dict(
        MonthlyProgress.objects.filter(month=month, project__in=projects.values("pk"))
        .values_list("project_id")
        .annotate(first=Min("created_at"))
    )
    for p in projects.order_by("area__order", "code"):
        row = rows[p.area_id]
        row.expected += 1
        at = reported.get(p.pk)
        if at is None:
            if now > due:
                row.missing += 1
                row.missing_projects.append(p)
        elif at > due:
            row.late += 1
            row.late_projects.append((p, at))
        else:
            row.on_time += 1
    return {
        "month": month,
        "deadline": due,
        "past_deadline": now > due,
        "areas": list(rows.values()),
        "totals": {
            "expected": sum(r.expected for r in rows.values()),
            "on_time": sum(r.on_time for r in rows.values()),
            "late": sum(r.late for r in rows.values()),
            "missing": sum(r.missing for r in rows.values()),
        },
    }


def task_clauses(*, scope: Scope) -> list[tuple[Clause, list]]:
    """Clauses reported by responsible units (plan: reporting.task_clause_prefixes) with their lead
    units; a unit reporter gets only the clauses its unit leads."""
    try:
        plan = plans.active_plan()
    except plans.NoPlanLoaded:
        return []
    prefixes = tuple(reporting_rules().task_clause_prefixes)
    out = []
    for c in plan.clauses.prefetch_related("lead_units").order_by("order"):
        if not c.code.startswith(prefixes):
            continue
        units = list(c.lead_units.all())
        if scope.role == Role.UNIT_REPORTER:
            units = [u for u in units if u.id == scope.unit]
        elif not (scope.is_city or scope.role == Role.UNIT_REPORTER):
            units = []
        if units:
            out.append((c, units))
    return out


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out


def task_matrix(*, scope: Scope, months: list[dt.date], now: dt.datetime | None = None) -> dict:
    """Clause × unit × month: each cell the report (status, late?) or missing/late/not yet due."""
    now = now or timezone.now()
    clauses = task_clauses(scope=scope)
    reports = {
        (r.clause, r.unit_id, r.month): r
        for r in TaskReport.objects.filter(month__in=months).annotate(n_files=Count("attachments"))
    }
    rows, late_count, missing_count = [], 0, 0
    deadlines = {m: task_deadline(m) for m in months}  # one plan read per month, not per cell
    for clause, units in clauses:
        for unit in units:
            cells = []
            for m in months:
                due = deadlines[m]
                r = reports.get((clause.code, unit.id, m))
                if r is not None:
                    state = "late" if r.submitted_at > due else "ok"
                    late_count += state == "late"
                elif now > due:
                    state = "missing"
                    missing_count += 1
                else:
                    state = "pending"
                cells.append({"month": m, "report": r, "state": state, "due": due})
            rows.append({"clause": clause, "unit": unit, "cells": cells})
    return {"months": months, "rows": rows, "late": late_count, "missing": missing_count}


def task_report_get(*, clause: str, unit: str, month: dt.date) -> TaskReport | None:
    return (
        TaskReport.objects.filter(clause=clause, unit_id=unit, month=month)
        .prefetch_related("attachments")
        .first()
    )


def latest_progress_month() -> dt.date | None:
    return MonthlyProgress.objects.aggregate(m=Max("month"))["m"]
