"""Months as every page, sheet and command writes them: YYYY-MM, kept as the month's first day."""

from __future__ import annotations

import datetime as dt


def parse_month(text: str) -> dt.date:
    """'YYYY-MM' → the first day of that month; ValueError with a Chinese message otherwise."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(f"月份应为 YYYY-MM，实为 {text!r}") from None


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
