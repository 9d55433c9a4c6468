"""Pages: PUBLIC catalogues (no login, published entries only, searchable, xlsx export), the
city's publishing page, and monthly bulletins (request, progress, download)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renewal.accounts.models import Role
from renewal.accounts.pages import requires
from renewal.accounts.scope import scope_for
from renewal.lib.errors import ServiceError
from renewal.lib.xlsx import table_sheet, xlsx_response
from renewal.planning import selectors as plans
from renewal.registry import reference
from renewal.registry.models import CatalogueEntry, ServiceProvider, TypicalCase

from . import jobs, selectors, services
from .bulletin import BulletinError
from .models import Bulletin


def _plan() -> dict:
    try:
        p = plans.active_plan()
    except plans.NoPlanLoaded:
        return {}
    return {"city": {"name": p.city_name}, "document_number": p.document_number}


def _xlsx(name: str, headers: list[str], rows: list[list]) -> HttpResponse:
    return xlsx_response([table_sheet(name, headers, rows)], f"{name}.xlsx")


def _page(request, qs, per_page: int = 50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def products(request):
    q, category, batch = (request.GET.get(k, "").strip() for k in ("q", "category", "batch"))
    qs = selectors.public_products(q=q, category=category, batch=batch)
    if request.GET.get("format") == "xlsx":
        rows = [
            [e.batch, e.category, e.brand, e.model, e.enterprise.name, e.enterprise.area.name] for e in qs
        ]
        return _xlsx("优质产品目录", ["发布批次", "品类", "品牌", "产品型号", "企业", "所属区域"], rows)
    return render(
        request,
        "reports/catalogue_products.html",
        {
            "plan": _plan(),
            "page": _page(request, qs),
            "count": qs.count(),
            "q": q,
            "category": category,
            "batch": batch,
            "categories": reference.values("catalogue_categories"),
            "batches": selectors.published_batches(),
            "tab": "products",
        },
    )


def providers(request):
    q, kind = request.GET.get("q", "").strip(), request.GET.get("kind", "").strip()
    qs = selectors.public_providers(q=q, kind=kind)
    if request.GET.get("format") == "xlsx":
        rows = [[p.kind, p.name, p.uscc, p.area.name if p.area else "", p.description] for p in qs]
        return _xlsx("优秀服务商目录", ["类型", "服务商", "统一社会信用代码", "所在区域", "服务领域"], rows)
    return render(
        request,
        "reports/catalogue_providers.html",
        {
            "plan": _plan(),
            "page": _page(request, qs),
            "count": qs.count(),
            "q": q,
            "kind": kind,
            "kinds": reference.values("provider_kinds"),
            "tab": "providers",
        },
    )


def cases(request):
    q = request.GET.get("q", "").strip()
    qs = selectors.public_cases(q=q)
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                c.year,
                c.title,
                c.enterprise.name if c.enterprise else "",
                c.provider.name if c.provider and c.provider.published else "",
                c.summary,
            ]
            for c in qs
        ]
        return _xlsx("典型案例", ["年度", "案例", "企业", "服务商", "案例简介"], rows)
    return render(
        request,
        "reports/catalogue_cases.html",
        {"plan": _plan(), "page": _page(request, qs), "count": qs.count(), "q": q, "tab": "cases"},
    )


def _city_admin(request) -> None:
    if scope_for(request.user).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市级管理员可以发布目录")


@login_required
def manage(request):
    _city_admin(request)
    return render(
        request,
        "reports/catalogue_manage.html",
        {
            "plan": _plan(),
            "pending_batches": selectors.pending_batches(),
            "providers": ServiceProvider.objects.order_by("published", "kind", "name"),
            "cases": TypicalCase.objects.select_related("enterprise").order_by("published", "-year", "title"),
            "published_products": CatalogueEntry.objects.filter(published=True)
            .values_list("batch", flat=True)
            .distinct(),
            "publications": selectors.publications(),
        },
    )


@login_required
@require_POST
def publish(request):
    catalogue = request.POST.get("catalogue", "")
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    action = request.POST.get("action", "publish")
    try:
        if action == "withdraw":
            pub = services.catalogue_withdraw(
                catalogue=catalogue,
                actor=request.user,
                batch=request.POST.get("batch", ""),
                ids=ids or None,
                reason=request.POST.get("reason", ""),
            )
        else:
            pub = services.catalogue_publish(
                catalogue=catalogue,
                actor=request.user,
                batch=request.POST.get("batch", ""),
                ids=ids or None,
                note=request.POST.get("note", ""),
            )
        messages.success(
            request,
            f"已{pub.get_action_display()}{pub.get_catalogue_display()}「{pub.batch}」共 {pub.count} 条",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("reports:manage")


# --- bulletins -----------------------------------------------------------------------------------


@requires("reports.bulletins")
def bulletins(request):
    return render(request, "reports/bulletins.html", {"plan": _plan(), "bulletins": selectors.bulletins()})


@requires("reports.bulletin_request")
@require_POST
def bulletin_request(request):
    try:
        b = services.bulletin_request(month=request.POST.get("month", ""), user=request.user)
        messages.success(request, f"已提交 {b.month} 月度通报生成任务")
    except BulletinError as exc:
        messages.error(request, f"月份：{exc}")
    return redirect("reports:bulletins")


@requires("reports.bulletin_request")
@require_POST
def bulletin_retry(request, pk: int):
    """重试 of a failed bulletin: generated again from scratch."""
    b = get_object_or_404(Bulletin, pk=pk)
    try:
        services.bulletin_retry(bulletin=b, user=request.user)
        messages.success(request, f"已重新提交 {b.month} 月度通报生成任务")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("reports:bulletins")


@requires("reports.bulletins")
def bulletin_file(request, pk: int, name: str):
    b = get_object_or_404(Bulletin, pk=pk, status=Bulletin.Status.DONE)
    if name not in b.files:
        raise Http404("没有该文件")
    path = Path(jobs.bulletin_dir(b)) / name
    if not path.exists():
        raise Http404("文件已不存在，请重新生成")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
