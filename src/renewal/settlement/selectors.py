"""Reads of the settlement app, and the thin adapter from the plan and the registry to the pure
policy engine (``renewal.policy``): the engine never sees a model, only plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Sum

from renewal.planning import selectors as plans
from renewal.policy import batch
from renewal.policy.contract import CalculateIn, parse_request
from renewal.policy.parameters import PolicyData, policy_data_from_plan
from renewal.registry import reference
from renewal.registry.models import TYPES_SEPARATOR, Fund, Project

from .models import DecisionRecord, SettlementRun

# Statuses whose projects are settled: acceptance passed (验收通过) and already paid (已兑现).
SETTLED_STATUSES = ("验收通过", "已兑现")
# The registry keeps the amount of first-set purchases (首台套购置额) but not the level of each
# product; P11 counts only provincial-or-higher ones, so the registry amount is read as 省级.
REGISTRY_FIRST_SET_LEVEL = "省级"


def policy_data() -> PolicyData:
    """Parameters and programmes of the active plan, as plain data for the engine."""
    return policy_data_from_plan(plans.active_plan_document().model_dump(mode="python"))


# The registry fields a calculation request is made of: ``project_request`` reads them from a model
# (one project, settlement) or from ``values()`` rows (a year's projects, simulation).
REQUEST_FIELDS = (
    "code",
    "area_id",
    "types",
    "provincial_key",
    "total_investment",
    "equipment_investment",
    "first_set_purchase",
    "end_date",
    "start_date",
    "enterprise__uscc",
    "enterprise__high_tech",
    "enterprise__ic_enterprise",
    "enterprise__machine_tool_enterprise",
)


def _field(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def project_request(project: Project | Mapping, *, date: dt.date) -> dict:
    """The calculation request of a registry project (the inputs a decision record freezes): the one
    mapping from the registry to the engine. ``project`` is a model or a row of ``REQUEST_FIELDS``.

    The registry keeps no equipment rows: one purchased row for the equipment investment without
    first-set purchases, one first-set row read as ``REGISTRY_FIRST_SET_LEVEL`` (0004)."""
    f = {k: _field(project, k) for k in REQUEST_FIELDS} if isinstance(project, Project) else project
    acquired = f["end_date"] or f["start_date"] or date
    general = f["equipment_investment"] - f["first_set_purchase"]
    equipment = []
    if general > 0:
        equipment.append(_row("登记设备投资（不含首台套，汇总一行）", general, None, acquired))
    if f["first_set_purchase"] > 0:
        equipment.append(
            _row(
                "首台（套）产品购置（登记汇总）", f["first_set_purchase"], REGISTRY_FIRST_SET_LEVEL, acquired
            )
        )
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
            "total_investment": _num(f["total_investment"]),
            "area": f["area_id"],
        },
        "equipment": equipment,
    }


def _row(name: str, amount: Decimal, first_set: str | None, acquired: dt.date) -> dict:
    return {
        "name": name,
        "acquisition": "purchase",
        "unit_price": _num(amount),
        "quantity": 1,
        "lease_fee": 0,
        "first_set": first_set,
        "acquired_on": acquired.isoformat(),
        "category": "general",
    }


def _num(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


def settleable_projects(*, year: int):
    return (
        Project.objects.filter(year=year, status__in=SETTLED_STATUSES)
        .select_related("enterprise")
        .order_by("code")
    )


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
    as a settlement maps it."""
    rows = (
        Project.objects.filter(year=year, status__in=SIMULATED_STATUSES)
        .order_by("code")
        .values(*REQUEST_FIELDS)
    )
    requests = [project_request(r, date=date) for r in rows]
    areas = [a.code for a in plans.area_list()]
    type_names = tuple(reference.values("project_types"))
    projects, items = batch.columns_from_requests(requests, type_names, tuple(areas))
    return projects, items, areas


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
