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


def parse_json(text: str | bytes) -> object:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError(
            [{"field": "(请求)", "label": "请求", "message": f"不是合法的 JSON（{exc}）"}]
        ) from None
