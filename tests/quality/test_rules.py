"""Each data check of the plan file on both sides of its threshold, on hand-made values (issue 17).
The rules are pure: a project's figures and its monthly series (yuan, 台) in, findings out."""

import datetime as dt
from decimal import Decimal as D

import pytest

from renewal.quality import rules as Q
from renewal.quality.rules import Figures

JAN, FEB, MAR, APR, MAY = (dt.date(2024, m, 1) for m in range(1, 6))


@pytest.fixture(scope="module")
def plan_rules(jiaxing):
    return {r.code: r for r in jiaxing.checks.rules}


def row(investment=0, equipment=0, robots=0, cnc=0):
    return {"investment": D(investment), "equipment_investment": D(equipment), "robots": robots, "cnc": cnc}


def test_the_plan_file_marks_its_checks_as_examples(jiaxing):
    assert jiaxing.checks.example is True
    assert {r.severity for r in jiaxing.checks.rules if r.kind.startswith("cumulative")} == {"error"}


@pytest.mark.parametrize(
    ("feb", "found"),
    [(4_000_000, False), (4_000_001, True)],  # 6,000,000 + 4,000,000 = 10,000,000 = 总投资: allowed
)
def test_cumulative_investment_may_reach_but_not_exceed_the_total(plan_rules, feb, found):
    rule = plan_rules["investment_within_total"]
    series = {JAN: row(6_000_000), FEB: row(feb)}
    out = Q.cumulative_within_total(rule, Figures("P-1", total_investment=D(10_000_000)), series, FEB)
    assert bool(out) is found
    if found:
        assert out[0].field == "investment" and out[0].value == D(10_000_001)
        assert out[0].message == "完成投资：截至2024年2月累计1,000.00万元，超过项目总投资1,000.00万元"


def test_the_message_shows_the_switch_to_yi_yuan(plan_rules):
    rule = plan_rules["investment_within_total"]
    series = {JAN: row(150_000_000)}
    out = Q.cumulative_within_total(rule, Figures("P-1", total_investment=D(99_990_000)), series, JAN)
    assert out[0].message == "完成投资：截至2024年1月累计1.50亿元，超过项目总投资9,999.00万元"


@pytest.mark.parametrize(("feb_equipment", "found"), [(3_000_000, False), (3_000_100, True)])
def test_cumulative_equipment_investment_may_not_exceed_cumulative_investment(
    plan_rules, feb_equipment, found
):
    # January: 2,000,000 of 2,000,000 equipment; February 1,000,000 invested: 3,000,000 in all
    rule = plan_rules["equipment_within_investment"]
    series = {JAN: row(2_000_000, 2_000_000), FEB: row(1_000_000, feb_equipment - 2_000_000)}
    out = Q.cumulative_equipment_within(rule, Figures("P-1"), series, FEB)
    assert bool(out) is found
    if found:
        assert out[0].message == "完成设备投资：截至2024年2月累计300.01万元，超过累计完成投资300.00万元"


@pytest.mark.parametrize(
    ("lines", "registered", "reported", "found"),
    [
        (5, 3, 5, False),  # the lines' 5 is the larger count
        (5, 3, 6, True),
        (0, 8, 8, False),  # no lines: the project's 新增工业机器人
        (0, 8, 9, True),
    ],
)
def test_robots_arrived_may_not_exceed_the_lines_or_the_registered_count(
    plan_rules, lines, registered, reported, found
):
    rule = plan_rules["robots_within_registered"]
    series = {JAN: row(robots=2), FEB: row(robots=reported - 2)}
    figures = Figures("P-1", new_robots=registered, robots_in_lines=lines)
    out = Q.robots_within(rule, figures, series, FEB)
    assert bool(out) is found
    if found:
        assert out[0].severity == "warning"
        assert out[0].message == (
            f"机器人到位：截至2024年2月累计{reported}台，超过设备清单或项目登记的新增工业机器人{max(lines, registered)}台"
        )


def test_the_outlier_rule_on_a_hand_made_series(plan_rules):
    # 完成投资 in 万元: 10, 12, 11, 13, 40. Median 12; deviations 2, 0, 1, 1, 28 → sorted 0, 1, 1, 2, 28,
    # MAD = 1 (万元). May's 40 lies 28 MADs from the median (> k = 10, the plan's 示例): flagged.
    # April's 13 lies 1 MAD away: not flagged. A May of 22 lies 10 MADs away (not more than k): not
    # flagged; 22.01 is (its own deviation is then 10.01, the MAD stays 1).
    rule = plan_rules["outlier_mad"]
    assert rule.k == 10
    wan = D(10_000)
    series = {m: row(v * wan) for m, v in zip((JAN, FEB, MAR, APR, MAY), (10, 12, 11, 13, 40), strict=True)}
    assert Q.mad(v["investment"] for v in series.values()) == (12 * wan, wan)
    out = Q.outlier(rule, Figures("P-1"), series, MAY)
    assert [(f.field, f.value) for f in out] == [("investment", 40 * wan)]
    assert (
        out[0].message
        == "完成投资：2024年5月为40.00万元，偏离本项目各月中位数12.00万元超过10倍中位数绝对偏差（1.00万元）"
    )
    assert Q.outlier(rule, Figures("P-1"), series, APR) == []
    assert Q.outlier(rule, Figures("P-1"), {**series, MAY: row(22 * wan)}, MAY) == []
    assert len(Q.outlier(rule, Figures("P-1"), {**series, MAY: row(D("22.01") * wan)}, MAY)) == 1


def test_the_outlier_rule_needs_enough_months_and_some_spread(plan_rules):
    rule = plan_rules["outlier_mad"]
    three = {JAN: row(10), FEB: row(12), MAR: row(900)}  # min_months 4 (示例)
    assert Q.outlier(rule, Figures("P-1"), three, MAR) == []
    flat = {JAN: row(10), FEB: row(10), MAR: row(10), APR: row(10), MAY: row(11)}  # MAD 0
    assert Q.outlier(rule, Figures("P-1"), flat, MAY) == []


@pytest.mark.parametrize(("may", "found"), [(1_000_000, False), (1_000_001, True)])
def test_a_month_more_than_m_times_the_previous_one_is_an_outlier(plan_rules, may, found):
    rule = plan_rules["outlier_jump"]  # m = 10 (示例); April 100,000 → May at most 1,000,000
    series = {APR: row(100_000), MAY: row(may)}
    out = Q.outlier(rule, Figures("P-1"), series, MAY)
    assert bool(out) is found
    if found:
        assert out[0].message == "完成投资：2024年5月为100.00万元，超过上月10.00万元的10倍"


def test_no_jump_after_a_month_of_nothing_or_no_report(plan_rules):
    rule = plan_rules["outlier_jump"]
    assert Q.outlier(rule, Figures("P-1"), {APR: row(0), MAY: row(5_000_000)}, MAY) == []
    assert Q.outlier(rule, Figures("P-1"), {MAR: row(1), MAY: row(5_000_000)}, MAY) == []


def test_a_correction_that_lowers_a_month_drops_the_cumulative_figure(plan_rules):
    rule = plan_rules["cumulative_drop"]
    before = {JAN: row(1_000_000, robots=3), FEB: row(2_000_000, robots=1)}
    lowered = {JAN: row(1_000_000, robots=3), FEB: row(1_500_000, robots=1)}
    out = Q.drop(rule, Figures("P-1"), lowered, FEB, before)
    assert [(f.field, f.value, f.reference) for f in out] == [("investment", D(2_500_000), D(3_000_000))]
    assert out[0].message == "完成投资：更正后截至2024年2月累计由300.00万元降至250.00万元"
    raised = {JAN: row(1_000_000, robots=3), FEB: row(2_000_000, robots=2)}
    assert Q.drop(rule, Figures("P-1"), raised, FEB, before) == []
    assert Q.drop(rule, Figures("P-1"), lowered, FEB, None) == []  # a first report drops nothing


def test_a_save_is_refused_at_the_first_later_month_a_cumulative_rule_fails(jiaxing):
    # raising January lifts March's sum over the total: the finding names March
    series = {JAN: row(5_000_000), FEB: row(3_000_000), MAR: row(3_000_000)}
    out = Q.save_errors(jiaxing.checks.rules, Figures("P-1", total_investment=D(10_000_000)), series, JAN)
    assert [(f.rule, f.month) for f in out] == [("investment_within_total", MAR)]


def test_the_rule_module_imports_no_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(Q.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
    assert not [m for m in imported if m.startswith("django") or m.endswith("models") or "selectors" in m]
