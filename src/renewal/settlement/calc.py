"""One entry point for the contract: the API operation and `renewal calc` both call ``policy_calculate``."""

from __future__ import annotations

import json

from renewal.policy.contract import RequestError, parse_request
from renewal.policy.rules import calculate

from . import selectors


def policy_calculate(data: object) -> dict:
    """Validates a request (raises ``RequestError`` with Chinese messages) and calculates it against
    the active plan's parameters and programmes (or the request's programmes, for a what-if)."""
    request = parse_request(data)
    return calculate(request, selectors.policy_data())


# What json.loads says (English), as the person reads it.
JSON_PROBLEMS = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "字段名应写在英文双引号内",
    "Expecting ',' delimiter": "缺少英文逗号或结束的括号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "字符串缺少结束的双引号",
    "Invalid control character at": "字符串中有控制字符（如未转义的换行）",
    "Invalid \\escape": "无效的转义字符",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Extra data": "JSON 结束后还有多余内容",
}


def parse_json(text: str | bytes) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = next((v for k, v in JSON_PROBLEMS.items() if exc.msg.startswith(k)), "格式错误")
        message = f"不是合法的 JSON：第{exc.lineno}行第{exc.colno}列，{problem}"
    except (ValueError, UnicodeDecodeError):
        message = "不是合法的 JSON：内容不是 UTF-8 编码的文本"
    raise RequestError([{"field": "(请求)", "label": "请求", "message": message}])
