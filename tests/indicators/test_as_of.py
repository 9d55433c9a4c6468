"""Every figure as of its data date (docs/decisions/0014): the data date, statuses from the workflow
history, counts as stocks and their pipeline forecast, level targets on their path, quotas of 0."""

import datetime as dt

import pytest

from renewal.indicators import periods, rules, selectors
from renewal.registry import models, spells
from tests.factories import reach

from . import factories as f
from .conftest import area, city

pytestmark = pytest.mark.django_db
D = dt.date
CITY = "330400"


@pytest.mark.parametrize(
    "as_of,data_date",
    [
        ("2024-06-15", "2024-05-31"),
        ("2024-06-30", "2024-06-30"),
        ("2024-01-01", "2023-12-31"),
        ("2024-03-01", "2024-02-29"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_the_data_date_is_the_last_day_of_the_last_whole_month(as_of, data_date):
    assert periods.data_date(D.fromisoformat(as_of)) == D.fromisoformat(data_date)


def test_a_stretch_is_read_from_the_transitions_in_the_order_they_take_effect():
    steps = [(D(2024, 1, 5), "已申报"), (D(2024, 2, 1), "区县审核通过"), (D(2024, 3, 10), "已入库")]
    steps += [(D(2024, 4, 1), "在建"), (D(2024, 9, 30), "撤销")]
    s = spells.spells(steps)
    assert (s["counted_from"], s["counted_until"]) == (D(2024, 3, 10), D(2024, 9, 30))
    assert (s["declared_from"], s["declared_until"]) == (D(2024, 1, 5), D(2024, 3, 10))
    assert (s["completed_from"], s["completed_until"]) == (spells.NEVER, spells.NEVER)
    assert spells.status_on(steps, D(2024, 3, 9)) == "区县审核通过"
    assert spells.status_on(steps, D(2024, 3, 10)) == "已入库"
    assert spells.status_on(steps, D(2023, 12, 31)) is None


def test_counts_use_the_status_at_the_data_date_and_past_figures_do_not_change(loaded_plan, compute):
    early = f.project(status="已入库", since=D(2024, 2, 10))
    late = f.project(status="已入库", since=D(2024, 5, 3))
    f.project(status="在建", since=D(2023, 12, 20))  # counted already before the year
    f.project(status="区县审核通过", since=D(2024, 1, 15))  # never counted
    at_march = city(compute(2024, "2024-03-31"), "T1.projects")["actual"]
    assert at_march == 2
    assert city(compute(2024, "2024-01-01"), "T1.projects")["actual"] == 1  # data date 2023-12-31
    assert city(compute(2024, "2024-05-31"), "T1.projects")["actual"] == 3
    # today the early one is withdrawn: March's figure stays, June's loses it
    reach(early, "撤销", since=D(2024, 6, 2))
    reach(late, "在建", since=D(2024, 6, 5))
    assert city(compute(2024, "2024-03-31"), "T1.projects")["actual"] == at_march
    june = city(compute(2024, "2024-06-30"), "T1.projects")
    assert june["actual"] == 2
    # the series is the count at the end of each month: 1 in January, 2 from February, 3 from May
    assert [p["actual"] for p in june["series"][:6]] == [1, 2, 2, 2, 3, 2]
    records = selectors.indicator_records(
        selectors.active_plan(), "T1.projects", selectors.Query(2024, D(2024, 3, 31), None)
    )
    assert {r["code"] for r in records["rows"]} == {
        early.code,
        models.Project.objects.filter(counted_from=D(2023, 12, 20)).get().code,
    }


def test_a_project_without_a_transition_does_not_exist_for_the_indicators(loaded_plan, compute):
    ent = f.enterprise()
    models.Project.objects.create(
        code="NO-HISTORY",
        name="无流转记录",
        enterprise=ent,
        area_id=ent.area_id,
        year=2024,
        types="技术改造",
        provincial_key=True,
        status="在建",
    )
    assert city(compute(2024, "2024-06-30"), "T1.projects")["actual"] == 0


def test_mid_month_gives_the_figures_of_the_last_whole_month(loaded_plan, compute):
    p = f.project(since=D(2024, 1, 1))
    f.progress(p, "2024-05", equipment=40)
    f.progress(p, "2024-06", equipment=60)
    f.statistic("mfg_investment", CITY, "2024-05", 100)
    f.statistic("mfg_investment", CITY, "2024-06", 130)
    mid, end_may = compute(2024, "2024-06-15"), compute(2024, "2024-05-31")
    for t in ("T1.equipment", "T1.projects", "G1"):
        a, b = city(mid, t), city(end_may, t)
        assert (a["actual"], a["expected"], a["status"]) == (b["actual"], b["expected"], b["status"]), t
    assert city(mid, "T1.equipment")["actual"] == 40
    assert city(mid, "T1.equipment")["data_through"] == "2024-05"
    answer = selectors.indicators_answer(
        selectors.active_plan(), selectors.Query(2024, D(2024, 6, 15), None), mid
    )
    assert (answer["as_of"], answer["data_through"]) == ("2024-06-15", "2024-05")


def test_progress_of_a_project_withdrawn_after_the_data_date_still_counts_then(loaded_plan, compute):
    p = f.project(since=D(2024, 1, 1))
    f.progress(p, "2024-02", equipment=70)
    reach(p, "撤销", since=D(2024, 4, 20))
    assert city(compute(2024, "2024-03-31"), "T1.equipment")["actual"] == 70
    assert city(compute(2024, "2024-04-30"), "T1.equipment")["actual"] == 0


def test_energy_space_counts_projects_completed_at_the_data_date(loaded_plan, compute):
    from decimal import Decimal

    p = f.project(status="竣工", since=D(2024, 3, 31), end_date=D(2024, 3, 31), energy_saving=Decimal(50))
    assert city(compute(2024, "2024-03-31"), "P14.energy")["actual"] == 50
    assert city(compute(2024, "2024-02-29"), "P14.energy")["actual"] == 0
    assert p.completed_from == D(2024, 3, 31)


# -- level targets ---------------------------------------------------------------------------------


def test_a_met_level_target_is_green_even_when_its_path_runs_the_other_way(loaded_plan, compute):
    # 嘉善 G6 (超过95 %): baseline 96.78 % above the target; 95.22 % meets it
    f.statistic("digital_rd_tool_rate", "330421", "2023", 0.9678)
    f.statistic("digital_rd_tool_rate", "330421", "2024-12", 0.9522)
    item = area(compute(2024, "2024-12-31"), "330421", "G6")
    assert item["status"] == "green"


def test_level_rule_by_hand():
    # baseline 0.60 → target 0.80, a quarter of the path elapsed, band 0.10
    assert rules.level_status(0.65, 0.60, 0.80, ">=", 0.25, 0.10) == ("green", pytest.approx(0.25))
    assert rules.level_status(0.631, 0.60, 0.80, ">=", 0.25, 0.10)[0] == "yellow"  # p = 0.155
    assert rules.level_status(0.629, 0.60, 0.80, ">=", 0.25, 0.10)[0] == "red"  # p = 0.145
    assert rules.level_status(0.59, 0.60, 0.80, ">=", 0.0, 0.10)[0] == "red"  # wrong side of baseline
    assert rules.level_status(0.81, 0.60, 0.80, ">=", 1.0, 0.10)[0] == "green"
    # a falling target (≤): 30 → 20, half elapsed; 26 is progress 0.4 (yellow), 31 the wrong side
    assert rules.level_status(26, 30, 20, "<=", 0.5, 0.10)[0] == "yellow"
    assert rules.level_status(31, 30, 20, "<=", 0.5, 0.10)[0] == "red"
    assert rules.level_status(19, 30, 20, "<=", 0.5, 0.10)[0] == "green"


# -- quota 0 ---------------------------------------------------------------------------------------


def test_an_area_with_a_quota_of_zero_is_unsplit(loaded_plan, compute):
    plan = selectors.active_plan()
    quota = plan.quota("T1.projects", 2024)
    assert quota is not None
    zero = plan.model_copy(
        update={
            "quotas": [
                q.model_copy(update={"areas": {**q.areas, "330402": 0}}) if q is quota else q
                for q in plan.quotas
            ]
        }
    )
    f.project(f.enterprise("330402"))
    result = selectors.indicators(zero, 2024, D(2024, 6, 30))
    item = area(result, "330402", "T1.projects")
    assert item["status"] == rules.NONE and item["target"] is None
    assert "未分解" in item["target_note"]
    assert area(result, "330481", "T1.projects")["status"] in rules.JUDGED  # others keep theirs


# -- on the demo world -----------------------------------------------------------------------------


@pytest.fixture
def demo_world(loaded_plan, jiaxing):
    from renewal.registry import demo
    from renewal.registry.services import demo_dataset_load

    demo_dataset_load(
        data=demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100), plan_id=jiaxing.id
    )
    return selectors.active_plan()


def _strip(result) -> dict:
    return {area: [{**i, "explanation": None} for i in items] for area, items in result.items.items()}


def test_on_the_demo_mid_june_gives_exactly_the_figures_of_31_may(demo_world):
    mid = selectors.indicators(demo_world, 2024, D(2024, 6, 15))
    end_may = selectors.indicators(demo_world, 2024, D(2024, 5, 31))
    assert _strip(mid) == _strip(end_may)


def test_on_the_demo_new_years_day_counts_the_projects_counted_on_new_years_eve(demo_world):
    # recomputed from the transitions themselves, not from the stretches the engine reads
    counted = set(reference_counted())
    steps = spells.history()
    expected = sum(
        1
        for p in models.Project.objects.filter(year=2024, provincial_key=True)
        if spells.status_on(steps.get(p.pk, []), D(2023, 12, 31)) in counted
    )
    item = city(selectors.indicators(demo_world, 2024, D(2024, 1, 1)), "T1.projects")
    assert item["actual"] == expected
    later = city(selectors.indicators(demo_world, 2024, D(2024, 9, 30)), "T1.projects")["actual"]
    assert 0 < expected < later  # the demo declares through the year


def reference_counted():
    from renewal.registry import reference

    return reference.counted_statuses()


# -- the published forecast errors ---------------------------------------------------------------------


def test_a_forecast_carries_its_backtested_error_and_is_hidden_above_25_percent(loaded_plan, monkeypatch):
    p = f.project(since=D(2024, 1, 1))
    for m in range(1, 7):
        f.progress(p, f"2024-{m:02d}", equipment=100)
    prior = f.project(year=2023, since=D(2023, 1, 1))
    for m in range(1, 13):
        f.progress(prior, f"2023-{m:02d}", equipment=10)
    monkeypatch.setattr(
        selectors, "forecast_errors", lambda: {"T1.equipment": {3: 0.31, 6: 0.08}, "T5": {6: 0.5}}
    )
    plan = selectors.active_plan()
    march = city(selectors.indicators(plan, 2024, D(2024, 4, 30)), "T1.equipment")  # the March cut's
    assert march["forecast"]["value"] is None and march["forecast"]["error"] == 0.31
    assert "回测误差约±31%，超过25%，不显示预测" in march["forecast"]["method"]
    assert all(point["forecast"] is None for point in march["series"])
    june = city(selectors.indicators(plan, 2024, D(2024, 6, 30)), "T1.equipment")
    # flow: 600 done at June, the year before's profile is even (half done) → 1,200
    assert (june["forecast"]["value"], june["forecast"]["error"]) == (1200, 0.08)
    from renewal.indicators import display

    assert display.decorate(plan, june)["forecast_error_h"] == "预测误差约±8%"


def test_the_api_carries_the_data_date_progress_and_the_forecasts_kind(loaded_plan, client):
    f.statistic("cnc_rate", CITY, "2023", 0.60)
    f.statistic("cnc_rate", CITY, "2024-05", 0.632)
    body = client.get("/api/v1/indicators", {"year": 2024, "as_of": "2024-06-15"}).json()
    assert (body["as_of"], body["data_through"]) == ("2024-06-15", "2024-05")
    g7 = next(i for i in body["items"] if i["target_id"] == "G7")
    assert g7["progress"] == 0.16 and g7["progress_expected"] == pytest.approx(5 / 48, abs=1e-6)
    t1 = next(i for i in body["items"] if i["target_id"] == "T1.projects")
    assert t1["forecast"]["kind"] == "stock" and "error" in t1["forecast"]
