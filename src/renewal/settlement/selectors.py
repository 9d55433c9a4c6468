"""Reads of the settlement app, and the thin adapter from the plan and the registry to the pure
policy engine (``renewal.policy``): the engine never sees a model, only plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from renewal.equipment import policy as equipment_policy
from renewal.equipment.models import EquipmentLine
from renewal.planning import selectors as plans
from renewal.policy import batch
from renewal.policy.contract import CalculateIn, parse_request
from renewal.policy.parameters import PolicyData, policy_data_from_plan
from renewal.registry import reference
from renewal.registry.models import TYPES_SEPARATOR, Fund, Project

from .models import DecisionRecord, SettlementRun

# Statuses whose projects are settled: acceptance passed (验收通过) and already paid (已兑现).
SETTLED_STATUSES = ("验收通过", "已兑现")
# What a settlement reads of each equipment line (设备清单) and a decision record keeps of it
# (``line_record``): the fields ``equipment.policy.line_item`` maps and what names the machine.
LINE_FIELDS = (
    "number",
    "name",
    "spec",
    "category",
    "acquisition",
    "unit_price",
    "quantity",
    "lease_fee",
    "origin",
    "first_set_level",
    "first_set_product",
    "acquired_on",
    "depreciation_class",
)


def policy_data() -> PolicyData:
    """Parameters and programmes of the active plan, as plain data for the engine."""
    return policy_data_from_plan(plans.active_plan_document().model_dump(mode="python"))


# The registry fields a calculation request is made of: ``project_request`` reads them from a model
# (one project, settlement) or from ``values()`` rows (a year's projects, simulation).
REQUEST_FIELDS = (
    "id",
    "code",
    "area_id",
    "types",
    "provincial_key",
    "total_investment",
    "enterprise__uscc",
    "enterprise__high_tech",
    "enterprise__ic_enterprise",
    "enterprise__machine_tool_enterprise",
)


def _field(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def project_lines(project: Project | Mapping) -> list[dict]:
    """The project's live equipment lines (设备清单) by 序号, as ``values(*LINE_FIELDS)`` rows."""
    pid = project["id"] if isinstance(project, Mapping) else project.pk
    return list(EquipmentLine.objects.filter(project_id=pid).order_by("number").values(*LINE_FIELDS))


def lines_by_project(fields: Iterable[str] = LINE_FIELDS, **project_filter) -> dict[int, list[dict]]:
    """The live lines of the live projects matching ``project_filter`` (lookups on ``Project``), in
    one query: project id → its lines by 序号, as ``values("project_id", *fields)`` rows."""
    rows = (
        EquipmentLine.objects.filter(
            project__is_deleted=False, **{f"project__{k}": v for k, v in project_filter.items()}
        )
        .order_by("project_id", "number")
        .values("project_id", *fields)
    )
    out: dict[int, list[dict]] = {}
    for row in rows:
        out.setdefault(row["project_id"], []).append(row)
    return out


def funds_of_year(year: int) -> dict[str, Decimal]:
    """P11 funds in the registry for ``year``: provincial-or-higher and the city's/counties' own."""
    rows = dict(
        Fund.objects.filter(year=year)
        .values_list("level")
        .annotate(s=Sum("amount"))
        .values_list("level", "s")
    )
    higher = (rows.get("国家级") or Decimal(0)) + (rows.get("省级") or Decimal(0))
    city = rows.get("市级") or Decimal(0)
    local = city + (rows.get("县级") or Decimal(0))
    return {"higher": higher, "city": city, "local": local}


def parse(data: dict) -> CalculateIn:
    return parse_request(data)


def project_request(
    project: Project | Mapping, *, date: dt.date, lines: Iterable[Mapping] | None = None
) -> dict:
    """The calculation request of a registry project (the inputs a decision record freezes): the one
    mapping from the registry to the engine. ``project`` is a model or a row of ``REQUEST_FIELDS``;
    ``lines`` its equipment lines in 序号 order (rows of at least ``equipment.policy.FIELDS``), read
    from the database when not given. Each line is one item (``equipment.policy.line_item``), so a
    project without lines is a request without equipment: settlement refuses it
    (``services.ProjectWithoutLines``), never guesses rows from the project's totals."""
    f = {k: _field(project, k) for k in REQUEST_FIELDS} if isinstance(project, Project) else project
    if lines is None:
        lines = project_lines(f)
    return {
        "date": date.isoformat(),
        "enterprise": {
            "uscc": f["enterprise__uscc"],
            "cit_rate": None,
            "high_tech": f["enterprise__high_tech"],
            "ic_enterprise": f["enterprise__ic_enterprise"],
            "machine_tool_enterprise": f["enterprise__machine_tool_enterprise"],
            "rd_expense": 0,
        },
        "project": {
            "code": f["code"],
            "types": [t for t in f["types"].split(TYPES_SEPARATOR) if t],
            "provincial_key": f["provincial_key"],
            "total_investment": equipment_policy.number(f["total_investment"]),
            "area": f["area_id"],
        },
        "equipment": [equipment_policy.line_item(line) for line in lines],
    }


def line_record(line: Mapping) -> dict:
    """A line as a decision record keeps it: ``LINE_FIELDS``, amounts as JSON numbers, the date as
    YYYY-MM-DD."""
    out = {k: line[k] for k in LINE_FIELDS}
    for k in ("unit_price", "lease_fee"):
        out[k] = equipment_policy.number(out[k])
    out["acquired_on"] = out["acquired_on"].isoformat() if out["acquired_on"] else None
    return out


def settleable_projects(*, year: int, area: str | None = None):
    """Projects of ``year`` in a settled status (of ``area`` when given), with and without lines."""
    qs = Project.objects.filter(year=year, status__in=SETTLED_STATUSES)
    if area:
        qs = qs.filter(area_id=area)
    return qs.select_related("enterprise").order_by("code")


def projects_without_lines(*, year: int, area: str | None = None):
    """Settleable projects that have no live equipment line: they are not settled (缺少设备清单)."""
    lines = EquipmentLine.objects.filter(project=OuterRef("pk"))
    return settleable_projects(year=year, area=area).filter(~Exists(lines))


def latest_record(project: Project) -> DecisionRecord | None:
    return project.decisions.order_by("-version").first()


def record_list(*, year: int | None = None, limit: int | None = 200):
    """Decision records, newest first (``limit=None``: all of them, for the export)."""
    qs = DecisionRecord.objects.select_related("project", "project__area").order_by("-created_at", "-id")
    if year:
        qs = qs.filter(project__year=year)
    return list(qs[:limit])


def run_list(limit: int = 20) -> list[SettlementRun]:
    return list(SettlementRun.objects.order_by("-created_at")[:limit])


# ---- simulation: the registry's projects of a year as columns -------------------------------------

SIMULATED_STATUSES = tuple(reference.counted_statuses())


def year_columns(*, year: int, date: dt.date) -> tuple[batch.Projects, batch.Items, list[str]]:
    """Projects of ``year`` in a counted status as engine columns, each mapped by ``project_request``
    as a settlement maps it: two queries, the projects and all their lines (grouped here)."""
    rows = list(
        Project.objects.filter(year=year, status__in=SIMULATED_STATUSES)
        .order_by("code")
        .values(*REQUEST_FIELDS)
    )
    lines = lines_by_project(equipment_policy.FIELDS, year=year, status__in=SIMULATED_STATUSES)
    requests = [project_request(r, date=date, lines=lines.get(r["id"], ())) for r in rows]
    areas = [a.code for a in plans.area_list()]
    type_names = tuple(reference.values("project_types"))
    projects, items = batch.columns_from_requests(requests, type_names, tuple(areas))
    return projects, items, areas
