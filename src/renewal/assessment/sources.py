"""The ONE place assessment and the bulletin read indicator values from: the indicator engine
(``renewal.indicators.selectors.indicators``), rows in the DESIGN.md contract shape
``{"target_id", "clause", "name", "unit", "target", "actual", "completion", "expected", "status",
"source", …}``. Scoring, the ranking page, the API, ``renewal assess`` and the bulletin all go
through here, so the bulletin's numbers are the cockpit's by construction.
"""

from __future__ import annotations

import datetime as dt

from renewal.indicators import selectors as indicators
from renewal.planning.selectors import active_plan_document


def indicator_table(year: int, as_of: dt.date) -> dict[str | None, list[dict]]:
    """Rows of the city (key None) and of every area (key: area code), one pass of the engine."""
    plan = active_plan_document()
    result = indicators.indicators(plan, year, as_of)
    return {None: result.for_area(None), **{a.code: result.for_area(a.code) for a in plan.areas}}


def indicator_rows(year: int, as_of: dt.date, area: str | None) -> list[dict]:
    """Rows of one area (None: the city)."""
    return indicators.indicators(active_plan_document(), year, as_of, [area]).for_area(area)


def reporting_rows(year: int, as_of: dt.date) -> dict[str, list[dict]]:
    """Per area, the reporting rates a ``reporting`` scoring rule reads (issue 17): monthly progress
    of ``year``'s months whose deadline is on or before ``as_of``, counted as at the end of that day
    (reporting/completeness.py), as rows ``{"target_id", "name", "rate", "expected", "counted"}``."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from renewal.planning.schema import REPORTING_TARGETS
    from renewal.reporting import completeness, selectors

    months = [
        m
        for m in selectors.months_between(dt.date(year, 1, 1), dt.date(year, 12, 1))
        if selectors.progress_deadline(m).date() <= as_of
    ]
    end = dt.datetime.combine(as_of, dt.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
    board = completeness.progress_board(months=months, now=end)
    out = {}
    for row in board["rows"]:
        t = row.total  # no month due yet: nothing expected (the rule gives the full weight)
        out[row.key] = [
            {"target_id": "reporting.on_time", "name": REPORTING_TARGETS["reporting.on_time"],
             "rate": t.on_time_rate, "expected": t.expected, "counted": t.on_time},
            {"target_id": "reporting.reported", "name": REPORTING_TARGETS["reporting.reported"],
             "rate": t.reported_rate, "expected": t.expected, "counted": t.reported},
        ]  # fmt: skip
    return out
