"""The inbox (站内消息): the caller's 待办 counts and notices, mark read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renewal.accounts.pages import service_error
from renewal.lib.errors import ServiceError

from . import selectors, services
from .todo import items


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user=request.user, unread_only=unread_only), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notices/inbox.html",
        {"page": page, "todo_items": items(request.user), "unread_only": unread_only},
    )


@login_required
@require_POST
def read(request, pk: int):
    try:
        notice = services.notice_read(user=request.user, notice_id=pk)
    except ServiceError as exc:
        return service_error(request, exc)
    if request.POST.get("open") and notice.link.startswith("/"):
        return redirect(notice.link)
    return redirect("notices:inbox")


@login_required
@require_POST
def read_all(request):
    services.notice_read_all(user=request.user)
    return redirect("notices:inbox")
