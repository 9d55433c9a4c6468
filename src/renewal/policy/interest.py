"""P12: the interest subsidy (贴息) of a re-lending loan over a period, and whether it stacks under
P11's cap. Pure: plain dataclasses and ``PolicyData`` in, a result with its trace out (README.md,
"Interest subsidy (P12)").

- **Eligible** when the contract has re-lending support (再贷款支持 = 是), its project was on a
  pushed list (备选项目清单) on or before the signing date (first ``pushed_on`` ≤ ``signed_on``) and
  it was signed within the programme's validity [``signing_from``, ``signing_to``].
- **Balance** on day t: drawdowns dated ≤ t minus repayments dated ≤ t; repayments reduce the
  oldest drawdown first (FIFO). A drawdown is subsidised on the days d ≤ t < d + window (calendar
  months, clipped to the month's end: ``add_months``), window = P12.interest_subsidy_window_months
  in force on the drawdown's date.
- **Subsidy** of [a, b] (inclusive) = Σ_t subsidised balance(t) × points(t) / 360, points =
  P12.interest_subsidy_points in force on day t; exact decimals, rounded to the fen half up once at
  the end. The sum runs over piecewise-constant segments between event dates, not over days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .batch import cut_order
from .parameters import PolicyData, Programme, Resolved, _plain

CLAUSE = "P12"
POINTS = "P12.interest_subsidy_points"
WINDOW = "P12.interest_subsidy_window_months"
DAY_COUNT = 360  # 贴息 = 本金 × 年贴息率 × 实际天数 / 360
ZERO = Decimal(0)
FEN = Decimal("0.01")
ONE_DAY = dt.timedelta(days=1)
# a national-level programme for the cut order of P11's stacking cap (``stack_with_p11``)
INTEREST_LEVEL = "国家级"


@dataclass(frozen=True)
class Loan:
    """A loan contract (贷款合同) as the rule reads it. ``term_months`` is kept for the record; the
    subsidy follows the balance the bank reports, not the contract's schedule."""

    number: str
    signed_on: dt.date
    relending: bool
    term_months: int = 0


@dataclass(frozen=True)
class RelendingProgramme:
    """The plan's ``finance.relending``: contracts signed within [signing_from, signing_to]."""

    name: str
    reference: str
    signing_from: dt.date
    signing_to: dt.date


@dataclass(frozen=True)
class Segment:
    """Days [start, end] over which the subsidised balance and the points are constant."""

    start: dt.date
    end: dt.date
    balance: Decimal
    points: Decimal | None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "balance": _plain(self.balance),
            "points": _plain(self.points),
        }


@dataclass
class InterestResult:
    contract: str
    period_from: dt.date
    period_to: dt.date
    eligible: bool
    reason: str
    subsidised_balance_days: Decimal = ZERO
    interest_subsidy: Decimal = ZERO
    segments: list[Segment] = field(default_factory=list)
    parameters: list[dict] = field(default_factory=list)
    basis: str = ""
    trace: list[dict] = field(default_factory=list)
    clause: str = CLAUSE

    def as_dict(self) -> dict:
        """JSON: yuan as numbers, dates as YYYY-MM-DD."""
        return {
            "contract": self.contract,
            "period_from": self.period_from.isoformat(),
            "period_to": self.period_to.isoformat(),
            "eligible": self.eligible,
            "reason": self.reason,
            "subsidised_balance_days": _plain(self.subsidised_balance_days),
            "interest_subsidy": _plain(self.interest_subsidy),
            "segments": [s.as_dict() for s in self.segments],
            "clause": self.clause,
            "basis": self.basis,
            "trace": self.trace,
        }


class PeriodError(ValueError):
    def __str__(self) -> str:
        return self.args[0]


# ---- dates -------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clipped to the target month's end: 2024-01-31 + 1 → 2024-02-29,
    2024-02-29 + 12 → 2025-02-28, 2024-03-31 + 24 → 2026-03-31."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f}元"


def _num(v: Decimal) -> str:
    """1234567.50 → 1,234,567.5 (a balance-days figure, no trailing zeros)."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _points(v: Decimal) -> str:
    text = f"{Decimal(v) * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}个百分点"


def _cite(r: Resolved) -> str:
    return f"{r.reference}（{r.clause}）" if r.reference else r.clause


def _step(step: str, value, basis: str, param: Resolved | None = None) -> dict:
    return {
        "step": step,
        "value": _plain(value),
        "parameter": param.id if param else None,
        "effective_from": param.effective_from.isoformat() if param and param.effective_from else None,
        "clause": param.clause if param else CLAUSE,
        "basis": basis,
    }


# ---- eligibility -------------------------------------------------------------------------------------


def eligibility(loan: Loan, pushed_on: dt.date | None, programme: RelendingProgramme | None) -> str | None:
    """Why the contract is not subsidised, in Chinese; ``None`` when it is (P12)."""
    if not loan.relending:
        return "该贷款未获再贷款支持（再贷款支持：否），不享受贷款贴息"
    if programme is None:
        return "行动方案未配置再贷款贴息政策，不享受贷款贴息"
    if not programme.signing_from <= loan.signed_on <= programme.signing_to:
        return (
            f"签约日期{loan.signed_on}不在{programme.name}的合同签订期限"
            f"（{programme.signing_from}至{programme.signing_to}）内"
        )
    if pushed_on is None:
        return "所属项目未列入已推送银行的备选项目清单"
    if pushed_on > loan.signed_on:
        return f"签约日期{loan.signed_on}早于所属项目列入备选项目清单推送银行的日期{pushed_on}"
    return None


# ---- balances ------------------------------------------------------------------------------------------


@dataclass
class _Tranche:
    """One drawdown: what is left of it from each date on (FIFO), and its window's end (exclusive)."""

    drawn_on: dt.date
    amount: Decimal
    window_end: dt.date | None  # None: no window parameter in force, never subsidised
    left: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    def remaining(self, day: dt.date) -> Decimal:
        value = ZERO
        for since, v in self.left:
            if since <= day:
                value = v
        return value

    def subsidised(self, day: dt.date) -> Decimal:
        if self.window_end is None or not self.drawn_on <= day < self.window_end:
            return ZERO
        return self.remaining(day)


def tranches(
    drawdowns: Iterable[tuple[dt.date, Decimal]],
    repayments: Iterable[tuple[dt.date, Decimal]],
    data: PolicyData,
    trace: list[dict] | None = None,
) -> list[_Tranche]:
    """Drawdowns by date, each reduced by the repayments oldest first (on one day drawdowns count
    before repayments); a repayment beyond the whole balance reduces nothing more."""
    out: list[_Tranche] = []
    for day, amount in sorted(drawdowns):
        window = data.resolve(WINDOW, day)
        end = add_months(day, int(window.value)) if window.in_force else None
        t = _Tranche(day, Decimal(amount), end, [(day, Decimal(amount))])
        out.append(t)
        if trace is not None:
            if end is None:
                why = f"{day}放款{_yuan(t.amount)}，放款日无贴息期限参数生效，不予贴息。"
            else:
                why = (
                    f"{day}放款{_yuan(t.amount)}，依据{_cite(window)}自放款之日起贴息{window.value}个月，"
                    f"贴息至{end - ONE_DAY}（含）。"
                )
            trace.append(_step(f"放款{day}", t.amount, why, window))
    for day, amount in sorted(repayments):
        rest = Decimal(amount)
        taken = []
        for t in out:
            if rest <= 0:
                break
            if t.drawn_on > day:
                break
            have = t.left[-1][1]
            if have <= 0:
                continue
            take = min(have, rest)
            t.left.append((day, have - take))
            rest -= take
            taken.append(f"{t.drawn_on}放款{_yuan(take)}")
        if trace is not None:
            why = f"{day}还款{_yuan(Decimal(amount))}，按先放先还冲减" + (
                "、".join(taken) or "（无未偿放款）"
            )
            if rest > 0:
                why += f"；超出未偿余额的{_yuan(rest)}不冲减"
            trace.append(_step(f"还款{day}", Decimal(amount), why + "。"))
    return out


def segments(
    parts: Sequence[_Tranche], period_from: dt.date, period_to: dt.date, data: PolicyData
) -> list[Segment]:
    """The period cut where the subsidised balance or the points may change: drawdown, repayment
    and window-end dates and the points' effective dates, plus the period's bounds."""
    p = data.parameters.get(POINTS)
    cuts = {period_from, period_to + ONE_DAY}
    for t in parts:
        cuts.update(d for d, _ in t.left)
        if t.window_end is not None:
            cuts.add(t.window_end)
    if p is not None:
        for v in p.values:
            cuts.add(v.effective_from)
            if v.until is not None:
                cuts.add(v.until + ONE_DAY)
    bounds = sorted(d for d in cuts if period_from <= d <= period_to + ONE_DAY)
    out = []
    for start, nxt in zip(bounds, bounds[1:], strict=False):
        balance = sum((t.subsidised(start) for t in parts), ZERO)
        points = data.resolve(POINTS, start)
        out.append(Segment(start, nxt - ONE_DAY, balance, points.value if points.in_force else None))
    return out


def parameters_used(parts: Sequence[_Tranche], segs: Sequence[Segment], data: PolicyData) -> list[dict]:
    """The parameter versions read (for a frozen record): points over the period, window per drawdown."""
    seen, out = set(), []
    reads = [(POINTS, s.start) for s in segs] + [(WINDOW, t.drawn_on) for t in parts]
    for pid, day in reads:
        r = data.resolve(pid, day)
        if r.in_force and (pid, r.effective_from) not in seen:
            seen.add((pid, r.effective_from))
            out.append(r.as_dict())
    return out


# ---- the subsidy ---------------------------------------------------------------------------------------


def interest_subsidy(
    loan: Loan,
    *,
    drawdowns: Iterable[tuple[dt.date, Decimal]],
    repayments: Iterable[tuple[dt.date, Decimal]],
    pushed_on: dt.date | None,
    programme: RelendingProgramme | None,
    data: PolicyData,
    period_from: dt.date,
    period_to: dt.date,
) -> InterestResult:
    """The contract's 贴息 for [period_from, period_to] (both inclusive), explained (P12)."""
    if period_to < period_from:
        raise PeriodError(f"期间止{period_to}早于期间起{period_from}")
    trace: list[dict] = []
    reason = eligibility(loan, pushed_on, programme)
    checks = (
        f"再贷款支持：{'是' if loan.relending else '否'}；签约日期{loan.signed_on}；"
        f"所属项目首次列入已推送备选项目清单：{pushed_on or '无'}"
    )
    if programme is not None:
        checks += f"；合同签订期限{programme.signing_from}至{programme.signing_to}（{programme.reference}）"
    if reason is not None:
        trace.append(_step("贴息资格", False, f"{checks}。{reason}。"))
        return InterestResult(
            loan.number, period_from, period_to, False, reason, basis=f"{reason}（{CLAUSE}）。", trace=trace
        )
    trace.append(_step("贴息资格", True, f"{checks}。符合贷款贴息条件。"))
    parts = tranches(drawdowns, repayments, data, trace)
    segs = segments(parts, period_from, period_to, data)
    balance_days, numerator = ZERO, ZERO
    for s in segs:
        bd = s.balance * s.days
        balance_days += bd
        if s.points is None:
            if s.balance:
                trace.append(
                    _step(
                        f"{s.start}至{s.end}",
                        ZERO,
                        f"{s.start}至{s.end}贴息率参数未生效，不计贴息。",
                        data.resolve(POINTS, s.start),
                    )
                )
            continue
        numerator += bd * s.points
        if s.balance:
            points = data.resolve(POINTS, s.start)
            trace.append(
                _step(
                    f"{s.start}至{s.end}",
                    bd,
                    f"{s.start}至{s.end}共{s.days}天，贴息余额{_yuan(s.balance)}，积数{_num(bd)}元·天，"
                    f"按年贴息{_points(s.points)}（{_cite(points)}）÷{DAY_COUNT}计"
                    f"{_exact(bd * s.points)}元（未舍入）。",
                    points,
                )
            )
    with localcontext() as ctx:
        ctx.prec = 60
        amount = (numerator / DAY_COUNT).quantize(FEN, rounding=ROUND_HALF_UP)
    basis = (
        f"合同{loan.number}于{period_from}至{period_to}贴息余额积数{_num(balance_days)}元·天，"
        f"按各日适用的年贴息率÷{DAY_COUNT}逐段累计后四舍五入至分，贴息{_yuan(amount)}"
        f"（{programme.name}；{programme.reference}；嘉制高办〔2024〕5号 三、12（{CLAUSE}））。"
    )
    trace.append(_step("贴息合计", amount, basis))
    return InterestResult(
        loan.number,
        period_from,
        period_to,
        True,
        "符合贷款贴息条件",
        subsidised_balance_days=balance_days,
        interest_subsidy=amount,
        segments=segs,
        parameters=parameters_used(parts, segs, data),
        basis=basis,
        trace=trace,
    )


def _exact(v: Decimal) -> str:
    with localcontext() as ctx:
        ctx.prec = 60
        return f"{(v / DAY_COUNT).quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):,}"


# ---- P11's stacking cap -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """One amount of a project under P11's cap: a programme's amount after its own cap, before the
    stacking cap (``before_cap`` of the P11 answer), or the project's 贴息."""

    id: str
    name: str
    level: str
    amount: Decimal


def stack_with_p11(
    programmes: Sequence[Award],
    interest: Decimal,
    *,
    cap: Decimal | None,
    counts_towards_cap: bool,
) -> dict:
    """P11's stacking cap over the project's P11 programme amounts, with or without its 贴息.

    ``finance.subsidy_counts_towards_cap`` false (shipped): the cap applies to the P11 amounts alone
    (as P11 does) and the 贴息 is added in full. True: the 贴息 is one more 国家级 programme, listed
    after the P11 ones, and the excess over ``cap`` is cut in P11's order (lowest level first; within
    a level the one listed last first), so the 贴息 is cut only after every 县级/市级/省级 amount and
    before the other 国家级 ones. A total of exactly the cap is not cut."""
    rows = list(programmes)
    interest_row = Award("interest-subsidy", "贷款贴息", INTEREST_LEVEL, Decimal(interest))
    stacked = [*rows, interest_row] if counts_towards_cap else rows
    amounts = [Decimal(a.amount) for a in stacked]
    total_before = sum(amounts, ZERO)
    excess = total_before - cap if cap is not None else ZERO
    capped = excess > 0
    if capped:
        order = cut_order([Programme(a.id, a.name, a.level, "", ZERO) for a in stacked])
        for i in order:
            cut = min(amounts[i], excess)
            amounts[i] -= cut
            excess -= cut
    out_rows = [
        {
            "id": a.id,
            "name": a.name,
            "level": a.level,
            "before_cap": a.amount,
            "amount": v,
            "cut": a.amount - v,
        }
        for a, v in zip(stacked, amounts, strict=True)
    ]
    if counts_towards_cap:
        interest_out = out_rows.pop()
        basis = (
            "贷款贴息计入单个项目叠加补助上限（finance.subsidy_counts_towards_cap：是），"
            f"按国家级政策参与P11叠加核减；叠加合计{_yuan(total_before)}"
            + (f"，超过上限{_yuan(cap)}，核减{_yuan(total_before - cap)}。" if capped else "，未超过上限。")
        )
    else:
        interest_out = {**interest_row.__dict__, "before_cap": interest_row.amount, "cut": ZERO}
        basis = (
            "贷款贴息为中央财政对贷款的贴息，不属于P11“技改补助项目可叠加享受政策，单个补助项目最高不超3000万元”"
            "所称技改补助，不计入叠加上限（finance.subsidy_counts_towards_cap：否）"
            + (f"；技改补助叠加合计{_yuan(total_before)}，超过上限{_yuan(cap)}，已核减。" if capped else "。")
        )
    subsidies = sum((r["amount"] for r in out_rows), ZERO)
    return {
        "counts_towards_cap": counts_towards_cap,
        "subsidies": out_rows,
        "interest_subsidy": interest_out,
        "subsidy_total": subsidies,
        "total": subsidies + interest_out["amount"],
        "capped": capped,
        "basis": basis,
    }
