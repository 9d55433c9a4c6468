"""The two reads every registry measure's declaration (``measures.MEASURES``) turns into.

* ``measure_facts``: the aggregate of every measure per area and month, in one grouped query per
  source (a roll-up kept exact by triggers, or a registry table) — never one per target or area;
* ``measure_records``: the records behind one target's number, with their values.

Both read the same conditions (``conditions``), the same value and the same dating
(``measures.month_of``), and the drill-down keeps the months the engine counts
(``engine.counted_months``): the records sum to the indicator by construction. A measure answered
by a roll-up has its conditions translated to the roll-up's columns (``measures.Rollup``); its
drill-down reads the registry table, and a test compares the two for every measure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import connection
from django.db.models import CharField, Count, F, Min, Q, Sum
from django.db.models.functions import Cast, Substr

from renewal.lib import units
from renewal.planning import schema

from . import engine, periods
from .measures import MEASURES, ROLLUPS, TABLES, Measure, Rollup

# A condition is (lookup, value), or (None, alternatives): at least one alternative holds, each a
# tuple of conditions. Hashable, so the conditions shared by a source's measures can be factored out.
Condition = tuple


def _month_text(field: str):
    """'YYYY-MM' of a date column, without a per-row Python function on SQLite."""
    return Substr(Cast(field, output_field=CharField()), 1, 7)


def _target(plan: schema.Plan, code: str) -> schema.Target | None:
    return {t.source.registry: t for t in plan.targets if t.source.registry}.get(code)


def conditions(
    m: Measure, plan: schema.Plan, year: int, day: dt.date, *, prior: bool = False
) -> frozenset[Condition] | None:
    """What a row of ``m`` meets to count in ``year`` at the data date ``day`` (``prior``: in the
    whole year before, with the statuses of its last day, for the forecast profile); None when the
    plan gives no threshold the measure needs."""
    t = _target(plan, m.code)
    out: set[Condition] = set(m.where.items())
    if m.any_of:
        out.add((None, tuple(tuple(sorted(alt.items())) for alt in m.any_of)))
    y = year - 1 if prior else year
    for name in m.year:
        out.add((name, y))
    if m.threshold:
        threshold = t.source.threshold if t else None
        if threshold is None:
            return None
        out.add((m.threshold, threshold))
    status_day = dt.date(y, 12, 31) if prior else day
    if m.status:
        stretch = TABLES[m.table].project + m.status
        out.add((f"{stretch}_from__lte", status_day))
        if not m.stock:  # a stock also reads the projects that left since (they count −1 then)
            out.add((f"{stretch}_until__gt", status_day))
    if m.on:  # a year-dated record with its day counts from that day
        out.add((None, (((f"{m.on}__isnull", True),), ((f"{m.on}__lte", status_day),))))
    if m.stock or not (m.since or prior):
        return frozenset(out)
    if prior:
        lo, hi = dt.date(y, 1, 1), min(dt.date(y, 12, 31), day)
    else:
        if m.since == "year":
            lo = dt.date(year, 1, 1)
        else:  # the target's period start; without a target, the plan's first year
            lo = t.period.bounds[0] if t else dt.date(plan.start_year, 1, 1)
        hi = day
    if m.dated == "month":
        lo, hi = periods.month_first(periods.month_index(lo)), periods.month_first(periods.month_index(hi))
    elif m.dated == "year":
        lo, hi = lo.year, y
    out |= {(f"{m.date}__gte", lo), (f"{m.date}__lte", hi)}
    return frozenset(out)


def _q(conds, lookup) -> Q:
    """The Q of ``conds``; ``lookup(name, value)`` gives the Q of one condition."""
    q = Q()
    for name, value in sorted(conds, key=repr):
        if name is None:
            q &= reduce(or_, (_q(alt, lookup) for alt in value))
        else:
            q &= lookup(name, value)
    return q


class _Source:
    """Where a group of measures is read: a registry table, or the roll-up that keeps it."""

    def __init__(self, m: Measure, *, rollup: bool = True):
        self.table = TABLES[m.table]
        self.rollup: Rollup | None = ROLLUPS[m.rollup] if m.rollup and rollup else None
        if self.rollup:
            self.model = apps.get_model("indicators", self.rollup.model)
        else:
            self.model = apps.get_model(self.table.model)
        self.m = m

    def column(self, name: str) -> str:
        """The column of a row's field: a roll-up key, or (for a value) a roll-up sum."""
        if self.rollup is None:
            return name
        return self.rollup.keys.get(name) or self.rollup.sums[name]

    def lookup(self, name: str, value) -> Q:
        r = self.rollup
        if r is None:
            if name == self.m.threshold and connection.vendor == "sqlite":
                # a sub-query, or SQLite's planner skip-scans the (year, area, status) index instead:
                # 140 ms instead of 0.5 ms at 200,000 projects (PostgreSQL plans the plain filter well
                # and a parallel plan for the sub-query)
                return Q(pk__in=self.model._default_manager.filter(**{name: value}).values("pk"))
            return Q(**{name: value})
        if (name, value) in r.flags:
            return Q(**{r.flags[(name, value)]: True})
        for row_field, column in r.keys.items():  # never a sum: it adds up many rows
            if name == row_field or name.startswith(row_field + "__"):
                if column in r.month_index and isinstance(value, dt.date):
                    # exact for the data date, always a month's last day: d ≤ D ⟺ month(d) ≤ month(D)
                    value = periods.month_index(value)
                return Q(**{column + name[len(row_field) :]: value})
        raise ValueError(f"{r.model} keeps no {name!r}: measure {self.m.code} cannot read it")

    def date(self, name: str | None = None):
        """The expression grouped on to date a row by its field ``name`` (default the measure's
        date): a month index, a year, or 'YYYY-MM'."""
        m = self.m
        column = self.column(name or m.date)
        if (m.dated == "year" and name is None) or (self.rollup and column in self.rollup.month_index):
            return F(column)
        return _month_text(column)

    def stretch(self) -> tuple:
        """The two expressions dating a stock's row: when it entered its status, when it left."""
        prefix = self.table.project + self.m.status
        return self.date(prefix + "_from"), self.date(prefix + "_until")

    def key(self, value) -> int | None:
        """The month index of a value of ``date()``; None for no date."""
        m = self.m
        if value is None:
            return None
        if m.dated == "year":
            return value * 12
        if isinstance(value, int):  # a roll-up's month index
            return value if value >= 0 else None
        return int(value[:4]) * 12 + int(value[5:7]) - 1

    def total(self, m: Measure, q: Q):
        if m.value is None:
            return Sum(self.rollup.count, filter=q) if self.rollup else Count("pk", filter=q)
        return Sum(self.column(m.value), filter=q)


def measure_facts(plan: schema.Plan, year: int, as_of: dt.date) -> dict[str, engine.MeasureData]:
    """Every registry measure as monthly increments per area, for ``year`` at the data date
    ``as_of`` (a month's last day)."""
    reg = {code: engine.MeasureData() for code in MEASURES}
    groups: dict[tuple, list[Measure]] = {}
    for m in MEASURES.values():
        groups.setdefault((m.rollup, m.table, m.distinct, m.date, m.dated), []).append(m)
    for group in groups.values():
        _aggregate(plan, group, year, as_of, reg)
    return reg


def _aggregate(plan, group: list[Measure], year: int, as_of: dt.date, reg) -> None:
    parts = [
        (m, prior, c)
        for m in group
        for prior in ((False, True) if m.profile else (False,))
        if (c := conditions(m, plan, year, as_of, prior=prior)) is not None
    ]
    if not parts:
        return
    source = _Source(group[0])
    common = frozenset.intersection(*(c for _, _, c in parts))
    rest = [_q(c - common, source.lookup) for _, _, c in parts]
    where = _q(common, source.lookup) & reduce(or_, rest)
    # the range every part lies in, so that an index on the date can serve the OR
    bounds = [dict(x for x in c - common if x[0] and x[0].endswith(("__gte", "__lte"))) for _, _, c in parts]
    for name in set.intersection(*(set(b) for b in bounds)):
        pick = min if name.endswith("__gte") else max
        where &= source.lookup(name, pick(b[name] for b in bounds))
    area = source.column(source.table.area)
    qs = source.model._default_manager.filter(where).order_by()
    if source.rollup is None:
        qs = qs.filter(**source.table.where)
    if group[0].stock:
        entered, left = source.stretch()
        qs, values = qs.annotate(_f=entered, _u=left), [area, "_f", "_u"]
        total = {
            f"m{i}": source.total(m, q) for i, ((m, _, _), q) in enumerate(zip(parts, rest, strict=True))
        }
    elif group[0].distinct:
        values = [area, source.column(group[0].distinct)]
        total = {f"m{i}": Min(source.date(), filter=q) for i, q in enumerate(rest)}
    else:
        qs, values = qs.annotate(_d=source.date()), [area, "_d"]
        total = {
            f"m{i}": source.total(m, q) for i, ((m, _, _), q) in enumerate(zip(parts, rest, strict=True))
        }
    at = periods.month_index(as_of)
    for row in qs.values(*values).annotate(**total):
        for i, (m, prior, _) in enumerate(parts):
            v = row[f"m{i}"]
            if m.stock:
                if not v:
                    continue
                months = reg[m.code].by_area.setdefault(row[area] or "", {})
                entered, left = source.key(row["_f"]), source.key(row["_u"])
                months[entered] = months.get(entered, 0.0) + float(v)
                if left is not None and left <= at:  # left its status by the data date
                    months[left] = months.get(left, 0.0) - float(v)
                continue
            if m.distinct:
                if v is None:
                    continue
                month, v = source.key(v), 1
            elif not v:
                continue
            else:
                month = source.key(row["_d"])
            data = reg[m.code]
            months = data.prior if prior else data.by_area.setdefault(row[area] or "", {})
            months[month] = months.get(month, 0.0) + float(v)


def pipeline_facts(plan: schema.Plan, year: int, day: dt.date) -> dict[str, engine.Pipeline]:
    """For every stock: its projects in the declared pipeline (已申报, 区县审核通过) at the data
    date ``day`` per area, and for the two years before on the same day of their year, how many
    projects of that year were in the pipeline and how many of those were counted at its end.
    One grouped query per year for all the stocks (each stock's conditions as a filtered count)."""
    Project = apps.get_model("registry", "Project")
    stocks = [m for m in MEASURES.values() if m.stock]
    out = {m.code: engine.Pipeline() for m in stocks}

    def counts(y: int, on: dt.date) -> dict[str, Q]:
        """Each stock's conditions for projects of year ``y`` in the pipeline on ``on``."""
        qs = {}
        for m in stocks:
            declared = dataclasses.replace(m, status="declared", dated="day", since=None)
            c = conditions(declared, plan, y, on)
            if c is not None:
                qs[m.code] = _q(c, _Source(m, rollup=False).lookup)
        return qs

    now = counts(year, day)
    if not now:
        return {}
    rows = Project._default_manager.filter(reduce(or_, now.values())).order_by().values("area_id")
    for row in rows.annotate(**{f"n{i}": Count("pk", filter=q) for i, q in enumerate(now.values())}):
        for i, code in enumerate(now):
            if row[f"n{i}"]:
                out[code].by_area[row["area_id"]] = row[f"n{i}"]
    for back in (1, 2):
        y = year - back
        same_day = periods.month_last(periods.month_index(day) - 12 * back)
        end = dt.date(y, 12, 31)
        counted = Q(counted_from__lte=end, counted_until__gt=end)
        then = counts(y, same_day)
        if not then:
            continue
        totals = Project._default_manager.filter(reduce(or_, then.values())).aggregate(
            **{f"n{i}": Count("pk", filter=q) for i, q in enumerate(then.values())},
            **{f"k{i}": Count("pk", filter=q & counted) for i, q in enumerate(then.values())},
        )
        for i, code in enumerate(then):
            if totals[f"n{i}"]:
                pipe = out[code]
                pipe.history_years = tuple(sorted({*pipe.history_years, y}))
                pipe.history_declared += totals[f"n{i}"]
                pipe.history_converted += totals[f"k{i}"]
    return {code: pipe for code, pipe in out.items() if code in now}


# -- Drill-down: the records that make a number ----------------------------------------------------


def measure_records(
    plan: schema.Plan, t: schema.Target, year: int, as_of: dt.date, area: str | None
) -> list[dict]:
    """The records behind target ``t``'s actual (city, or ``area``) at the data date ``as_of``;
    their ``value`` column sums to it."""
    m = MEASURES.get(t.source.registry)
    win = engine.window(plan, t, year)
    if m is None or win is None:
        return []
    table = TABLES[m.table]
    source = _Source(m, rollup=False)  # the registry rows themselves
    if m.stock:  # the records in their status on the day the count is taken
        day = min(as_of, win[1])
        c = conditions(m, plan, year, day)
        if c is None:
            return []
        stretch = table.project + m.status
        qs = source.model._default_manager.filter(
            _q(c, source.lookup), **table.where, **{f"{stretch}_until__gt": day}
        )
        if area:
            qs = qs.filter(**{table.area: area})
        values = dict.fromkeys(qs.values_list(table.record_key, flat=True).distinct().order_by(), 1)
        return RECORDS[table.record](m, qs, values, plan)
    counted = engine.counted_months(win, as_of)
    c = conditions(m, plan, year, as_of)
    if c is None or counted is None:
        return []
    qs = source.model._default_manager.filter(_q(c, source.lookup), **table.where)
    if area:
        qs = qs.filter(**{table.area: area})
    key = m.distinct or table.record_key
    total = Count("pk") if m.value is None else Sum(m.value)
    lo, hi = counted
    values: dict = {}
    first: dict = {}
    for record, d, v in qs.annotate(_d=source.date()).values_list(key, "_d").annotate(v=total).order_by():
        month = source.key(d)
        if m.distinct:
            first[record] = min(first.get(record, month), month)
        elif lo <= month <= hi and v:
            values[record] = values.get(record, 0) + v
    if m.distinct:
        values = {record: 1 for record, month in first.items() if lo <= month <= hi}
    values = {k: (float(v) if m.value else v) for k, v in values.items() if v}
    rows = RECORDS[table.record](m, qs, values, plan)
    if m.value:
        rows.sort(key=lambda r: -r["value"])
    return rows


def admin_url(model: str, pk, app: str = "registry") -> str:
    return f"/admin/{app}/{model}/{pk}/change/"


def project_row(p, value: float) -> dict:
    return {
        "label": p.name,
        "code": p.code,
        "enterprise": p.enterprise.name,
        "area": p.area.short_name,
        "detail": f"{p.status} · {p.types}",
        "value": value,
        "url": admin_url("project", p.id),
    }


def _projects(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    rows = []
    projects = apps.get_model("registry", "Project")._default_manager.filter(id__in=values)
    for p in projects.select_related("enterprise", "area").order_by("area__order", "code"):
        row = project_row(p, values[p.id])
        if m.detail:
            row["detail"] = m.detail.format_map(vars(p))
        rows.append(row)
    return rows


def _enterprises(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    """One row per enterprise, its counted rows (honours) in the detail."""
    rows: list[dict] = []
    seen: dict[int, dict] = {}
    for h in (
        qs.filter(enterprise_id__in=values)
        .select_related("enterprise__area")
        .order_by("enterprise__area__order", "enterprise__name", "year")
    ):
        row = seen.get(h.enterprise_id)
        if row is None:
            row = seen[h.enterprise_id] = {
                "label": h.enterprise.name,
                "code": h.enterprise.uscc,
                "enterprise": h.enterprise.name,
                "area": h.enterprise.area.short_name,
                "detail": "",
                "value": values[h.enterprise_id],
                "url": admin_url("enterprise", h.enterprise_id),
            }
            rows.append(row)
        row["detail"] = (row["detail"] + "；" if row["detail"] else "") + f"{h.year}年{h.level}{h.kind}"
    return rows


def _first_sets(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    return [
        {
            "label": f.product_name,
            "code": f"{f.year}年{f.level}{f.category}",
            "enterprise": f.enterprise.name,
            "area": f.enterprise.area.short_name,
            "detail": "",
            "value": values[f.id],
            "url": admin_url("firstsetproduct", f.id),
        }
        for f in qs.filter(id__in=values)
        .select_related("enterprise__area")
        .order_by("enterprise__area__order", "product_name")
    ]


def _funds(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    return [
        {
            "label": f.purpose,
            "code": f"{f.year}年{f.level}",
            "enterprise": "",
            "area": f.area.short_name if f.area else "市本级",
            "detail": f.note,
            "value": values[f.id],
            "url": admin_url("fund", f.id),
        }
        for f in qs.filter(id__in=values).select_related("area").order_by("-amount", "id")
    ]


def _wan(amount) -> str:
    """Yuan as the drill-down's amounts read (万元, like its value column)."""
    return units.figure(amount, "CNY", units.column("CNY"))


def _loans(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    """One row per loan contract (P12), by its number; for drawdowns, the counted ones in the
    detail (day and amount)."""
    banks = {b.code: b.name for b in plan.finance.banks}
    drawn: dict[int, list[str]] = {}
    if m.table == "drawdown":
        for d in qs.filter(contract_id__in=values).order_by("drawn_on"):
            drawn.setdefault(d.contract_id, []).append(f"{d.drawn_on:%Y-%m-%d} 放款 {_wan(d.amount)}")
    contracts = apps.get_model("finance", "LoanContract")._default_manager.filter(id__in=values)
    rows = []
    for c in contracts.select_related("project__enterprise", "project__area").order_by(
        "project__area__order", "project__code", "number"
    ):
        bank = banks.get(c.bank, "方案未列的银行")
        relending = "再贷款支持" if c.relending else "非再贷款"
        terms = f"{bank} · {c.signed_on:%Y-%m-%d} 签约 {_wan(c.amount)} · {relending}"
        rows.append(
            {
                "label": c.number,
                "code": c.project.code,
                "enterprise": c.project.enterprise.name,
                "area": c.project.area.short_name,
                "detail": "；".join([terms, *drawn.get(c.id, [])]),
                "value": values[c.id],
                "url": admin_url("loancontract", c.id, "finance"),
            }
        )
    return rows


def _fund_investments(m: Measure, qs, values: dict, plan: schema.Plan) -> list[dict]:
    return [
        {
            "label": f.fund_name,
            "code": f"{f.invested_on:%Y-%m-%d}",
            "enterprise": f.enterprise.name,
            "area": f.enterprise.area.short_name,
            "detail": "基金投资",
            "value": values[f.id],
            "url": admin_url("fundinvestment", f.id, "finance"),
        }
        for f in qs.filter(id__in=values)
        .select_related("enterprise__area")
        .order_by("enterprise__area__order", "enterprise__name", "invested_on")
    ]


# What the drill-down lists for each kind of record (``measures.Table.record``).
RECORDS = {
    "project": _projects,
    "enterprise": _enterprises,
    "first_set": _first_sets,
    "fund": _funds,
    "loan": _loans,
    "fund_investment": _fund_investments,
}
