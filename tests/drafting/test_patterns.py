"""Sentence-level cases for every pattern the drafter knows, on wordings NOT taken from Jiaxing's
document: the rules must generalise, not remember one text."""

import pytest

from renewal.drafting.build import draft_text
from renewal.drafting.extract import find_quantities

# An issue date fixes the plan's start year (2024) for sentences that name only an end year.
HEAD = "测试〔2024〕9号\n\n各区人民政府，市直有关单位：\n\n现予印发。\n\n市经信局\n\n2024年6月1日\n\n一、工作目标\n\n"


def targets(sentence: str) -> list[dict]:
    return draft_text(HEAD + sentence)["targets"]


def one(sentence: str) -> dict:
    found = targets(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "kind", "comparator", "value", "unit", "period"),
    [
        # growth with 以上 (≥) in a single year
        ("2025年，全市规上工业增加值增长30%以上。", "growth", ">=", 0.30, "ratio", {"year": 2025}),
        # a share "about" a level by a year
        ("到2026年，数字经济核心产业增加值占比达45%左右。", "share", "≈", 0.45, "ratio", {"by": 2026}),
        # 超过 is strict, 以上 is not
        ("到2026年，关键工序数控化率超过70%。", "level", ">", 0.70, "ratio", {"by": 2026}),
        ("到2026年，关键工序数控化率达到70%以上。", "level", ">=", 0.70, "ratio", {"by": 2026}),
        ("到2026年，关键工序数控化率不低于70%。", "level", ">=", 0.70, "ratio", {"by": 2026}),
        # Chinese numerals and 万/亿 magnitudes
        (
            "到2026年，累计新增工业机器人一万台以上。",
            "count",
            ">=",
            10000,
            "set",
            {"cumulative": "2024-01..2026-12"},
        ),
        (
            "到2026年，每年培育专精特新中小企业两千家以上。",
            "count",
            ">=",
            2000,
            "count",
            {"each_year": "2024-2026"},
        ),
        ("2025年，完成工业投资2.5亿元以上。", "amount", ">=", 250000000, "CNY", {"year": 2025}),
        ("2025年，技改投资突破三千五百万元。", "amount", ">", 35000000, "CNY", {"year": 2025}),
        ("2025年，完成工业投资１２００亿元以上。", "amount", ">=", 120000000000, "CNY", {"year": 2025}),
        # 累计 and 每年 over an explicit range of years
        (
            "2024—2026年累计实施技改项目300个以上。",
            "count",
            ">=",
            300,
            "count",
            {"cumulative": "2024-01..2026-12"},
        ),
        ("2024—2026年每年实施技改项目100个以上。", "count", ">=", 100, "count", {"each_year": "2024-2026"}),
        # 年均 growth runs over the whole plan period
        ("到2026年，工业投资年均增长8%。", "average_growth", ">=", 0.08, "ratio", {"each_year": "2024-2026"}),
        # units per person and per mu, energy
        ("到2026年，亩均税收达到45万元/亩。", "level", ">=", 450000, "CNY/mu", {"by": 2026}),
        (
            "到2026年，累计实现节能量20万吨标准煤以上。",
            "amount",
            ">=",
            200000,
            "tce",
            {"cumulative": "2024-01..2026-12"},
        ),
    ],
)
def test_a_sentence_becomes_one_target_in_base_units(sentence, kind, comparator, value, unit, period):
    t = one(sentence)
    assert (t["kind"], t["comparator"], t["value"], t["unit"], t["period"]) == (
        kind,
        comparator,
        value,
        unit,
        period,
    )
    assert t["source_text"] in sentence and t["position"]["line"] > 0 and 0 < t["confidence"] <= 1


def test_each_year_without_years_runs_over_the_plan_period():
    t = targets("到2026年，数控化率超过60%。每年实施技改项目100个以上。")[1]
    assert t["period"] == {"each_year": "2024-2026"}


def test_a_growth_against_a_named_year_keeps_that_baseline():
    t = one("2025年，工业投资较2023年增长25%以上。")
    assert (t["kind"], t["value"], t["period"], t["baseline"]) == (
        "growth",
        0.25,
        {"year": 2025},
        {"year": 2023},
    )


def test_a_growth_without_a_baseline_is_against_the_year_before_and_says_so():
    t = one("2025年，工业投资增长25%以上。")
    assert t["baseline"]["year"] == 2024 and "上年" in t["baseline"]["note"]


def test_respectively_gives_one_target_per_name_with_the_shared_comparator():
    found = targets("到2026年，规上工业企业数字化研发设计工具普及率、关键工序数控化率分别超过90%、75%。")
    assert [(t["name"], t["comparator"], t["value"]) for t in found] == [
        ("规上工业企业数字化研发设计工具普及率", ">", 0.90),
        ("关键工序数控化率", ">", 0.75),
    ]


def test_respectively_with_a_trailing_comparator():
    found = targets("到2026年，两化融合发展指数、上云企业比例分别达到110、60%以上。")
    # 110 has no unit: only the percentage is a target
    assert [(t["value"], t["comparator"]) for t in found] == [(0.60, ">=")]


def test_a_number_that_qualifies_the_counted_thing_is_not_a_target():
    t = one("每年实施投资5000万元以上的技改项目50个以上。")
    assert (t["value"], t["unit"]) == (50, "count") and "5000万元以上" in t["name"]


def test_chinese_numerals_in_prose_are_not_targets():
    assert targets("坚持两个毫不动摇，统筹一个中心和十个方面，推动一批项目落地。") == []


def test_a_number_without_comparator_is_a_floor_with_lower_confidence():
    t = one("2025年，工业投资增长8%。")
    assert t["comparator"] == ">=" and t["confidence"] < 0.9 and any("比较词" in n for n in t["notes"])


@pytest.mark.parametrize(
    ("sentence", "unit", "value", "comparator"),
    [
        ("三、政策支持\n\n5.加大补助。单个项目补助最高不超过500万元。", "CNY", 5000000, "<="),
        ("三、政策支持\n\n5.加大补助。按设备投资额的10%给予补助。", "ratio", 0.10, "="),
        ("三、政策支持\n\n5.税收优惠。研发费用加计扣除比例提高至120%。", "ratio", 1.20, "="),
    ],
)
def test_policy_numbers_become_parameters_not_targets(sentence, unit, value, comparator):
    d = draft_text(HEAD.replace("一、工作目标\n\n", "") + sentence)
    assert d["targets"] == []
    [p] = d["parameters"]
    assert (p["unit"], p["values"][0]["value"], p["comparator"], p["clause"]) == (
        unit,
        value,
        comparator,
        "P5",
    )
    assert p["values"][0]["effective_from"] == "2024-06-01"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一万台", 10000),
        ("两千家", 2000),
        ("1.5亿元", 150000000),
        ("3万元", 30000),
        ("12.5%", 0.125),
        ("1万亿元", 10**12),
    ],
)
def test_numbers_convert_to_base_units(text, value):
    [q] = find_quantities(text)
    assert q.value == pytest.approx(value)


TASKS = (
    HEAD.replace("一、工作目标\n\n", "")
    + "二、主要任务\n\n1.推进技改。每年实施项目100个以上。（牵头单位：市经信局、市财政局、各区政府，"
    + "以下均由各区政府落实，不再列出）\n\n2.推进数字化。累计培育数字化车间50家。（责任单位：市科技局）\n\n"
    + "3.推进绿色化。（责任单位：市发改委、市生态环境局）"
)


def test_lead_units_come_from_the_responsibility_parenthesis():
    d = draft_text(TASKS)
    units = {u["id"]: u["name"] for u in d["units"]}
    assert [(c["id"], [units[u] for u in c["lead_units"]]) for c in d["clauses"]] == [
        ("T1", ["市经信局", "市财政局"]),
        ("T2", ["市科技局"]),
        ("T3", ["市发改委", "市生态环境局"]),
    ]
    assert units["ndrc"] == "市发改委"


def test_units_not_listed_again_still_apply_to_every_later_item():
    d = draft_text(TASKS)
    assert [c.get("areas") for c in d["clauses"]] == ["all", "all", "all"]
    assert d["draft"]["standing_units"] == ["各区政府"]
    assert "前文" in "".join(d["clauses"][1]["notes"])


def test_areas_come_from_the_addressee_line():
    d = draft_text(
        "测试〔2024〕9号\n\n各区人民政府，高新区管委会，市直有关单位：\n\n现予印发。\n\n2024年6月1日\n\n一、目标\n\n"
    )
    assert [(a["name"], a["kind"]) for a in d["areas"]] == [("高新区", "zone")]
    assert any("各区" in w for w in d["draft"]["warnings"])
