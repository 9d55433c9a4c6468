"""The funnel of P12 (融资对接): listed → pushed → signed → disbursed → 贴息, per area and per bank,
as of a data date, with the records behind every figure.

Each measure is declared once (``MEASURES``): its records (``records(measure, period)``, one dict
per record with its area, its bank and its value) and nothing else; the funnel's figures are sums
of those records grouped by area or bank (``funnel``), and the drill-down lists the same records
(``measure_records``) — a figure and the sum of its drill-down agree by construction.

The data date ``D`` is the last day of the last whole month on or before ``as_of``, like the
indicators (decision 0014). As of D:

- *eligible* (符合推送条件): live projects meeting ``finance.eligibility`` with their status on D;
  per bank, each of its intended banks;
- *pushed* (已推送): distinct projects of pushed batches whose push took effect on or before D;
  per bank, the projects pushed to that bank;
- *signed* (已签约): live contracts signed on or before D — count, amount, of which re-lending;
- *disbursed* (累计放款): drawdowns dated on or before D; *outstanding* (贷款余额): drawn minus repaid
  on or before D, per contract;
- *subsidy* (贴息测算): each eligible contract's 贴息 over [period start, D]
  (``subsidy.contract_subsidies``, the rule of ``policy/interest.py``) — what
  `renewal finance subsidy --from <start> --to D` prints;
- *settled* (已核定贴息): the current version of each contract's settled records whose period ends
  on or before D (periods of a contract never overlap: ``subsidy.subsidy_settle`` refuses it);
- *fund* (基金投资): the provincial fund's investments dated on or before D, by the enterprise's area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from renewal.indicators import periods
from renewal.planning import selectors as plans
from renewal.planning.models import Area
from renewal.registry import spells
from renewal.registry.models import Project

from . import subsidy
from .eligibility import Rules, project_eligibility
from .models import (
    BatchItem,
    Drawdown,
    FundInvestment,
    InterestSubsidyRecord,
    LoanBatch,
    LoanContract,
    Repayment,
)

ZERO = Decimal(0)
CLAUSE = "P12"


@dataclass(frozen=True)
class Period:
    """The funnel's dates: figures as of ``data_date``; 贴息 over [subsidy_from, data_date]."""

    as_of: dt.date
    data_date: dt.date
    subsidy_from: dt.date

    @property
    def data_through(self) -> str:
        return f"{self.data_date:%Y-%m}"


def default_subsidy_from() -> dt.date:
    """The re-lending programme's first signing day (no 贴息 accrues before it), else the plan's
    first 1 January."""
    doc = plans.active_plan_document()
    r = doc.finance.relending
    return r.signing_from if r else dt.date(doc.start_year, 1, 1)


def period_of(as_of: dt.date, subsidy_from: dt.date | None = None) -> Period:
    day = periods.data_date(as_of)
    start = subsidy_from or default_subsidy_from()
    return Period(as_of, day, start)


# ---- the measures: their records ----------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    code: str
    label: str  # the column header, without the unit
    unit: str  # units code: count | CNY
    by_bank: bool = True  # has a per-bank figure (fund investments name no bank)
    distinct: bool = False  # count distinct projects (a project pushed to two banks is one project)
    note: str = ""


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("eligible", "符合推送条件项目", "count", distinct=True, note="按数据日期的项目状态判断"),
        Measure("pushed", "已推送项目", "count", distinct=True),
        Measure("signed", "已签约合同", "count"),
        Measure("signed_amount", "签约金额", "CNY"),
        Measure("relending_amount", "其中再贷款支持", "CNY"),
        Measure("disbursed", "累计放款", "CNY"),
        Measure("outstanding", "贷款余额", "CNY"),
        Measure("subsidy", "贴息测算", "CNY"),
        Measure("settled", "已核定贴息", "CNY"),
        Measure("fund", "基金投资", "CNY", by_bank=False),
    )
}


def bank_names() -> dict[str, str]:
    return {b.code: b.name for b in plans.active_plan_document().finance.banks}


def _project_row(p: Project, **extra) -> dict:
    return {
        "project": p.code,
        "project_name": p.name,
        "enterprise": p.enterprise.name,
        "area": p.area_id,
        "area_name": p.area.name,
        **extra,
    }


def _eligible(period: Period) -> list[dict]:
    from .batches import eligibility_rules

    rules: Rules = eligibility_rules()
    qs = (
        Project.objects.filter(loan_demand__gt=0, total_investment__gte=rules.min_total_investment)
        .select_related("enterprise", "area")
        .order_by("code")
    )
    projects = list(qs)
    steps = spells.history([p.pk for p in projects])
    out = []
    for p in projects:
        status = spells.status_on(steps.get(p.pk, []), period.data_date)
        facts = {
            "total_investment": p.total_investment,
            "loan_demand": p.loan_demand,
            "status": status or "",
            "intended_banks": list(p.intended_banks or []),
        }
        if project_eligibility(facts, rules).eligible:
            banks = [b for b in dict.fromkeys(str(c).strip() for c in p.intended_banks or []) if b]
            out.append(
                _project_row(
                    p,
                    banks=banks,
                    value=1,
                    status=status,
                    loan_demand=p.loan_demand,
                    total=p.total_investment,
                )
            )
    return out


def _pushed(period: Period) -> list[dict]:
    items = (
        BatchItem.objects.filter(
            batch__status=LoanBatch.Status.PUSHED,
            batch__pushed_on__lte=period.data_date,
            project__is_deleted=False,
        )
        .select_related("batch", "project__enterprise", "project__area")
        .order_by("project__code", "batch__pushed_on", "bank")
    )
    by_project: dict[int, dict] = {}
    for item in items:
        row = by_project.get(item.project_id)
        if row is None:
            row = by_project[item.project_id] = _project_row(
                item.project,
                banks=[],
                batches=[],
                value=1,
                loan_demand=item.loan_demand,
                pushed_on=item.batch.pushed_on,
            )
        if item.bank not in row["banks"]:
            row["banks"].append(item.bank)
        if item.batch.name not in row["batches"]:
            row["batches"].append(item.batch.name)
    return list(by_project.values())


def _contracts(period: Period) -> list[LoanContract]:
    return list(
        LoanContract.objects.filter(project__is_deleted=False, signed_on__lte=period.data_date)
        .select_related("project__enterprise", "project__area")
        .order_by("number")
    )


def _contract_row(c: LoanContract, value, **extra) -> dict:
    return _project_row(
        c.project,
        contract=c.number,
        bank=c.bank,
        banks=[c.bank],
        signed_on=c.signed_on,
        amount=c.amount,
        relending=c.relending,
        value=value,
        **extra,
    )


def _sums(model, date_field: str, day: dt.date, ids: list[int]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    rows = model.objects.filter(contract_id__in=ids, **{f"{date_field}__lte": day}).values_list(
        "contract_id", "amount"
    )
    for cid, amount in rows:
        out[cid] = out.get(cid, ZERO) + amount
    return out


def _signed(period: Period) -> list[dict]:
    return [_contract_row(c, 1) for c in _contracts(period)]


def _signed_amount(period: Period) -> list[dict]:
    return [_contract_row(c, c.amount) for c in _contracts(period)]


def _relending_amount(period: Period) -> list[dict]:
    return [_contract_row(c, c.amount) for c in _contracts(period) if c.relending]


def _disbursed(period: Period) -> list[dict]:
    contracts = {c.pk: c for c in _contracts(period)}
    rows = (
        Drawdown.objects.filter(contract_id__in=list(contracts), drawn_on__lte=period.data_date)
        .order_by("contract__number", "drawn_on")
        .values_list("contract_id", "drawn_on", "amount")
    )
    return [_contract_row(contracts[cid], amount, drawn_on=day) for cid, day, amount in rows]


def _outstanding(period: Period) -> list[dict]:
    contracts = _contracts(period)
    ids = [c.pk for c in contracts]
    drawn = _sums(Drawdown, "drawn_on", period.data_date, ids)
    repaid = _sums(Repayment, "repaid_on", period.data_date, ids)
    out = []
    for c in contracts:
        d, r = drawn.get(c.pk, ZERO), repaid.get(c.pk, ZERO)
        if d - r:
            out.append(_contract_row(c, d - r, drawn=d, repaid=r))
    return out


def _subsidy(period: Period) -> list[dict]:
    result = subsidy.contract_subsidies(period_from=period.subsidy_from, period_to=period.data_date)
    return [
        _contract_row(
            s.contract,
            s.result.interest_subsidy,
            balance_days=s.result.subsidised_balance_days,
            basis=s.result.basis,
        )
        for s in result.eligible
        if s.result.interest_subsidy
    ]


def _settled(period: Period) -> list[dict]:
    qs = (
        InterestSubsidyRecord.objects.filter(
            period_to__lte=period.data_date, contract__project__is_deleted=False
        )
        .select_related("contract__project__enterprise", "contract__project__area")
        .order_by("contract__number", "period_from", "period_to", "-version")
    )
    out, seen = [], set()
    for r in qs:
        key = (r.contract_id, r.period_from, r.period_to)
        if key in seen:
            continue
        seen.add(key)
        if r.amount:
            out.append(
                _contract_row(
                    r.contract, r.amount, period_from=r.period_from, period_to=r.period_to, version=r.version
                )
            )
    return out


def _fund(period: Period) -> list[dict]:
    qs = (
        FundInvestment.objects.filter(enterprise__is_deleted=False, invested_on__lte=period.data_date)
        .select_related("enterprise__area")
        .order_by("invested_on", "enterprise__uscc")
    )
    return [
        {
            "enterprise": f.enterprise.name,
            "uscc": f.enterprise.uscc,
            "area": f.enterprise.area_id,
            "area_name": f.enterprise.area.name,
            "banks": [],
            "fund_name": f.fund_name,
            "invested_on": f.invested_on,
            "value": f.amount,
        }
        for f in qs
    ]


READS: dict[str, Callable[[Period], list[dict]]] = {
    "eligible": _eligible,
    "pushed": _pushed,
    "signed": _signed,
    "signed_amount": _signed_amount,
    "relending_amount": _relending_amount,
    "disbursed": _disbursed,
    "outstanding": _outstanding,
    "subsidy": _subsidy,
    "settled": _settled,
    "fund": _fund,
}


def records(measure: str, period: Period) -> list[dict]:
    """Every record of ``measure`` as of the period's data date (each with area, banks, value)."""
    return READS[measure](period)


def _keep(row: dict, area: str | None, bank: str | None) -> bool:
    return (area is None or row["area"] == area) and (bank is None or bank in row["banks"])


def measure_records(
    measure: str, period: Period, *, area: str | None = None, bank: str | None = None
) -> list[dict]:
    """The drill-down: the records of one figure of the funnel (their values sum to it)."""
    return [r for r in records(measure, period) if _keep(r, area, bank)]


def total(rows: Iterable[dict]) -> Decimal:
    return sum((Decimal(r["value"]) for r in rows), ZERO)


# ---- the funnel ---------------------------------------------------------------------------------


@dataclass
class FunnelRow:
    key: str  # area or bank code ("" for the city's total)
    name: str
    figures: dict[str, Decimal] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.figures.values())


@dataclass
class Funnel:
    period: Period
    measures: list[Measure]
    areas: list[FunnelRow]
    banks: list[FunnelRow]
    city: FunnelRow
    trend: dict
    clause: str = CLAUSE


def _row(key: str, name: str, all_records: dict[str, list[dict]], *, area=None, bank=None) -> FunnelRow:
    figures = {}
    for code, rows in all_records.items():
        if bank is not None and not MEASURES[code].by_bank:
            continue
        figures[code] = total(r for r in rows if _keep(r, area, bank))
    return FunnelRow(key, name, figures)


def funnel(period: Period) -> Funnel:
    """Every figure of the funnel as of the period, per area, per bank and for the city."""
    all_records = {code: records(code, period) for code in MEASURES}
    areas = [_row(a.code, a.name, all_records, area=a.code) for a in Area.objects.filter(is_active=True)]
    names = bank_names()
    banks = [_row(code, name, all_records, bank=code) for code, name in names.items()]
    city = _row("", "合计", all_records)
    return Funnel(period, list(MEASURES.values()), areas, banks, city, trend(period, all_records))


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, i, end = [], periods.month_index(first), periods.month_index(last)
    while i <= end:
        out.append(periods.month_last(i))
        i += 1
    return out


def trend(period: Period, all_records: dict[str, list[dict]]) -> dict:
    """Month ends from the subsidy period's start to the data date: projects pushed, amounts signed
    and disbursed (cumulative) and outstanding at each month end (万元 on the chart)."""
    months = _month_ends(period.subsidy_from, period.data_date)
    pushed = all_records["pushed"]
    signed = all_records["signed_amount"]
    draws = all_records["disbursed"]
    contracts = {r["contract"] for r in signed}
    repaid_rows = list(
        Repayment.objects.filter(contract__number__in=contracts, repaid_on__lte=period.data_date).values_list(
            "repaid_on", "amount"
        )
    )
    out = {
        "months": [f"{m:%Y-%m}" for m in months],
        "pushed": [],
        "signed": [],
        "disbursed": [],
        "outstanding": [],
    }
    for m in months:
        out["pushed"].append(sum(1 for r in pushed if r["pushed_on"] <= m))
        out["signed"].append(total(r for r in signed if r["signed_on"] <= m))
        drawn = total(r for r in draws if r["drawn_on"] <= m)
        out["disbursed"].append(drawn)
        out["outstanding"].append(drawn - sum((a for d, a in repaid_rows if d <= m), ZERO))
    return out


def area_name(code: str) -> str | None:
    return Area.objects.filter(code=code).values_list("name", flat=True).first()
