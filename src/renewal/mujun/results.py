"""Reads of the stored 亩均 results (``Evaluation`` versions and ``Objection``s) and the record a new
version is made of. The live evaluation (``selectors.evaluation``) answers the command and the
API; the pages and the publication ladder read what was stored, so that what an enterprise saw in
the 公示 is what the city confirmed (docs/decisions/0018-mujun-evaluation.md, "Publication").

Who sees what: the city (admin, reviewer) every area, an area operator its own area, an enterprise
user the versions of its area that were published (公示中, 已确认, or replaced after being
published) and in them its own item only; the public the class lists each area chose to publish.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.planning.selectors import active_plan_document, number
from renewal.registry.models import Enterprise

from . import rule, selectors
from .models import AnnualData, Evaluation, Objection

PUBLISHED = (Evaluation.Status.PUBLIC, Evaluation.Status.CONFIRMED)
# money fields of a 亩均数据 row (yuan in the database, 万元 on pages and sheets)
MONEY = ("tax", "value_added", "revenue", "rd_expense")


def _plain(value):
    """A scheme value as JSON: numbers as numbers, sets as sorted lists."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def row_figures(row: AnnualData) -> dict:
    """The figures of one 亩均数据 row as JSON numbers in base units (yuan, 亩, 吨标准煤, 吨, 人)."""
    return {f: number(Decimal(getattr(row, f))) for f in selectors.FIELDS.values()}


def evaluation_record(*, year: int, area: str) -> dict | None:
    """What a new version of ``area``'s evaluation for ``year`` is made of: the rows read (with
    their versions), the scheme applied and the answer (every item, benchmarks, class sizes).
    None: no enterprise of the area is evaluated (no row with 用地面积 > 0)."""
    plan = active_plan_document()
    if plan.mujun is None:
        raise selectors.NoScheme()
    results = selectors.evaluate(year, area)
    if not results or not results[0].evaluated:
        return None
    result = results[0]
    scheme = selectors.scheme_for(plan, area)
    names = {i.id: i.name for i in scheme.indicators}
    rows = (
        AnnualData.objects.filter(year=year, enterprise__area_id=area, enterprise__is_deleted=False)
        .select_related("enterprise")
        .order_by("enterprise__uscc")
    )
    inputs = {r.enterprise.uscc: {**row_figures(r), "version": r.version} for r in rows}
    return {
        "inputs": inputs,
        "scheme": _plain(dataclasses.asdict(scheme)),
        "answer": {
            "clause": scheme.clause,
            "example": scheme.example,
            "note": scheme.note,
            "benchmarks": {names[k]: (None if v is None else float(v)) for k, v in result.benchmarks.items()},
            "items": [selectors.item_json(i) for i in result.items],
        },
        "evaluated": result.evaluated,
        "class_sizes": result.class_sizes,
    }


# the stored figures of a version, heavy (every item with its trace): left out where only the
# state of the ladder is read
HEAVY = ("inputs", "scheme", "answer")


def latest(*, area: str, year: int, state_only: bool = False) -> Evaluation | None:
    """The current version of an area's evaluation for a year (the highest), whatever its state;
    ``state_only``: without its stored figures (the ladder's state, counts and window)."""
    qs = Evaluation.objects.filter(area_id=area, year=year)
    if state_only:
        qs = qs.defer(*HEAVY)
    return qs.order_by("-version").first()


def visible_versions(*, scope: Scope) -> QuerySet[Evaluation]:
    """The versions the caller may open (an enterprise: its area's published ones)."""
    qs = Evaluation.objects.select_related("area")
    if scope.sees_all_records:
        return qs
    if scope.role == Role.AREA_OPERATOR and scope.area:
        return qs.filter(area_id=scope.area)
    if scope.role == Role.ENTERPRISE and scope.uscc:
        area = Enterprise.objects.filter(uscc=scope.uscc).values_list("area_id", flat=True).first()
        return qs.filter(area_id=area).exclude(published_at=None)
    return qs.none()


def version_get(*, scope: Scope, area: str, year: int, version: int | None = None) -> Evaluation | None:
    """A version the caller may open (None: the latest one it may open), or None."""
    qs = visible_versions(scope=scope).filter(area_id=area, year=year)
    if version is not None:
        return qs.filter(version=version).first()
    return qs.order_by("-version").first()


def items_for(evaluation: Evaluation, *, scope: Scope) -> list[dict]:
    """The items of a version the caller may read: all for the city and the area, the enterprise's
    own one for an enterprise user."""
    items = evaluation.answer["items"]
    if scope.role == Role.ENTERPRISE:
        return [i for i in items if i["uscc"] == scope.uscc]
    return list(items)


def objection_list(*, scope: Scope, area: str | None = None, year: int | None = None) -> QuerySet[Objection]:
    qs = Objection.objects.select_related("evaluation__area", "enterprise", "result")
    if area:
        qs = qs.filter(evaluation__area_id=area)
    if year:
        qs = qs.filter(evaluation__year=year)
    if scope.sees_all_records:
        return qs
    if scope.role == Role.AREA_OPERATOR and scope.area:
        return qs.filter(evaluation__area_id=scope.area)
    if scope.role == Role.ENTERPRISE and scope.uscc:
        return qs.filter(enterprise__uscc=scope.uscc)
    return qs.none()


def years() -> list[int]:
    """The years with 亩均数据, newest first."""
    return sorted(set(AnnualData.objects.values_list("year", flat=True)), reverse=True)


def land_and_value_added(*, year: int) -> dict[str, tuple[Decimal, Decimal, int]]:
    """Area code → (Σ 用地面积, Σ 工业增加值, rows) over the live rows of ``year`` with land > 0 —
    the figures of 亩均增加值 (G10 cross-check: Σ value added ÷ Σ land)."""
    rows = (
        AnnualData.objects.filter(year=year, enterprise__is_deleted=False, land_mu__gt=0)
        .values("enterprise__area_id")
        .annotate(land=Sum("land_mu"), va=Sum("value_added"), n=Count("pk"))
    )
    return {r["enterprise__area_id"]: (r["land"] or Decimal(0), r["va"] or Decimal(0), r["n"]) for r in rows}


def pending_objections(*, year: int) -> dict[str, int]:
    """Area code → objections waiting for an answer in ``year``."""
    rows = (
        Objection.objects.filter(evaluation__year=year, status=Objection.Status.PENDING)
        .values("evaluation__area_id")
        .annotate(n=Count("pk"))
    )
    return {r["evaluation__area_id"]: r["n"] for r in rows}


def public_lists(*, year: int, area: str | None = None) -> list[dict]:
    """What each area chose to publish for ``year``: its latest published version's class lists
    (enterprise names by class, in rank order), for the classes it opened; never a figure."""
    qs = Evaluation.objects.filter(year=year, status__in=PUBLISHED).exclude(published_at=None)
    if area:
        qs = qs.filter(area_id=area)
    newest_ids: dict[str, int] = {}
    for pk, code in qs.order_by("area_id", "-version").values_list("pk", "area_id"):
        newest_ids.setdefault(code, pk)
    newest = {
        ev.area_id: ev for ev in Evaluation.objects.filter(pk__in=newest_ids.values()).select_related("area")
    }
    out = []
    for code in sorted(newest):
        ev = newest[code]
        classes = [c for c in rule.CLASSES if c in (ev.public_classes or [])]
        if not classes:
            continue
        out.append(
            {
                "area": ev.area,
                "status": ev.get_status_display(),
                "window_start": ev.window_start,
                "window_end": ev.window_end,
                "classes": [
                    {"class": c, "names": [i["name"] for i in ev.answer["items"] if i["class"] == c]}
                    for c in classes
                ],
            }
        )
    return out


def public_lists_once(*, year: int, area: str | None = None) -> list[dict]:
    """``public_lists`` computed once per data version (the public page is open to everyone)."""
    from renewal.indicators import answers

    return answers.once("mujun-public", (year, area), lambda: public_lists(year=year, area=area))
