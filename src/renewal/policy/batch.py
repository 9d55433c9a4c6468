"""The P11/P13 rules on columns (numpy), for settlement batches, simulation and the benchmark.

Same rules as ``rules.py`` (which stays the reference and explains itself); here projects and
equipment items are arrays and every rule is a handful of whole-array operations. Parameters are
resolved once per batch at its date, programmes are looped over (a handful), projects never are.
Amounts are float64 yuan rounded to the fen; ``tests/policy/test_batch.py`` checks the batch
against the exact calculator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .contract import CATEGORIES
from .parameters import PolicyData, Programme, level_rank

CLASSES = ("machinery", "tools", "vehicles", "electronics")


@dataclass
class Projects:
    """One row per project. ``types`` is a bit mask over ``type_names``; ``area`` indexes ``area_codes``."""

    total_investment: np.ndarray
    provincial_key: np.ndarray
    types: np.ndarray
    area: np.ndarray
    cit_rate: np.ndarray
    type_names: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.total_investment)


@dataclass
class Items:
    """One row per equipment item; ``project`` is the row of its project in ``Projects``."""

    project: np.ndarray
    purchase: np.ndarray
    unit_price: np.ndarray
    quantity: np.ndarray
    lease_fee: np.ndarray
    first_set_rank: np.ndarray  # parameters.level_rank: 0 none, 2 市级, 3 省级, 4 国家级
    acquired_on: np.ndarray  # datetime64[D]
    depreciation_class: np.ndarray  # index into CLASSES
    special: np.ndarray  # catalogue special equipment (P13 credit)


@dataclass
class BatchResult:
    eligible_equipment_investment: np.ndarray
    first_set_bonus: np.ndarray
    programme_ids: tuple[str, ...]
    before_cap: np.ndarray  # (projects, programmes): a transposed view
    amounts: np.ndarray  # (projects, programmes), after the stacking cap: a transposed view
    subsidy_total: np.ndarray
    capped: np.ndarray
    expensing_eligible: np.ndarray
    first_year_tax_deferral: np.ndarray
    special_equipment_credit: np.ndarray
    parameters: dict = field(default_factory=dict)


def _value(data: PolicyData, pid: str, date: dt.date, default=None):
    r = data.resolve(pid, date)
    return r.value if r.in_force else default


def expensing_window(data: PolicyData) -> list[tuple[np.datetime64, np.datetime64, float]]:
    """The dated values of P13.expensing_unit_limit as (from, until, limit) windows: the rule is keyed
    on each item's acquisition date, so the batch compares dates instead of looking up per item. A
    value ends at its ``until`` or the day before the next value takes effect."""
    p = data.parameters.get("P13.expensing_unit_limit")
    if p is None:
        return []
    windows = []
    for i, v in enumerate(p.values):
        end = v.until or dt.date(9999, 12, 31)
        if i + 1 < len(p.values):
            end = min(end, p.values[i + 1].effective_from - dt.timedelta(days=1))
        if v.value is not None:
            windows.append((np.datetime64(v.effective_from, "D"), np.datetime64(end, "D"), float(v.value)))
    return windows


def calculate_batch(
    projects: Projects,
    items: Items,
    data: PolicyData,
    date: dt.date,
    programmes: tuple[Programme, ...] | None = None,
) -> BatchResult:
    n = len(projects)
    programmes = data.programmes if programmes is None else programmes

    # P11: eligible equipment investment, first-set bonus from the minimum level up.
    bonus_rate = float(_value(data, "P11.first_set_bonus_rate", date, 0))
    min_rank = level_rank(_value(data, "P11.first_set_min_level", date)) or 99
    cost = items.unit_price * items.quantity
    base = np.where(items.purchase, cost, items.lease_fee)
    bonus = np.where(items.first_set_rank >= min_rank, np.round(base * bonus_rate, 2), 0.0)
    eligible = np.bincount(items.project, weights=base + bonus, minlength=n)
    bonus_total = np.bincount(items.project, weights=bonus, minlength=n)

    # P11: programmes, then the stacking cap cut lowest level first (rules.cut_order).
    # Programmes × projects: each programme's column is contiguous (row sums over a short axis are slow).
    k = len(programmes)
    before = np.zeros((k, n))
    for j, p in enumerate(programmes):
        if not p.valid_on(date):
            continue
        b = eligible if p.base == "eligible_equipment_investment" else projects.total_investment
        ok = b >= float(p.min_investment)
        if p.project_types:
            mask = 0
            for t in p.project_types:
                if t in projects.type_names:
                    mask |= 1 << projects.type_names.index(t)
            ok &= (projects.types & mask) != 0
        if p.provincial_key is not None:
            ok &= projects.provincial_key == p.provincial_key
        if p.areas:
            codes = [projects.area_codes.index(a) for a in p.areas if a in projects.area_codes]
            ok &= np.isin(projects.area, codes)
        amount = np.round(b * float(p.rate), 2)
        if p.cap is not None:
            amount = np.minimum(amount, float(p.cap))
        before[j] = np.where(ok, amount, 0.0)
    total_before = before.sum(axis=0)
    cap = _value(data, "P11.subsidy_cap", date)
    amounts = before.copy()
    if cap is not None:
        excess = np.maximum(total_before - float(cap), 0.0)
        capped = excess > 0
        if capped.any():
            order = sorted(range(k), key=lambda i: (level_rank(programmes[i].level), -i))
            for j in order:
                cut = np.minimum(amounts[j], excess)
                amounts[j] -= cut
                excess -= cut
    else:
        capped = np.zeros(n, dtype=bool)
    total = amounts.sum(axis=0)

    # P13: one-time expensing by acquisition date and unit price; first-year deferral.
    expensable = np.zeros(len(cost), dtype=bool)
    day = items.acquired_on.astype("datetime64[D]").view(np.int64)  # integer days compare faster
    for start, end, limit in expensing_window(data):
        start_day, end_day = start.astype(np.int64), end.astype(np.int64)
        expensable |= (day >= start_day) & (day <= end_day) & (items.unit_price <= limit)
    expensable &= items.purchase
    years_by_class = _value(data, "P13.min_depreciation_years", date, {}) or {}
    years = np.array([float(years_by_class.get(c, 0)) for c in CLASSES])[items.depreciation_class]
    expensable &= years > 0
    safe_years = np.where(years > 0, years, 1.0)
    exp_amount = np.where(expensable, cost, 0.0)
    first_year_extra = exp_amount - np.round(exp_amount / safe_years, 2)
    cit_per_item = projects.cit_rate[items.project]
    deferral_item = np.round(first_year_extra * cit_per_item, 2)
    expensing = np.bincount(items.project, weights=exp_amount, minlength=n)
    deferral = np.bincount(items.project, weights=deferral_item, minlength=n)

    # P13: special-equipment credit.
    credit_rate = float(_value(data, "P13.special_equipment_credit_rate", date, 0))
    special = items.purchase & items.special
    if special.any():
        special_cost = np.bincount(items.project, weights=np.where(special, cost, 0.0), minlength=n)
        credit = np.round(special_cost * credit_rate, 2)
    else:
        credit = np.zeros(n)

    return BatchResult(
        eligible_equipment_investment=eligible,
        first_set_bonus=bonus_total,
        programme_ids=tuple(p.id for p in programmes),
        before_cap=before.T,
        amounts=amounts.T,
        subsidy_total=total,
        capped=capped,
        expensing_eligible=expensing,
        first_year_tax_deferral=deferral,
        special_equipment_credit=credit,
        parameters={"subsidy_cap": cap, "first_set_bonus_rate": bonus_rate},
    )


def columns_from_requests(
    requests: list, type_names: tuple[str, ...], area_codes: tuple[str, ...], data, date
):
    """Builds ``Projects`` and ``Items`` from parsed requests (``contract.CalculateIn``): for tests and
    small batches; large ones build the arrays directly."""
    from .rules import Trace, income_tax_rate  # noqa: PLC0415 - avoid a cycle at import

    tot, key, types, area, cit = [], [], [], [], []
    cols: dict[str, list] = {k: [] for k in Items.__dataclass_fields__}
    for i, r in enumerate(requests):
        tot.append(float(r.project.total_investment))
        key.append(r.project.provincial_key)
        types.append(sum(1 << type_names.index(t) for t in r.project.types if t in type_names))
        area.append(area_codes.index(r.project.area) if r.project.area in area_codes else -1)
        cit.append(float(income_tax_rate(r, data, Trace())))
        for e in r.equipment:
            cols["project"].append(i)
            cols["purchase"].append(e.acquisition == "purchase")
            cols["unit_price"].append(float(e.unit_price))
            cols["quantity"].append(float(e.quantity))
            cols["lease_fee"].append(float(e.lease_fee))
            cols["first_set_rank"].append(level_rank(e.first_set))
            cols["acquired_on"].append(np.datetime64(e.acquired_on or date, "D"))
            cols["depreciation_class"].append(CLASSES.index(CATEGORIES[e.category][0]))
            cols["special"].append(CATEGORIES[e.category][1])
    projects = Projects(
        np.array(tot, dtype=float),
        np.array(key, dtype=bool),
        np.array(types, dtype=np.int64),
        np.array(area, dtype=np.int64),
        np.array(cit, dtype=float),
        type_names,
        area_codes,
    )
    items = Items(
        project=np.array(cols["project"], dtype=np.int64),
        purchase=np.array(cols["purchase"], dtype=bool),
        unit_price=np.array(cols["unit_price"], dtype=float),
        quantity=np.array(cols["quantity"], dtype=float),
        lease_fee=np.array(cols["lease_fee"], dtype=float),
        first_set_rank=np.array(cols["first_set_rank"], dtype=np.int64),
        acquired_on=np.array(cols["acquired_on"], dtype="datetime64[D]"),
        depreciation_class=np.array(cols["depreciation_class"], dtype=np.int64),
        special=np.array(cols["special"], dtype=bool),
    )
    return projects, items
