"""Data checks on monthly progress (issue 17), pure: no ORM. Each rule kind takes one rule of the
plan file (``checks.rules``), a project's registered figures and its monthly series, and returns
findings whose Chinese message names the field and shows the figures through the units module.

Monthly progress holds each month's own amounts (当月完成, summed by the indicators), so a
*cumulative* figure is the sum of a project's months up to and including a month
(docs/decisions/0028-data-checks.md). Such a sum cannot fall while every month is ≥ 0 (the model
refuses negatives); it falls when a correction lowers a month already reported — the ``drop`` kind
compares the series before and after a save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from renewal.lib import units

ZERO = Decimal(0)
ERROR, WARNING = "error", "warning"
# the progress fields: label and unit of the units table
FIELDS: dict[str, tuple[str, str]] = {
    "investment": ("完成投资", "CNY"),
    "equipment_investment": ("完成设备投资", "CNY"),
    "robots": ("机器人到位", "set"),
    "cnc": ("数控机床到位", "set"),
}
Series = Mapping[dt.date, Mapping[str, Decimal]]  # month → field → that month's own value


@dataclass(frozen=True)
class Figures:
    """What a project registered: 总投资 (yuan), 新增工业机器人, robots of its equipment lines."""

    code: str
    total_investment: Decimal = ZERO
    new_robots: int = 0
    robots_in_lines: int = 0


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    field: str
    month: dt.date
    message: str
    value: Decimal  # the figure checked (a month's value or a cumulative sum)
    reference: Decimal | None = None  # what it was compared with (limit, median, previous, before)


def month_text(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def shown(field: str, value) -> str:
    return units.figure(value, FIELDS[field][1])


def cumulative(series: Series, field: str, month: dt.date) -> Decimal:
    """The sum of the project's months up to and including ``month``."""
    return sum((Decimal(v.get(field) or 0) for m, v in series.items() if m <= month), ZERO)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def _finding(rule, field, month, value, reference=None, **extra) -> Finding:
    values = {
        "field": FIELDS[field][0],
        "month": month_text(month),
        "value": shown(field, value),
        "limit": shown(field, reference) if reference is not None else units.NONE,
        **{k: (shown(field, v) if isinstance(v, Decimal) else v) for k, v in extra.items()},
    }
    return Finding(
        rule.code, rule.severity, field, month, rule.message.format_map(_Blank(values)), value, reference
    )


class _Blank(dict):
    """A template's unknown placeholder reads as a dash rather than failing a save."""

    def __missing__(self, key):
        return units.NONE


# ---- the rule kinds ------------------------------------------------------------------------------


def cumulative_within_total(rule, figures: Figures, series: Series, month: dt.date, before=None):
    """Cumulative 完成投资 ≤ the project's 总投资."""
    value = cumulative(series, "investment", month)
    if value > figures.total_investment:
        return [_finding(rule, "investment", month, value, figures.total_investment)]
    return []


def cumulative_equipment_within(rule, figures: Figures, series: Series, month: dt.date, before=None):
    """Cumulative 完成设备投资 ≤ cumulative 完成投资."""
    value = cumulative(series, "equipment_investment", month)
    limit = cumulative(series, "investment", month)
    if value > limit:
        return [_finding(rule, "equipment_investment", month, value, limit)]
    return []


def robots_within(rule, figures: Figures, series: Series, month: dt.date, before=None):
    """Cumulative 机器人到位 ≤ the larger of the robots in the equipment lines and the project's
    新增工业机器人: a report is wrong only when it exceeds both of the project's own counts."""
    value = cumulative(series, "robots", month)
    limit = Decimal(max(figures.robots_in_lines, figures.new_robots))
    if value > limit:
        return [_finding(rule, "robots", month, value, limit)]
    return []


def mad(values: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    """(median, median absolute deviation) of a series."""
    values = [Decimal(v) for v in values]
    centre = Decimal(median(values))
    return centre, Decimal(median([abs(v - centre) for v in values]))


def outlier(rule, figures: Figures, series: Series, month: dt.date, before=None):
    """A month's value more than ``k`` median absolute deviations from the median of the
    project's own months (at least ``min_months`` of them; a series without spread, MAD 0, is
    left to the jump test), or more than ``m`` times the previous month's (when that was > 0)."""
    out = []
    row = series.get(month)
    if row is None:
        return out
    for field in rule.fields:
        value = Decimal(row.get(field) or 0)
        if rule.k is not None and len(series) >= rule.min_months:
            centre, spread = mad(Decimal(v.get(field) or 0) for v in series.values())
            if spread > 0 and abs(value - centre) > rule.k * spread:
                out.append(
                    _finding(rule, field, month, value, centre, median=centre, mad=spread, k=_plain(rule.k))
                )
                continue
        if rule.m is not None:
            prev = series.get(previous_month(month))
            previous = Decimal(prev.get(field) or 0) if prev is not None else ZERO
            if previous > 0 and value > rule.m * previous:
                out.append(_finding(rule, field, month, value, previous, previous=previous, m=_plain(rule.m)))
    return out


def drop(rule, figures: Figures, series: Series, month: dt.date, before: Series | None = None):
    """A save that lowers the cumulative figure of ``month`` (and so of every later month) below
    what it was before the save."""
    if before is None:
        return []
    out = []
    for field in rule.fields:
        was, now = cumulative(before, field, month), cumulative(series, field, month)
        if now < was:
            out.append(_finding(rule, field, month, now, was, before=was))
    return out


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


KINDS: dict[str, Callable] = {
    "cumulative_within_total": cumulative_within_total,
    "cumulative_equipment_within": cumulative_equipment_within,
    "robots_within": robots_within,
    "outlier": outlier,
    "drop": drop,
}
CUMULATIVE_KINDS = {"cumulative_within_total", "cumulative_equipment_within", "robots_within"}


def evaluate(
    rules,
    figures: Figures,
    series: Series,
    months: Iterable[dt.date],
    *,
    before: Series | None = None,
    severity=None,
) -> list[Finding]:
    """The findings of ``rules`` (of ``severity``, or all) for each of ``months``."""
    out = []
    for month in months:
        for rule in rules:
            if severity is None or rule.severity == severity:
                out.extend(KINDS[rule.kind](rule, figures, series, month, before))
    return out


def save_errors(
    rules, figures: Figures, series: Series, month: dt.date, *, until: dt.date | None = None
) -> list[Finding]:
    """The error findings a save of ``month`` would leave: a cumulative rule fails at the first
    month from ``month`` on (before ``until``: the next month an import writes itself) where it
    fails, since a month raised lifts every later sum; the others at ``month``. One per rule."""
    later = sorted(m for m in series if m >= month and (until is None or m < until)) or [month]
    out = []
    for rule in rules:
        if rule.severity != ERROR:
            continue
        for m in later if rule.kind in CUMULATIVE_KINDS else [month]:
            found = KINDS[rule.kind](rule, figures, series, m, None)
            if found:
                out.append(found[0])
                break
    return out
