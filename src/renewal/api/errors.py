"""Chinese error answers for the whole API: 401 without a valid token, 422 naming the field."""

from __future__ import annotations

import re

from ninja import Field, Schema
from ninja.errors import AuthenticationError, ValidationError

from renewal.lib.errors import Invalid, ServiceError

# pydantic's error types → Chinese; pydantic's own (English) text is never shown: a type not listed
# here reads "取值无效". The location is kept as the field path.
MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "int_parsing": "应为整数",
    "int_parsing_size": "数字过大",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "数字位数过多",
    "bool_parsing": "应为 true/false",
    "bool_type": "应为 true/false",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "datetime_type": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "datetime_from_date_parsing": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "string_type": "应为文本",
    "string_unicode": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "string_pattern_mismatch": "格式不正确",
    "list_type": "应为列表",
    "too_short": "条目过少",
    "too_long": "条目过多",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "不能小于",
    "greater_than": "应大于",
    "less_than_equal": "不能大于",
    "less_than": "应小于",
    "json_invalid": "请求体不是有效的 JSON",
    "json_type": "请求体不是有效的 JSON",
}
# Parts of a location that say where the value came from, not which field it is.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}


def field_path(loc) -> str:
    parts = [p for p in loc if p not in _SOURCES]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(请求)"


def allowed(expected: str) -> str:
    """pydantic's "'草稿', '已提交' or '已退回'" → '草稿 / 已提交 / 已退回'."""
    return " / ".join(re.findall(r"'([^']*)'", expected)) or expected


def describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        # raised by our own validators, whose messages are Chinese
        return str(error.get("msg", "")).removeprefix("Value error, ")
    text = MESSAGES.get(kind, "取值无效")
    ctx = error.get("ctx") or {}
    for key in ("ge", "gt", "le", "lt"):
        if key in ctx:
            text += f" {ctx[key]}"
    if kind == "multiple_of":
        text = f"应为 {ctx.get('multiple_of')} 的倍数"
    if kind in ("too_short", "string_too_short") and ctx.get("min_length", 1) > 1:
        text = f"至少 {ctx['min_length']} {'项' if kind == 'too_short' else '个字符'}"
    if kind in ("too_long", "string_too_long") and "max_length" in ctx:
        text += f"（最多 {ctx['max_length']} {'项' if kind == 'too_long' else '个字符'}）"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        text += f"（可选：{allowed(str(ctx['expected']))}）"
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


class ErrorItem(Schema):
    field: str = Field(description="出错的字段（如 body.name、query.year）")
    message: str = Field(description="中文说明")
    type: str = Field(description="错误类别（如 missing、invalid）")


# Every error answer of the API: a Chinese ``detail``, and for 422 one entry per field (no
# docstring: it would become the schema's description, which API readers see).
class ErrorOut(Schema):
    detail: str = Field(description="中文错误说明")
    errors: list[ErrorItem] | None = Field(None, description="逐字段的错误（422 时给出）")


# What any operation may answer besides its own success, and when. 401 and 429 only where a token
# is checked; 409 only where something is written.
COMMON = {
    400: "请求有误：地址、查询参数或字段含控制字符，或数字超出范围",
    403: "无权操作：角色或区域范围不允许",
    404: "未找到，或不在您的权限范围内",
    422: "请求数据有误：逐字段说明",
    503: "行动方案尚未加载，服务暂不可用",
}
AUTHENTICATED = {
    401: "未认证：缺少或无效的 API 令牌",
    429: "令牌校验失败次数过多，请稍后再试",
}
WRITES = {409: "保存冲突：记录已被他人修改或同时创建"}


def declare(api) -> None:
    """Add the error answers to every operation's documented responses (the OpenAPI schema), each
    with the ``ErrorOut`` body — after the routers are mounted, keeping what an operation declares
    itself. Clients and contract tests then know every status an operation can answer."""
    body = type("NinjaResponseSchema", (Schema,), {"__annotations__": {"response": ErrorOut}})
    # The bound routers hold the operations that serve requests and the schema, with the auth
    # they inherit (ninja binds them once; tests/api/test_contract.py notices if that changes).
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                statuses = dict(COMMON)
                if op.auth_callbacks:
                    statuses |= AUTHENTICATED
                if set(op.methods) - {"GET", "HEAD"}:
                    statuses |= WRITES
                for status in statuses:
                    op.response_models.setdefault(status, body)


def describe_statuses(schema: dict) -> dict:
    """The OpenAPI schema with each error status described in Chinese (ninja writes "Not Found")."""
    texts = COMMON | AUTHENTICATED | WRITES
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) in texts:
                    response["description"] = texts[int(status)]
    return schema
