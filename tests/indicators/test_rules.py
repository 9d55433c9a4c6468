"""Status, paths, forecasts and what is still needed — on both sides of every threshold."""

import pytest

from renewal.indicators import rules

BAND = 0.10


@pytest.mark.parametrize(
    ("completion", "expected", "status"),
    [
        (0.75, 0.75, "green"),  # exactly on 序时进度
        (0.80, 0.75, "green"),
        (0.7499, 0.75, "yellow"),  # just below
        (0.65, 0.75, "yellow"),  # exactly the band below
        (0.6499, 0.75, "red"),  # just beyond the band
        (0.0, 0.0, "green"),  # nothing expected yet
        (None, 0.75, None),  # no actual: no status
        (0.5, None, None),
    ],
)
def test_status_follows_the_yellow_band_of_the_plan(completion, expected, status):
    assert rules.status(completion, expected, BAND) == status


def test_a_wider_band_turns_red_into_yellow():
    assert rules.status(0.60, 0.75, 0.10) == "red"
    assert rules.status(0.60, 0.75, 0.20) == "yellow"


def test_completion_is_actual_over_target_and_unknown_for_a_zero_target():
    assert rules.completion(350, 500) == 0.7
    assert rules.completion(3, 0) is None
    assert rules.completion(None, 10) is None


def test_a_comparison_is_green_when_at_least_the_reference():
    assert rules.comparison_status(2.0e8, 2.0e8) == "green"
    assert rules.comparison_status(1.99e8, 2.0e8) == "red"
    assert rules.comparison_status(1.0, None) is None


def test_a_level_path_runs_straight_from_the_baseline_to_the_target():
    # G7: 66% in 2023 → 80% by the end of 2027 (48 months); after 12 months a quarter of the way
    assert rules.level_path(0.66, 0.80, 12, 48) == pytest.approx(0.695)
    assert rules.level_path(0.66, 0.80, 0, 48) == pytest.approx(0.66)
    assert rules.level_path(0.66, 0.80, 60, 48) == pytest.approx(0.80)


def test_a_waypoint_is_the_year_on_the_line_to_the_target_year():
    # T10: 1350亿 in 2023 → 1800亿 in 2027: 2024 should reach 1462.5亿
    assert rules.waypoint(1350e8, 1800e8, 2024, 2023, 2027) == pytest.approx(1462.5e8)


def test_the_monthly_profile_is_cumulative_and_ends_at_one():
    assert rules.cumulative_profile([1] * 12)[2] == pytest.approx(0.25)
    profile = rules.cumulative_profile([5, 6, 7, 8, 8, 9, 9, 9, 9, 9, 10, 11])
    assert profile[8] == pytest.approx(70 / 100)
    assert profile[-1] == 1.0
    assert rules.cumulative_profile([0] * 12) is None


def test_a_back_loaded_profile_forecasts_more_than_a_plain_run_rate():
    ytd = 70.0  # 70 done by the end of September
    run_rate = rules.forecast_year_end(ytd, rules.cumulative_profile([1] * 12)[8])
    back_loaded = rules.forecast_year_end(
        ytd, rules.cumulative_profile([5, 6, 7, 8, 8, 9, 9, 9, 9, 9, 10, 11])[8]
    )
    assert run_rate == pytest.approx(93.333, rel=1e-4)
    assert back_loaded == pytest.approx(100.0)


def test_what_is_still_needed_is_spread_over_the_remaining_months():
    assert rules.needed_per_month(500, 380, 3) == 40
    assert rules.needed_per_month(500, 600, 3) == 0
    assert rules.needed_per_month(500, 100, 0) is None


def test_a_level_forecast_extends_the_trend_since_the_baseline():
    # 0.66 at the baseline, 0.69 nine months later: 0.70 by month twelve
    assert rules.forecast_level(0.66, 0.69, 9, 12) == pytest.approx(0.70)
