"""Months and 序时进度 (progress expected by elapsed time). Pure: dates in, numbers out.

A month counts as elapsed once ``as_of`` reaches its last day (whole months only): at 2024-03-30
two months of 2024 have elapsed, at 2024-03-31 three. Before a period starts nothing has
elapsed (0); after it ends all of it has (1).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache


def month_index(d: dt.date) -> int:
    """Months since year 0: consecutive months differ by 1."""
    return d.year * 12 + d.month - 1


def month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def month_label(index: int) -> str:
    y, m = month_of(index)
    return f"{y}-{m:02d}"


def month_first(index: int) -> dt.date:
    y, m = month_of(index)
    return dt.date(y, m, 1)


@lru_cache(maxsize=4096)
def month_last(index: int) -> dt.date:
    y, m = month_of(index)
    return dt.date(y, m, calendar.monthrange(y, m)[1])


@lru_cache(maxsize=4096)
def last_complete_month(as_of: dt.date) -> int:
    """Index of the last month whose last day is on or before ``as_of``."""
    index = month_index(as_of)
    return index if as_of == month_last(index) else index - 1


def data_date(as_of: dt.date) -> dt.date:
    """The day every figure asked for at ``as_of`` is taken: the last day of the last whole month
    on or before it (2024-06-15 → 2024-05-31; 2024-06-30 → 2024-06-30)."""
    return month_last(last_complete_month(as_of))


def months_between(start: dt.date, end: dt.date) -> int:
    """Number of months a period [start, end] covers (start on a first, end on a last day)."""
    return month_index(end) - month_index(start) + 1


@lru_cache(maxsize=4096)
def months_elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> int:
    """Whole months of [start, end] elapsed at ``as_of`` (0 … months_between)."""
    total = months_between(start, end)
    done = last_complete_month(as_of) - month_index(start) + 1
    return max(0, min(total, done))


@lru_cache(maxsize=4096)
def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """序时进度: the share of the period [start, end] elapsed at ``as_of``, in whole months."""
    return months_elapsed(start, end, as_of) / months_between(start, end)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
