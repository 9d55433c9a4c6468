"""Writes of the planning app. ``plan_load`` is the only way a plan gets into the database."""

from __future__ import annotations

from django.db import transaction

from . import schema
from .models import Area, Clause, Parameter, Plan, ResponsibleUnit, Target


@transaction.atomic
def plan_load(*, plan: schema.Plan, source_file: str = "") -> Plan:
    """Load a validated plan and make it the active one. Re-loading the same file changes nothing
    but ``loaded_at``; areas and units missing from the new plan are kept (the registry refers to
    them) but marked inactive."""
    row, _ = Plan.objects.update_or_create(
        id=plan.id,
        defaults={
            "title": plan.document.title,
            "city_code": plan.city.code,
            "city_name": plan.city.name,
            "document_number": plan.document.number,
            "issuer": plan.document.issuer,
            "issued_on": plan.document.issued_on,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "yellow_band": plan.status.yellow_band,
            "content": plan.model_dump(mode="json"),
            "source_file": source_file,
            "is_active": True,
        },
    )
    Plan.objects.exclude(id=plan.id).update(is_active=False)

    for order, a in enumerate(plan.areas):
        Area.objects.update_or_create(
            code=a.code,
            defaults={
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "aliases": a.aliases,
                "focus": [f.model_dump() for f in a.focus],
                "order": order,
                "is_active": True,
            },
        )
    Area.objects.exclude(code__in=[a.code for a in plan.areas]).update(is_active=False)

    for order, u in enumerate(plan.units):
        ResponsibleUnit.objects.update_or_create(
            id=u.id, defaults={"name": u.name, "full_name": u.full_name, "order": order, "is_active": True}
        )
    ResponsibleUnit.objects.exclude(id__in=[u.id for u in plan.units]).update(is_active=False)

    clauses: dict[str, Clause] = {}
    for order, c in enumerate(plan.clauses):
        clause, _ = Clause.objects.update_or_create(
            plan=row,
            code=c.id,
            defaults={
                "section": c.section,
                "number": c.number,
                "title": c.title,
                "text": c.text,
                "areas": c.areas,
                "order": order,
            },
        )
        clause.lead_units.set(c.lead_units)
        clauses[c.id] = clause
    row.clauses.exclude(code__in=clauses).delete()

    for order, t in enumerate(plan.targets):
        start, end = t.period.bounds
        Target.objects.update_or_create(
            plan=row,
            code=t.id,
            defaults={
                "clause": clauses[t.clause],
                "name": t.name,
                "kind": t.kind,
                "comparator": t.comparator,
                "value": t.value,
                "relative_to": t.relative_to or "",
                "unit": t.unit,
                "display": t.display,
                "period": t.period.as_dict(),
                "period_start": start,
                "period_end": end,
                "source_kind": t.source.kind,
                "source_code": t.source.code,
                "denominator": t.source.denominator or "",
                "baseline": t.baseline.model_dump(mode="json") if t.baseline else None,
                "note": t.note,
                "order": order,
            },
        )
    row.targets.exclude(code__in=[t.id for t in plan.targets]).delete()

    for order, p in enumerate(plan.parameters):
        Parameter.objects.update_or_create(
            plan=row,
            code=p.id,
            defaults={
                "clause": clauses[p.clause],
                "description": p.description,
                "unit": p.unit,
                "reference": p.reference,
                "example": p.example,
                "values": [v.model_dump(mode="json") for v in p.values],
                "order": order,
            },
        )
    row.parameters.exclude(code__in=[p.id for p in plan.parameters]).delete()
    return row
