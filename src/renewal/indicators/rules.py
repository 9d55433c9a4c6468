"""Indicator arithmetic: status, level paths, forecasts, what is still needed. Pure functions over
numbers (no ORM, no dates beyond what ``periods`` gives); each documents its rule.

Status (clause of the plan file's ``status.yellow_band``): an indicator is green when its
completion (actual / target) is at or above the expected share, yellow when it is below by at
most the band (0.10 = ten percentage points of the target), red below that.
"""

from __future__ import annotations

from collections.abc import Sequence

GREEN, YELLOW, RED = "green", "yellow", "red"
NONE = "none"  # the target is not split to this area (quota 0 or none): no colour, no points
STATUS_LABELS = {
    GREEN: "达到序时进度",
    YELLOW: "略低于序时进度",
    RED: "明显滞后",
    NONE: "未分解",
    None: "无法判断",
}
STATUS_SHORT = {GREEN: "● 正常", YELLOW: "● 预警", RED: "● 滞后", NONE: "未分解", None: "—"}
JUDGED = (GREEN, YELLOW, RED)  # the statuses that count in an area's 达标指数 and its points
EPSILON = 1e-9


def completion(actual: float | None, target: float | None) -> float | None:
    """actual / target; None when either is unknown or the target is zero."""
    if actual is None or target is None or target == 0:
        return None
    return actual / target


def status(completion: float | None, expected: float | None, yellow_band: float) -> str | None:
    """green when completion ≥ expected; yellow when within ``yellow_band`` below; red otherwise."""
    if completion is None or expected is None:
        return None
    if completion + EPSILON >= expected:
        return GREEN
    if completion + EPSILON >= expected - yellow_band:
        return YELLOW
    return RED


def comparison_status(actual: float | None, reference: float | None) -> str | None:
    """A target that is a comparison (P11: city funds ≥ provincial funds): green or red."""
    if actual is None or reference is None:
        return None
    return GREEN if actual + EPSILON >= reference else RED


def met(actual: float, target: float, comparator: str) -> bool:
    """Whether ``actual`` meets ``target`` by the target's own comparator (≥, >, ≤, <, =, ≈ —
    ≈ is within 1 % of the target)."""
    if comparator == ">=":
        return actual + EPSILON >= target
    if comparator == ">":
        return actual > target + EPSILON
    if comparator == "<=":
        return actual <= target + EPSILON
    if comparator == "<":
        return actual + EPSILON < target
    if comparator == "≈":
        return abs(actual - target) <= 0.01 * abs(target) + EPSILON
    return abs(actual - target) <= EPSILON


def level_status(
    actual: float, baseline: float, target: float, comparator: str, elapsed: float, yellow_band: float
) -> tuple[str, float | None]:
    """A level target (G4, G6–G10) judged on its path from the baseline: (status, progress).

    Met by its own comparator → green, whatever the path. Otherwise progress
    p = (actual − baseline) / (target − baseline) is compared with the elapsed share e of the
    path's months: green if p ≥ e, yellow if p ≥ e − band, red otherwise; an actual on the wrong
    side of the baseline (p < 0) is red. A target equal to its baseline that is not met is red."""
    progress = (actual - baseline) / (target - baseline) if target != baseline else None
    if met(actual, target, comparator):
        return GREEN, progress
    if progress is None or progress < -EPSILON:
        return RED, progress
    if progress + EPSILON >= elapsed:
        return GREEN, progress
    if progress + EPSILON >= elapsed - yellow_band:
        return YELLOW, progress
    return RED, progress


def level_path(baseline: float, target: float, elapsed_months: int, total_months: int) -> float:
    """The value a level target (rate, ratio, 亩均, productivity) should have reached after
    ``elapsed_months`` of ``total_months``: a straight line from the baseline to the target."""
    if total_months <= 0:
        return target
    share = min(max(elapsed_months / total_months, 0.0), 1.0)
    return baseline + (target - baseline) * share


def waypoint(baseline: float, target: float, year: int, baseline_year: int, target_year: int) -> float:
    """The value an annual amount should reach in ``year`` on a straight line from the baseline
    year's value to the target year's (T10: 装备制造业增加值 突破1800亿元 by 2027)."""
    span = target_year - baseline_year
    if span <= 0:
        return target
    share = min(max((year - baseline_year) / span, 0.0), 1.0)
    return baseline + (target - baseline) * share


def cumulative_profile(monthly: Sequence[float]) -> list[float] | None:
    """Twelve monthly amounts → the cumulative share of the year done by the end of each month;
    None when the year holds nothing to learn from."""
    if len(monthly) != 12:
        raise ValueError("月度分布须为 12 个月")
    total = float(sum(monthly))
    if total <= 0 or any(m < 0 for m in monthly):
        return None
    out, run = [], 0.0
    for m in monthly:
        run += float(m)
        out.append(run / total)
    out[-1] = 1.0
    return out


def forecast_year_end(year_to_date: float, share_done: float) -> float | None:
    """Year-end value by the monthly profile: what is done so far divided by the share of a usual
    year done by the same month (back-loading included when the profile is back-loaded)."""
    if share_done <= 0:
        return None
    return year_to_date / share_done


def forecast_level(
    baseline: float, actual: float, months_since_baseline: int, months_to_year_end: int
) -> float:
    """Year-end value of a level indicator: the trend from the baseline to now, extended."""
    if months_since_baseline <= 0:
        return actual
    return baseline + (actual - baseline) * months_to_year_end / months_since_baseline


def needed_per_month(target: float | None, actual: float | None, remaining_months: int) -> float | None:
    """What is still needed per remaining month of the period to reach the target (0 when reached)."""
    if target is None or actual is None or remaining_months <= 0:
        return None
    return max(0.0, target - actual) / remaining_months
