"""The list pages of the registry (登记库: 项目, 企业, 试点示范, 首台套, 统计指标), one view for every kind
with a ``list_page``: the caller's scope, the page's filters (GET, read by the kind's
``list_params``), 50 rows a page, the export link with the same filters and the template of the
kind's import sheet. The export of a list (``registry_exports``) reads the same filters the same way,
so a file holds the rows on screen."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse

from renewal.accounts.pages import records_required
from renewal.accounts.scope import scope_for
from renewal.planning.selectors import area_list

from . import sheets as S


def list_filters(spec: S.Sheet, params) -> dict:
    """A list's filters from its GET parameters (``params``: a QueryDict or dict) as the selector's
    keyword arguments; blank values and a year that is not a number are left out."""
    out: dict = {}
    for name, argument in spec.list_params.items():
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if name == "year":
            if not value.isdigit():
                continue
            out[argument] = int(value)
        else:
            out[argument] = value
    return out


def list_query(spec: S.Sheet, params) -> str:
    """The list's filters as a URL query string (URL-encoded, without ``page``): for the export link
    and the pager."""
    return urlencode(
        [(name, params.get(name).strip()) for name in spec.list_params if (params.get(name) or "").strip()]
    )


def list_page(request, spec: S.Sheet):
    scope = scope_for(request.user)
    kind = spec.kind
    qs = spec.rows(scope=scope, **list_filters(spec, request.GET))
    query = list_query(spec, request.GET)
    export = reverse("exchange:export", args=[kind])
    page = spec.list_page
    return render(
        request,
        page.template,
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "scope": scope,
            "areas": area_list() if scope.is_city else [],
            "filters": request.GET,
            "query": query,
            "export_url": f"{export}?{query}" if query else export,
            "template_url": reverse("exchange:template_kind", args=[kind]),
            "tab": kind,
            **(page.context(scope, query) if page.context else {}),
        },
    )


def _view(spec: S.Sheet):
    """The kind's page, behind its gate (a role that reads records; ``can_open`` asks the same)."""

    def view(request):
        return list_page(request, spec)

    view.__name__ = view.__qualname__ = spec.list_page.name
    return records_required(spec.label)(view)


app_name = "lists"
urlpatterns = [path(s.list_page.path, _view(s), name=s.list_page.name) for s in S.SHEETS if s.list_page]
