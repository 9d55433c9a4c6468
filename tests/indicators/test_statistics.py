"""Statistics-sourced targets: cumulative values, growth, shares, level paths; missing data is null."""

import pytest

from . import factories as f
from .conftest import area, city

pytestmark = pytest.mark.django_db
CITY = "330400"


def test_missing_statistics_give_null_with_a_reason_never_zero(loaded_plan, compute):
    result = compute(2024, "2024-09-30")
    for target in ("G1", "G2", "G4", "G5", "G6", "G10", "T10"):
        item = city(result, target)
        assert item["actual"] is None, target
        assert item["status"] is None and item["completion"] is None
        assert "缺少统计数据" in item["reason"]


def test_an_amount_reads_the_cumulative_value_of_the_latest_month(loaded_plan, compute):
    f.statistic("mfg_investment", CITY, "2024-08", 700e8)
    f.statistic("mfg_investment", CITY, "2024-09", 825e8)
    f.statistic("mfg_investment", CITY, "2024-10", 999e8)  # after as_of
    item = city(compute(2024, "2024-09-30"), "G1")
    assert (item["actual"], item["data_through"]) == (825e8, "2024-09")
    assert item["completion"] == 0.75 and item["expected"] == 0.75 and item["status"] == "green"


def test_growth_compares_the_same_months_of_the_year_before(loaded_plan, compute):
    f.statistic("tech_investment", CITY, "2023-06", 200e8)
    f.statistic("tech_investment", CITY, "2024-06", 218e8)
    item = city(compute(2024, "2024-06-30"), "G2")
    assert item["actual"] == pytest.approx(0.09)
    assert item["completion"] == pytest.approx(0.9)
    assert item["expected"] == 1 and item["status"] == "yellow"


def test_growth_without_last_years_value_is_null(loaded_plan, compute):
    f.statistic("tech_investment", CITY, "2024-06", 218e8)
    item = city(compute(2024, "2024-06-30"), "G2")
    assert item["actual"] is None and "2023" in item["reason"]


def test_a_share_is_judged_against_the_path_from_the_baseline(loaded_plan, compute):
    # G4: 50 % in 2023, 55 % due by 2027-12 (48 months); after 12 months the path is at 51.25 %
    f.statistic("tech_investment", CITY, "2023", 500)
    f.statistic("mfg_investment", CITY, "2023", 1000)
    f.statistic("tech_investment", CITY, "2024-12", 520)
    f.statistic("mfg_investment", CITY, "2024-12", 1000)
    item = city(compute(2024, "2024-12-31"), "G4")
    assert item["actual"] == pytest.approx(0.52)
    assert item["path"] == pytest.approx(0.5125)
    assert item["expected"] == pytest.approx(0.5125 / 0.55, abs=1e-6)
    assert item["status"] == "green"


def test_a_level_below_its_path_turns_yellow_then_red(loaded_plan, compute):
    # G7: 60 % in 2023 → 80 % by 2027; at 2024-12 a quarter of the path has elapsed (e = 0.25)
    f.statistic("cnc_rate", CITY, "2023", 0.60)
    f.statistic("cnc_rate", CITY, "2024-12", 0.632)  # progress (0.632−0.60)/(0.80−0.60) = 0.16 ≥ e − 0.10
    item = city(compute(2024, "2024-12-31"), "G7")
    assert (item["status"], item["progress"], item["progress_expected"]) == ("yellow", 0.16, 0.25)
    f.statistic("cnc_rate", CITY, "2024-11", 0.50)  # below the baseline: the wrong side
    assert city(compute(2024, "2024-11-30"), "G7")["status"] == "red"


def test_area_statistics_use_the_area_code_and_levels_apply_to_every_area(loaded_plan, compute):
    f.statistic("cnc_rate", "330481", "2023", 0.70)
    f.statistic("cnc_rate", "330481", "2024-06", 0.75)
    item = area(compute(2024, "2024-06-30"), "330481", "G7")
    assert (item["actual"], item["target"]) == (0.75, 0.8)
    assert city(compute(2024, "2024-06-30"), "G7")["actual"] is None


def test_an_amount_due_by_a_year_is_judged_against_this_years_waypoint(loaded_plan, compute):
    # T10: 1350亿 in 2023 → 1800亿 by 2027: 2024's waypoint is 1462.5亿
    f.statistic("equipment_mfg_value_added", CITY, "2023-12", 1350e8)
    f.statistic("equipment_mfg_value_added", CITY, "2024-06", 731.25e8)
    item = city(compute(2024, "2024-06-30"), "T10")
    assert item["target"] == pytest.approx(1462.5e8)
    assert item["completion"] == pytest.approx(0.5) and item["expected"] == 0.5


def test_a_shares_forecast_stops_at_100_percent(loaded_plan, compute):
    # G6 from 60 % (2023) to 98 % by June: the trend would pass 100 % by December
    f.statistic("digital_rd_tool_rate", CITY, "2023", 0.60)
    f.statistic("digital_rd_tool_rate", CITY, "2024-06", 0.98)
    item = city(compute(2024, "2024-06-30"), "G6")
    assert item["forecast"]["value"] == 1 and max(p["forecast"] or 0 for p in item["series"]) == 1
