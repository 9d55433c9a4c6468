"""Informational equipment indicators (信息性指标: the plan sets no target for them), per area as of a
data date D (``indicators.periods.data_date``), for the cockpit's equipment card:

- 淘汰类设备更新率 (T9): ``selectors.renewal_rate`` (docs/decisions/0016-elimination-matching.md);
- 国产设备投资占比 (T6): Σ amount of the lines of origin 国产 ÷ Σ amount of all lines;
- 省级及以上首台套设备投资 (T3): Σ amount of the lines whose 首台套级别 is 省级 or 国家级;

over the live equipment lines of the projects counted on D (counted_from ≤ D < counted_until,
registry/spells.py) acquired on or before D — a lease without a date counts. A line's amount is
``rules.line_amount`` (a purchase at unit price × quantity, a lease at its fee), computed here in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from renewal.accounts.scope import Scope
from renewal.indicators import periods
from renewal.planning.models import Area

from . import rules, selectors
from .models import EquipmentLine

ZERO = Decimal(0)
DOMESTIC = "国产"
MONEY = DecimalField(max_digits=20, decimal_places=2)
NO_TARGET = "未设目标"
CLAUSES = {"renewal": "T9", "domestic": "T6", "first_set": "T3"}

# rules.line_amount in SQL: a lease at its fee, a purchase at unit price × quantity (none → 0)
AMOUNT = Case(
    When(acquisition=rules.LEASE, then=Coalesce(F("lease_fee"), Value(ZERO), output_field=MONEY)),
    default=ExpressionWrapper(
        Coalesce(F("unit_price"), Value(ZERO), output_field=MONEY) * Coalesce(F("quantity"), Value(0)),
        output_field=MONEY,
    ),
    output_field=MONEY,
)


def counted_lines(
    *,
    day: dt.date,
    scope: Scope | None = None,
    area: str | None = None,
    origin: str | None = None,
    first_set: bool = False,
) -> QuerySet[EquipmentLine]:
    """The lines behind T6 and T3 on ``day``, each with its ``line_amount``; ``scope`` narrows them
    to the caller's records (the drill-down), none: the whole city (the figures)."""
    qs = EquipmentLine.objects.filter(
        project__is_deleted=False, project__counted_from__lte=day, project__counted_until__gt=day
    ).filter(Q(acquired_on__lte=day) | Q(acquired_on__isnull=True, acquisition=rules.LEASE))
    if scope is not None:
        qs = scope.filter_by_enterprise(qs, "project__enterprise__uscc", "project__area_id")
    if area:
        qs = qs.filter(project__area_id=area)
    if origin:
        qs = qs.filter(origin=origin)
    if first_set:
        qs = qs.filter(first_set_level__in=rules.REGISTERED_LEVELS)
    return qs.annotate(line_amount=AMOUNT)


@dataclass(frozen=True)
class AreaFigures:
    area: str | None  # None: the city
    name: str
    renewed: int
    candidates: int
    renewal_rate: Decimal | None
    domestic: Decimal  # 国产 lines, yuan
    lines_total: Decimal  # all lines, yuan
    domestic_share: Decimal | None
    first_set: Decimal  # 省级及以上首台套 lines, yuan


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else part / whole


def figures(*, as_of: dt.date) -> dict:
    """The three figures of each active area and of the city on the data date of ``as_of``:
    {"day", "areas": [AreaFigures …], "city": AreaFigures}."""
    day = periods.data_date(as_of)
    sums: dict[str, list[Decimal]] = {}  # area → [all, 国产, 首台套]
    grouped = (
        counted_lines(day=day)
        .values("project__area_id", "origin", "first_set_level")
        .annotate(total=Sum("line_amount"))
        .order_by()
    )
    for row in grouped:
        tally = sums.setdefault(row["project__area_id"], [ZERO, ZERO, ZERO])
        amount = row["total"] or ZERO
        tally[0] += amount
        if row["origin"] == DOMESTIC:
            tally[1] += amount
        if row["first_set_level"] in rules.REGISTERED_LEVELS:
            tally[2] += amount
    rates = {r["area"]: r for r in selectors.renewal_rate(day=day)}
    areas = []
    for a in Area.objects.filter(is_active=True).order_by("order", "code"):
        total, domestic, first_set = sums.get(a.code, (ZERO, ZERO, ZERO))
        rate = rates.get(a.code) or {"renewed": 0, "candidates": 0}
        areas.append(
            AreaFigures(
                area=a.code,
                name=a.name,
                renewed=rate["renewed"],
                candidates=rate["candidates"],
                renewal_rate=rules.renewal_rate(rate["renewed"], rate["candidates"]),
                domestic=domestic,
                lines_total=total,
                domestic_share=share(domestic, total),
                first_set=first_set,
            )
        )
    renewed = sum(a.renewed for a in areas)
    still = sum(a.candidates for a in areas)
    total = sum((a.lines_total for a in areas), ZERO)
    domestic = sum((a.domestic for a in areas), ZERO)
    city = AreaFigures(
        area=None,
        name="全市",
        renewed=renewed,
        candidates=still,
        renewal_rate=rules.renewal_rate(renewed, still),
        domestic=domestic,
        lines_total=total,
        domestic_share=share(domestic, total),
        first_set=sum((a.first_set for a in areas), ZERO),
    )
    return {"day": day, "areas": areas, "city": city}
