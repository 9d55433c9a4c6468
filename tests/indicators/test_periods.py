"""序时进度 counts whole months: a month counts once as_of reaches its last day."""

import datetime as dt

import pytest

from renewal.indicators import periods

D = dt.date
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))
PLAN_PERIOD = (D(2024, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize(
    ("as_of", "share"),
    [
        (D(2023, 12, 31), 0),  # before the period starts
        (D(2024, 1, 1), 0),  # first day: no month is over yet
        (D(2024, 1, 30), 0),
        (D(2024, 1, 31), 1 / 12),  # January counts on its last day
        (D(2024, 2, 28), 1 / 12),  # 2024 is a leap year: February is not over on the 28th
        (D(2024, 2, 29), 2 / 12),
        (D(2024, 3, 15), 2 / 12),  # mid-month
        (D(2024, 3, 31), 3 / 12),
        (D(2024, 9, 30), 9 / 12),
        (D(2024, 12, 30), 11 / 12),
        (D(2024, 12, 31), 1),
        (D(2025, 6, 30), 1),  # after the period ends
    ],
)
def test_the_expected_share_of_a_year_counts_whole_months(as_of, share):
    assert periods.elapsed_share(*YEAR_2024, as_of) == pytest.approx(share)


def test_february_of_a_common_year_ends_on_the_28th():
    year_2025 = (D(2025, 1, 1), D(2025, 12, 31))
    assert periods.elapsed_share(*year_2025, D(2025, 2, 28)) == pytest.approx(2 / 12)
    assert periods.elapsed_share(*year_2025, D(2025, 2, 27)) == pytest.approx(1 / 12)


@pytest.mark.parametrize(
    ("as_of", "share"),
    [(D(2024, 3, 31), 3 / 48), (D(2025, 12, 31), 24 / 48), (D(2027, 12, 31), 1), (D(2023, 6, 30), 0)],
)
def test_the_expected_share_of_a_four_year_period(as_of, share):
    assert periods.elapsed_share(*PLAN_PERIOD, as_of) == pytest.approx(share)


def test_month_indices_run_across_years():
    assert periods.month_index(D(2025, 1, 1)) - periods.month_index(D(2024, 12, 31)) == 1
    assert periods.month_label(periods.month_index(D(2024, 2, 10))) == "2024-02"
    assert periods.month_last(periods.month_index(D(2024, 2, 1))) == D(2024, 2, 29)
