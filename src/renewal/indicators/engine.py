"""The indicator engine: every target of the plan for a (year, as_of), for the city and each area.

Pure: takes the plan (``planning.schema.Plan``) and ``Facts`` — plain numbers the selectors
aggregated — and returns plain dicts in the API shape, each with an explanation trace. No ORM.

Kinds of target and how they are judged (docs/decisions/0005-indicators.md):

* accumulating (``amount``/``count``: T1, T2, T3, T5, T6, T8, P14, G1, G3): ``expected`` is the
  序时进度 of the target's period in whole months; completion = actual / target.
* rates (``growth``, ``average_growth``: G2, G5): a rate holds at any time of the year, so
  ``expected`` is 1 — the rate so far compared with the target rate.
* levels (``share``, ``level``: G4, G6–G10) and annual amounts due ``by`` a year (T10): compared
  with a straight path from the baseline (the year before the plan) to the target; ``expected``
  is path / target.
* comparisons (``relative``: P11 city funds ≥ provincial funds): green or red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from renewal.lib import units
from renewal.planning import schema

from . import periods, rules
from .measures import MEASURES

RATE_KINDS = {"growth", "average_growth"}
# a forecast whose backtested error exceeds this is not shown (docs/decisions/0014)
FORECAST_ERROR_LIMIT = 0.25
LEVEL_KINDS = {"share", "level"}
UNIT_KIND = {"registry": "registry", "statistics": "statistics"}


@dataclass
class MeasureData:
    """A registry measure as monthly increments: {area code: {month index: value}}; the area ''
    holds records of no area (city-level funds). ``prior``: the city's increments in the months of
    the year before ``year`` (to learn the monthly profile)."""

    by_area: dict[str, dict[int, float]] = field(default_factory=dict)
    prior: dict[int, float] = field(default_factory=dict)

    def city(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for months in self.by_area.values():
            for m, v in months.items():
                out[m] = out.get(m, 0.0) + v
        return out


@dataclass
class Pipeline:
    """A stock's declared pipeline at the data date (已申报, 区县审核通过) per area, and in earlier
    years on the same day: how many were in it and how many were counted at their year's end."""

    by_area: dict[str, int] = field(default_factory=dict)
    history_years: tuple[int, ...] = ()
    history_declared: int = 0
    history_converted: int = 0

    def total(self) -> int:
        return sum(self.by_area.values())


@dataclass
class Facts:
    year: int
    as_of: dt.date  # the data date: the last day of the last whole month on or before the request
    registry: dict[str, MeasureData] = field(default_factory=dict)
    pipeline: dict[str, Pipeline] = field(default_factory=dict)
    # target id → {cut month: mean absolute percentage error} measured by bench/forecast.py
    forecast_errors: dict[str, dict[int, float]] = field(default_factory=dict)
    # (indicator code, area code or the city's code, year, month) → value; a whole year is month 12
    statistics: dict[tuple[str, str, int, int], float] = field(default_factory=dict)


@dataclass
class Result:
    year: int
    as_of: dt.date
    city_code: str
    items: dict[str, list[dict]]  # area code (or the city's code) → items in plan order
    warnings: list[str]

    def for_area(self, code: str | None) -> list[dict]:
        return self.items[code or self.city_code]


def num(x: float | None, digits: int = 6) -> int | float | None:
    if x is None or type(x) is int:
        return x
    r = round(x, digits)
    return int(r) if r.is_integer() and abs(r) < 2**53 else r


def baseline_year(plan: schema.Plan, t: schema.Target) -> int:
    return t.baseline.year if t.baseline else plan.start_year - 1


def window(plan: schema.Plan, t: schema.Target, year: int) -> tuple[dt.date, dt.date] | None:
    """The stretch of time a target is judged over in ``year``; None when it does not apply."""
    start, end = t.period.bounds
    kind = t.period.kind
    if kind in ("year", "each_year"):
        return periods.year_bounds(year) if start.year <= year <= end.year else None
    if kind == "cumulative":
        return (start, end) if start.year <= year <= end.year else None
    b = baseline_year(plan, t)  # by: from the end of the baseline year to the end of the target year
    return (dt.date(b + 1, 1, 1), end) if b < year <= end.year else None


def counted_months(win: tuple[dt.date, dt.date] | None, as_of: dt.date) -> tuple[int, int] | None:
    """The month indexes (first, last) whose increments make a registry target's actual at
    ``as_of`` within its window (``window``); None when none do (no window, or as_of is before it).
    The drill-down keeps the records of these months, so they sum to the actual."""
    if win is None:
        return None
    lo, at = periods.month_index(win[0]), periods.month_index(as_of)
    return (lo, min(at, periods.month_index(win[1]))) if at >= lo else None


class _Target:
    """Computation of one target for one area (or the city)."""

    def __init__(self, engine: Engine, t: schema.Target, area: str | None):
        self.e, self.t, self.area = engine, t, area
        self.area_key = area or engine.plan.city.code
        self.year, self.as_of = engine.facts.year, engine.facts.as_of
        self.steps: list[dict] = []
        self.unsplit = False  # an area's quota for this target is 0 or missing

    # -- helpers ---------------------------------------------------------------------------------
    def step(self, what: str, rule: str, value=None) -> None:
        self.steps.append({"step": what, "rule": rule, "value": value, "clause": self.t.clause})

    def stat(self, code: str, year: int, month: int) -> float | None:
        return self.e.facts.statistics.get((code, self.area_key, year, month))

    def latest_month(
        self, codes: Iterable[str], year: int, upto: int, *, also_year: int | None = None
    ) -> int | None:
        for m in range(upto, 0, -1):
            if all(self.stat(c, year, m) is not None for c in codes) and (
                also_year is None or all(self.stat(c, also_year, m) is not None for c in codes)
            ):
                return m
        return None

    def target_value(self) -> tuple[float | None, bool, str]:
        """(target, quota is an example, note) — the city value, or the area's quota."""
        t = self.t
        if self.area is None:
            return (float(t.value) if t.value is not None else None), False, ""
        q = self.e.plan.quota(t.id, self.year)
        if q is not None and self.area in q.areas and q.areas[self.area]:
            return float(q.areas[self.area]), q.example, "区域分解目标" + ("（示例）" if q.example else "")
        if t.kind in RATE_KINDS | LEVEL_KINDS and t.value is not None:
            return float(t.value), False, "各区域同全市目标"
        if t.kind == "relative":
            return None, False, ""
        # quota 0 or none: status ``none`` (未分解) — no colour, no 达标指数, no points
        self.unsplit = True
        zero = q is not None and self.area in q.areas
        return None, False, "本区域分解目标为0（未分解）" if zero else "未分解到本区域"

    def upto_month(self) -> int | None:
        """The last month of ``year`` the data may count (the month of as_of, within the year)."""
        if self.as_of < dt.date(self.year, 1, 1):
            return None
        return 12 if self.as_of.year > self.year else self.as_of.month

    # -- the item ---------------------------------------------------------------------------------
    def compute(self) -> dict:
        t, year = self.t, self.year
        win = window(self.e.plan, t, year)
        target, example, target_note = self.target_value()
        item = {
            "target_id": t.id,
            "clause": t.clause,
            "name": t.name,
            "kind": t.kind,
            "comparator": schema.COMPARATOR_LABELS[t.comparator],
            "display": t.display,
            "unit": t.unit,
            "target": num(target),
            "actual": None,
            "completion": None,
            "progress": None,
            "expected": None,
            "elapsed": None,
            "status": None,
            "source": t.source.kind,
            "measure": t.source.code,
            "period": None,
            "series": [],
            "forecast": None,
            "reason": None,
            "quota_example": example,
            "target_note": target_note,
            "data_through": None,
            "explanation": self.steps,
        }
        if win is None:
            item["reason"] = f"本年度不考核（{t.period.label}）"
            return item
        start, end = win
        total = periods.months_between(start, end)
        elapsed_months = periods.months_elapsed(start, end, self.as_of)
        elapsed = elapsed_months / total
        item["elapsed"] = num(elapsed)
        item["period"] = {
            "kind": t.period.kind,
            "label": t.period.label,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "months": total,
            "elapsed_months": elapsed_months,
        }
        self.win, self.total, self.elapsed_months, self.elapsed = win, total, elapsed_months, elapsed
        self.step(
            "序时进度",
            f"期间 {start}—{end} 共 {total} 个月，截至 {self.as_of} 已过完整月 {elapsed_months} 个",
            num(elapsed),
        )
        if t.kind == "relative":
            self.relative(item)
        elif t.source.kind == "registry":
            self.registry(item, target)
        elif t.kind in RATE_KINDS:
            self.rate(item, target)
        elif t.kind in LEVEL_KINDS:
            self.level(item, target)
        elif t.period.kind == "by":
            self.annual_by(item, target)
        else:
            self.statistics_amount(item, target)
        if item["reason"] is None and item["target"] is None:
            item["reason"] = target_note
        if self.unsplit:
            item["status"] = rules.NONE
        self.publish_error(item)
        return item

    def publish_error(self, item: dict) -> None:
        """Each forecast carries its backtested error (bench/forecast.py, ``forecast_errors``); one
        whose error exceeds the limit is not shown."""
        fc = item.get("forecast")
        if not fc or fc.get("value") is None or self.as_of >= dt.date(self.year, 12, 31):
            if fc:
                fc.setdefault("error", None)
            return
        error = self.e.forecast_error(self.t.id, self.as_of)
        fc["error"] = num(error, 4)
        if error is not None and error > FORECAST_ERROR_LIMIT:
            fc["method"] = (
                f"回测误差约±{units.percent(error, 0)}，超过{units.percent(FORECAST_ERROR_LIMIT, 0)}，不显示预测"
            )
            fc["value"] = fc["completion"] = fc["status"] = None
            for point in item["series"]:
                point["forecast"] = None
            self.step("年末预测", fc["method"], None)

    def judge(self, item: dict, actual: float | None, target: float | None, expected: float | None) -> None:
        c = rules.completion(actual, target)
        item["actual"], item["completion"], item["expected"] = num(actual, 2), num(c), num(expected)
        if self.unsplit:
            item["status"] = rules.NONE
            self.step("状态", f"{item['target_note']}：不着色，不计入达标指数和考核得分", rules.NONE)
            return
        item["status"] = rules.status(c, expected, self.e.band)
        self.step(
            "状态",
            f"完成率 {_pct(c)} 对比应达 {_pct(expected)}：不低于为绿，低于不超过 {self.e.band * 100:g} 个百分点为黄，否则为红",
            item["status"],
        )

    def profile(self, monthly: list[float] | None) -> tuple[list[float], str]:
        learned = rules.cumulative_profile(monthly) if monthly is not None else None
        if learned is not None:
            return learned, f"按{self.year - 1}年同口径月度分布推算"
        return self.e.fallback, "缺少上年月度分布，按方案文件 forecast.fallback_profile 推算"

    # -- registry accumulations ------------------------------------------------------------------------
    def registry(self, item: dict, target: float | None) -> None:
        t, year = self.t, self.year
        data = self.e.facts.registry.get(t.source.code)
        measure = MEASURES.get(t.source.code)
        if data is None or measure is None:
            item["reason"] = f"未知的登记库指标 {t.source.code}"
            return
        incs = self.e.city_increments(t.source.code) if self.area is None else data.by_area.get(self.area, {})
        start, end = self.win
        lo = periods.month_index(start)
        at = periods.month_index(self.as_of)
        stock = measure.stock
        item["data_through"] = periods.month_label(at)

        def cum(upto: int) -> float:
            # a stock is the sum of its entries and exits up to the month, whenever they were
            return sum(v for m, v in incs.items() if (stock or lo <= m) and m <= upto)

        if stock:
            day = min(self.as_of, end)
            actual = cum(periods.month_index(day))
            self.step("实际值", f"{measure.description}（按{_day(day)}的状态）", num(actual, 2))
        else:
            counted = counted_months(self.win, self.as_of)
            actual = cum(counted[1]) if counted else 0.0
            self.step("实际值", measure.description, num(actual, 2))
        self.judge(item, actual, target, self.elapsed)
        y0 = periods.month_index(dt.date(year, 1, 1))
        before = cum(y0 - 1)
        shown_at = min(max(at, y0), y0 + 11)
        series = []
        for k in range(12):
            m = y0 + k
            a = None
            if m <= at:
                a = cum(m)
                if measure.dated_by_year and m < shown_at:
                    a = before  # records dated only by their year are shown from the data month
            exp = (
                target * periods.elapsed_share(start, end, periods.month_last(m))
                if target is not None
                else None
            )
            series.append(
                {
                    "month": periods.month_label(m),
                    "actual": num(a, 2),
                    "expected": num(exp, 2),
                    "forecast": None,
                }
            )
        item["series"] = series
        if measure.kind == "flow":
            prior = [data.prior.get(y0 - 12 + k, 0.0) for k in range(12)]
            profile, method = self.profile(prior if any(prior) else None)
            value = self.flow_forecast(series, actual, before, profile)
        elif measure.kind == "stock":
            value, method = self.stock_forecast(series, actual)
        else:
            value, method = None, "按年度认定的数据，不作月度预测"
        self.forecast(item, value, method, target, actual, start, end, kind=measure.kind)

    def flow_forecast(self, series, actual, before, profile) -> float | None:
        """Year-end value of a flow by the monthly profile of earlier years; fills the series."""
        year = self.year
        if self.as_of < dt.date(year, 1, 1) or self.as_of >= dt.date(year, 12, 31):
            return None
        k = self.as_of.month - 1
        if profile[k] <= 0:
            return None
        value = before + rules.forecast_year_end(actual - before, profile[k])
        for j in range(k, 12):
            share = (profile[j] - profile[k]) / (1 - profile[k]) if profile[k] < 1 else 0
            series[j]["forecast"] = num(actual + (value - actual) * share, 2)
        return value

    def stock_forecast(self, series, actual) -> tuple[float | None, str]:
        """Year-end count of a stock: the count at the data date plus the declared pipeline (已申报,
        区县审核通过 at the data date) times the share of such projects that reached a counted status
        by the end of their year in earlier years. Never a monthly profile."""
        pipe = self.e.facts.pipeline.get(self.t.source.code)
        if self.as_of >= dt.date(self.year, 12, 31):
            return None, ""
        if pipe is None or not pipe.history_declared:
            return None, "缺少往年在途项目的转化记录，不作预测"
        waiting = pipe.total() if self.area is None else pipe.by_area.get(self.area, 0)
        share = pipe.history_converted / pipe.history_declared
        value = actual + waiting * share
        k = max(self.as_of.month - 1, 0) if self.as_of.year == self.year else 0
        for j in range(k, 12):
            series[j]["forecast"] = num(actual + (value - actual) * (j - k + 1) / (12 - k), 2)
        years = "、".join(str(y) for y in pipe.history_years)
        method = (
            f"数据截止日已计入 {num(actual)} 个，加在途（已申报、区县审核通过）{num(waiting)} 个 × "
            f"往年转化率 {_pct(share)}（{years}年同期在途 {pipe.history_declared} 个，"
            f"年末计入 {pipe.history_converted} 个）"
        )
        return value, method

    def forecast(self, item, value, method, target, actual, start, end, *, kind: str) -> None:
        """The forecast block of an item (year-end value, its status, what each remaining month still
        needs) and its backtested error (``plan forecast errors``; above the limit: not shown)."""
        year = self.year
        if self.as_of < dt.date(year, 1, 1) and kind != "stock":
            value, method = None, "数据截止日早于本年，无法预测"
        elif self.as_of >= dt.date(year, 12, 31):
            value, method = actual, "本年已结束，预测值即实际值"
        year_end = min(dt.date(year, 12, 31), end)
        expected_end = periods.elapsed_share(start, end, year_end)
        remaining = self.total - self.elapsed_months
        fc_completion = rules.completion(value, target)
        item["forecast"] = {
            "value": num(value, 2),
            "at": year_end.isoformat(),
            "completion": num(fc_completion),
            "expected": num(expected_end),
            "status": rules.status(fc_completion, expected_end, self.e.band) if value is not None else None,
            "method": method,
            "kind": kind,
            "remaining_months": remaining,
            "needed_per_month": num(rules.needed_per_month(target, actual, remaining), 2),
            "still_needed": num(max(0.0, target - actual), 2) if target is not None else None,
        }
        self.step("年末预测", method, num(value, 2))

    # -- statistics ------------------------------------------------------------------------------------
    def missing(self, item: dict, codes: Iterable[str], when: str) -> None:
        item["reason"] = f"缺少统计数据：{'、'.join(codes)}（{when}，{self.e.area_name(self.area)}）"
        self.step("实际值", item["reason"], None)

    def statistics_amount(self, item: dict, target: float | None) -> None:
        code, year = self.t.source.statistics, self.year
        upto = self.upto_month()
        m = self.latest_month([code], year, upto) if upto else None
        if m is None:
            self.missing(item, [code], f"{year}年1—{upto or 12}月累计")
            return
        actual = self.stat(code, year, m)
        item["data_through"] = f"{year}-{m:02d}"
        self.step("实际值", f"统计指标 {code} {year}年1—{m}月累计", num(actual, 2))
        self.judge(item, actual, target, self.elapsed)
        self.statistics_series(item, code, target, actual, m)

    def statistics_series(self, item, code, target, actual, m) -> None:
        start, end = self.win
        year = self.year
        series = []
        for k in range(1, 13):
            exp = (
                target * periods.elapsed_share(start, end, periods.month_last(year * 12 + k - 1))
                if target
                else None
            )
            a = self.stat(code, year, k) if k <= m else None
            series.append(
                {"month": f"{year}-{k:02d}", "actual": num(a, 2), "expected": num(exp, 2), "forecast": None}
            )
        prior = [self.stat(code, year - 1, k) for k in range(1, 13)]
        monthly = None
        if all(v is not None for v in prior):
            monthly = [prior[0]] + [prior[k] - prior[k - 1] for k in range(1, 12)]
        profile, method = self.profile(monthly)
        if self.as_of >= dt.date(year, 12, 31) and m == 12:
            value = actual
        else:
            value = rules.forecast_year_end(actual, profile[m - 1])
            if value is not None:
                for j in range(m - 1, 12):
                    share = profile[j] / profile[m - 1]
                    series[j]["forecast"] = num(actual * share, 2)
        item["series"] = series
        remaining = self.total - self.elapsed_months
        fc_c = rules.completion(value, target)
        item["forecast"] = {
            "value": num(value, 2),
            "at": f"{year}-12-31",
            "completion": num(fc_c),
            "expected": 1,
            "status": rules.status(fc_c, 1.0, self.e.band),
            "kind": "flow",
            "method": method,
            "remaining_months": remaining,
            "needed_per_month": num(rules.needed_per_month(target, actual, remaining), 2),
        }
        self.step("年末预测", method, num(value, 2))

    def annual_by(self, item: dict, final: float | None) -> None:
        """An annual amount due by a year (T10): this year's waypoint on the path from the baseline."""
        t, year = self.t, self.year
        code, b = t.source.statistics, baseline_year(self.e.plan, t)
        base = self.stat(code, b, 12)
        if base is None and t.baseline and t.baseline.value is not None and self.area is None:
            base = float(t.baseline.value)
        if base is None:
            self.missing(item, [code], f"基期{b}年全年")
            return
        target = rules.waypoint(base, final, year, b, t.period.by) if final is not None else None
        self.step(
            "本年目标",
            f"由基期{b}年 {num(base, 2)} 直线推进至{t.period.by}年目标 {num(final, 2)}，{year}年应达",
            num(target, 2),
        )
        item["target"], item["final_target"], item["baseline"] = num(target, 2), num(final, 2), num(base, 2)
        # judged within the year: the year's 序时进度
        self.win = periods.year_bounds(year)
        self.total, self.elapsed_months = 12, periods.months_elapsed(*self.win, self.as_of)
        self.elapsed = self.elapsed_months / 12
        item["period"].update({"judged_within": f"{year}年", "elapsed_months_in_year": self.elapsed_months})
        upto = self.upto_month()
        m = self.latest_month([code], year, upto) if upto else None
        if m is None:
            self.missing(item, [code], f"{year}年1—{upto or 12}月累计")
            return
        actual = self.stat(code, year, m)
        item["data_through"] = f"{year}-{m:02d}"
        self.judge(item, actual, target, self.elapsed)
        self.statistics_series(item, code, target, actual, m)

    def rate(self, item: dict, target: float | None) -> None:
        """G2 growth = value(Y, M) / value(Y−1, M) − 1; G5 average growth since the baseline year."""
        t, year = self.t, self.year
        code = t.source.statistics
        b = year - 1 if t.kind == "growth" else baseline_year(self.e.plan, t)
        upto = self.upto_month()
        m = self.latest_month([code], year, upto, also_year=b) if upto and year > b else None
        if m is None:
            self.missing(item, [code], f"{year}年及{b}年同期1—{upto or 12}月累计")
            return
        now, then = self.stat(code, year, m), self.stat(code, b, m)
        if not then:
            self.missing(item, [code], f"{b}年同期为零")
            return
        n = year - b

        def growth(a: float, z: float) -> float:
            return (a / z) ** (1 / n) - 1 if a > 0 else -1.0

        actual = growth(now, then)
        item["data_through"] = f"{year}-{m:02d}"
        rule = (
            f"{year}年1—{m}月 ÷ {b}年1—{m}月 − 1"
            if n == 1
            else f"({year}年1—{m}月 ÷ {b}年1—{m}月)^(1/{n}) − 1"
        )
        self.step("实际值", f"统计指标 {code}：{rule}", num(actual))
        item["actual"] = num(actual)
        self.judge(item, actual, target, 1.0)
        item["actual"] = num(actual)
        series = []
        for k in range(1, 13):
            a, z = self.stat(code, year, k), self.stat(code, b, k)
            g = growth(a, z) if (k <= m and a is not None and z) else None
            series.append(
                {
                    "month": f"{year}-{k:02d}",
                    "actual": num(g),
                    "expected": num(target),
                    "forecast": num(actual) if k >= m else None,
                }
            )
        item["series"] = series
        item["forecast"] = {
            "value": num(actual),
            "at": f"{year}-12-31",
            "completion": item["completion"],
            "expected": 1,
            "status": item["status"],
            "kind": "rate",
            "method": f"按{b}年同口径月度分布推算全年，增速等于当前累计增速",
            "remaining_months": 12 - m,
            "needed_per_month": None,
        }

    def level(self, item: dict, target: float | None) -> None:
        """G4 share and G6–G10 levels: compared with the straight path from the baseline."""
        t, year = self.t, self.year
        num_code, den_code = t.source.statistics, t.source.denominator
        b = baseline_year(self.e.plan, t)

        def value(y: int, k: int) -> float | None:
            a = self.stat(num_code, y, k)
            if den_code is None or a is None:
                return a
            d = self.stat(den_code, y, k)
            return a / d if d else None

        base = value(b, 12)
        if base is None and t.baseline and t.baseline.value is not None and self.area is None:
            base = float(t.baseline.value)
        upto = self.upto_month()
        m = None
        if upto:
            m = next((k for k in range(upto, 0, -1) if value(year, k) is not None), None)
        codes = [num_code] + ([den_code] if den_code else [])
        if m is None:
            self.missing(item, codes, f"{year}年1—{upto or 12}月")
            return
        actual = value(year, m)
        item["data_through"] = f"{year}-{m:02d}"
        self.step("实际值", f"统计指标 {'÷'.join(codes)}，{year}年{m}月", num(actual))
        if base is None or target is None:
            item["actual"] = num(actual)
            item["reason"] = (
                f"缺少基期（{b}年）统计数据，无法计算路径" if base is None else item["target_note"]
            )
            return
        path = rules.level_path(base, target, self.elapsed_months, self.total)
        item["baseline"], item["path"] = num(base), num(path)
        self.step(
            "路径值",
            f"由基期{b}年 {num(base)} 直线推进至 {self.win[1]} 目标 {num(target)}，截至本月应达",
            num(path),
        )
        self.judge(item, actual, target, path / target if target else None)
        item["actual"] = num(actual)
        if not self.unsplit:
            status, progress = rules.level_status(
                actual, base, target, t.comparator, self.elapsed, self.e.band
            )
            item["status"], item["progress"], item["progress_expected"] = (
                status,
                num(progress),
                num(self.elapsed),
            )
            self.steps.pop()  # the plain completion rule does not judge a level
            self.step(
                "状态",
                f"已达目标（{schema.COMPARATOR_LABELS[t.comparator]}{num(target)}）即为绿；否则进度 (实际−基期)÷(目标−基期)"
                f" = {_pct(progress)} 对比路径已过 {_pct(self.elapsed)}：不低于为绿，低于不超过"
                f" {self.e.band * 100:g} 个百分点为黄，否则为红；实际值在基期的反方向为红",
                status,
            )
        start, end = self.win
        base_idx = b * 12 + 11
        series = []
        for k in range(1, 13):
            idx = year * 12 + k - 1
            done = periods.months_elapsed(start, end, periods.month_last(idx))
            series.append(
                {
                    "month": f"{year}-{k:02d}",
                    "actual": num(value(year, k)) if k <= m else None,
                    "expected": num(rules.level_path(base, target, done, self.total)),
                    "forecast": None,
                }
            )
        data_idx = year * 12 + m - 1
        # a share (普及率, 占比) cannot be extrapolated past 100 % or below 0
        bound = (lambda v: min(max(v, 0.0), 1.0)) if t.unit == "ratio" else (lambda v: v)
        fc = bound(rules.forecast_level(base, actual, data_idx - base_idx, year * 12 + 11 - base_idx))
        for k in range(m, 13):
            series[k - 1]["forecast"] = num(
                bound(rules.forecast_level(base, actual, data_idx - base_idx, year * 12 + k - 1 - base_idx))
            )
        item["series"] = series
        year_end_path = rules.level_path(
            base, target, periods.months_elapsed(start, end, dt.date(year, 12, 31)), self.total
        )
        fc_c = rules.completion(fc, target)
        year_end_share = periods.months_elapsed(start, end, dt.date(year, 12, 31)) / self.total
        item["forecast"] = {
            "value": num(fc),
            "at": f"{year}-12-31",
            "completion": num(fc_c),
            "expected": num(year_end_path / target),
            "status": rules.level_status(fc, base, target, t.comparator, year_end_share, self.e.band)[0],
            "kind": "level",
            "method": "按基期以来的变化趋势线性外推至年末",
            "remaining_months": self.total - self.elapsed_months,
            "needed_per_month": num(rules.needed_per_month(target, actual, self.total - self.elapsed_months)),
        }

    def relative(self, item: dict) -> None:
        """P11: city funds compared with the provincial-or-higher funds of the same area."""
        t = self.t
        other = self.e.done[(t.relative_to, self.area_key)]
        reference = other["actual"]
        item["target"] = reference
        item["relative_to"] = t.relative_to
        data = self.e.facts.registry.get(t.source.code)
        if data is None:
            item["reason"] = f"未知的登记库指标 {t.source.code}"
            return
        incs = self.e.city_increments(t.source.code) if self.area is None else data.by_area.get(self.area, {})
        y0 = self.year * 12
        actual = (
            sum(v for m, v in incs.items() if y0 <= m <= periods.month_index(self.as_of))
            if self.as_of.year >= self.year
            else 0.0
        )
        self.step("实际值", MEASURES[t.source.code].description, num(actual, 2))
        c = rules.completion(actual, reference)
        item["actual"], item["completion"], item["expected"] = num(actual, 2), num(c), 1
        item["status"] = rules.comparison_status(actual, reference)
        self.step(
            "状态", f"与{t.relative_to}（{num(reference, 2)}）比较：不少于为绿，否则为红", item["status"]
        )
        if reference is None:
            item["reason"] = other["reason"]


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _pct(x: float | None) -> str:
    return "—" if x is None else units.percent(x, 1)  # 四舍五入, like every figure shown


class Engine:
    def __init__(self, plan: schema.Plan, facts: Facts):
        self.plan, self.facts = plan, facts
        self.band = float(plan.status.yellow_band)
        self.fallback = rules.cumulative_profile([float(w) for w in plan.forecast.fallback_profile])
        self.done: dict[tuple[str, str], dict] = {}
        self._city: dict[str, dict[int, float]] = {}
        self._names = {a.code: a.name for a in plan.areas}

    def area_name(self, code: str | None) -> str:
        return self._names.get(code, self.plan.city.name) if code else self.plan.city.name

    def forecast_error(self, target_id: str, day: dt.date) -> float | None:
        """The backtested error of the target's forecast at the latest cut month ≤ the data month
        (the earliest cut before it)."""
        cuts = self.facts.forecast_errors.get(target_id)
        if not cuts:
            return None
        months = sorted(cuts)
        pick = max((m for m in months if m <= day.month), default=months[0])
        return cuts[pick]

    def city_increments(self, measure: str) -> dict[int, float]:
        if measure not in self._city:
            self._city[measure] = self.facts.registry[measure].city()
        return self._city[measure]

    def run(self, areas: list[str | None] | None = None) -> Result:
        plan = self.plan
        keys: list[str | None] = [None] + [a.code for a in plan.areas] if areas is None else areas
        ordered = sorted(plan.targets, key=lambda t: t.kind == "relative")
        for t in ordered:
            for area in keys:
                item = _Target(self, t, area).compute()
                self.done[(t.id, area or plan.city.code)] = item
        items = {
            (area or plan.city.code): [self.done[(t.id, area or plan.city.code)] for t in plan.targets]
            for area in keys
        }
        return Result(self.facts.year, self.facts.as_of, plan.city.code, items, plan.quota_warnings())


def compute(plan: schema.Plan, facts: Facts, areas: list[str | None] | None = None) -> Result:
    """Every target of ``plan`` for the city and each area (or only ``areas``; None is the city)."""
    return Engine(plan, facts).run(areas)
