"""Reads of equipment: a project's lines with their totals, warnings and what P11/P13 give for each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from renewal.planning import selectors as plans
from renewal.registry import models as R

from . import policy, rules
from .models import EquipmentLine

ZERO = Decimal(0)
ROBOT = "工业机器人"


def line_list(project: R.Project) -> list[EquipmentLine]:
    return list(EquipmentLine.objects.filter(project=project).order_by("number"))


def line_get(project: R.Project, number: int) -> EquipmentLine | None:
    return EquipmentLine.objects.filter(project=project, number=number).first()


def tolerance() -> Decimal:
    try:
        return plans.active_plan_document().equipment.lines_tolerance
    except Exception:  # no plan loaded
        return Decimal("0.05")


def lines_warnings(project: R.Project, lines: list[EquipmentLine]) -> list[str]:
    """What the import and the form warn about a project's lines, as sentences."""
    out = []
    total = sum((line.amount for line in lines), ZERO)
    warning = rules.lines_total_warning(total, project.equipment_investment, tolerance())
    if warning:
        out.append(warning)
    robots = sum((line.quantity or 0) for line in lines if line.category == ROBOT)
    reported = project.progress.aggregate(s=Sum("robots"))["s"] or 0
    warning = rules.robots_warning(reported, robots)
    if warning:
        out.append(warning)
    products = set(
        R.FirstSetProduct.objects.filter(level__in=rules.REGISTERED_LEVELS).values_list(
            "product_name", flat=True
        )
    )
    for line in lines:
        warning = rules.first_set_warning(line.__dict__, products)
        if warning:
            out.append(f"第{line.number}项：{warning}")
    return out


def project_request(project: R.Project, lines: list[EquipmentLine], *, date: dt.date) -> dict:
    """The calculation request of the project with these lines (settlement's mapping)."""
    from renewal.settlement import selectors as settlement  # noqa: PLC0415 - settlement reads equipment

    return {
        **settlement.project_request(project, date=date),
        "equipment": [policy.line_item(x) for x in lines],
    }


def explained_lines(project: R.Project, lines: list[EquipmentLine], *, date: dt.date | None = None) -> dict:
    """The calculator's answer for the project's lines, and for each line the sentences of P11
    (counted in the eligible investment, first-set bonus) and P13 (expensing, special credit)."""
    from renewal.policy.contract import RequestError  # noqa: PLC0415
    from renewal.settlement.calc import policy_calculate  # noqa: PLC0415

    date = date or timezone.localdate()
    if not lines:
        return {"answer": None, "lines": [], "error": ""}
    try:
        answer = policy_calculate(project_request(project, lines, date=date))
    except RequestError as exc:
        return {"answer": None, "lines": [{"line": x, "steps": []} for x in lines], "error": str(exc)}
    expensing = answer["tax"]["one_time_expensing"]["items"]
    rows = []
    for i, line in enumerate(lines):
        label = f"设备第{i + 1}行"
        steps = [
            s for s in answer["trace"] if s["step"].startswith(label) and "一次性税前扣除" not in s["step"]
        ]
        counted = next((s["value"] for s in steps if s["step"].endswith("计入设备投资额")), None)
        rows.append(
            {
                "line": line,
                "counted": counted,
                "p11": [s["basis"] for s in steps],
                "p13": expensing[i]["basis"] if i < len(expensing) else "",
                "expensed": expensing[i]["amount"] if i < len(expensing) else 0,
                "special": line.category in SPECIAL and line.acquisition == rules.PURCHASE,
            }
        )
    return {"answer": answer, "lines": rows, "error": "", "date": date}


SPECIAL = set(policy.CATEGORIES)


def lines_total(lines: list[EquipmentLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)
