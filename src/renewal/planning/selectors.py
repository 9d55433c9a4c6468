"""Reads of the planning app."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from . import schema
from .models import Area, Plan


class NoPlanLoaded(LookupError):
    def __str__(self) -> str:
        return "尚未载入行动方案：请先运行 `renewal plan load FILE` 或 `renewal demo`"


def active_plan() -> Plan:
    plan = Plan.objects.filter(is_active=True).first()
    if plan is None:
        raise NoPlanLoaded()
    return plan


@lru_cache(maxsize=8)
def _parsed(plan_id: str, loaded_at: str) -> schema.Plan:
    return schema.parse_plan(Plan.objects.get(id=plan_id).content, plan_id)


def active_plan_document() -> schema.Plan:
    """The active plan as the validated schema object (cached until the plan is reloaded)."""
    plan = active_plan()
    return _parsed(plan.id, plan.loaded_at.isoformat())


def area_list(*, include_inactive: bool = False) -> list[Area]:
    qs = Area.objects.all()
    return list(qs if include_inactive else qs.filter(is_active=True))


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integral values as int, others as float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def json_value(value, unit: str):
    """A parameter's stored value (Decimals were kept as text, exactly) as JSON: numbers as JSON
    numbers in base units, a mapping of numbers likewise; text units (``level``) stay text."""
    if isinstance(value, dict):
        return {k: json_value(v, unit) for k, v in value.items()}
    if isinstance(value, str) and unit not in schema.TEXT_UNITS:
        return number(Decimal(value))
    return value


def plan_as_json(plan: Plan) -> dict:
    """The loaded plan in the contract shape of `renewal plan show --json` (DESIGN.md)."""
    targets = [
        {
            "id": t.code,
            "clause": t.clause.code,
            "name": t.name,
            "kind": t.kind,
            "comparator": schema.COMPARATOR_LABELS[t.comparator],
            "value": number(t.value),
            "relative_to": t.relative_to or None,
            "unit": t.unit,
            "unit_label": schema.UNIT_LABELS[t.unit],
            "display": t.display,
            "period": t.period,
            "source": {"kind": t.source_kind, "code": t.source_code, "denominator": t.denominator or None},
            "baseline": t.baseline,
        }
        for t in plan.targets.select_related("clause")
    ]
    parameters = []
    for p in plan.parameters.select_related("clause"):
        values = [{**v, "value": json_value(v["value"], p.unit)} for v in p.values]
        current = values[-1]
        parameters.append(
            {
                "id": p.code,
                "clause": p.clause.code,
                "description": p.description,
                "value": current["value"],
                "unit": p.unit,
                "effective_from": current["effective_from"],
                "until": current.get("until"),
                "reference": p.reference,
                "example": p.example,
                "values": values,
            }
        )
    clauses = [
        {
            "id": c.code,
            "section": c.section,
            "number": c.number,
            "title": c.title,
            "text": c.text,
            "lead_units": [u.id for u in c.lead_units.all()],
            "lead_unit_names": [u.name for u in c.lead_units.all()],
            "areas": c.areas,
        }
        for c in plan.clauses.prefetch_related("lead_units")
    ]
    return {
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "document_number": plan.document_number,
            "issuer": plan.issuer,
            "issued_on": plan.issued_on.isoformat(),
            "city": {"code": plan.city_code, "name": plan.city_name},
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "targets": targets,
        "parameters": parameters,
        "tasks": [c for c in clauses if c["id"].startswith("T")],
        "clauses": clauses,
        "areas": [
            {"code": a.code, "name": a.name, "short_name": a.short_name, "focus": a.focus}
            for a in Area.objects.filter(is_active=True)
        ],
        "units": plan.content["units"],
        "programmes": plan.content.get("programmes", []),
    }
