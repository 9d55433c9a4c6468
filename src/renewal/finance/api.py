"""API of finance (P12): /api/v1/loans… (a bank user: its own bank's records only).

- ``GET|POST /loans``: the contracts the caller sees (filters ``bank``, ``project``, ``area``,
  ``limit``/``offset``; ``{"items", "count"}``), a new contract;
- ``GET|PATCH|DELETE /loans/{number}``: one contract with its drawdowns, repayments and
  outstanding; a change carries the ``version`` read (stale: 409);
- ``GET|POST /loans/{number}/drawdowns``, ``…/repayments`` and ``DELETE …/{date}``.

Amounts in yuan, rates as fractions (3.45 % is 0.0345), dates ISO. Who reads: the city, an area
operator its area's loans, an enterprise its own projects' loans (read only), a bank user its own
bank's; a contract outside the caller's scope answers 404 whatever the method, as if it did not
exist (another bank's contract is never told apart from a number nobody uses); the viewer, who
reads aggregated figures only, 403. Writes: the city administrator and bank users (403 for others).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Key, Money, Rate, Text, Version
from renewal.registry.api import Page

from . import rules, services
from . import selectors_loans as selectors

router = Router(tags=["融资支持"], auth=api_auth)

Term = Annotated[int, Field(ge=1, le=rules.MAX_TERM)]


def _scope(request):
    scope = scope_for(request.user)
    reason = selectors.refusal(scope)
    if reason:
        raise HttpError(403, reason)
    return scope


class LoanFilters(Page):
    bank: Key = Field(None, description="银行代码，如 icbc")
    project: Key = Field(None, description="项目编号")
    area: Key = Field(None, description="区域代码，如 330402")


class EventOut(Schema):
    date: dt.date
    amount: float = Field(description="金额（元）")
    version: int = Field(description="版本号：删除时可带回，用于冲突检测")


class LoanOut(Schema):
    number: str = Field(description="合同编号")
    project: str = Field(description="项目编号")
    project_name: str
    uscc: str
    enterprise_name: str
    area: str
    bank: str = Field(description="银行代码")
    bank_name: str
    signed_on: dt.date
    amount: float = Field(description="签约金额（元）")
    annual_rate: float = Field(description="年利率（小数，0.0345 即 3.45%）")
    term_months: int
    term_end: dt.date = Field(description="期限届满日（签约日期加期限）")
    relending: bool = Field(description="再贷款支持")
    drawn: float = Field(description="累计放款（元）")
    repaid: float = Field(description="累计还款（元）")
    outstanding: float = Field(description="贷款余额（元）")
    version: int = Field(description="版本号：修改时原样带回，用于冲突检测")


class LoanDetail(LoanOut):
    drawdowns: list[EventOut]
    repayments: list[EventOut]


class LoanList(Schema):
    items: list[LoanOut]
    count: int


class EventList(Schema):
    contract: str
    items: list[EventOut]
    count: int
    outstanding: float = Field(description="当前贷款余额（元）")


class LoanIn(Schema):
    number: Key = Field(max_length=60, description="合同编号")
    project: Key = Field(max_length=40, description="项目编号")
    bank: Text | None = Field(None, max_length=32, description="银行代码或名称；银行用户可不填（本行）")
    signed_on: dt.date
    amount: Money = Field(description="签约金额（元）")
    annual_rate: Rate = Field(description="年利率（小数）")
    term_months: Term
    relending: bool = False


class LoanPatch(Schema):
    version: int = Field(ge=1, description="读取时的版本号")
    # absent means unchanged; none of them can be emptied
    bank: Text = Field(None, max_length=32)
    signed_on: dt.date = None
    amount: Money = None
    annual_rate: Rate = None
    term_months: Term = None
    relending: bool = None


class EventIn(Schema):
    date: dt.date
    amount: Money = Field(description="金额（元）")


def _loan(c) -> dict:
    drawn = getattr(c, "drawn", None)
    repaid = getattr(c, "repaid", None)
    if drawn is None or repaid is None:
        events = selectors.ledger(c)
        drawn = sum((e.amount for e in events if e.kind == rules.DRAWDOWN), Decimal(0))
        repaid = sum((e.amount for e in events if e.kind == rules.REPAYMENT), Decimal(0))
    p = c.project
    return {
        "number": c.number,
        "project": p.code,
        "project_name": p.name,
        "uscc": p.enterprise.uscc,
        "enterprise_name": p.enterprise.name,
        "area": p.area_id,
        "bank": c.bank,
        "bank_name": selectors.bank_names().get(c.bank, c.bank),
        "signed_on": c.signed_on,
        "amount": c.amount,
        "annual_rate": c.annual_rate,
        "term_months": c.term_months,
        "term_end": rules.term_end(c.signed_on, c.term_months),
        "relending": c.relending,
        "drawn": drawn,
        "repaid": repaid,
        "outstanding": drawn - repaid,
        "version": c.version,
    }


def _event(record, date_field: str) -> dict:
    return {"date": getattr(record, date_field), "amount": record.amount, "version": record.version}


def _visible(request, number: str):
    scope = _scope(request)
    c = selectors.loan_get(scope=scope, number=number)
    if c is None:
        raise HttpError(404, services.missing(scope, number).message)
    return c


@router.get("/loans", response=LoanList, summary="贷款合同列表")
def loan_list(request, filters: Query[LoanFilters]):
    qs = selectors.loan_list(
        scope=_scope(request), bank=filters.bank, project=filters.project, area=filters.area
    )
    window = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [_loan(c) for c in window], "count": qs.count()}


@router.post("/loans", response={201: LoanOut}, summary="登记贷款合同")
def loan_create(request, body: LoanIn):
    _scope(request)
    c = services.contract_create(user=request.user, data=body.dict())
    return Status(201, _loan(selectors.loan_get(scope=scope_for(request.user), number=c.number)))


@router.get("/loans/{number}", response=LoanDetail, summary="贷款合同详情（含放款、还款、余额）")
def loan_get(request, number: Key):
    c = _visible(request, number)
    return {
        **_loan(c),
        "drawdowns": [_event(d, "drawn_on") for d in c.drawdowns.all()],
        "repayments": [_event(r, "repaid_on") for r in c.repayments.all()],
    }


@router.patch("/loans/{number}", response=LoanOut, summary="修改贷款合同（带版本号）")
def loan_update(request, number: Key, body: LoanPatch):
    c = _visible(request, number)
    data = body.dict(exclude_unset=True)
    version = data.pop("version")
    services.contract_update(user=request.user, contract=c, data=data, version=version)
    return _loan(selectors.loan_get(scope=scope_for(request.user), number=number))


@router.delete("/loans/{number}", response={204: None}, summary="删除贷款合同（进入回收站）")
def loan_delete(request, number: Key, version: Version = None):
    services.contract_delete(user=request.user, contract=_visible(request, number), version=version)
    return Status(204, None)


def _events(kind: str, path: str, date_field: str, label: str) -> None:
    """GET and POST ``/loans/{number}/<path>`` and DELETE ``…/{date}`` of drawdowns or repayments."""
    create = services.drawdown_create if kind == rules.DRAWDOWN else services.repayment_create
    delete = services.drawdown_delete if kind == rules.DRAWDOWN else services.repayment_delete
    related = "drawdowns" if kind == rules.DRAWDOWN else "repayments"

    def listed(c) -> dict:
        rows = [_event(r, date_field) for r in getattr(c, related).all()]
        return {
            "contract": c.number,
            "items": rows,
            "count": len(rows),
            "outstanding": selectors.outstanding(c),
        }

    @router.get(
        f"/loans/{{number}}/{path}",
        response=EventList,
        summary=f"合同的{label}记录",
        operation_id=f"{path}_list",
    )
    def event_list(request, number: Key):
        return listed(_visible(request, number))

    @router.post(
        f"/loans/{{number}}/{path}",
        response={201: EventOut},
        summary=f"登记{label}",
        operation_id=f"{path}_create",
    )
    def event_create(request, number: Key, body: EventIn):
        c = _visible(request, number)
        record = create(user=request.user, contract=c, **{date_field: body.date}, amount=body.amount)
        return Status(201, _event(record, date_field))

    @router.delete(
        f"/loans/{{number}}/{path}/{{date}}",
        response={204: None},
        summary=f"删除{label}（进入回收站）",
        operation_id=f"{path}_delete",
    )
    def event_delete(request, number: Key, date: dt.date, version: Version = None):
        c = _visible(request, number)
        record = getattr(c, related).filter(**{date_field: date}).first()
        if record is None:
            raise HttpError(404, f"合同 {c.number} 在 {date:%Y-%m-%d} 没有{label}记录")
        delete(user=request.user, **{related[:-1]: record}, version=version)
        return Status(204, None)


_events(rules.DRAWDOWN, "drawdowns", "drawn_on", "放款")
_events(rules.REPAYMENT, "repayments", "repaid_on", "还款")
