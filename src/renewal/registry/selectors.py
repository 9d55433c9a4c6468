"""Reads of the registry, always through the caller's scope (accounts.scope)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from renewal.accounts.scope import Scope

from . import models


def registry_counts() -> dict[str, int]:
    return {
        "enterprises": models.Enterprise.objects.count(),
        "projects": models.Project.objects.count(),
    }


def enterprise_list(
    *,
    scope: Scope,
    area: str | None = None,
    industry: str | None = None,
    q: str | None = None,
) -> QuerySet[models.Enterprise]:
    """``industry``: a GB/T 4754 code prefix (36 finds 36xx); ``q``: name or credit code."""
    qs = scope.filter_by_enterprise(models.Enterprise.objects.select_related("area"), "uscc", "area_id")
    if area:
        qs = qs.filter(area_id=area)
    if industry:
        qs = qs.filter(industry_code__startswith=industry)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q))
    return qs.order_by("area__order", "uscc")


def honour_list(
    *,
    scope: Scope,
    area: str | None = None,
    year: int | None = None,
    honour_kind: str | None = None,
    level: str | None = None,
    q: str | None = None,
) -> QuerySet[models.Honour]:
    """试点示范; ``q``: the enterprise's name or credit code."""
    qs = scope.filter_records(models.Honour.objects.select_related("enterprise", "enterprise__area"))
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if year:
        qs = qs.filter(year=year)
    if honour_kind:
        qs = qs.filter(kind=honour_kind)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return qs.order_by("-year", "enterprise__area__order", "enterprise__uscc", "kind", "level")


def first_set_list(
    *,
    scope: Scope,
    area: str | None = None,
    year: int | None = None,
    category: str | None = None,
    level: str | None = None,
    q: str | None = None,
) -> QuerySet[models.FirstSetProduct]:
    """首台套 products; ``q``: the product's name, or the enterprise's name or credit code."""
    qs = scope.filter_records(models.FirstSetProduct.objects.select_related("enterprise", "enterprise__area"))
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(product_name__icontains=q) | Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q)
        )
    return qs.order_by("-year", "enterprise__area__order", "enterprise__uscc", "product_name")


def allocation_list(
    *,
    scope: Scope,
    area: str | None = None,
    year: int | None = None,
    level: str | None = None,
    q: str | None = None,
) -> QuerySet[models.Fund]:
    """资金下达: the funds allocated to a project; ``q``: the project's code or name, or the 文号."""
    qs = scope.filter_records(
        models.Fund.objects.filter(project__isnull=False, project__is_deleted=False).select_related(
            "project", "area"
        )
    )
    if area:
        qs = qs.filter(area_id=area)
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(project__code__icontains=q) | Q(project__name__icontains=q) | Q(document_no__icontains=q)
        )
    return qs.order_by("-year", "area__order", "project__code", "level", "document_no")


def statistic_list(
    *,
    scope: Scope,
    area: str | None = None,
    year: int | None = None,
    indicator: str | None = None,
) -> QuerySet[models.Statistic]:
    """Imported statistics; ``area`` is an area code or the city's code."""
    qs = scope.filter_records(models.Statistic.objects.all())
    if area:
        qs = qs.filter(area_code=area)
    if year:
        qs = qs.filter(year=year)
    if indicator:
        qs = qs.filter(indicator=indicator)
    return qs.order_by("indicator", "area_code", "period")


def statistic_indicators(*, scope: Scope) -> list[str]:
    """The indicator codes the caller's statistics hold (the list page's drop-down)."""
    return list(
        scope.filter_records(models.Statistic.objects.all())
        .order_by("indicator")
        .values_list("indicator", flat=True)
        .distinct()
    )


def project_list(
    *,
    scope: Scope,
    area: str | None = None,
    year: int | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[models.Project]:
    """``q``: the list's free text, found in the project code or name or the enterprise name."""
    qs = scope.filter_by_enterprise(
        models.Project.objects.select_related("enterprise", "area"), "enterprise__uscc", "area_id"
    )
    if area:
        qs = qs.filter(area_id=area)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.order_by("-year", "code")


def project_get(*, scope: Scope, code: str) -> models.Project | None:
    return project_list(scope=scope).filter(code=code).first()


def enterprise_get(*, scope: Scope, uscc: str) -> models.Enterprise | None:
    return enterprise_list(scope=scope).filter(uscc=uscc).first()
