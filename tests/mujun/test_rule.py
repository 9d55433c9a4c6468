"""The 亩均 evaluation as a pure rule (P14, docs/decisions/0018): the hand-computed area of
``cases.py`` (20 enterprises: 4 A, 10 B, 5 C, 1 D), ties, the cap, the bonus and its cap, an area's
own weights, zero denominators and a zero benchmark."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from renewal.mujun import rule
from renewal.mujun.selectors import scheme_for
from renewal.planning import schema

from . import cases as C

NANHU, HAINING = "330402", "330481"


def facts(name: str, number: int, tax: int, area: str = NANHU) -> rule.Facts:
    projects = tuple(
        rule.ProjectFacts(code=code, status=status, end_date=end, equipment_investment=Decimal(str(inv)))
        for code, status, end, inv in C.PROJECTS.get(name, [])
    )
    return rule.Facts(
        uscc=C.uscc(number, area), name=name, area=area, figures=C.figures(name, tax), projects=projects
    )


@pytest.fixture(scope="module")
def result(jiaxing):
    enterprises = [facts(n, num, tax) for n, (num, tax) in (C.TAX | C.NOT_EVALUATED).items()]
    enterprises.append(rule.Facts(uscc=C.uscc(22), name="NO-ROW", area=NANHU, figures=None))
    return rule.evaluate_area(C.YEAR, NANHU, enterprises, scheme_for(jiaxing, NANHU))


def by_name(result) -> dict[str, rule.Item]:
    return {i.name: i for i in result.items}


def test_the_area_of_20_has_4_a_10_b_5_c_and_1_d(result):
    assert result.evaluated == 20
    assert result.class_sizes == {"A": 4, "B": 10, "C": 5, "D": 1}
    classes = [i.klass for i in result.items]
    assert classes == ["A"] * 4 + ["B"] * 10 + ["C"] * 5 + ["D"]


@pytest.mark.parametrize("name", list(C.EXPECTED))
def test_each_enterprise_gets_its_hand_computed_rank_class_and_points(result, name):
    rank, klass, tax_points, score, bonus, total = C.EXPECTED[name]
    item = by_name(result)[name]
    assert (item.rank, item.klass) == (rank, klass)
    assert item.points[0].indicator == "亩均税收"
    assert item.points[0].points == Fraction(str(tax_points))
    assert (item.score, item.bonus, item.total) == (
        Fraction(str(score)),
        Fraction(bonus),
        Fraction(str(total)),
    )


def test_an_enterprise_without_land_or_without_a_row_is_not_evaluated_nor_in_the_benchmarks(result):
    assert {"X", "NO-ROW"}.isdisjoint(by_name(result))
    # X's 1,000万元 of tax would raise the benchmark above 1万元/亩
    assert result.benchmarks["tax_per_mu"] == Fraction(10_000)


def test_equal_totals_are_ordered_by_tax_per_mu_then_by_credit_code(result):
    items = by_name(result)
    assert items["P"].total == items["Q"].total == items["R01"].total == 114
    # P's code is the largest of the three: the tax decides, not the code
    assert C.uscc(3) > C.uscc(2) > C.uscc(1)
    assert [items[n].rank for n in ("P", "Q", "R01")] == [1, 2, 3]
    assert items["T1"].total == items["T2"].total == 87
    assert (items["T1"].rank, items["T2"].rank) == (16, 17)  # identical figures: by code


def test_a_zero_energy_enterprise_scores_the_cap_on_value_added_per_energy(result):
    items = by_name(result)
    z = items["Z"].points[2]
    assert (z.indicator, z.value, z.points, z.ratio) == ("单位能耗增加值", None, 30, Fraction(3, 2))
    assert "综合能耗为 0 而工业增加值大于 0，按上限 1.5 计" in z.basis
    assert result.benchmarks["value_added_per_energy"] == Fraction(200_000_000, 19_000)
    other = items["R02"].points[2]
    assert other.points == 19 and other.ratio == Fraction(19, 20)


def test_a_tax_above_one_and_a_half_benchmarks_counts_at_the_cap(result):
    p = by_name(result)["P"].points[0]
    assert p.value == 20_000 and p.benchmark == 10_000 and p.ratio == Fraction(3, 2) and p.points == 45
    assert "与基准值之比 2.0000，超过上限按 1.5 计" in p.basis
    assert "得分 = 权重 30 × 1.5000 = 45.00（P14，示例）" in p.basis


def test_the_bonus_counts_three_projects_and_is_limited_by_its_cap(result):
    bo = by_name(result)["BO"]
    assert bo.bonus_projects == ["BO-1", "BO-2", "BO-3"]  # not BO-4 (below 500万元), BO-5 (在建)
    assert bo.bonus == 5
    assert "符合条件 3 个（BO-1、BO-2、BO-3）= 6 分，超过上限按 5 分计" in bo.bonus_basis


def test_a_project_completed_the_year_before_earns_no_bonus(result):
    late = by_name(result)["LATE"]
    assert (late.bonus, late.bonus_projects) == (0, [])
    assert "无符合条件的项目，加 0 分" in late.bonus_basis


def test_an_area_override_of_a_weight_changes_that_areas_points_only(jiaxing):
    data = jiaxing.model_dump(mode="json")
    data["mujun"]["areas"] = {HAINING: {"weights": {"tax_per_mu": 40, "rd_intensity": 0}}}
    plan = schema.parse_plan(data)
    two = [facts("A", 1, 150, HAINING), facts("B", 2, 50, HAINING)]
    haining = rule.evaluate_area(C.YEAR, HAINING, two, scheme_for(plan, HAINING))
    a, b = haining.items
    # benchmark (150 + 50)万 ÷ 200亩 = 1万元/亩: 40 × 1.5 = 60 and 40 × 0.5 = 20; R&D weight 0
    assert (a.points[0].points, b.points[0].points) == (60, 20)
    assert a.points[5].points == 0 and "权重 0 ×" in a.points[5].basis
    nanhu = rule.evaluate_area(
        C.YEAR, NANHU, [facts("A", 1, 150), facts("B", 2, 50)], scheme_for(plan, NANHU)
    )
    assert [i.points[0].points for i in nanhu.items] == [45, 15]
    assert scheme_for(plan, HAINING).note == "本区域调整：权重 亩均税收 40、研发经费投入强度 0"


def test_an_override_naming_an_unknown_indicator_is_refused(jiaxing):
    data = jiaxing.model_dump(mode="json")
    data["mujun"]["areas"] = {HAINING: {"weights": {"tax": 40}}}
    with pytest.raises(schema.PlanError, match="areas.330481.weights: 未定义的指标 'tax'"):
        schema.parse_plan(data, "jiaxing-2024.yaml")


def test_zero_over_zero_is_zero_and_a_zero_benchmark_gives_everyone_zero(jiaxing):
    def ent(n, **kw):
        f = C.figures("E", 100) | kw
        return rule.Facts(uscc=C.uscc(n), name=f"E{n}", area=NANHU, figures=f)

    # nobody has R&D: benchmark 0 → 0 points for all; E1 has no emissions and no value added → 0/0
    area = [ent(1, rd=0, value_added=0, emissions=0), ent(2, rd=0)]
    result = rule.evaluate_area(C.YEAR, NANHU, area, scheme_for(jiaxing, NANHU))
    e1, e2 = sorted(result.items, key=lambda i: i.name)
    assert result.benchmarks["rd_intensity"] == 0
    assert e1.points[5].points == e2.points[5].points == 0
    assert "基准值为 0" in e2.points[5].basis
    assert e1.points[3].value is None and e1.points[3].points == 0
    assert "工业增加值与主要污染物排放当量均为 0，计 0 分" in e1.points[3].basis


def test_a_small_area_is_all_c():
    assert rule.class_sizes(1, {"A": Decimal("0.2"), "B": Decimal("0.5"), "D": Decimal("0.05")}) == {
        "A": 0, "B": 0, "C": 1, "D": 0
    }  # fmt: skip
    assert rule.class_sizes(19, {"A": Decimal("0.2"), "B": Decimal("0.5"), "D": Decimal("0.05")}) == {
        "A": 3, "B": 9, "C": 7, "D": 0
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(1, 200), "0.01"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-1, 200), "-0.01"),
    ],
)
def test_display_rounding_is_half_up_and_exact(value, shown):
    assert str(rule.rounded(value)) == shown


def test_the_end_date_must_fall_in_the_year():
    bonus = rule.Bonus(Decimal(5_000_000), Decimal(2), Decimal(5), frozenset({"竣工"}))
    projects = [
        rule.ProjectFacts("A", "竣工", dt.date(2024, 1, 1), Decimal(5_000_000)),
        rule.ProjectFacts("B", "竣工", dt.date(2025, 1, 1), Decimal(5_000_000)),
        rule.ProjectFacts("C", "竣工", None, Decimal(5_000_000)),
        rule.ProjectFacts("D", None, dt.date(2024, 5, 1), Decimal(5_000_000)),
    ]
    assert rule.qualifying_projects(2024, projects, bonus) == ["A"]
