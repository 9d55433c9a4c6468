"""Reads of loans, drawdowns, repayments and fund investments (P12), scoped by ``accounts.scope``:
the city sees every record, an area operator its area's, an enterprise its own projects', a bank
user its own bank's (the ``bank`` path registered in ``apps.py``); the viewer none.

Also the plan file's bank reference list (``finance.banks``) as (code, name) pairs.
(``finance/selectors.py`` holds the batches' and the funnel's reads.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.planning.selectors import NoPlanLoaded, active_plan_document

from . import rules
from .models import BatchItem, Drawdown, FundInvestment, LoanBatch, LoanContract, Repayment

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def plan_banks() -> list[tuple[str, str]]:
    """(code, name) of the active plan's banks; none without a plan."""
    try:
        return [(b.code, b.name) for b in active_plan_document().finance.banks]
    except NoPlanLoaded:
        return []


def max_banks() -> int:
    try:
        return active_plan_document().finance.eligibility.max_banks
    except NoPlanLoaded:
        return 3


def bank_names() -> dict[str, str]:
    return dict(plan_banks())


def refusal(scope: Scope) -> str | None:
    """Why the caller reads no loans (403, Chinese), or None: a bank user reads its bank's, the
    roles that read records theirs; the viewer reads the funnel's figures only."""
    if scope.role == Role.BANK:
        return None if scope.bank else "您的银行用户账号未关联银行，请联系市级管理员"
    return scope.records_refusal("贷款")


def _sum(model) -> Subquery:
    qs = model.objects.filter(contract=OuterRef("pk"))
    return Coalesce(
        Subquery(qs.values("contract").annotate(t=Sum("amount")).values("t")[:1], output_field=MONEY),
        Value(ZERO, output_field=MONEY),
    )


def loan_list(
    *,
    scope: Scope,
    bank: str | None = None,
    project: str | None = None,
    area: str | None = None,
    q: str | None = None,
) -> QuerySet[LoanContract]:
    """The contracts the caller sees, with ``drawn`` and ``repaid`` (yuan) annotated."""
    qs = scope.filter_records(LoanContract.objects.all())
    if bank:
        qs = qs.filter(bank=bank)
    if project:
        qs = qs.filter(project__code=project)
    if area:
        qs = qs.filter(project__area_id=area)
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(project__code__icontains=q) | Q(project__enterprise__name__icontains=q)
        )
    return (
        qs.select_related("project", "project__enterprise", "project__area")
        .annotate(drawn=_sum(Drawdown), repaid=_sum(Repayment))
        .order_by("project__code", "number")
    )


def loan_get(*, scope: Scope, number: str) -> LoanContract | None:
    return loan_list(scope=scope).filter(number=number).first()


def ledger(contract: LoanContract) -> list[rules.Event]:
    """The contract's live drawdowns and repayments as events (tag: the record)."""
    events = [rules.Event(rules.DRAWDOWN, d.drawn_on, d.amount, d) for d in contract.drawdowns.all()]
    events += [rules.Event(rules.REPAYMENT, r.repaid_on, r.amount, r) for r in contract.repayments.all()]
    return sorted(events, key=lambda e: (e.on, e.kind != rules.DRAWDOWN))


def outstanding(contract: LoanContract, on: dt.date | None = None) -> Decimal:
    return rules.outstanding(ledger(contract), on)


def drawdown_list(
    *, scope: Scope, bank: str | None = None, area: str | None = None, contract: str | None = None
) -> QuerySet[Drawdown]:
    qs = scope.filter_records(Drawdown.objects.filter(contract__is_deleted=False))
    if bank:
        qs = qs.filter(contract__bank=bank)
    if area:
        qs = qs.filter(contract__project__area_id=area)
    if contract:
        qs = qs.filter(contract__number=contract)
    return qs.select_related("contract").order_by("contract__number", "drawn_on")


def repayment_list(
    *, scope: Scope, bank: str | None = None, area: str | None = None, contract: str | None = None
) -> QuerySet[Repayment]:
    qs = scope.filter_records(Repayment.objects.filter(contract__is_deleted=False))
    if bank:
        qs = qs.filter(contract__bank=bank)
    if area:
        qs = qs.filter(contract__project__area_id=area)
    if contract:
        qs = qs.filter(contract__number=contract)
    return qs.select_related("contract").order_by("contract__number", "repaid_on")


def fund_investment_list(
    *, scope: Scope, area: str | None = None, q: str | None = None
) -> QuerySet[FundInvestment]:
    qs = scope.filter_records(FundInvestment.objects.filter(enterprise__is_deleted=False))
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if q:
        qs = qs.filter(Q(fund_name__icontains=q) | Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q))
    return qs.select_related("enterprise", "enterprise__area").order_by("enterprise__uscc", "invested_on")


def pushed_project_ids(bank: str, project_ids) -> set[int]:
    """The projects among ``project_ids`` that a pushed batch listed for ``bank`` (a bank user
    contracts only for the projects pushed to it, P12 备选项目清单)."""
    return set(
        BatchItem.objects.filter(
            bank=bank, project_id__in=list(project_ids), batch__status=LoanBatch.Status.PUSHED
        ).values_list("project_id", flat=True)
    )


def project_finance(*, scope: Scope, project) -> dict:
    """The project page's 融资支持 panel (P12): its intended banks by name, the pushed batches that
    listed it, its loans the caller sees (signed, drawn, outstanding) and its enterprise's fund
    investments."""
    names = bank_names()
    items = (
        BatchItem.objects.filter(project=project, batch__status=LoanBatch.Status.PUSHED)
        .select_related("batch")
        .order_by("batch__pushed_on", "bank")
    )
    loans = list(loan_list(scope=scope, project=project.code)) if refusal(scope) is None else []
    for c in loans:
        c.bank_name = names.get(c.bank, c.bank)
        c.outstanding = c.drawn - c.repaid
    return {
        "intended_banks": [names.get(b, b) for b in project.intended_banks or []],
        "pushed": [
            {"batch": i.batch.name, "bank": names.get(i.bank, i.bank), "pushed_on": i.batch.pushed_on}
            for i in items
        ],
        "loans": loans,
        "funds": list(fund_investment_list(scope=scope).filter(enterprise_id=project.enterprise_id))
        if scope.sees_records
        else [],
    }
