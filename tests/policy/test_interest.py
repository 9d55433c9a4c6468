"""P12 贷款贴息, hand-computed: Σ over days of the subsidised balance × points(t) / 360, rounded to
the fen once at the end; points 1 个百分点 from 2024-03-07, 1.5 from 2024-07-25; each drawdown
subsidised 24 months; repayments reduce the oldest drawdown first (policy/README.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.policy import interest as I
from renewal.policy.parameters import DatedValue, Parameter, PolicyData

D = dt.date.fromisoformat
PUSHED = D("2024-03-07")


@pytest.fixture(scope="session")
def programme(jiaxing):
    r = jiaxing.finance.relending
    return I.RelendingProgramme(r.name, r.reference, r.signing_from, r.signing_to)


def run(
    data, programme, *, drawdowns, period, repayments=(), signed="2024-03-07", pushed=PUSHED, relending=True
):
    return I.interest_subsidy(
        I.Loan("JX-1", D(signed), relending, 36),
        drawdowns=[(D(d), Decimal(a)) for d, a in drawdowns],
        repayments=[(D(d), Decimal(a)) for d, a in repayments],
        pushed_on=pushed,
        programme=programme,
        data=data,
        period_from=D(period[0]),
        period_to=D(period[1]),
    )


# (name, drawdowns, repayments, period, subsidised balance-days, subsidy); every case cites P12
CASES = [
    # one drawdown of 1,000万 on 2024-07-01 across the change of points on 2024-07-25:
    # 24 days × 1% + 7 days × 1.5% → 10,000,000 × 0.345 / 360 = 9,583.333… → 9,583.33
    (
        "across the change of points",
        [("2024-07-01", 10_000_000)],
        [],
        ("2024-07-01", "2024-07-31"),
        310_000_000,
        "9583.33",
    ),
    # the day before the change: 10,000,000 × 0.01 / 360 = 277.777… → 277.78
    (
        "the day before the change at 1 point",
        [("2024-07-01", 10_000_000)],
        [],
        ("2024-07-24", "2024-07-24"),
        10_000_000,
        "277.78",
    ),
    # the day of the change: 10,000,000 × 0.015 / 360 = 416.666… → 416.67
    (
        "the day of the change at 1.5 points",
        [("2024-07-01", 10_000_000)],
        [],
        ("2024-07-25", "2024-07-25"),
        10_000_000,
        "416.67",
    ),
    # the drawdown's own day counts, the day before it has no balance
    (
        "the drawdown's day counts",
        [("2024-08-01", 1_000_000)],
        [],
        ("2024-08-01", "2024-08-01"),
        1_000_000,
        "41.67",
    ),
    (
        "the day before the drawdown has no balance",
        [("2024-08-01", 1_000_000)],
        [],
        ("2024-07-31", "2024-07-31"),
        0,
        "0.00",
    ),
    # two drawdowns, 100万 repaid on 2025-01-10 from the oldest (600万 of 2024-03-15): in March 2026
    # the 500万 left of it is subsidised until 2026-03-14 (14 days), the 400万 all 31 days:
    # 5,000,000 × 14 + 4,000,000 × 31 = 194,000,000 × 1.5% / 360 = 8,083.333… → 8,083.33
    # (taken from the newest it would be 6,000,000 × 14 + 3,000,000 × 31 = 177,000,000 → 7,375.00)
    (
        "a repayment is taken from the oldest drawdown",
        [("2024-03-15", 6_000_000), ("2024-06-01", 4_000_000)],
        [("2025-01-10", 1_000_000)],
        ("2026-03-01", "2026-03-31"),
        194_000_000,
        "8083.33",
    ),
    # the repayment's own day has the lower balance: 2025-01-09 1,000万, 2025-01-10 900万
    (
        "the day before a repayment has the full balance",
        [("2024-03-15", 6_000_000), ("2024-06-01", 4_000_000)],
        [("2025-01-10", 1_000_000)],
        ("2025-01-09", "2025-01-09"),
        10_000_000,
        "416.67",
    ),
    (
        "the repayment's day has the reduced balance",
        [("2024-03-15", 6_000_000), ("2024-06-01", 4_000_000)],
        [("2025-01-10", 1_000_000)],
        ("2025-01-10", "2025-01-10"),
        9_000_000,
        "375.00",
    ),
    # 24-month window of 2024-03-31 ends 2026-03-31: last subsidised day 2026-03-30:
    # 1,000,000 × 30 × 1.5% / 360 = 1,250.00
    (
        "the window ends inside the period",
        [("2024-03-31", 1_000_000)],
        [],
        ("2026-03-01", "2026-03-31"),
        30_000_000,
        "1250.00",
    ),
    (
        "the last day of the window is subsidised",
        [("2024-03-31", 1_000_000)],
        [],
        ("2026-03-30", "2026-03-30"),
        1_000_000,
        "41.67",
    ),
    (
        "the window's end date is not",
        [("2024-03-31", 1_000_000)],
        [],
        ("2026-03-31", "2026-03-31"),
        0,
        "0.00",
    ),
    # month-end clipping: 2028-02-29 + 24 months = 2030-02-28 (2030 is no leap year), so the last
    # subsidised day is 2030-02-27: 720,000 × 27 days × 1.5% / 360 = 810.00
    (
        "a window from 29 February ends on 28 February",
        [("2028-02-29", 720_000)],
        [],
        ("2030-02-01", "2030-02-28"),
        19_440_000,
        "810.00",
    ),
    # leap day 2028-02-29 counts: 28 Feb, 29 Feb, 1 Mar = 3 days × 1,200,000 × 1.5% / 360 = 150.00
    (
        "a leap day counts as a day",
        [("2026-06-01", 1_200_000)],
        [],
        ("2028-02-28", "2028-03-01"),
        3_600_000,
        "150.00",
    ),
    (
        "without the leap day two days",
        [("2026-06-01", 1_200_000)],
        [],
        ("2028-02-28", "2028-02-28"),
        1_200_000,
        "50.00",
    ),
    # rounded once: 100元 × 1% / 360 = 0.00277… a day (0.00 rounded per day), 30 days 0.0833… → 0.08
    (
        "rounded to the fen once at the end",
        [("2024-04-01", 100)],
        [],
        ("2024-04-01", "2024-04-30"),
        3_000,
        "0.08",
    ),
    # half up: 180元 × 1 day × 1% / 360 = 0.005 exactly → 0.01 (half to even would give 0.00)
    ("half a fen rounds up", [("2024-04-01", 180)], [], ("2024-04-01", "2024-04-01"), 180, "0.01"),
    # a repayment of 150万 larger than the oldest drawdown (100万) spills 50万 into the next (200万):
    # January 2025: 1,500,000 × 31 × 1.5% / 360 = 1,937.50 (not 2,000,000 × … = 2,583.33)
    (
        "a repayment larger than the oldest drawdown spills into the next",
        [("2024-04-01", 1_000_000), ("2024-09-01", 2_000_000)],
        [("2025-01-01", 1_500_000)],
        ("2025-01-01", "2025-01-31"),
        46_500_000,
        "1937.50",
    ),
    # … and in April 2026, after the first window ended, only the 150万 left of the second: 1,875.00
    (
        "after the spill the second drawdown's rest alone",
        [("2024-04-01", 1_000_000), ("2024-09-01", 2_000_000)],
        [("2025-01-01", 1_500_000)],
        ("2026-04-01", "2026-04-30"),
        45_000_000,
        "1875.00",
    ),
    # a repayment beyond the whole balance leaves nothing, never less than nothing
    (
        "a repayment beyond the balance leaves zero",
        [("2024-04-01", 1_000_000)],
        [("2024-04-10", 3_000_000)],
        ("2024-04-01", "2024-04-30"),
        9_000_000,
        "250.00",
    ),
]


@pytest.mark.parametrize(
    ("drawdowns", "repayments", "period", "balance_days", "subsidy"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_p12_interest_subsidy(policy_data, programme, drawdowns, repayments, period, balance_days, subsidy):
    result = run(policy_data, programme, drawdowns=drawdowns, repayments=repayments, period=period)
    assert result.eligible and result.clause == "P12"
    assert result.subsidised_balance_days == balance_days
    assert result.interest_subsidy == Decimal(subsidy)
    assert str(result.interest_subsidy) == subsidy  # to the fen


# (name, signed, pushed, relending, eligible, reason contains) — P12 eligibility
ELIGIBILITY = [
    (
        "signed the day before its project was pushed",
        "2024-05-09",
        "2024-05-10",
        True,
        False,
        "早于所属项目列入",
    ),
    ("signed on the push day", "2024-05-10", "2024-05-10", True, True, "符合"),
    ("signed after the push", "2024-05-11", "2024-05-10", True, True, "符合"),
    ("its project never pushed", "2024-05-10", None, True, False, "未列入已推送银行的备选项目清单"),
    ("signed the day before the programme", "2024-03-06", "2024-03-01", True, False, "不在"),
    ("signed on the programme's first day", "2024-03-07", "2024-03-01", True, True, "符合"),
    ("signed on the programme's last day", "2026-12-31", "2024-03-01", True, True, "符合"),
    ("signed the day after the programme", "2027-01-01", "2024-03-01", True, False, "不在"),
    ("without re-lending support", "2024-05-10", "2024-05-10", False, False, "再贷款支持：否"),
]


@pytest.mark.parametrize(
    ("signed", "pushed", "relending", "eligible", "reason"),
    [c[1:] for c in ELIGIBILITY],
    ids=[c[0] for c in ELIGIBILITY],
)
def test_p12_eligibility(policy_data, programme, signed, pushed, relending, eligible, reason):
    result = run(
        policy_data,
        programme,
        drawdowns=[("2024-06-01", 1_000_000)],
        period=("2024-06-01", "2024-06-30"),
        signed=signed,
        pushed=pushed and D(pushed),
        relending=relending,
    )
    assert result.eligible is eligible
    assert reason in result.reason
    # 1,000,000 × 30 × 1% / 360 = 833.33 when eligible, nothing otherwise
    assert result.interest_subsidy == (Decimal("833.33") if eligible else 0)
    assert result.trace[0]["step"] == "贴息资格" and result.trace[0]["clause"] == "P12"


def test_it_refuses_a_period_that_ends_before_it_starts(policy_data, programme):
    with pytest.raises(I.PeriodError, match="期间止2024-05-31早于期间起2024-06-01"):
        run(policy_data, programme, drawdowns=[], period=("2024-06-01", "2024-05-31"))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-03-31", 24, "2026-03-31"),
        ("2024-08-31", 1, "2024-09-30"),
        ("2024-12-15", 1, "2025-01-15"),
    ],
)
def test_calendar_months_clip_to_the_month_end(day, months, expected):
    assert I.add_months(D(day), months) == D(expected)


def test_days_without_points_in_force_count_nothing(programme):
    # a what-if plan whose points start on 2024-04-01: the 10 days of March have balance, no points
    points = Parameter(
        I.POINTS, "P12", "", "points", "", (DatedValue(D("2024-04-01"), None, Decimal("0.01")),)
    )
    window = Parameter(I.WINDOW, "P12", "", "months", "", (DatedValue(D("2024-03-01"), None, 24),))
    data = PolicyData({I.POINTS: points, I.WINDOW: window})
    result = run(data, programme, drawdowns=[("2024-03-22", 3_600_000)], period=("2024-03-22", "2024-04-10"))
    # balance-days 20 × 3,600,000; subsidy only 10 days × 3,600,000 × 1% / 360 = 1,000.00
    assert result.subsidised_balance_days == 72_000_000
    assert result.interest_subsidy == Decimal("1000.00")
    assert any("贴息率参数未生效" in s["basis"] for s in result.trace)


def test_the_trace_cites_the_parameters_and_their_effective_dates(policy_data, programme):
    result = run(
        policy_data, programme, drawdowns=[("2024-07-01", 10_000_000)], period=("2024-07-01", "2024-07-31")
    )
    steps = {s["step"]: s for s in result.trace}
    assert steps["2024-07-01至2024-07-24"]["parameter"] == "P12.interest_subsidy_points"
    assert steps["2024-07-01至2024-07-24"]["effective_from"] == "2024-03-07"
    assert steps["2024-07-25至2024-07-31"]["effective_from"] == "2024-07-25"
    assert "1.5个百分点" in steps["2024-07-25至2024-07-31"]["basis"]
    assert steps["放款2024-07-01"]["parameter"] == "P12.interest_subsidy_window_months"
    assert "贴息至2026-06-30（含）" in steps["放款2024-07-01"]["basis"]
    assert steps["贴息合计"]["value"] == 9583.33
    assert "嘉制高办〔2024〕5号 三、12" in result.basis and "P12" in result.basis
    assert [p["effective_from"] for p in result.parameters] == ["2024-03-07", "2024-07-25", "2024-03-07"]
    assert all(
        set(s) == {"step", "value", "parameter", "effective_from", "clause", "basis"} for s in result.trace
    )


def test_the_sum_runs_over_segments_not_days(policy_data, programme):
    # two years of one drawdown are a handful of segments: the period's bounds, the change of points
    result = run(
        policy_data, programme, drawdowns=[("2024-07-01", 1_000_000)], period=("2024-07-01", "2026-06-30")
    )
    assert len(result.segments) == 2
    # 24 days at 1 %, 706 days at 1.5 %: 1,000,000 × (0.24 + 10.59) / 360 = 30,083.333… → 30,083.33
    assert result.interest_subsidy == Decimal("30083.33")
