"""The request guard (issue 20): no input reaches a view that the databases would refuse, and no
database refusal becomes a server error.

- Before the view: the path, every query parameter (name and value) and every form field of a
  POST are checked with ``lib/text.text_problem``: a NUL, another control character or a lone
  surrogate answers 400 naming the parameter — PostgreSQL refuses NUL in any text, so a search for
  ``%00`` would otherwise fail deep inside a query. Form values may hold tab and line breaks.
- After a view raised: a service's refusal the view did not catch answers its own status and
  message, Django's ``BadRequest`` 400 with its message, a unique violation the service did not foresee (two people creating the
  same record at once) answers 409, a value out of the column's range 400, each with a Chinese
  reason and logged; the services name these cases themselves where they can (``lib.races.created_once``).

The API (``/api/``) gets JSON ``{"detail": ...}``, the pages the 400/409 page. Django's own 404
and 500 answers (``handler404``/``handler500`` in ``renewal/urls.py``) are JSON on the API too,
so that an API client never has to read HTML.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest
from django.db import DataError, IntegrityError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views import defaults

from renewal.lib.errors import ServiceError
from renewal.lib.text import text_problem, visible

log = logging.getLogger(__name__)
API_PREFIX = "/api/"
RACE = "保存冲突：该记录刚由他人同时保存，请刷新后查看，未保存任何内容。"
OUT_OF_RANGE = "请求数据超出允许的范围（数字过大或文本过长），未保存任何内容。"


def _input_problem(request) -> str | None:
    problem = text_problem(request.path_info)
    if problem is not None:
        return f"地址{problem}"
    for name, values in request.GET.lists():
        where = f"查询参数 {visible(name)}"
        if (problem := text_problem(name)) is not None:
            return f"{where} 的名称{problem}"
        for value in values:
            if (problem := text_problem(value, multiline=True)) is not None:
                return f"{where}{problem}"
    # The API checks the form fields it reads with its own types (``api/types.Text``) and ignores
    # the others, as its schema says; the pages' forms are checked here.
    if (
        request.method == "POST"
        and not request.path_info.startswith(API_PREFIX)
        and request.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        for name, values in request.POST.lists():
            where = f"字段 {visible(name)}"
            if (problem := text_problem(name)) is not None:
                return f"{where} 的名称{problem}"
            for value in values:
                if (problem := text_problem(value, multiline=True)) is not None:
                    return f"{where}{problem}"
    return None


TITLES = {400: "请求有误", 403: "无权操作", 404: "未找到", 409: "保存冲突", 422: "数据有误"}


def refusal(request, status: int, message: str):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"status": status, "title": TITLES.get(status, "请求有误"), "message": message}
    return TemplateResponse(request, "web/error.html", context, status=status).render()


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _input_problem(request)
        if problem is not None:
            return refusal(request, 400, f"请求有误：{problem}")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ServiceError):
            # a service's refusal the view did not catch: its own status and message
            return refusal(request, exception.status, exception.message)
        if isinstance(exception, BadRequest):
            return refusal(request, 400, str(exception) or "请求有误")
        if isinstance(exception, IntegrityError):
            log.warning(
                "unique violation answered 409: %s %s", request.method, request.path, exc_info=exception
            )
            return refusal(request, 409, RACE)
        if isinstance(exception, DataError | OverflowError):  # PostgreSQL's range; SQLite's int64
            log.warning("data error answered 400: %s %s", request.method, request.path, exc_info=exception)
            return refusal(request, 400, OUT_OF_RANGE)
        return None


def page_not_found(request, exception=None):
    """``handler404``: an API address that matches no operation answers JSON, a page the 404 page."""
    if request.path_info.startswith(API_PREFIX):
        return refusal(request, 404, "未找到：该接口地址不存在")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: the error is logged by Django before this runs; the API answers JSON, a page
    the standalone 500 page (no context processors, which may be what failed)."""
    if request.path_info.startswith(API_PREFIX):
        message = "服务器处理时出错，错误已记录，请稍后重试；如反复出现，请联系系统管理员。"
        return JsonResponse({"detail": message}, status=500, json_dumps_params={"ensure_ascii": False})
    return HttpResponseServerError(loader.get_template("500.html").render())
