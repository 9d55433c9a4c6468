"""Reads of the settlement app, and the thin adapter from the plan and the registry to the pure
policy engine (``renewal.policy``): the engine never sees a model, only plain data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db.models import Sum

from renewal.planning import selectors as plans
from renewal.policy import batch
from renewal.policy.contract import CalculateIn, parse_request
from renewal.policy.parameters import PolicyData, level_rank, policy_data_from_plan
from renewal.registry import reference
from renewal.registry.models import Fund, Project

from .models import DecisionRecord, SettlementRun

# Statuses whose projects are settled: acceptance passed (验收通过) and already paid (已兑现).
SETTLED_STATUSES = ("验收通过", "已兑现")
# The registry keeps the amount of first-set purchases (首台套购置额) but not the level of each
# product; P11 counts only provincial-or-higher ones, so the registry amount is read as 省级.
REGISTRY_FIRST_SET_LEVEL = "省级"


def policy_data() -> PolicyData:
    """Parameters and programmes of the active plan, as plain data for the engine."""
    return policy_data_from_plan(plans.active_plan_document().model_dump(mode="python"))


def project_request(project: Project, *, date: dt.date) -> dict:
    """The calculation request of a registry project (the inputs a decision record freezes)."""
    e = project.enterprise
    acquired = project.end_date or project.start_date or date
    general = project.equipment_investment - project.first_set_purchase
    equipment = []
    if general > 0:
        equipment.append(_row("登记设备投资（不含首台套，汇总一行）", general, None, acquired))
    if project.first_set_purchase > 0:
        equipment.append(
            _row(
                "首台（套）产品购置（登记汇总）",
                project.first_set_purchase,
                REGISTRY_FIRST_SET_LEVEL,
                acquired,
            )
        )
    return {
        "date": date.isoformat(),
        "enterprise": {
            "uscc": e.uscc,
            "cit_rate": None,
            "high_tech": e.high_tech,
            "ic_enterprise": e.ic_enterprise,
            "machine_tool_enterprise": e.machine_tool_enterprise,
            "rd_expense": 0,
        },
        "project": {
            "code": project.code,
            "types": project.type_list,
            "provincial_key": project.provincial_key,
            "total_investment": _num(project.total_investment),
            "area": project.area_id,
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


def year_columns(
    *, year: int, data: PolicyData, date: dt.date
) -> tuple[batch.Projects, batch.Items, list[str]]:
    """Projects of ``year`` in a counted status as engine columns (one or two items per project)."""
    type_names = tuple(reference.values("project_types"))
    rows = list(
        Project.objects.filter(year=year, status__in=SIMULATED_STATUSES)
        .order_by("code")
        .values_list(
            "area_id",
            "types",
            "provincial_key",
            "total_investment",
            "equipment_investment",
            "first_set_purchase",
            "end_date",
            "start_date",
            "enterprise__high_tech",
        )
    )
    areas = [a.code for a in plans.area_list()]
    n = len(rows)
    cit = data.resolve("P13.cit_rate", date).value or {}
    standard, high = float(cit.get("standard", 0)), float(cit.get("high_tech", 0))
    projects = batch.Projects(
        total_investment=np.array([float(r[3]) for r in rows]),
        provincial_key=np.array([r[2] for r in rows], dtype=bool),
        types=np.array(
            [sum(1 << type_names.index(t) for t in r[1].split("、") if t in type_names) for r in rows],
            dtype=np.int64,
        ),
        area=np.array([areas.index(r[0]) if r[0] in areas else -1 for r in rows], dtype=np.int64),
        cit_rate=np.array([high if r[8] else standard for r in rows]),
        type_names=type_names,
        area_codes=tuple(areas),
    )
    general = np.array([float(r[4] - r[5]) for r in rows])
    first = np.array([float(r[5]) for r in rows])
    acquired = np.array([np.datetime64(r[6] or r[7] or date, "D") for r in rows], dtype="datetime64[D]")
    idx = np.arange(n)
    both = np.concatenate
    items = batch.Items(
        project=both([idx, idx]),
        purchase=np.ones(2 * n, dtype=bool),
        unit_price=both([general, first]),
        quantity=np.ones(2 * n),
        lease_fee=np.zeros(2 * n),
        first_set_rank=both([np.zeros(n, dtype=np.int64), np.full(n, level_rank(REGISTRY_FIRST_SET_LEVEL))]),
        acquired_on=both([acquired, acquired]),
        depreciation_class=np.zeros(2 * n, dtype=np.int64),
        special=np.zeros(2 * n, dtype=bool),
    )
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
