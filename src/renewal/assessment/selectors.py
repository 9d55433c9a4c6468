"""Reads of the assessment app: scores and ranks of the areas for a (year, as_of), history.

Indicator values come only through ``sources.indicator_rows``; the arithmetic is the pure
``scoring`` module; this module only gathers inputs and events.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from renewal.planning.models import Area
from renewal.planning.selectors import active_plan_document

from . import scoring, sources
from .models import Adjustment


class NoScheme(LookupError):
    def __str__(self) -> str:
        return "当前方案未定义评分方案（scoring），无法考核排名"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def last_month(as_of: dt.date) -> tuple[int, int]:
    """The last month whose last day is on or before ``as_of`` (as year, month)."""
    if as_of == month_end(as_of.year, as_of.month):
        return as_of.year, as_of.month
    first = as_of.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def scheme():
    s = active_plan_document().scoring
    if s is None:
        raise NoScheme()
    return s


def areas() -> list[Area]:
    return list(Area.objects.filter(is_active=True))


def area_names() -> dict[str, str]:
    return {a.code: a.short_name for a in areas()}


def target_names() -> dict[str, str]:
    """Target id → its clause and name, as the plan writes them (the notes people read)."""
    return {t.id: f"{t.clause} {t.name}" for t in active_plan_document().targets}


def events(year: int, through_month: int) -> dict[str, list[dict]]:
    """Active score events of the year recorded for months up to ``through_month``, by area."""
    out: dict[str, list[dict]] = {}
    qs = Adjustment.objects.filter(
        year=year, month__lte=through_month, withdrawn_at__isnull=True
    ).select_related("author")
    for adj in qs.order_by("month", "created_at", "id"):
        out.setdefault(adj.area_id, []).append(adj.as_event())
    return out


def _rows_cache():
    """Indicator rows per (year, as_of), all areas at once, computed once per request/command; with
    the reporting rates when the scheme scores them (a ``reporting`` rule, issue 17)."""
    cache: dict = {}

    def rows(year: int, as_of: dt.date, area: str | None) -> list[dict]:
        if (year, as_of) not in cache:
            table = sources.indicator_table(year, as_of)
            if any(r.rule == "reporting" for r in scheme().rules):
                extra = sources.reporting_rows(year, as_of)
                table = {a: [*rs, *extra.get(a, [])] for a, rs in table.items()}
            cache[(year, as_of)] = table
        return cache[(year, as_of)][area]

    return rows


def scores_at(year: int, as_of: dt.date, *, rows=None) -> list[scoring.AreaScore]:
    """Ranked scores of every area at ``as_of`` (events recorded up to as_of's month count)."""
    s = scheme()
    rows = rows or _rows_cache()
    month = as_of.month if as_of.year == year else 12
    ev = events(year, month)
    scores = [scoring.score_area(s, a.code, rows(year, as_of, a.code), ev.get(a.code, [])) for a in areas()]
    ranked = scoring.rank(scores, s.tie_break, area_names(), target_names())
    scoring.recommend(s, ranked)
    return ranked


def assessment(year: int, as_of: dt.date) -> dict:
    """The contract answer: items with area, score, rank, previous_rank (last month's end), points."""
    rows = _rows_cache()
    current = scores_at(year, as_of, rows=rows)
    prev_end = as_of.replace(day=1) - dt.timedelta(days=1)  # end of the month before
    previous = {s.area: s.rank for s in scores_at(year, prev_end, rows=rows)} if prev_end.year == year else {}
    names = {a.code: a for a in areas()}
    s = scheme()
    items = []
    for sc in current:
        sc.previous_rank = previous.get(sc.area)
        items.append(
            {
                "area": sc.area,
                "area_name": names[sc.area].name,
                "score": float(sc.score),
                "rank": sc.rank,
                "previous_rank": sc.previous_rank,
                "rank_change": (sc.previous_rank - sc.rank) if sc.previous_rank else None,
                "rank_note": sc.rank_note,
                "recommended": sc.recommended,
                "recommendation_note": sc.recommendation_note,
                "points": [p.as_dict() for p in sc.points],
            }
        )
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "previous_as_of": prev_end.isoformat() if prev_end.year == year else None,
        "clause": s.clause,
        "example": s.example,
        "items": items,
    }


def history(year: int, through: dt.date) -> dict:
    """Monthly scores and ranks of every area, January to the last complete month at ``through``,
    and the annual score (the scheme's ``annual`` rule) with its reason."""
    s = scheme()
    rows = _rows_cache()
    y, last = last_month(through)
    if y < year:
        last = 0
    elif y > year:
        last = 12
    months = []
    for m in range(1, last + 1):
        ranked = scores_at(year, month_end(year, m), rows=rows)
        months.append({"month": f"{year}-{m:02d}", "scores": {sc.area: sc for sc in ranked}})
    all_events = events(year, 12)
    annual = []
    for a in areas():
        target_only = [
            sum((p.points for p in m["scores"][a.code].points if p.kind == "target"), Decimal(0))
            for m in months
        ]
        event_points = scoring.score_events(s, all_events.get(a.code, []))
        base, why = scoring.annual_score(s, target_only, target_only[-1] if last == 12 else None)
        extra = sum((p.points for p in event_points), Decimal(0))
        annual.append(
            scoring.AreaScore(
                area=a.code,
                score=base + extra,
                points=[scoring.Point("annual", base, why, "target"), *event_points],
            )
        )
    ranked = scoring.rank(annual, [], area_names())
    scoring.recommend(s, ranked)
    return {"months": months, "annual": ranked}


# -- Computed once per data version (indicators/answers.py) -----------------------------------------


def assessment_once(year: int, as_of: dt.date) -> dict:
    """``assessment`` computed once per data version (the ranking page and the API)."""
    from renewal.indicators import answers

    return answers.once("ranking", (year, as_of), lambda: assessment(year, as_of))


def history_once(year: int, through: dt.date) -> dict:
    from renewal.indicators import answers

    return answers.once("ranking-history", (year, through), lambda: history(year, through))
