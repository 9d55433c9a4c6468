"""Interest subsidy (贷款贴息, P12) of the registry's loans: the adapter from contracts, drawdowns,
repayments, pushed batches and the plan to the pure rule (``renewal.policy.interest``), the
frozen settlement of a period (``subsidy_settle``), its totals, and `renewal finance subsidy`.

Reads only live rows (contracts, drawdowns, repayments and projects not in the recycle bin). A
contract's project counts as pushed from the earliest ``pushed_on`` of a pushed batch listing it,
whichever bank the item names (policy/README.md, "Interest subsidy (P12)").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Min

from renewal.planning import schema
from renewal.planning import selectors as plans
from renewal.planning.models import Area
from renewal.policy import interest
from renewal.policy.parameters import PolicyData, _plain, policy_data_from_plan

from .models import BatchItem, Drawdown, InterestSubsidyRecord, LoanBatch, LoanContract, Repayment

ZERO = Decimal(0)


@dataclasses.dataclass
class ContractSubsidy:
    """One contract's figures for a period: the result of the rule and the inputs it read."""

    contract: LoanContract
    result: interest.InterestResult
    inputs: dict
    bank_name: str

    def item(self) -> dict:
        """One item of `renewal finance subsidy --json`."""
        c = self.contract
        return {
            "contract": c.number,
            "project": c.project.code,
            "bank": c.bank,
            "bank_name": self.bank_name,
            "area": c.project.area_id,
            "subsidised_balance_days": _plain(self.result.subsidised_balance_days),
            "interest_subsidy": _plain(self.result.interest_subsidy),
            "clause": self.result.clause,
            "basis": self.result.basis,
        }


@dataclasses.dataclass
class PeriodSubsidies:
    period_from: dt.date
    period_to: dt.date
    eligible: list[ContractSubsidy]
    ineligible: list[ContractSubsidy]

    @property
    def total(self) -> Decimal:
        return sum((s.result.interest_subsidy for s in self.eligible), ZERO)

    def as_json(self) -> dict:
        return {
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "items": [s.item() for s in self.eligible],
            "total": _plain(self.total),
            "ineligible": [
                {"contract": s.contract.number, "reason": s.result.reason} for s in self.ineligible
            ],
        }


def plan_inputs() -> tuple[PolicyData, schema.Finance]:
    """The active plan's parameters (P12.*) and its finance section."""
    doc = plans.active_plan_document()
    return policy_data_from_plan(doc.model_dump(mode="python")), doc.finance


def relending_programme(finance: schema.Finance) -> interest.RelendingProgramme | None:
    r = finance.relending
    return r and interest.RelendingProgramme(r.name, r.reference, r.signing_from, r.signing_to)


def first_pushed_on(project_ids: Iterable[int]) -> dict[int, dt.date]:
    """Project id → the earliest ``pushed_on`` of a pushed batch listing it (any bank)."""
    rows = (
        BatchItem.objects.filter(
            project_id__in=list(project_ids),
            batch__status=LoanBatch.Status.PUSHED,
            batch__pushed_on__isnull=False,
        )
        .values("project_id")
        .annotate(first=Min("batch__pushed_on"))
    )
    return {r["project_id"]: r["first"] for r in rows}


def _money_rows(rows: Iterable[tuple[dt.date, Decimal]]) -> list[dict]:
    return [{"date": d.isoformat(), "amount": _plain(a)} for d, a in rows]


def contract_subsidies(
    *, period_from: dt.date, period_to: dt.date, area: str | None = None
) -> PeriodSubsidies:
    """Every live contract's 贴息 over [period_from, period_to] (of ``area``'s projects when given),
    eligible and not; raises ``interest.PeriodError`` for a period that ends before it starts."""
    data, finance = plan_inputs()
    programme = relending_programme(finance)
    contracts = list(
        LoanContract.objects.filter(project__is_deleted=False, **({"project__area_id": area} if area else {}))
        .select_related("project")
        .order_by("number")
    )
    ids = [c.pk for c in contracts]
    draws: dict[int, list] = {}
    for cid, day, amount in Drawdown.objects.filter(contract_id__in=ids).values_list(
        "contract_id", "drawn_on", "amount"
    ):
        draws.setdefault(cid, []).append((day, amount))
    repays: dict[int, list] = {}
    for cid, day, amount in Repayment.objects.filter(contract_id__in=ids).values_list(
        "contract_id", "repaid_on", "amount"
    ):
        repays.setdefault(cid, []).append((day, amount))
    pushed = first_pushed_on({c.project_id for c in contracts})
    out = PeriodSubsidies(period_from, period_to, [], [])
    for c in contracts:
        d, r = sorted(draws.get(c.pk, [])), sorted(repays.get(c.pk, []))
        loan = interest.Loan(c.number, c.signed_on, c.relending, c.term_months)
        result = interest.interest_subsidy(
            loan,
            drawdowns=d,
            repayments=r,
            pushed_on=pushed.get(c.project_id),
            programme=programme,
            data=data,
            period_from=period_from,
            period_to=period_to,
        )
        inputs = {
            "contract": {
                "number": c.number,
                "project": c.project.code,
                "bank": c.bank,
                "signed_on": c.signed_on.isoformat(),
                "amount": _plain(c.amount),
                "relending": c.relending,
                "term_months": c.term_months,
            },
            "drawdowns": _money_rows(d),
            "repayments": _money_rows(r),
            "pushed_on": pushed[c.project_id].isoformat() if c.project_id in pushed else None,
            "programme": None
            if programme is None
            else {
                "name": programme.name,
                "signing_from": programme.signing_from.isoformat(),
                "signing_to": programme.signing_to.isoformat(),
            },
            "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        }
        bank = finance.bank(c.bank)
        item = ContractSubsidy(c, result, inputs, bank.name if bank else c.bank)
        (out.eligible if result.eligible else out.ineligible).append(item)
    return out


# ---- frozen records ------------------------------------------------------------------------------


def _compared(inputs: dict, parameters: list[dict], amount: Decimal) -> tuple:
    """What a new version is decided on: the inputs, the parameter versions (not their wording)
    and the amount."""
    params = sorted((p["id"], p["effective_from"], json.dumps(p["value"])) for p in parameters)
    return json.dumps(inputs, sort_keys=True), params, Decimal(amount)


def latest_record(contract: LoanContract, period_from: dt.date, period_to: dt.date):
    return (
        InterestSubsidyRecord.objects.filter(contract=contract, period_from=period_from, period_to=period_to)
        .order_by("-version")
        .first()
    )


class OverlapError(interest.PeriodError):
    """A period that overlaps one already settled for the same contracts (a day's 贴息 is settled once)."""


def overlap_check(*, period_from: dt.date, period_to: dt.date, contract_ids: Iterable[int]) -> None:
    """Refuses a period that shares a day with another period already settled for one of the
    contracts: the funnel's 已核定贴息 sums every settled period, so a day settled twice would be
    paid twice. Settling the same period again is a new version, not an overlap."""
    other = (
        InterestSubsidyRecord.objects.filter(
            contract_id__in=list(contract_ids), period_from__lte=period_to, period_to__gte=period_from
        )
        .exclude(period_from=period_from, period_to=period_to)
        .select_related("contract")
        .order_by("period_from", "contract__number")
        .first()
    )
    if other is not None:
        raise OverlapError(
            f"期间 {period_from} 至 {period_to} 与合同 {other.contract.number} 已核定的期间 "
            f"{other.period_from} 至 {other.period_to} 重叠：同一天的贴息只能核定一次，请按不重叠的期间核定"
        )


@transaction.atomic
def subsidy_settle(
    *, period_from: dt.date, period_to: dt.date, user, area: str | None = None
) -> list[InterestSubsidyRecord]:
    """Freezes each eligible contract's 贴息 for the period as an ``InterestSubsidyRecord``: version 1
    the first time, N+1 when its inputs, parameter versions or amount changed since version N,
    otherwise version N is kept (its ``created`` attribute says which). A contract settled before
    that is no longer eligible gets a new version of 0 with the reason. A period sharing a day with
    another settled period of one of the contracts is refused (``OverlapError``). Returns the
    period's current records of the contracts settled."""
    period = contract_subsidies(period_from=period_from, period_to=period_to, area=area)
    overlap_check(
        period_from=period_from,
        period_to=period_to,
        contract_ids=[s.contract.pk for s in [*period.eligible, *period.ineligible]],
    )
    settled = [s for s in period.ineligible if latest_record(s.contract, period_from, period_to)]
    out = []
    for s in [*period.eligible, *settled]:
        latest = latest_record(s.contract, period_from, period_to)
        amount = s.result.interest_subsidy
        if latest is not None and _compared(latest.inputs, latest.parameters, latest.amount) == _compared(
            s.inputs, s.result.parameters, amount
        ):
            latest.created = False
            out.append(latest)
            continue
        record = InterestSubsidyRecord.objects.create(
            contract=s.contract,
            period_from=period_from,
            period_to=period_to,
            version=(latest.version + 1) if latest else 1,
            inputs=s.inputs,
            parameters=s.result.parameters,
            result={**s.result.as_dict(), "bank_name": s.bank_name},
            amount=amount,
            created_by=user if getattr(user, "pk", None) else None,
            created_by_name=getattr(user, "username", "") or "系统",
        )
        record.created = True
        out.append(record)
    return out


def subsidy_settled(*, period_from: dt.date, period_to: dt.date, area: str | None = None) -> dict:
    """The period's settled 贴息: the latest version of each contract's record and their total."""
    qs = (
        InterestSubsidyRecord.objects.filter(period_from=period_from, period_to=period_to)
        .select_related("contract__project__area")
        .order_by("contract__number", "-version")
    )
    if area:
        qs = qs.filter(contract__project__area_id=area)
    records, seen = [], set()
    for r in qs:
        if r.contract_id not in seen:
            seen.add(r.contract_id)
            records.append(r)
    return {"records": records, "total": sum((r.amount for r in records), ZERO), "count": len(records)}


def settled_periods(limit: int = 10) -> list[tuple[dt.date, dt.date]]:
    """The periods settled so far, the latest first (the settlement page's choice)."""
    rows = (
        InterestSubsidyRecord.objects.values_list("period_from", "period_to")
        .distinct()
        .order_by("-period_to", "-period_from")
    )
    return list(rows[:limit])


# ---- `renewal finance subsidy` ------------------------------------------------------------------


def _date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(f"{label}应为 YYYY-MM-DD 格式的日期，实为 {value!r}") from None


def subsidy_command(cmd, **options) -> None:
    """`renewal finance subsidy --from --to [--area CODE] [--json]`: every eligible contract's 贴息."""
    period_from = _date(options.get("date_from"), "期间起")
    period_to = _date(options.get("date_to"), "期间止")
    area = options.get("area")
    if area and not Area.objects.filter(code=area).exists():
        raise CommandError(f"区域代码 {area} 不存在")
    try:
        period = contract_subsidies(period_from=period_from, period_to=period_to, area=area)
    except interest.PeriodError as exc:
        raise CommandError(str(exc)) from None
    except plans.NoPlanLoaded as exc:
        raise CommandError(str(exc)) from None
    if options.get("json"):
        cmd.stdout.write(json.dumps(period.as_json(), ensure_ascii=False, indent=2))
        return
    cmd.stdout.write(f"贷款贴息（P12）：{period_from} 至 {period_to}" + (f"，区域 {area}" if area else ""))
    if not period.eligible:
        cmd.stdout.write("无符合贴息条件的贷款合同")
    else:
        cmd.stdout.write(
            f"{'合同编号':<20}{'项目':<16}{'银行':<14}{'区域':<8}{'贴息余额积数(元·天)':>22}{'贴息(元)':>14}"
        )
        for s in period.eligible:
            i = s.item()
            cmd.stdout.write(
                f"{i['contract']:<22}{i['project']:<18}{i['bank_name']:<12}{i['area']:<10}"
                f"{s.result.subsidised_balance_days:>24,.2f}{s.result.interest_subsidy:>16,.2f}"
            )
        cmd.stdout.write(f"合计 {len(period.eligible)} 份合同，贴息 {period.total:,.2f} 元（P12）")
    for s in period.ineligible:
        cmd.stdout.write(f"不予贴息：{s.contract.number}（{s.result.reason}）")
