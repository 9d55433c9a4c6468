"""Reads of parks: the list selectors of the five sheet kinds (lists, exports), the park pages, and
the informational figures of T7/T8 (no targets: the plan sets none) as of a data date.

Dating (docs/decisions/0014, 0019): every figure is taken on the data date D of ``as_of`` (the last
day of the last whole month, ``indicators.periods.data_date``). A smart item counts from its 建成日期;
records of a year only (green-park statuses, ratings, 亩均数据) count from 1 January of their year
(0014, rule 6). The figures are aggregates of the whole city (figures, not records); their
drill-down lists are records and go through the caller's scope.

Park-level 亩均 (``mujun.AnnualData``, read only): of a park's member enterprises (today's list)
with a live row of the year and 用地面积 > 0 — the enterprises the 亩均 evaluation counts (decision
0018, rule 1) — Σ 工业增加值 ÷ Σ 用地面积 and Σ 税收实际贡献 ÷ Σ 用地面积 (an aggregate ratio, like
the evaluation's benchmark), for the latest year up to D's that has such a row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from renewal.accounts.scope import Scope
from renewal.indicators.periods import data_date
from renewal.lib import units
from renewal.mujun.models import AnnualData
from renewal.planning.models import Area

from . import rules
from .models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem

FIGURES = {
    "brain": "建成园区智慧大脑的园区",
    "a_level": "大气污染防治绩效 A级或引领性企业",
    "low_carbon": "已认定的低碳、零碳园区",
    "clean": "已认定的清新园区",
}
MUJUN_UNIT = "CNY/mu"  # 元/亩 (lib/units: shown in 万元/亩)
NO_TARGET = "行动方案对 T7、T8 的园区事项未设定量目标，本页数字为信息性指标（不判断完成与否）"


# ---- the lists of the sheet kinds (scope= + the list page's filters) -------------------------------


def park_list(
    *,
    scope: Scope,
    area: str | None = None,
    level: str | None = None,
    park_kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Park]:
    """园区 the caller may see (an area operator: its area's; an enterprise user: none);
    ``q``: code or name."""
    qs = scope.filter_records(Park.objects.select_related("area"))
    if area:
        qs = qs.filter(area_id=area)
    if level:
        qs = qs.filter(level=level)
    if park_kind:
        qs = qs.filter(kind=park_kind)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs.order_by("area__order", "area_id", "code")


def member_list(
    *, scope: Scope, area: str | None = None, park: str | None = None, q: str | None = None
) -> QuerySet[ParkMember]:
    """园区企业 (an enterprise user: its own membership); ``q``: the enterprise's name or code."""
    qs = scope.filter_records(
        ParkMember.objects.filter(park__is_deleted=False, enterprise__is_deleted=False).select_related(
            "park", "park__area", "enterprise"
        )
    )
    if area:
        qs = qs.filter(park__area_id=area)
    if park:
        qs = qs.filter(park__code=park)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return qs.order_by("park__area__order", "park__code", "enterprise__uscc")


def smart_item_list(
    *,
    scope: Scope,
    area: str | None = None,
    park: str | None = None,
    content: str | None = None,
    status: str | None = None,
) -> QuerySet[SmartParkItem]:
    qs = scope.filter_records(
        SmartParkItem.objects.filter(park__is_deleted=False).select_related("park", "park__area")
    )
    if area:
        qs = qs.filter(park__area_id=area)
    if park:
        qs = qs.filter(park__code=park)
    if content:
        qs = qs.filter(content=content)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("park__area__order", "park__code", "content")


def green_item_list(
    *,
    scope: Scope,
    area: str | None = None,
    park: str | None = None,
    category: str | None = None,
    status: str | None = None,
    year: int | None = None,
) -> QuerySet[GreenParkItem]:
    qs = scope.filter_records(
        GreenParkItem.objects.filter(park__is_deleted=False).select_related("park", "park__area")
    )
    if area:
        qs = qs.filter(park__area_id=area)
    if park:
        qs = qs.filter(park__code=park)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("park__area__order", "park__code", "-year", "category")


def rating_list(
    *,
    scope: Scope,
    area: str | None = None,
    rating: str | None = None,
    year: int | None = None,
    q: str | None = None,
) -> QuerySet[EnterpriseRating]:
    """企业环保绩效评级 (an enterprise user: its own); ``q``: the enterprise's name or code."""
    qs = scope.filter_records(
        EnterpriseRating.objects.filter(enterprise__is_deleted=False).select_related(
            "enterprise", "enterprise__area"
        )
    )
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if rating:
        qs = qs.filter(rating=rating)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return qs.order_by("-year", "enterprise__area__order", "enterprise__uscc")


# ---- the figures of T7/T8 on a data date ----------------------------------------------------------


def _brain_parks(day: dt.date):
    """Live parks with a 园区智慧大脑 建成 on or before ``day`` (its 建成日期)."""
    return Park.objects.filter(
        smart_items__is_deleted=False,
        smart_items__content=rules.BRAIN,
        smart_items__status=rules.BUILT,
        smart_items__completed_on__lte=day,
    ).distinct()


def _recognised_parks(day: dt.date, categories: tuple[str, ...], *, only_year: bool = False):
    """Live parks with a row of ``categories`` 已认定 of a year up to ``day``'s (or of that year
    only): a year's record counts from its 1 January (0014, rule 6)."""
    year = Q(green_items__year=day.year) if only_year else Q(green_items__year__lte=day.year)
    return Park.objects.filter(
        year,
        green_items__is_deleted=False,
        green_items__category__in=categories,
        green_items__status=rules.RECOGNISED,
    ).distinct()


def _ratings_on(day: dt.date) -> dict[int, tuple[str, str, int]]:
    """enterprise id → (area, rating, year) of each live enterprise's latest rating of a year up to
    ``day``'s: a later year's rating replaces an earlier one (a downgrade ends an A)."""
    out: dict[int, tuple[str, str, int]] = {}
    rows = (
        EnterpriseRating.objects.filter(enterprise__is_deleted=False, year__lte=day.year)
        .order_by("enterprise_id", "year")
        .values_list("enterprise_id", "enterprise__area_id", "rating", "year")
    )
    for enterprise_id, area, rating, year in rows.iterator(chunk_size=5000):
        out[enterprise_id] = (area, rating, year)
    return out


def a_level_enterprises(day: dt.date) -> dict[int, tuple[str, str, int]]:
    return {k: v for k, v in _ratings_on(day).items() if v[1] in rules.A_LEVEL}


@dataclass
class Mujun:
    """The 亩均 of a group of member enterprises (a park, an area's parks, the city's) in ``year``:
    sums in base units (元, 亩), ``enterprises`` with a row counted (用地面积 > 0)."""

    year: int | None = None
    enterprises: int = 0
    land: Decimal = Decimal(0)
    value_added: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)

    def add(self, other: Mujun) -> None:
        self.year = self.year or other.year
        self.enterprises += other.enterprises
        self.land += other.land
        self.value_added += other.value_added
        self.tax += other.tax

    @property
    def value_added_per_mu(self) -> Decimal | None:
        return self.value_added / self.land if self.land > 0 else None

    @property
    def tax_per_mu(self) -> Decimal | None:
        return self.tax / self.land if self.land > 0 else None

    @property
    def value_added_text(self) -> str:
        return units.figure(self.value_added_per_mu, MUJUN_UNIT)

    @property
    def tax_text(self) -> str:
        return units.figure(self.tax_per_mu, MUJUN_UNIT)


def _mujun_rows(**members):
    """Live 亩均数据 rows with 用地面积 > 0 of live enterprises that are live members of a live park
    (``members``: a further filter on the membership, e.g. the park)."""
    member = {f"enterprise__park_memberships__{k}": v for k, v in members.items()}
    return AnnualData.objects.filter(
        enterprise__is_deleted=False,
        land_mu__gt=0,
        enterprise__park_memberships__is_deleted=False,
        enterprise__park_memberships__park__is_deleted=False,
        **member,
    )


def mujun_year(day: dt.date, **members) -> int | None:
    """The latest year up to ``day``'s with a counted row of a park member (a year's record counts
    from its 1 January), or None."""
    return (
        _mujun_rows(**members)
        .filter(year__lte=day.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def mujun_by_park(year: int | None, **members) -> dict[int, Mujun]:
    """Park id → its members' 亩均 sums of ``year`` (an enterprise is a member of one park only)."""
    if year is None:
        return {}
    rows = (
        _mujun_rows(**members)
        .filter(year=year)
        .values("enterprise__park_memberships__park_id")
        .annotate(n=Count("id"), land=Sum("land_mu"), va=Sum("value_added"), tax=Sum("tax"))
    )
    return {
        r["enterprise__park_memberships__park_id"]: Mujun(year, r["n"], r["land"], r["va"], r["tax"])
        for r in rows
    }


@dataclass
class AreaFigures:
    area: str  # area code, "" for the city
    name: str
    parks: int = 0
    brain: int = 0
    a_level: int = 0
    low_carbon: int = 0
    low_carbon_year: int = 0  # of which recognised in the data date's year
    clean: int = 0
    mujun: Mujun = field(default_factory=Mujun)


def figures(*, as_of: dt.date) -> dict:
    """Per active area and for the city, on the data date of ``as_of``: parks, parks with a smart
    brain built, A-level (A级 or 引领性) enterprises, low/zero-carbon parks recognised (in all, and
    in the year), 清新园区 recognised. Counts of distinct parks / enterprises."""
    day = data_date(as_of)

    def per_area(qs) -> dict[str, int]:
        return dict(qs.values("area_id").annotate(n=Count("id", distinct=True)).values_list("area_id", "n"))

    parks = per_area(Park.objects.all())
    brain = per_area(_brain_parks(day))
    low = per_area(_recognised_parks(day, rules.LOW_CARBON))
    low_year = per_area(_recognised_parks(day, rules.LOW_CARBON, only_year=True))
    clean = per_area(_recognised_parks(day, (rules.CLEAN,)))
    a_level: dict[str, int] = defaultdict(int)
    for area, _, _ in a_level_enterprises(day).values():
        a_level[area] += 1
    year = mujun_year(day)
    mujun: dict[str, Mujun] = defaultdict(lambda: Mujun(year))
    park_areas = dict(Park.objects.values_list("pk", "area_id"))
    for park_id, sums in mujun_by_park(year).items():
        mujun[park_areas[park_id]].add(sums)
    rows = []
    for a in Area.objects.filter(is_active=True).order_by("order", "code"):
        rows.append(
            AreaFigures(
                area=a.code,
                name=a.name,
                parks=parks.get(a.code, 0),
                brain=brain.get(a.code, 0),
                a_level=a_level.get(a.code, 0),
                low_carbon=low.get(a.code, 0),
                low_carbon_year=low_year.get(a.code, 0),
                clean=clean.get(a.code, 0),
                mujun=mujun.get(a.code) or Mujun(year),
            )
        )
    city = AreaFigures(area="", name="全市", mujun=Mujun(year))
    for r in rows:
        for f in ("parks", "brain", "a_level", "low_carbon", "low_carbon_year", "clean"):
            setattr(city, f, getattr(city, f) + getattr(r, f))
        city.mujun.add(r.mujun)
    return {
        "as_of": as_of,
        "data_date": day,
        "year": day.year,
        "mujun_year": year,
        "areas": rows,
        "city": city,
        "no_target": NO_TARGET,
        "basis": {
            "brain": f"建设内容为“{rules.BRAIN}”、状态“建成”且建成日期不晚于 {day:%Y-%m-%d} 的园区（T7）",
            "a_level": (
                f"各企业 {day.year} 年及以前最近一年的大气污染防治绩效评级为 A级 或 引领性（T7）；按企业所属区域计"
            ),
            "low_carbon": f"类别为低碳园区或零碳园区、状态“已认定”、年度不晚于 {day.year} 年的园区（T8）",
            "clean": f"类别为清新园区、状态“已认定”、年度不晚于 {day.year} 年的园区（T8）",
            "mujun": (
                f"园区企业（按当前园区企业名单）{year} 年亩均数据中用地面积大于 0 的企业：Σ工业增加值 ÷ Σ用地面积、"
                f"Σ税收实际贡献 ÷ Σ用地面积（T7、T8 园区亩均效益；数据为 P14 亩均数据，取 {day.year} 年及以前有数据的最近一年）"
                if year
                else f"园区企业在 {day.year} 年及以前暂无亩均数据（P14 亩均数据）"
            ),
        },
    }


def figure_records(*, scope: Scope, figure: str, as_of: dt.date, area: str | None = None) -> dict:
    """The records behind one figure (drill-down), within the caller's scope: parks for brain /
    low_carbon / clean, enterprises with their rating for a_level."""
    day = data_date(as_of)
    if figure == "a_level":
        ratings = a_level_enterprises(day)
        qs = scope.filter_records(
            EnterpriseRating.objects.filter(enterprise_id__in=list(ratings), enterprise__is_deleted=False)
        )
        wanted = {(k, v[2]) for k, v in ratings.items()}
        rows = [
            r
            for r in qs.select_related("enterprise", "enterprise__area").order_by(
                "enterprise__area__order", "enterprise__uscc"
            )
            if (r.enterprise_id, r.year) in wanted and (not area or r.enterprise.area_id == area)
        ]
        return {"kind": "enterprises", "rows": rows, "day": day}
    qs = {
        "brain": lambda: _brain_parks(day),
        "low_carbon": lambda: _recognised_parks(day, rules.LOW_CARBON),
        "clean": lambda: _recognised_parks(day, (rules.CLEAN,)),
    }[figure]()
    qs = scope.filter_records(Park.objects.filter(pk__in=qs.values("pk")).select_related("area"))
    if area:
        qs = qs.filter(area_id=area)
    return {"kind": "parks", "rows": list(qs.order_by("area__order", "code")), "day": day}


# ---- the park pages ---------------------------------------------------------------------------------


@dataclass
class ParkRow:
    park: Park
    members: int
    smart_built: int  # smart items 建成 on the data date
    smart_total: int
    green: list[str]  # "低碳园区 已认定（2024）": the latest row of a year up to D's per category
    mujun: Mujun  # its members' 亩均 of the page's 亩均 year


def _green_text(items) -> list[str]:
    latest: dict[str, GreenParkItem] = {}
    for g in sorted(items, key=lambda g: g.year):
        latest[g.category] = g
    return [f"{c} {g.status}（{g.year}）" for c, g in sorted(latest.items(), key=lambda x: x[0])]


def park_rows(
    *,
    scope: Scope,
    as_of: dt.date,
    area: str | None = None,
    level: str | None = None,
    park_kind: str | None = None,
) -> list[ParkRow]:
    """The parks of the list page with their member count (live enterprises), smart items built on
    the data date (of all their items) and green statuses of a year up to the data date's."""
    day = data_date(as_of)
    parks = list(park_list(scope=scope, area=area, level=level, park_kind=park_kind))
    ids = [p.pk for p in parks]
    members = dict(
        ParkMember.objects.filter(park_id__in=ids, enterprise__is_deleted=False)
        .values("park_id")
        .annotate(n=Count("id"))
        .values_list("park_id", "n")
    )
    smart: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item in SmartParkItem.objects.filter(park_id__in=ids).values("park_id", "status", "completed_on"):
        tally = smart[item["park_id"]]
        tally[1] += 1
        if item["status"] == rules.BUILT and item["completed_on"] and item["completed_on"] <= day:
            tally[0] += 1
    green: dict[int, list] = defaultdict(list)
    for g in GreenParkItem.objects.filter(park_id__in=ids, year__lte=day.year):
        green[g.park_id].append(g)
    year = mujun_year(day)
    mujun = mujun_by_park(year, park_id__in=ids)
    return [
        ParkRow(
            p,
            members.get(p.pk, 0),
            smart[p.pk][0],
            smart[p.pk][1],
            _green_text(green[p.pk]),
            mujun.get(p.pk) or Mujun(year),
        )
        for p in parks
    ]


def park_get(*, scope: Scope, code: str) -> Park | None:
    """One park the caller may see, or None (another area's park reads as unknown: 404)."""
    return park_list(scope=scope).filter(code=code).first()


def park_detail(*, scope: Scope, park: Park, as_of: dt.date) -> dict:
    """A park's members with their latest rating on the data date, its smart and green items, its
    members' 亩均 of the year of the index page (the latest year up to D's with 亩均数据 of any park
    member: the park and the index show the same year)."""
    day = data_date(as_of)
    year = mujun_year(day)
    members = list(member_list(scope=scope, park=park.code))
    ratings = _ratings_on(day)
    return {
        "day": day,
        "members": [{"member": m, "rating": ratings.get(m.enterprise_id)} for m in members],
        "smart": list(smart_item_list(scope=scope, park=park.code)),
        "green": list(green_item_list(scope=scope, park=park.code)),
        "ratings": list(
            rating_list(scope=scope).filter(enterprise_id__in=[m.enterprise_id for m in members])
        ),
        "mujun": mujun_by_park(year, park=park).get(park.pk) or Mujun(year),
    }


def chemical_candidates(
    *, scope: Scope, as_of: dt.date, park: Park | None = None, area: str | None = None
) -> list:
    """T9 (chemical parks first): the equipment-ledger items of the member enterprises of chemical
    parks (or of ``park``) still to renew on ``as_of`` (``equipment.selectors.candidates``: matching
    the elimination catalogue in force and not eliminated yet), within the caller's scope; each
    with its park."""
    from renewal.equipment import selectors as equipment  # noqa: PLC0415 - parks reads equipment

    parks = [park] if park is not None else list(park_list(scope=scope, area=area, park_kind=rules.CHEMICAL))
    parks = [p for p in parks if p.kind == rules.CHEMICAL]
    if not parks:
        return []
    by_uscc = dict(
        ParkMember.objects.filter(park__in=parks, enterprise__is_deleted=False).values_list(
            "enterprise__uscc", "park__code"
        )
    )
    if not by_uscc:
        return []
    names = {p.code: p.name for p in parks}
    areas = {p.area_id for p in parks}
    out = []
    for area in sorted(areas):
        for c in equipment.candidates(scope=scope, area=area, day=as_of):
            code = by_uscc.get(c.uscc)
            if code is not None:
                out.append({"park": code, "park_name": names[code], "item": c})
    return out


def chemical_summary(*, scope: Scope, as_of: dt.date, area: str | None = None) -> list[dict]:
    """Per chemical park the caller may see (of ``area``): the member enterprises with a ledger item
    to renew on ``as_of``, those items and their 原值 in yuan (``chemical_candidates``); a park
    without any reads 0."""
    tally = {
        p.code: {"park": p, "enterprises": set(), "items": 0, "original_value": Decimal(0)}
        for p in park_list(scope=scope, area=area, park_kind=rules.CHEMICAL)
    }
    for c in chemical_candidates(scope=scope, as_of=as_of, area=area):
        row = tally[c["park"]]
        row["enterprises"].add(c["item"].uscc)
        row["items"] += 1
        row["original_value"] += c["item"].original_value or 0
    return [{**row, "enterprises": len(row["enterprises"])} for row in tally.values()]
