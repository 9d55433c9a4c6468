"""Rules of loans, drawdowns, repayments and fund investments (P12), pure: no ORM. The import's
row checks (exchange/kinds/loans.py, drawdowns.py, repayments.py, fund_investments.py), the
services (pages, API) call the same functions, so a rule is written once.

Each returns field → Chinese message (or a list of (event, field, message)), in the order a person
reads the form. Money in yuan (Decimal), rates as fractions (3.45 % is 0.0345).

- ``contract_problems``: the contract's own values (amount, rate, term, project state);
- ``ledger_problems``: a contract's drawdowns and repayments in date order against its terms —
  dated within the term (repayments not before the first drawdown), drawdowns never above the
  signed amount, repayments never above what is outstanding on their day;
- ``bank_change_problem``: a contract's bank is fixed once money has been drawn.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)
ONE = Decimal(1)
DRAWDOWN, REPAYMENT = "drawdown", "repayment"
MAX_TERM = 600  # 50 years: a longer term is a typing error (the column holds months)
KIND_LABEL = {DRAWDOWN: "放款", REPAYMENT: "还款"}


def wan(value: Decimal) -> str:
    """Yuan as the 万元 people read in messages: 5000000 → 500."""
    text = f"{(value / Decimal(10_000)).normalize():f}"
    return text


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month is its last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(signed_on: dt.date, term_months: int) -> dt.date:
    """The last day of a contract's term: the signing date plus the term (P12 contracts count their
    term in months from signing)."""
    return add_months(signed_on, term_months)


def project_problem(status: str | None, counted: Iterable[str]) -> str | None:
    """A loan finances a project the registry counts (已入库 and later, not withdrawn)."""
    counted = list(counted)
    if status is None:
        return None
    if status not in counted:
        return f"项目当前状态为“{status}”，只有{'、'.join(counted)}的项目可以登记贷款"
    return None


def contract_problems(v: Mapping[str, Any]) -> dict[str, str]:
    """``v``: amount (yuan), annual_rate (fraction), term_months; missing values are left to the
    required-field checks."""
    errors: dict[str, str] = {}
    amount = v.get("amount")
    if amount is not None and amount <= ZERO:
        errors["amount"] = "签约金额应大于 0"
    rate = v.get("annual_rate")
    if rate is not None and not ZERO <= rate < ONE:
        errors["annual_rate"] = "年利率应不小于 0% 且小于 100%"
    term = v.get("term_months")
    if term is not None and term < 1:
        errors["term_months"] = "期限应至少 1 个月"
    elif term is not None and term > MAX_TERM:
        errors["term_months"] = f"期限不能超过 {MAX_TERM} 个月"
    return errors


def amount_problem(amount: Decimal | None, what: str) -> str | None:
    if amount is not None and amount <= ZERO:
        return f"{what}应大于 0"
    return None


def bank_change_problem(number: str, old: str, new: str, has_drawdowns: bool, name=lambda c: c) -> str | None:
    """The bank of a contract that has drawdowns cannot change (the money came from that bank)."""
    if old != new and has_drawdowns:
        return f"合同 {number} 已有放款记录，不能把贷款银行由“{name(old)}”改为“{name(new)}”"
    return None


@dataclass(frozen=True)
class Terms:
    """What a contract's drawdowns and repayments are checked against."""

    number: str
    signed_on: dt.date
    amount: Decimal
    term_months: int

    @property
    def end(self) -> dt.date:
        return term_end(self.signed_on, self.term_months)


@dataclass(frozen=True)
class Event:
    """One drawdown or repayment; ``tag`` is the caller's handle (a sheet row, a record)."""

    kind: str  # DRAWDOWN | REPAYMENT
    on: dt.date
    amount: Decimal
    tag: Any = None


def ledger_problems(terms: Terms, events: Iterable[Event]) -> list[tuple[Event, str, str]]:
    """(event, field, message) for each drawdown or repayment that the contract does not allow, in
    date order (on one day the drawdown comes before the repayment). An event refused is left out of
    the running totals, so one mistake is reported once, not again on every later row.

    ``field``: ``on`` (the date) or ``amount``."""
    problems: list[tuple[Event, str, str]] = []
    drawn = repaid = ZERO
    first_drawdown: dt.date | None = None
    end = terms.end
    for e in sorted(events, key=lambda e: (e.on, e.kind != DRAWDOWN)):
        label = KIND_LABEL[e.kind]
        if e.amount <= ZERO:
            problems.append((e, "amount", f"{label}金额应大于 0"))
            continue
        if not terms.signed_on <= e.on <= end:
            problems.append(
                (
                    e,
                    "on",
                    f"{label}日期 {e.on:%Y-%m-%d} 不在合同 {terms.number} 的期限内"
                    f"（{terms.signed_on:%Y-%m-%d} 至 {end:%Y-%m-%d}）",
                )
            )
            continue
        if e.kind == DRAWDOWN:
            if drawn + e.amount > terms.amount:
                problems.append(
                    (
                        e,
                        "amount",
                        f"截至 {e.on:%Y-%m-%d} 合同 {terms.number} 累计放款 {wan(drawn + e.amount)} 万元，"
                        f"超过签约金额 {wan(terms.amount)} 万元",
                    )
                )
                continue
            drawn += e.amount
            first_drawdown = first_drawdown or e.on
            continue
        if first_drawdown is None:
            problems.append((e, "on", f"还款日期 {e.on:%Y-%m-%d} 早于合同 {terms.number} 的首次放款"))
            continue
        outstanding = drawn - repaid
        if e.amount > outstanding:
            problems.append(
                (
                    e,
                    "amount",
                    f"还款 {wan(e.amount)} 万元超过合同 {terms.number} 在 {e.on:%Y-%m-%d} 的贷款余额"
                    f" {wan(outstanding)} 万元",
                )
            )
            continue
        repaid += e.amount
    return problems


def outstanding(events: Iterable[Event], on: dt.date | None = None) -> Decimal:
    """Drawn minus repaid (up to and including ``on`` when given)."""
    total = ZERO
    for e in events:
        if on is not None and e.on > on:
            continue
        total += e.amount if e.kind == DRAWDOWN else -e.amount
    return total


def bank_lookup(banks: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Name or code → code of the plan file's banks (``finance.banks``: (code, name) pairs)."""
    out: dict[str, str] = {}
    for code, name in banks:
        out[code] = code
        out[name] = code
    return out


def unknown_bank(label: str, banks: Iterable[tuple[str, str]]) -> str:
    return f"未知的银行“{label}”（可填：{'、'.join(name for _, name in banks)}，或银行代码）"


def banks_parse(
    text: str | None, banks: list[tuple[str, str]], max_banks: int
) -> tuple[list[str], str | None]:
    """A project's 意向银行 (names or codes joined by 、 or ,) → (codes, problem): known banks of the
    plan file, each once, at most ``max_banks`` (P12 finance.eligibility.max_banks)."""
    lookup = bank_lookup(banks)
    labels = [p.strip() for p in (text or "").replace("，", "、").replace(",", "、").split("、") if p.strip()]
    codes: list[str] = []
    for label in labels:
        code = lookup.get(label)
        if code is None:
            return [], unknown_bank(label, banks)
        if code not in codes:
            codes.append(code)
    if len(codes) > max_banks:
        return [], f"意向银行最多 {max_banks} 家（填了 {len(codes)} 家）"
    return codes, None
