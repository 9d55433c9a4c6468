"""The approval ladder of a month's progress per area (审核确认), as data (STYLE.md §6).

填报中 → 区县已审核 (the area operator approves its month) → 市级已确认 (a city reviewer accepts).
退回 (the city, reason required) sends an approved or confirmed month back to 填报中; 撤销 (reason
required) undoes the step of the level that took it: the area its 区县已审核 while not yet
confirmed, the city its 市级已确认 (back to 区县已审核). No row for an (area, month) is 填报中.

Rights are the permissions of ``accounts.scope.PERMISSIONS`` (``months.approve``,
``months.confirm``, ``months.unconfirm``); which area an operator acts on is ``Scope.covers``.
Steps happen only in ``services.month_*``; each writes a ``MonthApprovalStep`` and a history row.

``BLOCKERS`` are the checks that keep an area from approving its month (the data checks' open
errors register one): each takes the area code and the month and answers Chinese messages.
Pure: no ORM here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

OPEN = "填报中"
APPROVED = "区县已审核"
CONFIRMED = "市级已确认"
STATES = [OPEN, APPROVED, CONFIRMED]

APPROVE, CONFIRM, RETURN, UNAPPROVE = "approve", "confirm", "return", "unapprove"
ACTIONS = [APPROVE, CONFIRM, RETURN, UNAPPROVE]


@dataclass(frozen=True)
class Step:
    action: str  # approve | confirm | return | unapprove (the API's names)
    source: str
    target: str
    label: str  # the button's label (Chinese)
    permission: str  # accounts.scope.PERMISSIONS
    level: str  # "area" | "city": who takes it
    needs_reason: bool = False
    style: str = "primary"


STEPS: list[Step] = [
    Step(APPROVE, OPEN, APPROVED, "审核本月", "months.approve", "area"),
    Step(UNAPPROVE, APPROVED, OPEN, "撤销审核", "months.approve", "area", True, "danger"),
    Step(CONFIRM, APPROVED, CONFIRMED, "确认", "months.confirm", "city"),
    Step(RETURN, APPROVED, OPEN, "退回", "months.confirm", "city", True, "danger"),
    # a confirmed month: only a city administrator undoes it (as it unlocked a locked month)
    Step(UNAPPROVE, CONFIRMED, APPROVED, "撤销确认", "months.unconfirm", "city", True, "danger"),
    Step(RETURN, CONFIRMED, OPEN, "撤销确认并退回", "months.unconfirm", "city", True, "danger"),
]

# What each action is called in a refusal when the month is not in a state it starts from.
ACTION_LABELS = {APPROVE: "审核", CONFIRM: "确认", RETURN: "退回", UNAPPROVE: "撤销审核"}


def step_for(action: str, state: str) -> Step | None:
    """The step ``action`` takes from ``state``, or None when the ladder has none."""
    return next((s for s in STEPS if s.action == action and s.source == state), None)


def steps_from(state: str) -> list[Step]:
    return [s for s in STEPS if s.source == state]


# -- locking: what an approval state means for a progress row ---------------------------------


def is_locked(state: str) -> bool:
    """An approved or confirmed month is locked for the area (changes need the approval undone)."""
    return state in (APPROVED, CONFIRMED)


# -- blockers ---------------------------------------------------------------------------------

Blocker = Callable[[str, dt.date], list[str]]
# Checks that must answer nothing before an area approves its month (area code, month → messages).
BLOCKERS: list[Blocker] = []


def blockers(area: str, month: dt.date) -> list[str]:
    """Every registered check's messages for ``area``'s ``month`` (empty: it may be approved)."""
    return [message for check in BLOCKERS for message in check(area, month)]
