"""Chinese error answers for the whole API: 401 without a valid token, 422 naming the field."""

from __future__ import annotations

from ninja.errors import AuthenticationError, ValidationError

from renewal.lib.errors import Invalid, ServiceError

MESSAGES = {
    "missing": "缺少必填字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true/false",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "不能小于",
    "greater_than": "应大于",
    "less_than_equal": "不能大于",
    "less_than": "应小于",
    "json_invalid": "请求体不是有效的 JSON",
    "extra_forbidden": "未知字段",
}
# Parts of a location that say where the value came from, not which field it is.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}


def field_path(loc) -> str:
    parts = [p for p in loc if p not in _SOURCES]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(请求)"


def describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    text = MESSAGES.get(kind, error.get("msg", "取值无效"))
    ctx = error.get("ctx") or {}
    for key in ("ge", "gt", "le", "lt"):
        if key in ctx:
            text += f" {ctx[key]}"
    if kind == "literal_error" and "expected" in ctx:
        text += f"（允许：{ctx['expected']}）"
    return text


def install(api) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return api.create_response(
            request, {"detail": "未认证：请在请求头提供有效的 Authorization: Bearer <令牌>"}, status=401
        )

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [
            {"field": field_path(e.get("loc", ())), "message": describe(e), "type": e.get("type", "")}
            for e in exc.errors
        ]
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors)
        return api.create_response(
            request, {"detail": f"请求数据有误：{summary}", "errors": errors}, status=422
        )

    @api.exception_handler(ServiceError)
    def refused(request, exc):
        body = {"detail": exc.message}
        if isinstance(exc, Invalid):
            body["errors"] = [{"field": f, "message": m, "type": "invalid"} for f, m in exc.errors.items()]
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValueError)
    def bad_value(request, exc):
        # e.g. a NUL character in a path or query value, which PostgreSQL refuses
        if "NUL" in str(exc):
            return api.create_response(request, {"detail": "请求含有非法字符（NUL）"}, status=422)
        raise exc
