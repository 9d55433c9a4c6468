"""A scoring rule on a reporting rate (issue 17): the plan's scoring may weigh an area's 及时率 or
报送率 of monthly progress of the year so far (``rule: reporting``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml

from renewal.assessment import selectors
from renewal.planning import schema
from renewal.planning.schema import ScoringRule
from renewal.registry.models import MonthlyProgress
from tests.conftest import JIAXING_PLAN

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def with_rule(small_registry, jiaxing, monkeypatch):
    """The shipped scheme plus 5 points for the on-time rate; every report made on the 3rd of the
    next month (on time): 南湖 January–March, 海宁 February only."""
    for row in MonthlyProgress.objects.all():
        due = (row.month.replace(day=28) + dt.timedelta(days=4)).replace(day=3)
        MonthlyProgress.objects.filter(pk=row.pk).update(created_at=dt.datetime.combine(due, dt.time(9), SH))
    rule = ScoringRule(target="reporting.on_time", weight=5, rule="reporting")
    scheme = jiaxing.scoring.model_copy(update={"rules": [*jiaxing.scoring.rules, rule]})
    monkeypatch.setattr(selectors, "scheme", lambda: scheme)
    return small_registry


def points(score, target):
    [p] = [p for p in score.points if p.target_id == target]
    return p


def test_the_on_time_rate_of_the_months_due_scores_its_weight(with_rule):
    # at 2024-04-30 January, February and March are due (deadlines 2-05, 3-05, 4-05)
    scores = {s.area: s for s in selectors.scores_at(2024, dt.date(2024, 4, 30))}
    nanhu, haining = (
        points(scores["330402"], "reporting.on_time"),
        points(scores["330481"], "reporting.on_time"),
    )
    assert str(nanhu.points) == "5.00" and "3/3 ＝ 100.00%" in nanhu.basis
    assert str(haining.points) == "1.67" and "1/3 ＝ 33.33%" in haining.basis
    # an area with no project due is not punished for it
    assert str(points(scores["330411"], "reporting.on_time").points) == "5.00"


def test_before_any_deadline_nothing_is_expected(with_rule):
    scores = {s.area: s for s in selectors.scores_at(2024, dt.date(2024, 1, 31))}
    assert "本期无应报项目" in points(scores["330481"], "reporting.on_time").basis


def test_the_plan_accepts_only_the_known_reporting_rates():
    data = yaml.safe_load(JIAXING_PLAN.read_text(encoding="utf-8"))
    data["scoring"]["rules"].append({"target": "reporting.on_time", "weight": 5, "rule": "reporting"})
    schema.Plan.model_validate(data)
    data["scoring"]["rules"][-1]["target"] = "reporting.timely"
    with pytest.raises(ValueError, match="报送率计分只能是 reporting.on_time、reporting.reported"):
        schema.Plan.model_validate(data)
