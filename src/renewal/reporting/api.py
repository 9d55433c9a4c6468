"""Reporting API: the approval ladder of each area's month (reporting/approval.py).

``GET /api/v1/reporting/approvals?month=YYYY-MM`` — each area in the caller's scope: its state, the
version to send back, the 督办 figures (expected, reported, late, missing) and the actions the
caller may take now. ``POST /api/v1/reporting/approvals/{area}/{month}/steps`` with
``{"action": "approve|confirm|return|unapprove", "reason", "version"}`` takes one step through
``services.month_step``: a role or area without the right 403, a stale ``version`` 409, a step the
ladder has not from the current state, a missing 理由 or an open blocker 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Key, Note
from renewal.lib.errors import Invalid

from . import approval, selectors, services

router = Router(tags=["报送审核"], auth=api_auth)

MONTH = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Field(pattern=MONTH, description="YYYY-MM（2000—2099 年）")]


class ApprovalsQuery(Schema):
    month: Month = Field(None, description="YYYY-MM；不填为最近一个有数据的月份")


class StepAction(Schema):
    action: str = Field(description="操作：approve | confirm | return | unapprove")
    label: str = Field(description="按钮名称，如 审核本月、撤销确认")
    needs_reason: bool = Field(description="须填写理由")


class ApprovalOut(Schema):
    area: str = Field(description="区域代码")
    area_name: str
    month: str = Field(description="YYYY-MM")
    state: str = Field(description="填报中 | 区县已审核 | 市级已确认")
    version: int = Field(description="当前版本号（尚未审核为 0），提交操作时带回")
    expected: int = Field(description="应报项目数（在建）")
    reported: int = Field(description="已报送项目数（含逾期）")
    late: int = Field(description="逾期报送项目数")
    missing: int = Field(description="截止后仍未报送的项目数")
    actions: list[StepAction] = Field(description="调用者当前可进行的操作")


class ApprovalList(Schema):
    month: str
    items: list[ApprovalOut]
    count: int


class StepIn(Schema):
    action: Literal[tuple(approval.ACTIONS)] = Field(
        description="approve 审核 | confirm 确认 | return 退回 | unapprove 撤销"
    )
    reason: Note = Field("", max_length=1000, description="理由：退回、撤销审核、撤销确认须填写")
    version: int | None = Field(None, ge=0, description="读取时的版本号（尚未审核为 0）；用于冲突检测")


def _items(scope, month: dt.date, only: str | None = None) -> list[dict]:
    board = selectors.approval_board(scope=scope, month=month)
    return [
        {
            "area": r["area"].code,
            "area_name": r["area"].name,
            "month": f"{month:%Y-%m}",
            "state": r["state"],
            "version": r["version"],
            "expected": r["area"].expected,
            "reported": r["area"].reported,
            "late": r["area"].late,
            "missing": r["area"].missing,
            "actions": [
                {"action": s.action, "label": s.label, "needs_reason": s.needs_reason} for s in r["steps"]
            ],
        }
        for r in board["rows"]
        if only is None or r["area"].code == only
    ]


@router.get("/reporting/approvals", response=ApprovalList, summary="各区域月度审核确认状态")
def approval_list(request, q: Query[ApprovalsQuery]):
    scope = scope_for(request.user).require("months.view")
    month = selectors.parse_month(q.month) if q.month else selectors.default_month()
    items = _items(scope, month)
    return {"month": f"{month:%Y-%m}", "items": items, "count": len(items)}


@router.post(
    "/reporting/approvals/{area}/{month}/steps",
    response={201: ApprovalOut},
    summary="月度审核确认操作（审核、确认、退回、撤销）",
)
def approval_step(request, area: Key, month: Month, body: StepIn):
    scope = scope_for(request.user).require("months.view")
    try:
        m = selectors.parse_month(month)
    except ValueError as exc:
        raise Invalid(f"月份：{exc}", field="month") from None
    row = services.month_step(
        user=request.user, area=area, month=m, action=body.action, reason=body.reason, version=body.version
    )
    items = _items(scope, m, only=row.area_id)
    if not items:  # an area no longer active: not on the board, answered from its row alone
        items = [
            {
                "area": row.area_id,
                "area_name": row.area.name,
                "month": f"{m:%Y-%m}",
                "state": row.state,
                "version": row.version,
                **dict.fromkeys(["expected", "reported", "late", "missing"], 0),
                "actions": [],
            }
        ]
    return Status(201, items[0])
