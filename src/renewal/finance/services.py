"""Writes of loans, drawdowns, repayments and fund investments (P12): one write path for pages, the
API and the admin (the import writes in batches through ``exchange/kinds/loans.py`` and the others
with the same ``rules``). Keyword-only, atomic, validated, attributed in the history, versioned
(an edit of an older version is refused with 409).

Who writes: ``finance.loans_write`` (the city administrator, a bank user for its own bank's
contracts). A bank user contracts only for the projects pushed to its bank and never learns of
another bank's contract: it answers "不存在或不属于本行", as for a number nobody uses. Deletes are
soft (the recycle bin; a city administrator restores), a contract's drawdowns and repayments go
with it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry import models as R
from renewal.registry import reference
from renewal.registry.services import attribute, record_cascade, validated, version_check

from . import rules
from . import selectors_loans as selectors
from .models import Drawdown, FundInvestment, LoanContract, Repayment

CONTRACT_FIELDS = ("bank", "signed_on", "amount", "annual_rate", "term_months", "relending")
DELETED = "{what} 已被删除（在回收站中），请由市级管理员恢复"


def missing(scope: Scope, number: str) -> NotFound:
    """The answer for a contract the caller may not see: the same as for one that does not exist."""
    if scope.role == Role.BANK:
        return NotFound(f"合同编号 {number} 不存在或不属于本行", field="number")
    return NotFound(f"未找到贷款合同 {number}（或无权查看）", field="number")


def _writer(user) -> Scope:
    scope = scope_for(user)
    reason = scope.refusal("finance.loans_write")
    if reason:
        raise Refused(reason)
    if scope.role == Role.BANK and not scope.bank:
        raise Refused("您的银行用户账号未关联银行，请联系市级管理员")
    return scope


def _contract(scope: Scope, contract: LoanContract) -> LoanContract:
    """The contract, locked for the write, if the caller may see it."""
    c = LoanContract.objects.select_for_update().filter(pk=contract.pk).first()
    if c is None or not scope.can_see(c):
        raise missing(scope, contract.number)
    return c


def _bank(scope: Scope, code: str | None) -> str:
    """The contract's bank: a known bank of the plan file; a bank user's own."""
    banks = selectors.plan_banks()
    label = (code or "").strip() or (scope.bank if scope.role == Role.BANK else "")
    found = rules.bank_lookup(banks).get(label)
    if found is None:
        raise Invalid(f"贷款银行：{rules.unknown_bank(label, banks)}", field="bank")
    if scope.role == Role.BANK and found != scope.bank:
        raise Refused(f"您只能填报本行（{dict(banks).get(scope.bank, scope.bank)}）的贷款合同")
    return found


def _project(scope: Scope, code: str) -> R.Project:
    """The contract's project: registered and counted (已入库 and later); for a bank user, pushed to
    its bank (otherwise the same answer as for an unknown code)."""
    p = R.Project.objects.filter(code=code).first()
    if scope.role == Role.BANK:
        if p is None or not selectors.pushed_project_ids(scope.bank, [p.pk]):
            raise NotFound(f"项目编号：项目 {code} 不存在或未推送给本行", field="project")
    elif p is None or not scope.sees_all_records:
        raise NotFound(f"项目编号：未找到项目 {code}（或无权查看）", field="project")
    problem = rules.project_problem(p.status, reference.counted_statuses())
    if problem:
        raise Invalid(f"项目编号：{problem}", field="project")
    return p


def _values_check(values: dict) -> None:
    errors = rules.contract_problems(values)
    if errors:
        label = {f.name: str(f.verbose_name) for f in LoanContract._meta.fields}
        summary = "；".join(f"{label.get(f, f)}：{m}" for f, m in errors.items())
        raise Invalid(f"数据有误：{summary}", errors=errors)


def _ledger_check(terms: rules.Terms, events: list[rules.Event], what: str) -> None:
    problems = rules.ledger_problems(terms, events)
    if problems:
        _, field, message = problems[0]
        raise Invalid(f"{what}：{message}", field=field)


def _terms(c: LoanContract) -> rules.Terms:
    return rules.Terms(c.number, c.signed_on, c.amount, c.term_months)


@transaction.atomic
def contract_create(*, user, data: dict) -> LoanContract:
    """A new contract. ``data``: number, project (code), bank (code or name; a bank user's own by
    default), signed_on, amount (yuan), annual_rate (fraction), term_months, relending."""
    scope = _writer(user)
    number = (data.get("number") or "").strip()
    if not number:
        raise Invalid("合同编号：不能为空", field="number")
    bank = _bank(scope, data.get("bank"))
    project = _project(scope, data.get("project") or "")
    values = {f: data.get(f) for f in CONTRACT_FIELDS} | {"bank": bank}
    _values_check(values)
    existing = LoanContract.all_objects.filter(number=number).first()
    if existing is not None:
        if not scope.can_see(existing):  # another bank's number: nothing about it is told
            raise Invalid(f"合同编号：合同编号 {number} 不属于本行，请核对", field="number")
        more = "（已删除，可由市级管理员恢复）" if existing.is_deleted else ""
        raise Invalid(f"合同编号：合同 {number} 已存在{more}", field="number")
    c = LoanContract(number=number, project=project, **values)
    c.relending = bool(c.relending)
    validated(c, exclude=["project"])
    attribute(c, user)
    c.save()
    return c


@transaction.atomic
def contract_update(*, user, contract: LoanContract, data: dict, version: int | None) -> LoanContract:
    """Change a contract's terms (not its number or project). The bank is fixed once money has been
    drawn; the drawdowns and repayments must still fit the new terms."""
    scope = _writer(user)
    c = _contract(scope, contract)
    version_check(c, version, f"贷款合同 {c.number} ")
    if "bank" in data and data["bank"] is not None:
        bank = _bank(scope, data["bank"])
        problem = rules.bank_change_problem(
            c.number, c.bank, bank, c.drawdowns.exists(), selectors.bank_names().get
        )
        if problem:
            raise Invalid(f"贷款银行：{problem}", field="bank")
        c.bank = bank
    for name in CONTRACT_FIELDS[1:]:
        if name in data and data[name] is not None:
            setattr(c, name, data[name])
    _values_check({f: getattr(c, f) for f in CONTRACT_FIELDS})
    _ledger_check(_terms(c), selectors.ledger(c), "已登记的放款、还款与修改后的合同不符")
    validated(c, exclude=["project"])
    c.version += 1
    attribute(c, user)
    c.save()
    return c


def _soft_delete(obj, *, user, reason: str) -> None:
    """To the recycle bin with what belongs to it (``registry.services.record_cascade``: a contract's
    drawdowns and repayments), all at one ``deleted_at``, which is how ``record_restore`` of a city
    administrator brings them back together."""
    taken = record_cascade(obj)
    now = timezone.now()
    label = obj._meta.verbose_name
    for row, why in [(obj, f"删除：{reason}" if reason else "删除")] + [
        (r, f"随{label}删除") for _, rows in taken for r in rows
    ]:
        row.is_deleted, row.deleted_at = True, now
        row.version += 1
        attribute(row, user, why)
        row.save()


@transaction.atomic
def contract_delete(*, user, contract: LoanContract, version: int | None = None, reason: str = "") -> None:
    scope = _writer(user)
    c = _contract(scope, contract)
    version_check(c, version, f"贷款合同 {c.number} ")
    _soft_delete(c, user=user, reason=reason)


# ---- drawdowns and repayments -----------------------------------------------------------------

EVENTS = {
    rules.DRAWDOWN: (Drawdown, "drawn_on", "放款"),
    rules.REPAYMENT: (Repayment, "repaid_on", "还款"),
}


def _event_create(kind: str, *, user, contract: LoanContract, on: dt.date, amount: Decimal):
    model, date_field, label = EVENTS[kind]
    scope = _writer(user)
    c = _contract(scope, contract)
    problem = rules.amount_problem(amount, f"{label}金额")
    if problem:
        raise Invalid(f"{label}金额：{problem}", field="amount")
    same = model.all_objects.filter(contract=c, **{date_field: on}).first()
    if same is not None:
        what = f"合同 {c.number} 在 {on:%Y-%m-%d} 的{label}"
        if same.is_deleted:
            raise Invalid(DELETED.format(what=what), field=date_field)
        raise Invalid(f"{label}日期：{what}已登记（每天一条，修改请先删除原记录）", field=date_field)
    event = rules.Event(kind, on, amount, "new")
    problems = [p for p in rules.ledger_problems(_terms(c), [*selectors.ledger(c), event]) if p[0] is event]
    if problems:
        _, field, message = problems[0]
        raise Invalid(f"{label}：{message}", field=date_field if field == "on" else field)
    record = model(contract=c, amount=amount, **{date_field: on})
    validated(record, exclude=["contract"])
    attribute(record, user)
    record.save()
    return record


def _event_delete(kind: str, *, user, record, version: int | None, reason: str) -> None:
    model, date_field, label = EVENTS[kind]
    scope = _writer(user)
    c = _contract(scope, record.contract)
    current = model.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise NotFound(f"合同 {c.number} 没有该{label}记录")
    version_check(current, version, f"合同 {c.number} 在 {getattr(current, date_field):%Y-%m-%d} 的{label}")
    rest = [e for e in selectors.ledger(c) if e.tag.pk != current.pk or e.kind != kind]
    _ledger_check(_terms(c), rest, f"删除该{label}后")
    _soft_delete(current, user=user, reason=reason)


@transaction.atomic
def drawdown_create(*, user, contract: LoanContract, drawn_on: dt.date, amount: Decimal) -> Drawdown:
    """A drawdown (yuan) within the contract's term; the drawdowns never exceed the signed amount."""
    return _event_create(rules.DRAWDOWN, user=user, contract=contract, on=drawn_on, amount=amount)


@transaction.atomic
def drawdown_delete(*, user, drawdown: Drawdown, version: int | None = None, reason: str = "") -> None:
    """Soft-delete a drawdown; refused when the repayments would then exceed the outstanding."""
    _event_delete(rules.DRAWDOWN, user=user, record=drawdown, version=version, reason=reason)


@transaction.atomic
def repayment_create(*, user, contract: LoanContract, repaid_on: dt.date, amount: Decimal) -> Repayment:
    """A repayment (yuan) within the term, after the first drawdown, at most what is outstanding."""
    return _event_create(rules.REPAYMENT, user=user, contract=contract, on=repaid_on, amount=amount)


@transaction.atomic
def repayment_delete(*, user, repayment: Repayment, version: int | None = None, reason: str = "") -> None:
    _event_delete(rules.REPAYMENT, user=user, record=repayment, version=version, reason=reason)


# ---- fund investments ---------------------------------------------------------------------------


@transaction.atomic
def fund_investment_create(*, user, data: dict) -> FundInvestment:
    """The provincial high-end equipment fund's investment in an enterprise (P12): the city
    administrator's record. ``data``: uscc, fund_name, invested_on, amount (yuan)."""
    scope = scope_for(user)
    if not scope.is_city_admin:
        raise Refused("只有市级管理员可以登记基金投资")
    uscc = (data.get("uscc") or "").strip().upper()
    ent = R.Enterprise.objects.filter(uscc=uscc).first()
    if ent is None:
        raise NotFound(f"统一社会信用代码：未找到企业 {uscc}", field="uscc")
    fund_name = (data.get("fund_name") or "").strip()
    problem = rules.amount_problem(data.get("amount"), "投资金额")
    if problem:
        raise Invalid(f"投资金额：{problem}", field="amount")
    key = {"enterprise": ent, "fund_name": fund_name, "invested_on": data.get("invested_on")}
    existing = FundInvestment.all_objects.filter(**key).first()
    if existing is not None:
        more = "（已删除，可由市级管理员恢复）" if existing.is_deleted else ""
        raise Invalid(f"基金投资：该企业在当天已有“{fund_name}”的投资记录{more}", field="invested_on")
    record = FundInvestment(**key, amount=data.get("amount"))
    validated(record, exclude=["enterprise"])
    attribute(record, user)
    record.save()
    return record
