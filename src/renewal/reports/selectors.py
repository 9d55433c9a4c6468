"""Reads of the reports app: the PUBLIC catalogues (published entries only, no login)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from renewal.registry.models import CatalogueEntry, ServiceProvider, TypicalCase

from .models import Bulletin, Publication


def public_products(*, q: str = "", category: str = "", batch: str = "") -> QuerySet[CatalogueEntry]:
    qs = CatalogueEntry.objects.filter(published=True).select_related("enterprise", "enterprise__area")
    if q:
        qs = qs.filter(Q(brand__icontains=q) | Q(model__icontains=q) | Q(enterprise__name__icontains=q))
    if category:
        qs = qs.filter(category=category)
    if batch:
        qs = qs.filter(batch=batch)
    return qs.order_by("batch", "category", "brand", "model")


def public_providers(*, q: str = "", kind: str = "") -> QuerySet[ServiceProvider]:
    qs = ServiceProvider.objects.filter(published=True).select_related("area")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name")


def public_cases(*, q: str = "") -> QuerySet[TypicalCase]:
    qs = TypicalCase.objects.filter(published=True).select_related("enterprise", "provider")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.order_by("-year", "title")


def published_batches() -> list[str]:
    return list(
        CatalogueEntry.objects.filter(published=True)
        .order_by("batch")
        .values_list("batch", flat=True)
        .distinct()
    )


def pending_batches() -> list[dict]:
    out: dict[str, int] = {}
    for b in CatalogueEntry.objects.filter(published=False).values_list("batch", flat=True):
        out[b] = out.get(b, 0) + 1
    return [{"batch": b, "count": n} for b, n in sorted(out.items())]


def publications(limit: int = 50) -> QuerySet[Publication]:
    return Publication.objects.select_related("actor")[:limit]


def bulletins(limit: int = 20) -> QuerySet[Bulletin]:
    return Bulletin.objects.all()[:limit]
