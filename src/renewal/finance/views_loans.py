"""Pages of finance (P12): loans. ``/finance/loans/`` (the contracts the caller sees, with bank,
project, enterprise, signed, drawn and outstanding amounts in 万元), ``/finance/loans/<number>/``
(one contract with its drawdowns and repayments, and for the writers the forms to add them) and
``/finance/loans/new/?project=CODE`` (a new contract for a project). Who reads: as the API
(``selectors_loans.refusal``): the city, an area operator its area's, an enterprise its own
projects', a bank user its own bank's; who writes: ``finance.loans_write``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from renewal.accounts.models import Role
from renewal.accounts.pages import Gate, request_scope, service_error
from renewal.lib import units
from renewal.lib.errors import Refused, ServiceError
from renewal.planning.selectors import area_list

from . import rules, services
from . import selectors_loans as selectors

WAN = Decimal(10_000)


class LoansGate(Gate):
    """The loans pages: the roles that read records and the bank users (their own bank's)."""

    def refusal(self, scope):
        return selectors.refusal(scope)


GATE = LoansGate(records="贷款")


def _number(raw: str | None) -> Decimal | None:
    """A number typed in a form; None for text that is not one."""
    try:
        value = Decimal((raw or "").strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _amount(raw: str | None) -> Decimal | None:
    """A 万元 figure typed in a form → yuan."""
    value = _number(raw)
    return None if value is None else (value * WAN).quantize(Decimal("0.01"))


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@GATE
def loans(request):
    scope = request_scope(request)
    bank = (request.GET.get("bank") or "").strip() or None
    area = (request.GET.get("area") or "").strip() or None
    if scope.role == Role.AREA_OPERATOR:
        area = scope.area
    qs = selectors.loan_list(
        scope=scope, bank=bank, area=area, q=(request.GET.get("q") or "").strip() or None
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = selectors.bank_names()
    rows = [
        {
            "c": c,
            "bank_name": names.get(c.bank, c.bank),
            "outstanding": c.drawn - c.repaid,
            "amount": units.wan(c.amount),
            "drawn_wan": units.wan(c.drawn),
            "outstanding_wan": units.wan(c.drawn - c.repaid),
            "rate": units.percent(c.annual_rate, 2),
        }
        for c in page
    ]
    query = "&".join(f"{k}={request.GET[k]}" for k in ("bank", "area", "q") if request.GET.get(k))
    return render(
        request,
        "finance/loan_list.html",
        {
            "page": page,
            "rows": rows,
            "scope": scope,
            "banks": selectors.plan_banks() if scope.role != Role.BANK else [],
            "areas": area_list() if scope.is_city else [],
            "filters": request.GET,
            "query": query,
            "can_write": scope.can("finance.loans_write"),
        },
    )


def _detail_context(scope, c, **extra) -> dict:
    events = selectors.ledger(c)
    running, rows = Decimal(0), []
    for e in events:
        running += e.amount if e.kind == rules.DRAWDOWN else -e.amount
        rows.append(
            {
                "kind": rules.KIND_LABEL[e.kind],
                "on": e.on,
                "amount": units.wan(e.amount),
                "balance": units.wan(running),
            }
        )
    drawn = sum((e.amount for e in events if e.kind == rules.DRAWDOWN), Decimal(0))
    return {
        "c": c,
        "scope": scope,
        "bank_name": selectors.bank_names().get(c.bank, c.bank),
        "term_end": rules.term_end(c.signed_on, c.term_months),
        "amount": units.wan(c.amount),
        "drawn": units.wan(drawn),
        "outstanding": units.wan(rules.outstanding(events)),
        "rate": units.percent(c.annual_rate, 2),
        "events": rows,
        "can_write": scope.can("finance.loans_write"),
        **extra,
    }


@GATE
def loan(request, number: str):
    scope = request_scope(request)
    c = selectors.loan_get(scope=scope, number=number)
    if c is None:
        raise Http404(services.missing(scope, number).message)
    error = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        on, amount = _date(request.POST.get("date")), _amount(request.POST.get("amount"))
        if kind not in (rules.DRAWDOWN, rules.REPAYMENT):
            error = "未知的操作"
        elif on is None or amount is None:
            error = "请填写日期（YYYY-MM-DD）和金额（万元）"
        else:
            try:
                if kind == rules.DRAWDOWN:
                    services.drawdown_create(user=request.user, contract=c, drawn_on=on, amount=amount)
                else:
                    services.repayment_create(user=request.user, contract=c, repaid_on=on, amount=amount)
            except ServiceError as exc:
                if exc.status in (403, 404):
                    return service_error(request, exc)
                error = exc.message
            else:
                return redirect("finance:loan", number=c.number)
        c = selectors.loan_get(scope=scope, number=number)
    return render(
        request,
        "finance/loan_detail.html",
        _detail_context(scope, c, error=error),
        status=400 if error else 200,
    )


@GATE
def loan_new(request):
    scope = request_scope(request)
    if not scope.can("finance.loans_write"):
        return service_error(request, Refused(scope.refusal("finance.loans_write")))
    values = {k: (request.POST.get(k) or request.GET.get(k) or "").strip() for k in FORM_FIELDS}
    error = None
    if request.method == "POST":
        rate = _number(values["rate"])  # typed in %
        term = values["term_months"]
        data = {
            "number": values["number"],
            "project": values["project"],
            "bank": values["bank"] or None,
            "signed_on": _date(values["signed_on"]),
            "amount": _amount(values["amount"]),
            "annual_rate": rate / 100 if rate is not None else None,
            "term_months": int(term) if term.isdigit() else None,
            "relending": request.POST.get("relending") == "1",
        }
        missing = [label for field, label in REQUIRED.items() if data[field] in (None, "")]
        if missing:
            error = f"请填写：{'、'.join(missing)}"
        else:
            try:
                c = services.contract_create(user=request.user, data=data)
            except ServiceError as exc:
                if exc.status == 403:
                    return service_error(request, exc)
                error = exc.message
            else:
                return redirect("finance:loan", number=c.number)
    return render(
        request,
        "finance/loan_new.html",
        {
            "values": values,
            "error": error,
            "scope": scope,
            "banks": selectors.plan_banks() if scope.role != Role.BANK else [],
        },
        status=400 if error else 200,
    )


FORM_FIELDS = ("number", "project", "bank", "signed_on", "amount", "rate", "term_months")
REQUIRED = {
    "number": "合同编号",
    "project": "项目编号",
    "signed_on": "签约日期",
    "amount": "签约金额",
    "annual_rate": "年利率",
    "term_months": "期限",
}

urlpatterns = [
    path("loans/", loans, name="loans"),
    path("loans/new/", loan_new, name="loan_new"),
    path("loans/<str:number>/", loan, name="loan"),
]
