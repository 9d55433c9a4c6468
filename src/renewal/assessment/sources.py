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
