"""Reads of the data checks: the plan's rules, a project's figures and series, the errors left in
an area's month (the approval ladder asks ``open_errors``), and the flags to review."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from renewal.equipment.models import EquipmentLine
from renewal.planning import selectors as plans
from renewal.registry.models import MonthlyProgress, Project

from . import rules as Q
from .models import ValueFlag

FIELDS = list(Q.FIELDS)
ROBOT = "工业机器人"  # the 设备类别 of robots (equipment/selectors.py)


def checks():
    """The plan's ``checks`` section; no rules when no plan is loaded."""
    from renewal.planning.schema import Checks

    try:
        return plans.active_plan_document().checks
    except plans.NoPlanLoaded:
        return Checks()


def check_rules() -> list:
    return list(checks().rules)


def _robots_in_lines():
    return Coalesce(
        Subquery(
            EquipmentLine.objects.filter(project=OuterRef("pk"), category=ROBOT)
            .order_by()
            .values("project")
            .annotate(n=Sum("quantity"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def figures_of(projects) -> dict[int, tuple[Project, Q.Figures]]:
    """Project id → (project, its registered figures), in one query."""
    qs = projects.annotate(robots_in_lines=_robots_in_lines()).select_related("area")
    return {
        p.pk: (p, Q.Figures(p.code, p.total_investment, p.new_robots, p.robots_in_lines or 0)) for p in qs
    }


def series_of(project_ids, *, until: dt.date | None = None) -> dict[int, dict[dt.date, dict]]:
    """Project id → its monthly series (month → field → value), in one query."""
    qs = MonthlyProgress.objects.filter(project_id__in=project_ids)
    if until is not None:
        qs = qs.filter(month__lte=until)
    out: dict[int, dict] = defaultdict(dict)
    for pid, month, *values in qs.order_by("project_id", "month").values_list("project_id", "month", *FIELDS):
        out[pid][month] = dict(zip(FIELDS, (Decimal(v) for v in values), strict=True))
    return out


def project_figures(project: Project) -> Q.Figures:
    return figures_of(Project.objects.filter(pk=project.pk))[project.pk][1]


def named(project: Project, message: str) -> str:
    return f"项目 {project.code}（{project.name}）{message}"


def open_errors(area_code: str, month: dt.date) -> list[str]:
    """The error checks over the area's projects that reported ``month``, evaluated again now (data
    imported before a rule existed, equipment lines or a 总投资 changed later): Chinese messages
    naming project and field; empty when the month may be approved. Two queries."""
    month = month.replace(day=1)
    rules = [r for r in check_rules() if r.severity == Q.ERROR]
    if not rules:
        return []
    reported = MonthlyProgress.objects.filter(month=month, project__area_id=area_code).values("project_id")
    projects = figures_of(Project.objects.filter(pk__in=reported).order_by("code"))
    series = series_of(list(projects), until=month)
    out = []
    for pid, (project, figures) in projects.items():
        for finding in Q.evaluate(rules, figures, series.get(pid, {}), [month]):
            out.append(named(project, finding.message))
    return out


def open_flags(area_code: str, month: dt.date) -> list[ValueFlag]:
    """The flags of the area's month still 待核实 (one query)."""
    return list(
        ValueFlag.objects.filter(
            project__area_id=area_code, month=month.replace(day=1), state=ValueFlag.State.OPEN
        )
        .select_related("project")
        .order_by("project__code", "rule", "field")
    )


def flag_list(*, scope, area: str | None = None, month: dt.date | None = None, state: str | None = None):
    """The flags the caller may see, with their project and area, newest month first."""
    qs = scope.filter_records(ValueFlag.objects.filter(project__is_deleted=False))
    if area:
        qs = qs.filter(project__area_id=area)
    if month:
        qs = qs.filter(month=month)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("project", "project__area", "project__enterprise").order_by(
        "-month", "project__area_id", "project__code", "rule", "field"
    )


def flag_months(*, scope) -> list[dt.date]:
    """The months that have flags the caller sees, newest first (the page's default month)."""
    qs = scope.filter_records(ValueFlag.objects.all())
    return list(qs.order_by("-month").values_list("month", flat=True).distinct())
