"""Pages of the 亩均 evaluation (P14): the city's comparison of areas, an area's class list with its
publication ladder (run → 公示 → objections → confirmation), an enterprise's score card (printable)
with its objection, the answer to an objection, the export, and the public class lists.

Every figure on these pages is read from a stored version (``results``), never recomputed for
display: what an enterprise saw in the 公示 is what the city confirmed. Numbers go through
``lib.units``; scores have 2 decimals (四舍五入); ranks and classes come from the exact values.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renewal.accounts.models import Role
from renewal.accounts.pages import Gate, refuse, request_scope, requires, service_error
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.lib.errors import Invalid, ServiceError
from renewal.planning.models import Area
from renewal.planning.selectors import NoPlanLoaded, active_plan_document
from renewal.registry.models import Enterprise

from . import results, rule, selectors, services
from .models import AnnualData, Evaluation, Objection

FIGURES = Gate(permission="mujun.figures")
AREA_PAGE = Gate(permission="mujun.figures", records="亩均评价")
# an indicator's base unit (rule.Indicator.unit) → the units table's code
UNIT_CODES = {
    "元/亩": "CNY/mu",
    "元/吨标准煤": "CNY/tce",
    "元/吨": "CNY/t",
    "元/人": "CNY/person",
    "ratio": "ratio",
}
# the corrected row of an accepted objection: field, label, unit on the form, yuan per form unit
ROW_FIELDS = [
    ("land_mu", "用地面积", "亩", Decimal(1)),
    ("tax", "税收实际贡献", "万元", units.WAN),
    ("value_added", "工业增加值", "万元", units.WAN),
    ("revenue", "营业收入", "万元", units.WAN),
    ("energy_tce", "综合能耗", "吨标准煤", Decimal(1)),
    ("emissions_t", "主要污染物排放当量", "吨", Decimal(1)),
    ("rd_expense", "研发经费支出", "万元", units.WAN),
    ("employees", "年平均职工人数", "人", Decimal(1)),
]
CLASS_NOTE = {"A": "优先发展类", "B": "提升发展类", "C": "整治提升类", "D": "倒逼淘汰类"}


def _year(request, *, default: int | None = None) -> int:
    text = (request.GET.get("year") or "").strip()
    if not text:
        if default is not None:
            return default
        years = results.years()
        return years[0] if years else timezone.localdate().year - 1
    return selectors.year_value(text)


def _version(request) -> int | None:
    """``?version=N`` (a version number; anything else, or an absurd number, is the latest)."""
    text = (request.GET.get("version") or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None


def _valid_year(year: int) -> int:
    """A year from the URL, within the evaluation's bounds (else 404, not a database error)."""
    if not 2000 <= year <= 2100:
        raise Http404("评价年度应为 2000–2100 年")
    return year


def _score(value) -> str:
    return units.figure(value, "score", suffix=False)


def _value(value, unit: str) -> str:
    return units.figure(value, UNIT_CODES.get(unit, "score"))


def _g10_target() -> Decimal | None:
    """G10's 亩均工业增加值 target (yuan per 亩) from the active plan, if it sets one."""
    plan = active_plan_document()
    target = next((t for t in plan.targets if t.id == "G10"), None)
    return None if target is None else Decimal(str(target.value))


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _comparison(year: int) -> dict:
    """Per area (and the city): the latest version's classes and state, and 亩均增加值 from the
    year's rows (Σ 工业增加值 ÷ Σ 用地面积, the G10 cross-check)."""
    land_va = results.land_and_value_added(year=year)
    waiting = results.pending_objections(year=year)
    latest = {}
    versions = Evaluation.objects.filter(year=year).defer(*results.HEAVY).order_by("area_id", "-version")
    for ev in versions:
        latest.setdefault(ev.area_id, ev)
    rows, chart = [], {"areas": [], "a": [], "d": [], "va": []}
    total_land = total_va = Decimal(0)
    sizes_city, n_city = Counter(), 0
    for area in Area.objects.filter(is_active=True).order_by("code"):
        ev = latest.get(area.code)
        land, va, count = land_va.get(area.code, (Decimal(0), Decimal(0), 0))
        total_land += land
        total_va += va
        per_mu = va / land if land else None
        sizes = ev.class_sizes if ev else {}
        n = ev.evaluated if ev else 0
        if ev:
            sizes_city.update(sizes)
            n_city += n
        rows.append(
            {
                "area": area,
                "ev": ev,
                "rows": count,
                "n": n,
                "sizes": [sizes.get(c, "—") for c in rule.CLASSES] if ev else ["—"] * 4,
                "a_share": units.percent(_share(sizes.get("A", 0), n)) if ev else "—",
                "d_share": units.percent(_share(sizes.get("D", 0), n)) if ev else "—",
                "per_mu": units.figure(per_mu, "CNY/mu"),
                "waiting": waiting.get(area.code, 0),
            }
        )
        chart["areas"].append(area.short_name or area.name)
        chart["a"].append(float(_share(sizes.get("A", 0), n) * 100) if ev and n else None)
        chart["d"].append(float(_share(sizes.get("D", 0), n) * 100) if ev and n else None)
        chart["va"].append(float(units.shown(per_mu, "CNY/mu").value) if per_mu is not None else None)
    city_per_mu = total_va / total_land if total_land else None
    target = _g10_target()
    chart["target"] = float(units.shown(target, "CNY/mu").value) if target else None
    return {
        "rows": rows,
        "city": {
            "n": n_city,
            "sizes": [sizes_city.get(c, 0) for c in rule.CLASSES],
            "a_share": units.percent(_share(sizes_city.get("A", 0), n_city)),
            "d_share": units.percent(_share(sizes_city.get("D", 0), n_city)),
            "per_mu": units.figure(city_per_mu, "CNY/mu"),
            "rows": sum(r["rows"] for r in rows),
        },
        "target": units.figure(target, "CNY/mu") if target else None,
        "gap": (units.percent(city_per_mu / target) if (target and city_per_mu is not None) else None),
        "chart": chart,
    }


@FIGURES
def index(request):
    """The city's view: each area's evaluation state, classes, shares of A and D and 亩均增加值
    against G10; an area operator's link goes to its own area."""
    scope = request_scope(request)
    try:
        year = _year(request)
        data = _comparison(year)
    except selectors.BadRequest as exc:
        return refuse(request, exc.message, status=400)
    except NoPlanLoaded as exc:
        return refuse(request, str(exc), status=409)
    for r in data["rows"]:
        own = scope.sees_all_records or (scope.role == Role.AREA_OPERATOR and scope.area == r["area"].code)
        r["url"] = reverse("mujun:area", args=[r["area"].code, year]) if own else None
    plan = active_plan_document()
    return render(
        request,
        "mujun/index.html",
        {
            "year": year,
            "city_n": units.number(data["city"]["n"], 0),
            "years": results.years(),
            **data,
            "scheme": plan.mujun,
            "scheme_note": _scheme_note(plan.mujun),
            "classes": rule.CLASSES,
        },
    )


def _scheme_note(m) -> str:
    """The plan's scheme in one sentence (weights, cap, bonus, class shares), numbers through units."""
    if m is None:
        return ""
    weights = "、".join(f"{i.name} {units.plain(i.weight)} 分" for i in m.indicators)
    b = m.bonus
    return (
        f"评价方案：{weights}；单项最高为权重的 {units.plain(m.cap)} 倍；设备更新项目加分：竣工且设备投资"
        f" {units.figure(b.min_equipment_investment, 'CNY')} 以上的项目每个 {units.plain(b.points_per_project)} 分，"
        f"最多 {units.plain(b.cap)} 分；分类比例 A {units.percent(m.classes.A, trim=True)}、"
        f"B {units.percent(m.classes.B, trim=True)}、D {units.percent(m.classes.D, trim=True)}，其余为 C"
        + ("（示例：方案文件未规定分值，可调整，区域可自定）" if m.example else "")
        + "。"
    )


def _area_or_404(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise Http404("未知的区域")
    return area


def _filtered(items: list[dict], request, industries: dict[str, str]) -> tuple[list[dict], dict]:
    klass = (request.GET.get("class") or "").strip().upper()
    industry = (request.GET.get("industry") or "").strip()
    q = (request.GET.get("q") or "").strip()
    out = [
        i
        for i in items
        if (not klass or i["class"] == klass)
        and (not industry or industries.get(i["uscc"], "") == industry)
        and (not q or q in i["name"] or q.upper() == i["uscc"])
    ]
    return out, {"class": klass, "industry": industry, "q": q}


def _industries(usccs) -> dict[str, str]:
    """Credit code → the enterprise's industry name (its current record)."""
    ents = Enterprise.all_objects.filter(uscc__in=list(usccs)).only("uscc", "industry_code")
    return {e.uscc: e.industry_name or "未填行业" for e in ents}


def _distribution(items: list[dict], industries: dict[str, str]) -> dict:
    by = Counter((industries.get(i["uscc"], "未填行业"), i["class"]) for i in items)
    names = sorted({k[0] for k in by}, key=lambda n: -sum(v for k, v in by.items() if k[0] == n))
    return {
        "industries": names,
        "series": {c: [by.get((n, c), 0) for n in names] for c in rule.CLASSES},
        "classes": [sum(v for k, v in by.items() if k[1] == c) for c in rule.CLASSES],
    }


@AREA_PAGE
def area(request, code: str, year: int):
    """An area's evaluation for a year: the ladder (run, publish, confirm), the class list with
    filters, the distribution by class and industry, the objections and the versions."""
    year = _valid_year(year)
    scope = request_scope(request)
    place = _area_or_404(code)
    if scope.role == Role.AREA_OPERATOR and scope.area != code:
        return refuse(request, f"您（{scope.role_label}）只查看本区域的亩均评价")
    ev = results.version_get(scope=scope, area=code, year=year, version=_version(request))
    latest = results.latest(area=code, year=year, state_only=True)
    items = results.items_for(ev, scope=scope) if ev else []
    industries = _industries(i["uscc"] for i in items)
    shown, filters = _filtered(items, request, industries)
    today = timezone.localdate()
    can_run = scope.can("mujun.run")
    ctx = {
        "area": place,
        "year": year,
        "ev": ev,
        "latest": latest,
        "is_latest": ev is not None and latest is not None and ev.pk == latest.pk,
        "rows": [
            {
                **i,
                "industry": industries.get(i["uscc"], ""),
                "score_text": _score(i["score"]),
                "bonus_text": _score(i["bonus"]),
                "total_text": _score(i["total"]),
                "card": reverse("mujun:card", args=[i["uscc"], year])
                + (f"?version={ev.version}" if ev else ""),
            }
            for i in shown
        ],
        "count": len(items),
        "filters": filters,
        "industry_choices": sorted(set(industries.values())),
        "classes": rule.CLASSES,
        "class_note": CLASS_NOTE,
        "distribution": (dist := _distribution(items, industries)),
        "class_counts": list(zip(rule.CLASSES, dist["classes"], strict=True)),
        "versions": Evaluation.objects.filter(area_id=code, year=year)
        .defer(*results.HEAVY)
        .order_by("-version"),
        "objections": results.objection_list(scope=scope, area=code, year=year),
        "can_run": can_run and (latest is None or latest.status == Evaluation.Status.DRAFT),
        "can_publish": can_run and latest is not None and latest.status == Evaluation.Status.DRAFT,
        "can_confirm": scope.can("mujun.confirm")
        and latest is not None
        and latest.status == Evaluation.Status.PUBLIC
        and today > latest.window_end,
        "window_open": latest is not None
        and latest.status == Evaluation.Status.PUBLIC
        and today <= latest.window_end,
        "publicity_days": (scheme.publicity_days if (scheme := active_plan_document().mujun) else 7),
        "has_rows": AnnualData.objects.filter(year=year, enterprise__area_id=code).exists(),
    }
    return render(request, "mujun/area.html", ctx)


def _ladder(request, code: str, year: int, action):
    try:
        message = action()
        messages.success(request, message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    except (NoPlanLoaded, selectors.NoScheme) as exc:
        messages.error(request, str(exc))
    return redirect("mujun:area", code, year)


@requires("mujun.run")
@require_POST
def run(request, code: str, year: int):
    _area_or_404(code)
    year = _valid_year(year)

    def act():
        ev = services.evaluation_run(user=request.user, area=code, year=year)
        return f"已生成{ev}（审核中）：参评企业 {ev.evaluated} 家，请审核后发布公示"

    return _ladder(request, code, year, act)


@requires("mujun.run")
@require_POST
def publish(request, code: str, year: int):
    _area_or_404(code)
    year = _valid_year(year)

    def act():
        ev = results.latest(area=code, year=year)
        if ev is None:
            raise Invalid("尚未运行评价")
        days = (request.POST.get("days") or "").strip()
        if days and not days.isdigit():
            raise Invalid(f"公示天数：应为整数，实为“{days}”")
        ev = services.evaluation_publish(
            user=request.user,
            evaluation=ev,
            public_classes=request.POST.getlist("public_classes"),
            days=int(days) if days else None,
        )
        return f"{ev}已发布公示：{ev.window_start:%Y-%m-%d} 至 {ev.window_end:%Y-%m-%d}"

    return _ladder(request, code, year, act)


@requires("mujun.confirm")
@require_POST
def confirm(request, code: str, year: int):
    _area_or_404(code)
    year = _valid_year(year)

    def act():
        ev = results.latest(area=code, year=year)
        if ev is None:
            raise Invalid("尚未运行评价")
        ev = services.evaluation_confirm(user=request.user, evaluation=ev)
        return f"{ev}已确认，结果已冻结"

    return _ladder(request, code, year, act)


def _points(ev: Evaluation, item: dict) -> list[dict]:
    indicators = {i["name"]: i for i in ev.scheme["indicators"]}
    out = []
    for p in item["points"]:
        ind = indicators.get(p["indicator"], {})
        unit = ind.get("unit", "")
        out.append(
            {
                **p,
                "weight": ind.get("weight"),
                "value_text": _value(p["value"], unit),
                "benchmark_text": _value(p["benchmark"], unit),
                "points_text": _score(p["points"]),
            }
        )
    return out


@requires("mujun.view")
def card(request, uscc: str, year: int):
    """One enterprise's score card (printable): every indicator with its value, the area's
    benchmark, the points and their basis; the bonus and its projects; the objection form for the
    enterprise during the 公示 window, and its objections."""
    year = _valid_year(year)
    scope = request_scope(request)
    ent = Enterprise.objects.filter(uscc=uscc).select_related("area").first()
    if ent is None or not scope.covers(area=ent.area_id, uscc=ent.uscc):
        raise Http404("企业未登记或无权查看")
    ev = results.version_get(scope=scope, area=ent.area_id, year=year, version=_version(request))
    item = ev.item(uscc) if ev else None
    latest = results.latest(area=ent.area_id, year=year, state_only=True)
    today = timezone.localdate()
    objections = results.objection_list(scope=scope, year=year).filter(enterprise=ent)
    can_object = (
        scope.can("mujun.object")
        and ev is not None
        and latest is not None
        and ev.pk == latest.pk
        and ev.status == Evaluation.Status.PUBLIC
        and today <= ev.window_end
        and item is not None
        and not objections.filter(status=Objection.Status.PENDING).exists()
    )
    return render(
        request,
        "mujun/card.html",
        {
            "ent": ent,
            "year": year,
            "ev": ev,
            "item": item,
            "points": _points(ev, item) if item else [],
            "texts": {
                "score": _score(item["score"]),
                "bonus": _score(item["bonus"]),
                "total": _score(item["total"]),
            }
            if item
            else {},
            "is_latest": ev is not None and latest is not None and ev.pk == latest.pk,
            "latest": latest,
            "objections": objections,
            "can_object": can_object,
            "class_note": CLASS_NOTE,
            "years": results.years(),
        },
    )


@requires("mujun.object")
def my_card(request):
    """An enterprise user's own score card of the latest year with data (the header's link)."""
    scope = request_scope(request)
    years = results.years()
    return card(request, scope.uscc, years[0] if years else timezone.localdate().year - 1)


@requires("mujun.object")
@require_POST
def object_(request, uscc: str, year: int):
    year = _valid_year(year)
    scope = request_scope(request)
    if uscc != scope.uscc:
        return refuse(request, "只能对本企业的评价结果提出异议")
    ent = Enterprise.objects.filter(uscc=uscc).first()
    ev = results.latest(area=ent.area_id, year=year) if ent else None
    try:
        if ev is None:
            raise Invalid("该年度的评价尚未公示")
        services.objection_file(
            user=request.user,
            evaluation=ev,
            reason=request.POST.get("reason", ""),
            attachment=request.FILES.get("attachment"),
        )
        messages.success(request, "异议已提交，区域将在公示期内答复")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("mujun:card", uscc, year)


def _objection_or_404(scope, pk: int) -> Objection:
    obj = results.objection_list(scope=scope).filter(pk=pk).first()
    if obj is None:
        raise Http404("异议不存在或无权查看")
    return obj


def _row_form(row: AnnualData | None) -> list[dict]:
    out = []
    for field, label, unit, per in ROW_FIELDS:
        value = getattr(row, field) if row else None
        shown = "" if value is None else units.plain(Decimal(value) / per).replace(",", "")
        out.append({"field": field, "label": label, "unit": unit, "value": shown})
    return out


def _row_data(post) -> dict:
    data, errors = {}, []
    for field, label, unit, per in ROW_FIELDS:
        text = (post.get(field) or "").strip().replace(",", "")
        if not text:
            errors.append(f"{label}：请填写（{unit}）")
            continue
        try:
            value = Decimal(text) * per
        except InvalidOperation:
            errors.append(f"{label}：“{text}”不是数字（{unit}）")
            continue
        if not value.is_finite():
            errors.append(f"{label}：“{text}”不是数字（{unit}）")
            continue
        data[field] = int(value) if field == "employees" and value == value.to_integral_value() else value
    if errors:
        raise Invalid("更正数据有误：" + "；".join(errors))
    return data


@requires("mujun.run")
def objection(request, pk: int):
    """An objection with the enterprise's row: reject with a reason, or accept with the corrected
    figures (a new version of the area's evaluation)."""
    scope = request_scope(request)
    obj = _objection_or_404(scope, pk)
    row = AnnualData.objects.filter(enterprise=obj.enterprise, year=obj.evaluation.year).first()
    form = _row_form(row)
    if request.method == "POST":
        accept = request.POST.get("decision") == "accept"
        try:
            data = _row_data(request.POST) if accept else None
            version = (request.POST.get("version") or "").strip()
            done = services.objection_answer(
                user=request.user,
                objection=obj,
                accept=accept,
                answer=request.POST.get("answer", ""),
                data=data,
                version=int(version) if version.isdigit() and len(version) <= 9 else None,
            )
            if accept:
                messages.success(request, f"已采纳异议，更正数据并生成{done.result}")
            else:
                messages.success(request, "已驳回异议")
            return redirect("mujun:area", obj.evaluation.area_id, obj.evaluation.year)
        except ServiceError as exc:
            if exc.status == 403:
                return service_error(request, exc)
            messages.error(request, exc.message)
            form = [dict(f, value=request.POST.get(f["field"], f["value"])) for f in form]
    ev = results.latest(area=obj.evaluation.area_id, year=obj.evaluation.year)
    return render(
        request,
        "mujun/objection.html",
        {
            "obj": obj,
            "row": row,
            "form": form,
            "ev": ev,
            "item": ev.item(obj.enterprise.uscc) if ev else None,
        },
    )


@requires("mujun.view")
def attachment(request, pk: int):
    obj = _objection_or_404(request_scope(request), pk)
    if not obj.attachment:
        raise Http404("该异议没有证明材料")
    return FileResponse(
        obj.attachment.open("rb"), as_attachment=True, filename=obj.attachment.name.rsplit("/", 1)[-1]
    )


@AREA_PAGE
def export(request, code: str, year: int):
    """The class list of the version on screen as xlsx (every item, the area's filters ignored)."""
    year = _valid_year(year)
    scope = request_scope(request)
    place = _area_or_404(code)
    if scope.role == Role.AREA_OPERATOR and scope.area != code:
        return refuse(request, f"您（{scope.role_label}）只导出本区域的亩均评价")
    ev = results.version_get(scope=scope, area=code, year=year, version=_version(request))
    if ev is None:
        raise Http404("尚未运行评价")
    items = results.items_for(ev, scope=scope)
    industries = _industries(i["uscc"] for i in items)
    names = [p["indicator"] for p in items[0]["points"]] if items else []
    columns = [
        X.ExportColumn("排名", "rank", X.INT, width=6),
        X.ExportColumn("企业名称", "name", width=30),
        X.ExportColumn("统一社会信用代码", "uscc", width=20),
        X.ExportColumn("行业", lambda i: industries.get(i["uscc"], ""), width=18),
        X.ExportColumn("分类", "class", width=6),
        *[
            X.ExportColumn(f"{n}得分(分)", (lambda i, k=k: i["points"][k]["points"]), X.NUMBER)
            for k, n in enumerate(names)
        ],
        X.ExportColumn("指标得分(分)", "score", X.NUMBER),
        X.ExportColumn("设备更新加分(分)", "bonus", X.NUMBER),
        X.ExportColumn("总分(分)", "total", X.NUMBER),
        X.ExportColumn("加分项目", lambda i: "、".join(i["bonus_projects"]), width=24),
    ]
    note = [
        ["区域", place.name],
        ["评价年度", year],
        ["版本", f"第{ev.version}版（{ev.get_status_display()}）"],
        [
            "依据",
            f"{ev.answer['clause']} 亩均效益综合评价对设备更新项目予以加分"
            + ("（评价方案为示例）" if ev.answer["example"] else ""),
        ],
        ["说明", "得分四舍五入保留两位小数；排名和分类按精确总分"],
    ]
    sheets = [
        X.ExportSheet("分类名单", columns, items, autofilter=True),
        X.table_sheet("说明", ["项目", "内容"], note),
    ]
    return X.xlsx_response(sheets, f"亩均评价-{place.name}-{year}-第{ev.version}版.xlsx")


def public(request):
    """The class lists each area chose to publish (公示), without a figure; open to everyone."""
    try:
        year = _year(request)
    except selectors.BadRequest as exc:
        return refuse(request, exc.message, status=400)
    return render(
        request,
        "mujun/public.html",
        {
            "year": year,
            "years": results.years(),
            "lists": results.public_lists_once(year=year),
            "class_note": CLASS_NOTE,
        },
    )
