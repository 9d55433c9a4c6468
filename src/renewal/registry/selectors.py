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


def enterprise_list(*, scope: Scope, area: str | None = None) -> QuerySet[models.Enterprise]:
    qs = scope.filter_by_enterprise(models.Enterprise.objects.select_related("area"), "uscc", "area_id")
    if area:
        qs = qs.filter(area_id=area)
    return qs.order_by("area__order", "uscc")


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
