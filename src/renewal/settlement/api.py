"""Policy API: ``POST /api/v1/policy/calculate`` (same JSON as ``renewal calc``).

Open to anonymous callers (enterprises use it): ``renewal.accounts.auth`` did not exist when this
was built; add ``auth=api_auth`` here if the city decides the calculator needs a token. The body is parsed by the engine's own contract so that a 422 names
the field in Chinese; its JSON schema is published in the OpenAPI document.
"""

from __future__ import annotations

from ninja import Router, Status
from ninja.errors import HttpError

from renewal.planning.selectors import NoPlanLoaded
from renewal.policy.contract import CalculateIn, RequestError

from .calc import parse_json, policy_calculate

router = Router(tags=["政策计算"])


def _inline(schema: dict) -> dict:
    """Pydantic's JSON schema with its $defs inlined (OpenAPI does not see them)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.split("/")[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


REQUEST_SCHEMA = _inline(CalculateIn.model_json_schema())


@router.post(
    "/calculate",
    summary="政策计算：补助、首台套加计、税收优惠（含条款依据）",
    response={200: dict, 422: dict, 503: dict},
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": REQUEST_SCHEMA}}}
    },
)
def calculate(request):
    """Body and answer as in ``src/renewal/policy/README.md``; amounts in yuan, ratios as fractions."""
    try:
        return Status(200, policy_calculate(parse_json(request.body)))
    except RequestError as exc:
        message = "请求数据有误：" + str(exc)
        # "detail" as in renewal.api.errors (the rest of the API); "message" kept for callers.
        return Status(422, {"detail": message, "message": message, "errors": exc.errors})
    except NoPlanLoaded as exc:
        raise HttpError(503, str(exc)) from None
