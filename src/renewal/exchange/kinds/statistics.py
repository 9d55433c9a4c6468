"""统计指标: figures of the statistics bureau (规上工业增加值, 技改投资 …) by indicator, area and period.

The indicator codes are the ``source.statistics`` / ``source.denominator`` codes of the plan's
targets; the area may be the city itself (its code or name, or 全市).
"""

from __future__ import annotations

from renewal.planning.selectors import NoPlanLoaded, active_plan, active_plan_document
from renewal.registry import models as R
from renewal.registry import selectors as registry

from ..spec import AREA, CODE, PERIOD, VALUE, Column, ListPage, RowError, Sheet


def check(imp, spec: Sheet, v: dict) -> None:
    if imp.city_code is None:
        raise RowError(None, "尚未载入行动方案，无法校验统计指标")
    if v["indicator"] not in imp.statistic_codes:
        raise RowError(
            spec.column("indicator"),
            f"未知的指标代码“{v['indicator']}”（可选：{'、'.join(sorted(imp.statistic_codes))}）",
        )
    if v["area_code"] == imp.city_code and not imp.scope.is_city:
        imp.refuse(spec, "area_code", None)
    if not imp.in_scope(v["area_code"]) and v["area_code"] != imp.city_code:
        imp.refuse(spec, "area_code", v["area_code"])
    match = v["period"]
    v["year"] = int(match[:4])
    v["month"] = int(match[5:7]) if len(match) == 7 else 12


def write(imp, data, rows, sheet_report, positions) -> None:
    imp.upsert(
        R.Statistic,
        rows,
        R.Statistic.objects.filter(indicator__in={v["indicator"] for _, v in rows}),
        lambda v: {f: v[f] for f in ("indicator", "area_code", "period", "year", "month", "value")},
        sheet_report,
        ("indicator", "area_code", "period"),
    )


def area_names() -> dict[str, str]:
    """Area code → name, the city's code → the city's name (when a plan is loaded)."""
    from renewal.planning.models import Area

    names = dict(Area.objects.values_list("code", "name"))
    try:
        plan = active_plan()
    except NoPlanLoaded:
        return names
    return names | {plan.city_code: plan.city_name}


def getters() -> dict:
    """区域 is written as the area's name (the city's name for the city's own rows), which the
    importer reads back to the same code."""
    names = area_names()
    return {"area_code": lambda s: names.get(s.area_code, s.area_code)}


def statistic_names(codes) -> dict[str, str]:
    """Indicator code → the name the plan file gives it (``statistics``)."""
    try:
        plan = active_plan_document()
    except NoPlanLoaded:
        return {}
    return {code: plan.statistic(code).name for code in codes}


def list_context(scope, query: str) -> dict:
    try:
        plan = active_plan()
        city = {"code": plan.city_code, "name": plan.city_name}
    except NoPlanLoaded:
        city = None
    indicators = registry.statistic_indicators(scope=scope) if scope.sees_records else []
    return {
        "indicators": indicators,
        "statistic_names": statistic_names(indicators),
        "area_names": area_names(),
        "city": city,
    }


SPEC = Sheet(
    kind="statistics",
    name="统计指标",
    label="统计指标",
    key=("indicator", "area_code", "period"),
    order=60,
    model=R.Statistic,
    columns=(
        Column(
            "指标代码",
            "indicator",
            CODE,
            True,
            comment="方案文件中统计来源的指标代码，见下拉列表",
            width=24,
        ),
        Column(
            "区域",
            "area_code",
            AREA,
            True,
            comment="区域名称、别名或代码；全市填城市代码或城市名称",
        ),
        Column(
            "期间",
            "period",
            PERIOD,
            True,
            comment="YYYY-MM 为 1–M 月累计，YYYY 为全年",
            example="2024-03",
            width=10,
        ),
        Column(
            "数值",
            "value",
            VALUE,
            True,
            comment="基本单位：金额为元，比例为小数（55% 填 0.55）",
            example=1234567890,
            width=18,
        ),
    ),
    check=check,
    write=write,
    getters=getters,
    rows=registry.statistic_list,
    list_params={"area": "area", "year": "year", "indicator": "indicator"},
    list_page=ListPage("statistics/", "statistic_list", "registry/statistic_list.html", list_context),
    scope={"area": "area_code", "uscc": None},
)
