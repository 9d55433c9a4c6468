"""The Jiaxing plan file holds every number of PLAN.md, with its clause, unit and period."""

from decimal import Decimal

import pytest

# (target id, clause, comparator, value in base units, unit, period kind, period value)
EVERY_TARGET_OF_PLAN_MD = [
    ("G1", "G1", ">=", "110000000000", "CNY", "year", 2024),
    ("G2", "G2", ">=", "0.10", "ratio", "year", 2024),
    ("G3", "G3", ">=", "100000000000", "CNY", "each_year", "2025-2027"),
    ("G4", "G4", ">=", "0.55", "ratio", "by", 2027),
    ("G5", "G5", ">=", "0.10", "ratio", "each_year", "2024-2027"),
    ("G6", "G6", ">", "0.95", "ratio", "by", 2027),
    ("G7", "G7", ">", "0.80", "ratio", "by", 2027),
    ("G8", "G8", ">=", "0.55", "ratio", "by", 2027),
    ("G9", "G9", ">=", "380000", "CNY/person-year", "by", 2027),
    ("G10", "G10", ">=", "2600000", "CNY/mu", "by", 2027),
    ("T1.projects", "T1", ">=", "500", "count", "each_year", "2024-2027"),
    ("T1.equipment", "T1", ">=", "20000000000", "CNY", "each_year", "2024-2027"),
    ("T1.large", "T1", ">=", "10", "count", "each_year", "2024-2027"),
    ("T2.demo", "T2", ">=", "20", "count", "cumulative", "2024-01..2027-12"),
    ("T2.green", "T2", ">=", "100", "count", "cumulative", "2024-01..2027-12"),
    ("T3", "T3", ">=", "15", "count", "each_year", "2024-2027"),
    ("T5", "T5", ">=", "10000", "set", "cumulative", "2024-01..2027-12"),
    ("T6", "T6", ">=", "8", "count", "each_year", "2024-2027"),
    ("T8.green", "T8", ">=", "500", "count", "each_year", "2024-2027"),
    ("T8.subsidised", "T8", ">=", "8", "count", "each_year", "2024-2027"),
    ("T10", "T10", ">", "180000000000", "CNY", "by", 2027),
    ("P11.funds", "P11", ">=", "200000000", "CNY", "each_year", "2024-2027"),
    ("P14.energy", "P14", ">=", "700000", "tce", "cumulative", "2024-01..2027-12"),
]

# (parameter id, clause, value, effective from, until)
EVERY_PARAMETER = [
    ("P11.subsidy_cap", "P11", Decimal(30_000_000), "2024-04-25", None),
    ("P11.first_set_bonus_rate", "P11", Decimal("0.50"), "2024-04-25", None),
    ("P11.provincial_funds_goal", "P11", Decimal(200_000_000), "2024-04-25", None),
    ("P13.expensing_unit_limit", "P13", Decimal(5_000_000), "2024-01-01", "2027-12-31"),
    ("P13.rd_super_deduction_rate", "P13", Decimal("1.00"), "2023-01-01", None),
    ("P13.rd_super_deduction_rate_ic_machine_tool", "P13", Decimal("1.20"), "2023-01-01", "2027-12-31"),
    ("P13.special_equipment_credit_rate", "P13", Decimal("0.10"), "2017-01-01", None),
    ("P14.energy_space", "P14", Decimal(700_000), "2024-04-25", None),
]

# Lead units of every clause, as the document writes them (（责任单位：…）).
LEAD_UNITS = {
    "T1": ["市经信局"],
    "T2": ["市经信局"],
    "T3": ["市经信局", "市科技局"],
    "T4": ["市经信局", "市商务局"],
    "T5": ["市经信局"],
    "T6": ["市经信局"],
    "T7": ["市商务局", "市经信局", "市生态环境局"],
    "T8": ["市发展改革委", "市经信局", "市生态环境局"],
    "T9": ["市发展改革委", "市经信局", "市生态环境局", "市应急管理局"],
    "T10": ["市经信局", "市商务局"],
    "P11": ["市经信局", "市财政局"],
    "P12": ["市人民银行", "市财政局", "市长投集团"],
    "P13": ["市税务局"],
    "P14": ["市发展改革委", "市经信局", "市商务局", "市自然资源和规划局"],
    "O1": ["市制造业高质量发展领导小组成员单位"],
    "O2": ["市发展改革委", "市经信局"],
    "O3": ["市委宣传部", "市经信局"],
}


@pytest.mark.parametrize(
    ("tid", "clause", "comparator", "value", "unit", "kind", "period"), EVERY_TARGET_OF_PLAN_MD
)
def test_it_holds_every_target_of_the_plan(jiaxing, tid, clause, comparator, value, unit, kind, period):
    target = next(t for t in jiaxing.targets if t.id == tid)
    assert target.clause == clause
    assert target.comparator == comparator
    assert target.value == Decimal(value)
    assert target.unit == unit
    assert target.period.kind == kind
    assert getattr(target.period, kind) == period


def test_it_has_no_target_that_plan_md_does_not_list(jiaxing):
    listed = {row[0] for row in EVERY_TARGET_OF_PLAN_MD} | {"P11.city_funds"}
    assert {t.id for t in jiaxing.targets} == listed


def test_city_funds_are_compared_with_provincial_funds(jiaxing):
    target = next(t for t in jiaxing.targets if t.id == "P11.city_funds")
    assert (target.kind, target.comparator, target.relative_to) == ("relative", ">=", "P11.funds")


@pytest.mark.parametrize(("pid", "clause", "value", "start", "until"), EVERY_PARAMETER)
def test_it_holds_every_policy_parameter(jiaxing, pid, clause, value, start, until):
    parameter = next(p for p in jiaxing.parameters if p.id == pid)
    assert parameter.clause == clause
    assert parameter.values[-1].value == value
    assert parameter.values[-1].effective_from.isoformat() == start
    assert (parameter.values[-1].until.isoformat() if parameter.values[-1].until else None) == until
    assert parameter.reference


def test_it_holds_the_tax_parameters_by_class(jiaxing):
    years = next(p for p in jiaxing.parameters if p.id == "P13.min_depreciation_years").values[-1].value
    assert years == {"machinery": 10, "tools": 5, "vehicles": 4, "electronics": 3}
    rates = next(p for p in jiaxing.parameters if p.id == "P13.cit_rate").values[-1].value
    assert rates == {
        "standard": Decimal("0.25"),
        "high_tech": Decimal("0.15"),
        "small_low_profit": Decimal("0.20"),
    }


def test_every_clause_has_its_lead_units(jiaxing):
    names = {u.id: u.name for u in jiaxing.units}
    clauses = {c.id: c for c in jiaxing.clauses}
    assert set(clauses) == {f"G{i}" for i in range(1, 11)} | {f"T{i}" for i in range(1, 11)} | {
        "P11",
        "P12",
        "P13",
        "P14",
        "O1",
        "O2",
        "O3",
    }
    for cid, expected in LEAD_UNITS.items():
        assert [names[u] for u in clauses[cid].lead_units] == expected, cid


def test_every_task_is_delegated_to_all_nine_areas(jiaxing):
    assert len(jiaxing.areas) == 9
    assert [a.code for a in jiaxing.areas] == [
        "330402",
        "330411",
        "330421",
        "330482",
        "330424",
        "330481",
        "330483",
        "jxedz",
        "jxport",
    ]
    for clause in jiaxing.clauses:
        if clause.id[0] in "TPO":
            assert clause.areas == "all"


def test_every_area_has_its_t5_focus_with_gbt4754_divisions(jiaxing):
    focus = {a.short_name: [f.name for f in a.focus] for a in jiaxing.areas}
    assert focus == {
        "南湖": ["汽车零部件", "新一代信息技术"],
        "秀洲": ["光伏", "纺织"],
        "嘉善": ["装备制造业", "网络通信"],
        "平湖": ["机械装备及零部件"],
        "海盐": ["造纸", "紧固件"],
        "海宁": ["袜业", "经编"],
        "桐乡": ["时尚针织", "纺织"],
        "经开": ["高能耗行业"],
        "港区": ["化工"],
    }
    from renewal.registry.reference import industries

    for area in jiaxing.areas:
        for f in area.focus:
            assert all(d in industries() for d in f.divisions)


def test_status_thresholds_default_to_ten_points(jiaxing):
    assert jiaxing.status.yellow_band == Decimal("0.10")


def test_shipped_programmes_are_labelled_examples(jiaxing):
    assert jiaxing.programmes
    assert all(p.example and p.name.startswith("示例") for p in jiaxing.programmes)
