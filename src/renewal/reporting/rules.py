"""Who may write a project's monthly progress for a month: one rule for the progress form, the API
and the import (pure: the caller reads the project's state and its area's month on the approval
ladder)."""

from __future__ import annotations

import datetime as dt

from renewal.accounts.scope import Scope
from renewal.lib.errors import Invalid, Refused, ServiceError
from renewal.registry import workflow

from . import approval as ladder


def progress_refusal(
    scope: Scope, *, code: str, status: str, month: dt.date, approval: str, reason: str
) -> ServiceError | None:
    """The refusal of a progress row of project ``code`` (in state ``status``) for ``month``, whose
    area's month stands at ``approval`` on the ladder (approval.py), or None. A settled or withdrawn
    project reports no more; a month its area approved is locked until the approval is undone (or
    the city returns it); a month the city confirmed is changed only by a city administrator, with a
    reason (kept in the history)."""
    if status in workflow.FINAL_STATES and not scope.is_city_admin:
        return Refused(f"项目 {code} 已{status}，不能再填报进度")
    if approval == ladder.APPROVED:
        return Refused(
            f"{month:%Y年%m月} 本区域已审核（区县已审核），须先撤销审核或由市里退回，才能修改项目 {code} 的进度"
        )
    if approval == ladder.CONFIRMED:
        if not scope.can("months.correct"):
            return Refused(f"{month:%Y年%m月} 已由市里确认锁定，只有市级管理员可以更正")
        if not (reason or "").strip():
            return Invalid(f"更正理由：{month:%Y年%m月} 已锁定，更正须填写理由", field="reason")
    return None
