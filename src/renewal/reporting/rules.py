"""Who may write a project's monthly progress for a month: one rule for the progress form, the API
and the import (pure: the caller reads the project's state and the month's lock)."""

from __future__ import annotations

import datetime as dt

from renewal.accounts.scope import Scope
from renewal.lib.errors import Invalid, Refused, ServiceError
from renewal.registry import workflow


def progress_refusal(
    scope: Scope, *, code: str, status: str, month: dt.date, locked: bool, reason: str
) -> ServiceError | None:
    """The refusal of a progress row of project ``code`` (in state ``status``) for ``month``, or
    None. A settled or withdrawn project reports no more; a month the city locked is changed only
    by a city administrator, with a reason (kept in the history)."""
    if status in workflow.FINAL_STATES and not scope.is_city_admin:
        return Refused(f"项目 {code} 已{status}，不能再填报进度")
    if locked:
        if not scope.can("months.correct"):
            return Refused(f"{month:%Y年%m月} 已由市里确认锁定，只有市级管理员可以更正")
        if not (reason or "").strip():
            return Invalid(f"更正理由：{month:%Y年%m月} 已锁定，更正须填写理由", field="reason")
    return None
