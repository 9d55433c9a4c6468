"""Pages of finance (P12): the batches of the list pushed to banks (备选项目清单) — list, compile,
review and push, one bank's file — and a bank user's page of the projects pushed to its bank.

The batch pages are the city's (``finance.batch_review``: administrator and reviewer; compiling and
pushing are the administrator's); the bank page is a bank user's (``finance.bank``). A bank's file
of a batch is the city's or that bank's: another bank gets 404, never a hint that it exists."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renewal.accounts.pages import refuse, request_scope, requires, service_error
from renewal.lib import xlsx as X
from renewal.lib.errors import Invalid, ServiceError
from renewal.planning import selectors as plans

from . import batches as B

LOAN_NEW_PATH = "/finance/loans/new/"


def _loan_new_url() -> str:
    try:
        return reverse("finance:loan_new")
    except NoReverseMatch:
        return LOAN_NEW_PATH


@requires("finance.batch_review")
def batch_list(request):
    scope = request_scope(request)
    return render(
        request,
        "finance/batch_list.html",
        {
            "batches": B.batch_list(),
            "can_compile": scope.can("finance.batch_compile"),
            "Status": B.Status,
        },
    )


@requires("finance.batch_compile")
def batch_new(request):
    show_ineligible = bool(request.GET.get("ineligible") or request.POST.get("ineligible"))
    form = {"name": "", "projects": [], "all": False}
    errors: list[str] = []
    if request.method == "POST":
        form = {
            "name": request.POST.get("name", "").strip(),
            "projects": request.POST.getlist("projects"),
            "all": request.POST.get("all") == "1",
        }
        try:
            out = B.batch_compile(
                name=form["name"],
                user=request.user,
                project_codes=None if form["all"] else form["projects"],
                eligible=form["all"],
                note=request.POST.get("note", "").strip()[:500],
            )
        except plans.NoPlanLoaded as exc:
            errors.append(str(exc))
        except ServiceError as exc:
            errors.append(exc.message)
        else:
            count = out.batch.items.values("project").distinct().count()
            messages.success(request, f"已编制批次“{out.batch.name}”：{count} 个项目，待审核")
            for r in out.refused:
                messages.error(request, f"未列入 {r['project']}：{'；'.join(r['reasons'])}")
            return redirect("finance:batch", pk=out.batch.pk)
    try:
        rows = B.candidates(include_ineligible=show_ineligible)
        names = B.bank_names()
    except plans.NoPlanLoaded as exc:
        return refuse(request, str(exc), status=409)
    context = {
        "form": form,
        "errors": errors,
        "eligible": [c for c in rows if c.can_list],
        "ineligible": [c for c in rows if not c.can_list],
        "show_ineligible": show_ineligible,
        "conditions": B.eligibility_conditions(),
        "bank_names": names,
    }
    return render(request, "finance/batch_new.html", context, status=422 if errors else 200)


@requires("finance.batch_review")
def batch_detail(request, pk: int):
    try:
        batch = B.batch_get(pk=pk)
    except ServiceError as exc:
        return service_error(request, exc)
    scope = request_scope(request)
    draft = batch.status == B.Status.DRAFT
    groups = B.batch_banks(batch)
    projects, total = B.batch_totals(groups)
    context = {
        "batch": batch,
        "groups": groups,
        "projects": projects,
        "total": total,
        "can_review": draft and scope.can("finance.batch_review"),
        "can_push": batch.status == B.Status.REVIEWED and scope.can("finance.batch_push"),
        "can_edit": draft and scope.can("finance.batch_compile"),
        "can_backdate": scope.is_city_admin,
        "today": timezone.localdate(),
        "Status": B.Status,
    }
    return render(request, "finance/batch_detail.html", context)


def _act(request, pk: int, action) -> object:
    try:
        batch = B.batch_get(pk=pk)
        return action(batch)
    except ServiceError as exc:
        if exc.status == 404:
            return service_error(request, exc)
        messages.error(request, exc.message)
    return redirect("finance:batch", pk=pk)


@requires("finance.batch_review")
@require_POST
def batch_review(request, pk: int):
    def act(batch):
        B.batch_review(batch=batch, user=request.user)
        messages.success(request, f"批次“{batch.name}”已审核通过")
        return redirect("finance:batch", pk=pk)

    return _act(request, pk, act)


@requires("finance.batch_push")
@require_POST
def batch_push(request, pk: int):
    def act(batch):
        text = request.POST.get("pushed_on", "").strip()
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise Invalid(f"推送生效日期格式有误：{text}（应为 YYYY-MM-DD）") from None
        batch = B.batch_push(batch=batch, user=request.user, pushed_on=day)
        messages.success(request, f"批次“{batch.name}”已推送，生效日期 {batch.pushed_on:%Y-%m-%d}")
        return redirect("finance:batch", pk=pk)

    return _act(request, pk, act)


@requires("finance.batch_compile")
@require_POST
def batch_item_remove(request, pk: int, item: int):
    def act(batch):
        B.batch_item_remove(batch=batch, item_id=item, user=request.user)
        messages.success(request, "已从批次中移除该项目")
        return redirect("finance:batch", pk=pk)

    return _act(request, pk, act)


@requires("finance.batch_compile")
@require_POST
def batch_delete(request, pk: int):
    def act(batch):
        B.batch_delete(batch=batch, user=request.user)
        messages.success(request, f"已删除待审核批次“{batch.name}”")
        return redirect("finance:batches")

    return _act(request, pk, act)


def batch_bank_xlsx(request, pk: int, code: str):
    """One bank's projects of a batch: the city's, or that bank's user's once pushed (else 404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        batch, items = B.bank_file_items(scope=request_scope(request), batch_id=pk, bank=code)
    except ServiceError as exc:
        return service_error(request, exc)
    return X.xlsx_response([B.bank_sheet(batch, items)], B.bank_filename(batch, code))


@requires("finance.bank")
def bank_home(request):
    scope = request_scope(request)
    names = B.bank_names()
    context = {
        "bank_code": scope.bank,
        "bank_name": names.get(scope.bank or "", scope.bank or "未设置银行"),
        "rows": B.bank_rows(scope),
        "batches": B.bank_batches(scope),
        "loan_new_url": _loan_new_url(),
    }
    return render(request, "finance/bank.html", context)


urlpatterns = [
    path("batches/", batch_list, name="batches"),
    path("batches/new/", batch_new, name="batch_new"),
    path("batches/<int:pk>/", batch_detail, name="batch"),
    path("batches/<int:pk>/review/", batch_review, name="batch_review"),
    path("batches/<int:pk>/push/", batch_push, name="batch_push"),
    path("batches/<int:pk>/delete/", batch_delete, name="batch_delete"),
    path("batches/<int:pk>/items/<int:item>/remove/", batch_item_remove, name="batch_item_remove"),
    path("batches/<int:pk>/banks/<str:code>.xlsx", batch_bank_xlsx, name="batch_bank_xlsx"),
    path("bank/", bank_home, name="bank"),
]
