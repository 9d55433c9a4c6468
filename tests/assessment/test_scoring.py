"""Scoring on hand-computed cases (O2): progress rule with cap and floor, status rule, bonus,
penalty, adjustment, ties and the 天工鼎 recommendation. No database."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from renewal.assessment import scoring
from renewal.planning.schema import Scoring, ScoringRule

D = Decimal


def scheme(**over) -> Scoring:
    data = {
        "rules": [
            {"target": "A", "weight": 60, "cap": 1.2, "floor": 0.2},
            {"target": "B", "weight": 30},
            {"target": "C", "weight": 10, "rule": "status"},
        ],
        "items": [
            {"id": "award", "name": "获省级表彰", "points": 2, "max_count": 1},
            {"id": "incident", "name": "发生安全事故", "points": -5},
        ],
        "adjustment_limit": 3,
        "tie_break": ["A"],
        "recommendation": {"method": "top_n", "top_n": 2},
    }
    return Scoring.model_validate(data | over)


def row(target, completion, expected, status="green"):
    return {
        "target_id": target,
        "name": target,
        "completion": completion,
        "expected": expected,
        "status": status,
    }


def test_it_scores_progress_against_the_expected_share():
    # A: 0.6 / 0.75 = 0.8 → 60 × 0.8 = 48; B: 0.5/0.5 = 1 → 30; C yellow → 10 × 0.5 = 5
    s = scoring.score_area(
        scheme(), "x", [row("A", 0.6, 0.75), row("B", 0.5, 0.5), row("C", 0.1, 0.5, "yellow")]
    )
    assert [p.points for p in s.points] == [D("48.00"), D("30.00"), D("5.00")]
    assert s.score == D("83.00")
    assert "0.6 ÷" not in s.points[0].basis and "60.00% ÷ 序时进度 75.00%" in s.points[0].basis


def test_it_caps_and_floors_the_ratio_and_says_so():
    s = scoring.score_area(scheme(), "x", [row("A", 1.5, 0.5), row("B", 0.9, 0.5)])
    # A: 3.0 capped at 1.2 → 72; B: default cap 1.0 → 30
    assert s.points[0].points == D("72.00") and "封顶取 1.2000" in s.points[0].basis
    assert s.points[1].points == D("30.00")
    low = scoring.score_area(scheme(), "x", [row("A", 0.01, 0.5)])
    # A: 0.02 floored at 0.2 → 12
    assert low.points[0].points == D("12.00") and "保底" in low.points[0].basis


def test_a_missing_target_scores_zero_with_a_reason():
    s = scoring.score_area(scheme(), "x", [row("A", None, 0.5)])
    assert [p.points for p in s.points] == [D(0), D(0), D(0)]
    assert "无完成率数据" in s.points[0].basis and "无该指标数据" in s.points[1].basis


def test_an_unsplit_target_earns_no_points_by_either_rule():
    # A (progress rule) and C (status rule) not split to this area: status none, 0 points, said so
    s = scoring.score_area(
        scheme(), "x", [row("A", None, None, "none"), row("B", 0.5, 0.5), row("C", None, None, "none")]
    )
    assert [p.points for p in s.points] == [D(0), D("30.00"), D(0)]
    assert all("未分解该目标，不计分" in s.points[i].basis for i in (0, 2))


def test_nothing_expected_yet_counts_as_on_schedule():
    s = scoring.score_area(scheme(), "x", [row("A", 0, 0)])
    assert s.points[0].points == D("60.00") and "视同达到序时进度" in s.points[0].basis


def test_bonus_penalty_and_adjustment_add_up_with_their_limits():
    events = [
        {"item": "award", "reason": "省级现场会典型发言"},
        {"item": "award", "reason": "第二次表彰"},  # max_count 1: no points
        {"item": "incident", "reason": "3月较大事故"},
        {"points": 4, "reason": "数据报送更正", "author": "city-admin"},  # limited to +3
    ]
    s = scoring.score_area(scheme(), "x", [row("A", 0.5, 0.5), row("B", 0.5, 0.5)], events)
    extra = [(p.kind, p.points) for p in s.points[3:]]
    assert extra == [("bonus", D(2)), ("bonus", D(0)), ("penalty", D(-5)), ("adjustment", D("3.00"))]
    assert s.score == D(60 + 30 + 0 + 2 - 5 + 3)
    assert (
        "上限" in s.points[4].basis and "city-admin" in s.points[6].basis and "超出 ±3" in s.points[6].basis
    )


def areas(*scores):
    out = []
    for code, a_points, total in scores:
        pts = [scoring.Point("A", D(a_points), ""), scoring.Point("B", D(total) - D(a_points), "")]
        out.append(scoring.AreaScore(area=code, score=D(total), points=pts))
    return out


def test_equal_scores_are_separated_by_the_tie_break_target():
    ranked = scoring.rank(
        areas(("p", 40, 80), ("q", 50, 80), ("r", 10, 90)),
        ["A"],
        {"p": "平湖", "q": "秀洲"},
        {"A": "T1 省级重点技改项目拉动设备投资"},
    )
    assert [(s.area, s.rank) for s in ranked] == [("r", 1), ("q", 2), ("p", 3)]
    assert "与平湖总分相同" in ranked[1].rank_note
    assert "按 T1 省级重点技改项目拉动设备投资 得分依次比较" in ranked[1].rank_note


def test_areas_equal_on_everything_share_a_rank_and_the_next_is_skipped():
    ranked = scoring.rank(
        areas(("p", 40, 80), ("q", 40, 80), ("r", 10, 70)), ["A"], {"p": "平湖", "q": "秀洲"}
    )
    assert [(s.area, s.rank) for s in ranked] == [("p", 1), ("q", 1), ("r", 3)]
    assert "与秀洲并列第 1 名" in ranked[0].rank_note


def test_top_n_recommends_all_areas_tied_at_the_cut_off():
    s = scheme()
    ranked = scoring.rank(areas(("p", 50, 90), ("q", 40, 80), ("r", 40, 80), ("t", 5, 10)), ["A"])
    chosen = scoring.recommend(s, ranked)
    assert [a.area for a in chosen] == ["p", "q", "r"]  # top 2, but q and r share rank 2
    assert "一并推荐" in ranked[1].recommendation_note and not ranked[3].recommended


def test_threshold_and_minimum_score_decide_the_recommendation():
    s = scheme(recommendation={"method": "threshold", "threshold": 80})
    ranked = scoring.rank(areas(("p", 50, 90), ("q", 40, 80), ("r", 10, 79.99)), [])
    assert [a.area for a in scoring.recommend(s, ranked)] == ["p", "q"]
    s2 = scheme(recommendation={"method": "top_n", "top_n": 2, "min_score": 85})
    ranked = scoring.rank(areas(("p", 50, 90), ("q", 40, 80)), [])
    assert [a.area for a in scoring.recommend(s2, ranked)] == ["p"]
    assert "低于最低分" in ranked[1].recommendation_note


@pytest.mark.parametrize(
    ("method", "monthly", "dec", "expected"),
    [("mean_of_months", [D(80), D(90), D(95)], None, D("88.33")), ("year_end", [D(80)], D(97), D(97))],
)
def test_the_annual_score_follows_the_scheme(method, monthly, dec, expected):
    value, why = scoring.annual_score(scheme(annual=method), monthly, dec)
    assert value == expected and why


def test_the_scoring_module_uses_no_orm():
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not any(m and (m.startswith("django") or m.endswith("models")) for m in imported)


def test_a_basis_names_the_target_by_its_clause_and_name_not_its_id():
    r = {**row("T1.projects", 0.6, 0.75), "clause": "T1", "name": "省级重点技术改造项目"}
    point = scoring.score_target(ScoringRule(target="T1.projects", weight=D(10)), r, "O2")
    assert point.basis.startswith("T1 省级重点技术改造项目：") and "T1.projects" not in point.basis
