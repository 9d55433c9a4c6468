"""The P11/P13 rules, each written once, on columns (docs/decisions/0011-policy-rules-once.md).

Projects and equipment items are arrays and every rule is a handful of whole-array operations.
Parameters are resolved once per batch at its date, programmes are looped over (a handful),
projects never are. The same code runs on two kinds of numbers:

- ``FLOAT`` (float64 yuan): settlement batches, the simulation and the benchmark;
- ``EXACT`` (``Decimal`` in object arrays): ``rules.calculate`` runs one request as a one-row batch
  and explains it from the intermediate columns (``BatchResult.items``, ``.programme_checks`` …).

Amounts are rounded to the fen half up (四舍五入) where a rate is applied or a division is made, as
``money`` does; ``FLOAT.fen`` does the same on floats (see its docstring) and threshold comparisons
allow half a fen for float noise, so both agree to the fen (``tests/policy/test_batch.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from pydantic import BaseModel

from .contract import CATEGORIES, item_class
from .parameters import PolicyData, Programme, level_rank

CLASSES = ("machinery", "tools", "vehicles", "electronics")
FEN = Decimal("0.01")


def money(v: Decimal) -> Decimal:
    """To the fen, half up (四舍五入)."""
    return v.quantize(FEN, rounding=ROUND_HALF_UP)


# ---- the two kinds of numbers --------------------------------------------------------------------


class _Float:
    """float64 columns."""

    exact = False
    dtype = float
    zero = 0.0
    one = 1.0
    # Inputs are whole fen, so two amounts that are equal differ here by float noise only (far
    # below half a fen): thresholds compare with this margin to decide as the exact numbers do.
    half_fen = 0.005
    # x × 100 is within a few units in the last place of the true value; scaling up by 2⁻⁵⁰ more
    # lifts a true half fen (…5 厘) that float stored just below it back to or above the half, and
    # moves no other value across it (their distance to the half is ≥ 0.0001 fen for amounts of
    # ordinary size and rates of four decimals or fewer).
    _up = 100 * (1 + 2**-50)

    num = staticmethod(float)

    @staticmethod
    def zeros(shape) -> np.ndarray:
        return np.zeros(shape)

    @classmethod
    def fen(cls, x: np.ndarray) -> np.ndarray:
        """To the fen, half up, for non-negative amounts (the contract refuses negative ones)."""
        y = x * cls._up
        y += 0.5
        np.floor(y, out=y)
        y /= 100
        return y

    @staticmethod
    def sum_by(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
        return np.bincount(index, weights=weights, minlength=n)


class _Exact:
    """``Decimal`` in object arrays: the exact numbers of one request (slow, explainable)."""

    exact = True
    dtype = object
    zero = Decimal(0)
    one = Decimal(1)
    half_fen = Decimal(0)
    fen = staticmethod(np.frompyfunc(money, 1, 1))

    @staticmethod
    def num(v) -> Decimal:
        return v if isinstance(v, Decimal) else Decimal(str(v))

    @classmethod
    def zeros(cls, shape) -> np.ndarray:
        return np.full(shape, cls.zero, dtype=object)

    @classmethod
    def sum_by(cls, index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
        out = cls.zeros(n)
        for i, w in zip(index, weights, strict=True):
            out[i] += w
        return out


FLOAT = _Float()
EXACT = _Exact()


# ---- columns -------------------------------------------------------------------------------------


@dataclass
class Projects:
    """One row per project. ``types`` is a bit mask over ``type_names``; ``area`` indexes ``area_codes``.

    ``cit_rate`` is the income-tax rate; where ``cit_declared`` is given and False the rate is read
    from P13.cit_rate by ``high_tech`` instead. ``rd_expense`` (with ``ic_enterprise`` and
    ``machine_tool_enterprise``) is optional: without it the R&D super-deduction is zero."""

    total_investment: np.ndarray
    provincial_key: np.ndarray
    types: np.ndarray
    area: np.ndarray
    cit_rate: np.ndarray
    type_names: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()
    cit_declared: np.ndarray | None = None
    high_tech: np.ndarray | None = None
    rd_expense: np.ndarray | None = None
    ic_enterprise: np.ndarray | None = None
    machine_tool_enterprise: np.ndarray | None = None

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
class ItemColumns:
    """The intermediate columns of each equipment item (what the trace of one request explains)."""

    cost: np.ndarray  # unit price × quantity
    base: np.ndarray  # P11: purchase at cost, lease at lease fee
    bonus_applies: np.ndarray  # P11: first-set product of the minimum level or above, bonus in force
    bonus: np.ndarray
    counted: np.ndarray  # base + bonus
    limit_in_force: np.ndarray  # P13: an expensing unit limit in force on the acquisition date
    within_limit: np.ndarray  # P13: unit price ≤ that limit
    years: np.ndarray  # P13: minimum depreciation years of the item's class (0: unknown)
    expensable: np.ndarray
    expensed: np.ndarray  # cost where expensable, else 0
    straight_line: np.ndarray  # one year of straight-line depreciation of ``expensed``
    deferral: np.ndarray  # first-year tax deferral
    special: np.ndarray  # P13: purchased catalogue special equipment


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
    subsidy_total_before_cap: np.ndarray | None = None
    cit_rate: np.ndarray | None = None
    rd_rate: np.ndarray | None = None
    rd_extra_deduction: np.ndarray | None = None
    rd_tax_saved: np.ndarray | None = None
    special_investment: np.ndarray | None = None
    items: ItemColumns | None = None
    # Per programme: the checks in the order the trace names the first one failed (``valid`` for
    # the date, ``project_types``, ``provincial_key``, ``areas``, ``min_investment``), its base and
    # its amount after its own cap (``raw``: before that cap).
    programme_checks: list[dict] = field(default_factory=list)

    @property
    def cuts(self) -> np.ndarray:
        """(projects, programmes): what the stacking cap cut from each programme."""
        return self.before_cap - self.amounts


def _value(data: PolicyData, pid: str, date: dt.date, default=None):
    r = data.resolve(pid, date)
    return r.value if r.in_force else default


def expensing_window(data: PolicyData) -> list[tuple[np.datetime64, np.datetime64, Decimal]]:
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
            windows.append((np.datetime64(v.effective_from, "D"), np.datetime64(end, "D"), v.value))
    return windows


def cut_order(programmes: Iterable[Programme]) -> list[int]:
    """P11: indexes in the order amounts are cut when the stacking cap bites: lowest level first,
    and within a level the programme listed last first (docs/decisions/0004-policy-engine.md)."""
    programmes = list(programmes)
    return sorted(range(len(programmes)), key=lambda i: (level_rank(programmes[i].level), -i))


# ---- the rules -----------------------------------------------------------------------------------


def eligible_equipment_investment(items: Items, data: PolicyData, date: dt.date, ops) -> dict:
    """P11: purchased equipment at unit price × quantity, leased at its lease fee; a first-set
    product of at least P11.first_set_min_level counts at 1 + P11.first_set_bonus_rate."""
    rate = data.resolve("P11.first_set_bonus_rate", date)
    min_level = data.resolve("P11.first_set_min_level", date)
    cost = items.unit_price * items.quantity
    base = np.where(items.purchase, cost, items.lease_fee)
    if rate.in_force and min_level.in_force:
        # max(…, 1): an item with no first-set level (rank 0) never counts, whatever the minimum.
        applies = items.first_set_rank >= max(level_rank(min_level.value), 1)
        bonus = np.where(applies, ops.fen(base * ops.num(rate.value)), ops.zero)
    else:
        applies = np.zeros(len(base), dtype=bool)
        bonus = np.full(len(base), ops.zero, dtype=ops.dtype)
    return {"cost": cost, "base": base, "bonus_applies": applies, "bonus": bonus, "counted": base + bonus}


def programme_amounts(
    p: Programme, projects: Projects, eligible: np.ndarray, date: dt.date, ops
) -> tuple[np.ndarray, dict]:
    """P11: one programme's amount per project: base × rate to the fen, then the programme's cap;
    nothing outside its validity, below its minimum investment, or for a project that does not
    fit its types, provincial-key flag or areas."""
    n = len(projects)
    base = eligible if p.base == "eligible_equipment_investment" else projects.total_investment
    checks: dict = {"base": base, "valid": p.valid_on(date)}
    if not checks["valid"]:
        return ops.zeros(n), checks
    ok = checks["min_investment"] = base >= ops.num(p.min_investment) - ops.half_fen
    if p.project_types:
        mask = 0
        for t in p.project_types:
            if t in projects.type_names:
                mask |= 1 << projects.type_names.index(t)
        checks["project_types"] = (projects.types & mask) != 0
        ok = ok & checks["project_types"]
    if p.provincial_key is not None:
        checks["provincial_key"] = projects.provincial_key == p.provincial_key
        ok = ok & checks["provincial_key"]
    if p.areas:
        codes = [projects.area_codes.index(a) for a in p.areas if a in projects.area_codes]
        checks["areas"] = np.isin(projects.area, codes)
        ok = ok & checks["areas"]
    raw = ops.fen(base * ops.num(p.rate))
    amount = raw if p.cap is None else np.minimum(raw, ops.num(p.cap))
    checks["raw"] = raw
    return np.where(ok, amount, ops.zero), checks


def stacking_cap(
    before: np.ndarray, programmes: tuple[Programme, ...], data: PolicyData, date: dt.date, ops
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """P11: the programmes of one project stack up to P11.subsidy_cap (a total of exactly the cap is
    not cut); the excess is cut in ``cut_order``. ``before`` is (programmes, projects); answers the
    amounts after the cap, the totals before and after it, and which projects it cut."""
    n = before.shape[1]
    total_before = before.sum(axis=0) if len(programmes) else ops.zeros(n)
    cap = _value(data, "P11.subsidy_cap", date)
    amounts, total = before.copy(), total_before.copy()
    if cap is None:
        return amounts, total_before, total, np.zeros(n, dtype=bool)
    over = total_before - ops.num(cap)
    capped = over > ops.half_fen
    rows = np.flatnonzero(capped)  # few: only these are cut
    if len(rows):
        cut_rows, excess = amounts[:, rows], over[rows]
        for j in cut_order(programmes):
            cut = np.minimum(cut_rows[j], excess)
            cut_rows[j] -= cut
            excess -= cut
        amounts[:, rows] = cut_rows
        total[rows] = cut_rows.sum(axis=0)
    return amounts, total_before, total, capped


def income_tax_rate(projects: Projects, data: PolicyData, date: dt.date, ops) -> np.ndarray:
    """P13: the declared rate, else P13.cit_rate: high-tech or standard."""
    if projects.cit_declared is None or projects.cit_declared.all():
        return projects.cit_rate
    rates = _value(data, "P13.cit_rate", date) or {}
    high_tech = projects.high_tech if projects.high_tech is not None else np.zeros(len(projects), dtype=bool)
    table = np.where(high_tech, ops.num(rates.get("high_tech", 0)), ops.num(rates.get("standard", 0))).astype(
        ops.dtype
    )
    return np.where(projects.cit_declared, projects.cit_rate, table)


def one_time_expensing(
    items: Items, cost: np.ndarray, cit_per_item: np.ndarray, data: PolicyData, date: dt.date, ops
) -> dict:
    """P13 (公告2023年第37号): purchased items of unit price ≤ P13.expensing_unit_limit in force on
    the acquisition date may be expensed at once; the first-year deferral is the tax on (cost − one
    year of straight-line depreciation over the class's minimum years, no residual value)."""
    m = len(cost)
    in_force = np.zeros(m, dtype=bool)
    within = np.zeros(m, dtype=bool)
    day = items.acquired_on.astype("datetime64[D]", copy=False).view(np.int64)  # integer days compare faster
    for start, end, limit in expensing_window(data):
        window = (day >= start.astype(np.int64)) & (day <= end.astype(np.int64))
        in_force |= window
        within |= window & (items.unit_price <= ops.num(limit) + ops.half_fen)
    years_by_class = _value(data, "P13.min_depreciation_years", date, {}) or {}
    years = np.array([ops.num(years_by_class.get(c, 0)) for c in CLASSES], dtype=ops.dtype)
    years = years[items.depreciation_class]
    known = years > 0
    expensable = items.purchase & within & known
    expensed = np.where(expensable, cost, ops.zero)
    straight = ops.fen(expensed / np.where(known, years, ops.one))
    deferral = ops.fen((expensed - straight) * cit_per_item)
    return {
        "limit_in_force": in_force,
        "within_limit": within,
        "years": years,
        "expensable": expensable,
        "expensed": expensed,
        "straight_line": straight,
        "deferral": deferral,
    }


def rd_super_deduction(
    projects: Projects, cit: np.ndarray, data: PolicyData, date: dt.date, ops
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P13 (公告2023年第7号/第44号): extra deduction of expensed R&D at the general rate, or the
    IC / 工业母机 rate while it is in force; tax saved = extra deduction × income-tax rate."""
    n = len(projects)
    if projects.rd_expense is None:
        return ops.zeros(n), ops.zeros(n), ops.zeros(n)
    general = ops.num(_value(data, "P13.rd_super_deduction_rate", date, 0))
    special = _value(data, "P13.rd_super_deduction_rate_ic_machine_tool", date)
    rate = np.full(n, general, dtype=ops.dtype)
    if special is not None:
        kinds = np.zeros(n, dtype=bool)
        for flags in (projects.ic_enterprise, projects.machine_tool_enterprise):
            if flags is not None:
                kinds |= flags
        rate = np.where(kinds, ops.num(special), rate)
    extra = ops.fen(projects.rd_expense * rate)
    return rate, extra, ops.fen(extra * cit)


def special_equipment_credit(
    items: Items, cost: np.ndarray, n: int, data: PolicyData, date: dt.date, ops
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P13 (财税〔2017〕71号): P13.special_equipment_credit_rate of purchased catalogue special equipment."""
    rate = ops.num(_value(data, "P13.special_equipment_credit_rate", date, 0))
    special = items.purchase & items.special
    if not special.any():
        return special, ops.zeros(n), ops.zeros(n)
    invest = ops.sum_by(items.project, np.where(special, cost, ops.zero), n)
    return special, invest, ops.fen(invest * rate)


def calculate_batch(
    projects: Projects,
    items: Items,
    data: PolicyData,
    date: dt.date,
    programmes: tuple[Programme, ...] | None = None,
    *,
    ops=FLOAT,
) -> BatchResult:
    n = len(projects)
    programmes = data.programmes if programmes is None else programmes

    equipment = eligible_equipment_investment(items, data, date, ops)
    eligible = ops.sum_by(items.project, equipment["counted"], n)
    bonus_total = ops.sum_by(items.project, equipment["bonus"], n)

    # Programmes × projects: each programme's row is contiguous (sums over a short axis are slow).
    before = ops.zeros((len(programmes), n))
    checks = []
    for j, p in enumerate(programmes):
        before[j], c = programme_amounts(p, projects, eligible, date, ops)
        checks.append(c)
    amounts, total_before, total, capped = stacking_cap(before, programmes, data, date, ops)

    cit = income_tax_rate(projects, data, date, ops)
    expensing = one_time_expensing(items, equipment["cost"], cit[items.project], data, date, ops)
    rd_rate, rd_extra, rd_saved = rd_super_deduction(projects, cit, data, date, ops)
    special, special_invest, credit = special_equipment_credit(items, equipment["cost"], n, data, date, ops)

    return BatchResult(
        eligible_equipment_investment=eligible,
        first_set_bonus=bonus_total,
        programme_ids=tuple(p.id for p in programmes),
        before_cap=before.T,
        amounts=amounts.T,
        subsidy_total=total,
        capped=capped,
        expensing_eligible=ops.sum_by(items.project, expensing["expensed"], n),
        first_year_tax_deferral=ops.sum_by(items.project, expensing["deferral"], n),
        special_equipment_credit=credit,
        parameters={
            "subsidy_cap": _value(data, "P11.subsidy_cap", date),
            "first_set_bonus_rate": float(_value(data, "P11.first_set_bonus_rate", date, 0)),
        },
        subsidy_total_before_cap=total_before,
        cit_rate=cit,
        rd_rate=rd_rate,
        rd_extra_deduction=rd_extra,
        rd_tax_saved=rd_saved,
        special_investment=special_invest,
        items=ItemColumns(**equipment, **expensing, special=special),
        programme_checks=checks,
    )


# ---- requests → columns ----------------------------------------------------------------------------


def columns_from_requests(
    requests: Iterable[BaseModel | Mapping],
    type_names: tuple[str, ...] | None = None,
    area_codes: tuple[str, ...] | None = None,
    *,
    ops=FLOAT,
) -> tuple[Projects, Items]:
    """``Projects`` and ``Items`` from requests in the contract's shape: parsed (``CalculateIn``) or
    plain mappings with every field present (``settlement.selectors.project_request``). Type names
    and area codes not given are those of the requests. An item acquired on no date (a lease: the
    contract requires the date of a purchase) counts as acquired on its request's date."""
    reqs = [r.model_dump() if isinstance(r, BaseModel) else r for r in requests]
    ent = [r["enterprise"] for r in reqs]
    pro = [r["project"] for r in reqs]
    if type_names is None:
        type_names = tuple(dict.fromkeys(t for p in pro for t in p["types"]))
    if area_codes is None:
        area_codes = tuple(dict.fromkeys(p["area"] for p in pro))
    types, areas = {t: 1 << i for i, t in enumerate(type_names)}, {a: i for i, a in enumerate(area_codes)}
    num = ops.num
    eq = [(i, r["date"], e) for i, r in enumerate(reqs) for e in r["equipment"]]

    def money_col(values) -> np.ndarray:
        return np.array([num(v) for v in values], dtype=ops.dtype)

    projects = Projects(
        total_investment=money_col(p["total_investment"] for p in pro),
        provincial_key=np.array([p["provincial_key"] for p in pro], dtype=bool),
        # More than 62 type names do not fit an int64 mask: Python integers then.
        types=np.array(
            [sum(types.get(t, 0) for t in set(p["types"])) for p in pro],
            dtype=np.int64 if len(type_names) < 63 else object,
        ),
        area=np.array([areas.get(p["area"], -1) for p in pro], dtype=np.int64),
        cit_rate=money_col(e["cit_rate"] if e["cit_rate"] is not None else 0 for e in ent),
        type_names=type_names,
        area_codes=area_codes,
        cit_declared=np.array([e["cit_rate"] is not None for e in ent], dtype=bool),
        high_tech=np.array([e["high_tech"] for e in ent], dtype=bool),
        rd_expense=money_col(e["rd_expense"] for e in ent),
        ic_enterprise=np.array([e["ic_enterprise"] for e in ent], dtype=bool),
        machine_tool_enterprise=np.array([e["machine_tool_enterprise"] for e in ent], dtype=bool),
    )
    items = Items(
        project=np.array([i for i, _, _ in eq], dtype=np.int64),
        purchase=np.array([e["acquisition"] == "purchase" for _, _, e in eq], dtype=bool),
        # The contract requires a purchase's price and a lease's fee; the other one is not read by
        # any rule (a lease counts at its fee and is never expensed), so absent it is 0 here.
        unit_price=money_col(_or_zero(e["unit_price"]) for _, _, e in eq),
        quantity=np.array([e["quantity"] for _, _, e in eq], dtype=ops.dtype if ops.exact else float),
        lease_fee=money_col(_or_zero(e["lease_fee"]) for _, _, e in eq),
        first_set_rank=np.array([level_rank(e["first_set"]) for _, _, e in eq], dtype=np.int64),
        acquired_on=np.array([e["acquired_on"] or d for _, d, e in eq], dtype="datetime64[D]"),
        depreciation_class=np.array([CLASSES.index(item_class(e)) for _, _, e in eq], dtype=np.int64),
        special=np.array([CATEGORIES[e["category"]][1] for _, _, e in eq], dtype=bool),
    )
    return projects, items


def _or_zero(v):
    return 0 if v is None else v
