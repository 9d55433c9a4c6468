"""Pages of finance (P12): the funnel (融资对接) — ``/finance/`` (per area and per bank, a monthly
trend), ``/finance/records/<measure>/`` (the records one figure sums) and ``/finance/export.xlsx``.

The city's (``finance.funnel``: administrator, reviewer and the viewer); the drill-down lists
records, which the viewer does not read (``records_required``). Figures come from
``finance.selectors`` only: a figure and its drill-down are sums of the same records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse

from renewal.accounts.pages import Gate, request_scope, requires
from renewal.indicators.selectors import default_as_of
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.planning import selectors as plans

from . import selectors as S


class QueryError(ValueError):
    pass


def _day(raw: str | None, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise QueryError(f"{label}应为 YYYY-MM-DD 格式的日期，实为“{raw}”") from None


def _period(request) -> S.Period:
    as_of = _day(request.GET.get("as_of"), "截止日期（as_of）") or default_as_of()
    start = _day(request.GET.get("from"), "贴息测算起始日期（from）")
    period = S.period_of(as_of, start)
    if period.subsidy_from > period.data_date:
        raise QueryError(
            f"贴息测算起始日期 {period.subsidy_from} 晚于数据日期 {period.data_date}（截止日期所在月之前最后一个完整月的月末）"
        )
    return period


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except plans.NoPlanLoaded as exc:
            return render(request, "web/no_plan.html", {"message": str(exc)}, status=503)
        except QueryError as exc:
            return render(request, "finance/funnel_error.html", {"message": str(exc)}, status=400)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _query(period: S.Period, **extra) -> str:
    params = {"as_of": period.as_of.isoformat(), "from": period.subsidy_from.isoformat()}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def _cell(measure: S.Measure, value: Decimal) -> str:
    if measure.unit == "CNY":
        return units.wan(value)
    return units.number(value, 0)


def header(measure: S.Measure) -> str:
    return (
        f"{measure.label}({units.label('CNY', units.column('CNY'))})"
        if measure.unit == "CNY"
        else f"{measure.label}(个)"
    )


def _table(rows: list[S.FunnelRow], funnel: S.Funnel, dimension: str, links: bool) -> list[dict]:
    out = []
    for row in rows:
        cells = []
        for m in funnel.measures:
            if m.code not in row.figures:
                cells.append({"text": "—", "url": None})
                continue
            value = row.figures[m.code]
            url = None
            if links and value:
                url = (
                    reverse("finance:funnel_records", args=[m.code])
                    + "?"
                    + _query(funnel.period, **({dimension: row.key} if row.key else {}))
                )
            cells.append({"text": _cell(m, value), "url": url})
        out.append({"key": row.key, "name": row.name, "cells": cells})
    return out


def _chart(trend: dict) -> dict:
    money = units.column("CNY")
    return {
        "months": trend["months"],
        "pushed": trend["pushed"],
        **{
            k: [float(units.rounded(v / money.divisor, money.places)) for v in trend[k]]
            for k in ("signed", "disbursed", "outstanding")
        },
    }


@requires("finance.funnel")
@_guard
def funnel(request):
    period = _period(request)
    data = S.funnel(period)
    links = request_scope(request).sees_records
    active_banks = [b for b in data.banks if not b.empty]
    city = _table([data.city], data, "area", links)[0]
    kpis = []
    for m, cell in zip(data.measures, city["cells"], strict=True):
        shown = units.shown(data.city.figures[m.code], m.unit)  # 亿元 once large, like the cockpit
        kpis.append({"label": m.label, "url": cell["url"], "text": shown.text, "unit": shown.label})
    return render(
        request,
        "finance/funnel.html",
        {
            "funnel": data,
            "period": period,
            "headers": [header(m) for m in data.measures],
            "bank_headers": [header(m) for m in data.measures if m.by_bank],
            "areas": _table(data.areas, data, "area", links),
            "city": city,
            "kpis": kpis,
            "banks": _table(active_banks, data, "bank", links),
            "idle_banks": [b.name for b in data.banks if b.empty],
            "chart": _chart(data.trend),
            "export_query": _query(period),
            "links": links,
        },
    )


# ---- the drill-down ------------------------------------------------------------------------------

# the columns each measure's records show: (header, key, kind) — kind: text | date | wan | count | bool
_PROJECT = [
    ("项目编号", "project", "text"),
    ("项目名称", "project_name", "text"),
    ("企业名称", "enterprise", "text"),
    ("所属区域", "area_name", "text"),
]
_CONTRACT = (
    [("合同编号", "contract", "link"), ("贷款银行", "bank_name", "text")]
    + _PROJECT
    + [
        ("签约日期", "signed_on", "date"),
        ("签约金额(万元)", "amount", "wan"),
        ("再贷款支持", "relending", "bool"),
    ]
)
COLUMNS = {
    "eligible": _PROJECT
    + [
        ("项目状态（数据日期）", "status", "text"),
        ("总投资(万元)", "total", "wan"),
        ("贷款需求(万元)", "loan_demand", "wan"),
        ("意向银行", "bank_list", "text"),
    ],
    "pushed": _PROJECT
    + [
        ("推送银行", "bank_list", "text"),
        ("推送批次", "batch_list", "text"),
        ("首次推送生效日期", "pushed_on", "date"),
        ("贷款需求(万元)", "loan_demand", "wan"),
    ],
    "signed": _CONTRACT,
    "signed_amount": _CONTRACT,
    "relending_amount": _CONTRACT,
    "disbursed": _CONTRACT + [("放款日期", "drawn_on", "date"), ("放款金额(万元)", "value", "wan")],
    "outstanding": _CONTRACT
    + [
        ("累计放款(万元)", "drawn", "wan"),
        ("累计还款(万元)", "repaid", "wan"),
        ("贷款余额(万元)", "value", "wan"),
    ],
    "subsidy": _CONTRACT
    + [
        ("贴息余额积数(万元·天)", "balance_days", "wan"),
        ("贴息(元)", "value", "yuan"),
        ("计算依据", "basis", "details"),
    ],
    "settled": _CONTRACT
    + [("核定期间", "settled_period", "text"), ("版本", "version", "text"), ("贴息(元)", "value", "yuan")],
    "fund": [
        ("企业名称", "enterprise", "text"),
        ("统一社会信用代码", "uscc", "text"),
        ("所属区域", "area_name", "text"),
        ("基金名称", "fund_name", "text"),
        ("投资日期", "invested_on", "date"),
        ("投资金额(万元)", "value", "wan"),
    ],
}


def _text(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "date":
        return f"{value:%Y-%m-%d}"
    if kind == "wan":
        return units.wan(value)
    if kind == "yuan":
        return units.number(value, 2)
    if kind == "bool":
        return "是" if value else "否"
    return str(value)


def _decorated(rows: list[dict]) -> list[dict]:
    names = S.bank_names()
    for r in rows:
        r["bank_name"] = names.get(r.get("bank"), r.get("bank") or "")
        r["bank_list"] = "、".join(names.get(b, b) for b in r.get("banks") or [])
        r["batch_list"] = "、".join(r.get("batches") or [])
        if "period_from" in r:
            r["settled_period"] = f"{r['period_from']:%Y-%m-%d} 至 {r['period_to']:%Y-%m-%d}"
    return rows


def _total_text(measure: S.Measure, value: Decimal) -> str:
    if measure.unit == "CNY":
        return units.figure(value, "CNY")
    return f"{units.number(value, 0)}个"


# the viewer reads the funnel's figures, not the records behind them
@Gate(permission="finance.funnel", records="融资明细")
@_guard
def funnel_records(request, measure: str):
    m = S.MEASURES.get(measure)
    if m is None:
        raise Http404("没有该统计项")
    period = _period(request)
    area = (request.GET.get("area") or "").strip() or None
    bank = (request.GET.get("bank") or "").strip() or None
    if area and S.area_name(area) is None:
        raise QueryError(f"区域代码“{area}”不存在")
    names = S.bank_names()
    if bank and (bank not in names or not m.by_bank):
        raise QueryError(f"银行代码“{bank}”不存在或该统计项不按银行统计")
    rows = _decorated(S.measure_records(measure, period, area=area, bank=bank))
    columns = COLUMNS[measure]
    value = S.total(rows)
    return render(
        request,
        "finance/funnel_records.html",
        {
            "measure": m,
            "period": period,
            "where": S.area_name(area) if area else (names[bank] if bank else "全市"),
            "columns": [c[0] for c in columns],
            "rows": [
                [
                    {
                        "text": _text(r.get(key), kind),
                        "num": kind in ("wan", "yuan"),
                        "details": kind == "details",
                        "nowrap": kind in ("date", "link") or key == "project",
                        "url": reverse("finance:loan", args=[r["contract"]]) if kind == "link" else None,
                    }
                    for _, key, kind in columns
                ]
                for r in rows
            ],
            "count": len(rows),
            "total": _total_text(m, value),
            "distinct_note": m.distinct and bank is None,
            "back": reverse("finance:funnel") + "?" + _query(period),
        },
    )


# ---- the export ----------------------------------------------------------------------------------


def _sheet(name: str, rows: list[S.FunnelRow], measures: list[S.Measure], first: str) -> X.ExportSheet:
    money = units.column("CNY")

    def figure(code: str, m: S.Measure):
        def get(row: S.FunnelRow):
            value = row.figures.get(code)
            if value is None:
                return None
            return units.shown(value, "CNY", money) if m.unit == "CNY" else int(value)

        return get

    columns = [X.ExportColumn(first, "name", width=16)] + [
        X.ExportColumn(header(m), figure(m.code, m), X.AUTO) for m in measures
    ]
    return X.ExportSheet(name, columns, rows)


@requires("finance.funnel")
@_guard
def funnel_xlsx(request):
    period = _period(request)
    data = S.funnel(period)
    by_bank = [m for m in data.measures if m.by_bank]
    note = X.table_sheet(
        "说明",
        ["项目", "内容"],
        [
            [
                "条款",
                "P12 支持重大技术改造项目争取中央专项再贷款；鼓励金融机构加大重点技改项目贷款投放；发挥浙江高端装备基金作用",
            ],
            ["截止日期", period.as_of.isoformat()],
            ["数据日期", period.data_date.isoformat()],
            ["贴息测算期间", f"{period.subsidy_from.isoformat()} 至 {period.data_date.isoformat()}"],
            ["金额单位", "万元（四舍五入保留两位小数）"],
            ["口径", "按银行统计时，一个项目推送或意向多家银行的，分别计入各银行；合计按项目去重"],
        ],
    )
    sheets = [
        _sheet("按区域", [*data.areas, data.city], data.measures, "区域"),
        _sheet("按银行", [b for b in data.banks if not b.empty], by_bank, "银行"),
        note,
    ]
    return X.xlsx_response(sheets, f"融资对接统计-{period.data_date:%Y%m%d}.xlsx")


urlpatterns = [
    path("", funnel, name="funnel"),
    path("records/<str:measure>/", funnel_records, name="funnel_records"),
    path("export.xlsx", funnel_xlsx, name="funnel_xlsx"),
]
