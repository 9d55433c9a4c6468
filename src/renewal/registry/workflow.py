"""The project workflow as data (STYLE.md §6): state → next states, who may move it, the label.

草稿 → 已申报 → 区县审核通过 → 已入库 (city approval) → 在建 → 竣工 → 验收通过 → 已兑现.
退回 sends a declared project back with a reason; a returned project goes back to 草稿 to be
edited and declared again. 撤销 withdraws a project where the table allows it.

Transitions happen only in ``services.project_transition``; each writes a ``ProjectTransition``.
Who may act on *which* project (own area, own enterprise) is decided by ``accounts.scope``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from renewal.accounts.models import Role

ADMIN = Role.CITY_ADMIN
REVIEWER = Role.CITY_REVIEWER
OPERATOR = Role.AREA_OPERATOR
ENTERPRISE = Role.ENTERPRISE

STATES = ["草稿", "已申报", "区县审核通过", "已入库", "在建", "竣工", "验收通过", "已兑现", "退回", "撤销"]
FINAL_STATES = {"已兑现", "撤销"}
# Projects in these states report their progress every month (monthly reporting, 督办 list).
REPORTING_STATES = ["在建"]
# States in which the declaring side (enterprise, area operator) may still edit the project.
EDITABLE_STATES = {"草稿", "退回"}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # the button's label (Chinese)
    roles: frozenset[str]
    needs_comment: bool = False  # a reason is required (退回, 撤销)
    style: str = "primary"  # primary | danger | plain: how the page shows the button


def _t(source, target, action, roles, needs_comment=False, style="primary") -> Transition:
    return Transition(source, target, action, frozenset(roles), needs_comment, style)


TRANSITIONS: list[Transition] = [
    _t("草稿", "已申报", "申报", {ENTERPRISE, OPERATOR, ADMIN}),
    _t("草稿", "撤销", "撤销", {ENTERPRISE, OPERATOR, ADMIN}, needs_comment=True, style="danger"),
    _t("已申报", "区县审核通过", "区县审核通过", {OPERATOR, ADMIN}),
    _t("已申报", "退回", "退回", {OPERATOR, ADMIN}, needs_comment=True, style="danger"),
    _t("已申报", "撤销", "撤回申报", {ENTERPRISE, ADMIN}, needs_comment=True, style="danger"),
    _t("区县审核通过", "已入库", "市级审核入库", {REVIEWER, ADMIN}),
    _t("区县审核通过", "退回", "退回", {REVIEWER, ADMIN}, needs_comment=True, style="danger"),
    _t("已入库", "在建", "开工", {ENTERPRISE, OPERATOR, ADMIN}),
    _t("已入库", "撤销", "撤销", {ADMIN}, needs_comment=True, style="danger"),
    _t("在建", "竣工", "竣工", {ENTERPRISE, OPERATOR, ADMIN}),
    _t("在建", "撤销", "撤销", {ADMIN}, needs_comment=True, style="danger"),
    _t("竣工", "验收通过", "验收通过", {OPERATOR, ADMIN}),
    _t("验收通过", "已兑现", "兑现", {ADMIN}),
    _t("退回", "草稿", "修改后重新填报", {ENTERPRISE, OPERATOR, ADMIN}, style="plain"),
    _t("退回", "撤销", "撤销", {ENTERPRISE, OPERATOR, ADMIN}, needs_comment=True, style="danger"),
]


def transitions_from(state: str, role: str | None = None) -> list[Transition]:
    """The transitions leaving ``state`` (for ``role`` when given)."""
    return [t for t in TRANSITIONS if t.source == state and (role is None or role in t.roles)]


_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    return _BY_STEP.get((source, target))


# A new project starts here; 导入 is the action of a city administrator's legacy import (any state,
# with the date the project reached it).
START = "草稿"
LEGACY_ACTION = "导入"


@cache
def settable(current: str | None, role: str | None) -> tuple[str, ...]:
    """The states an edit outside the page's buttons (an import's 状态 column) may put a project in:
    its current state (a new project: 草稿) and one step along the table for ``role`` — not a step
    that needs a reason (退回, 撤销: those are taken on the page, with the reason)."""
    state = current or START
    return (state, *(t.target for t in transitions_from(state, role) if not t.needs_comment))


def status_problem(*, current: str | None, target: str, role: str | None, legacy: bool) -> str | None:
    """Why ``role`` may not put a project (``current``: its state, None for a new one) in
    ``target`` by an import, or None. ``legacy``: a city administrator loading legacy data with
    the date of the state, who may set any state."""
    if target not in STATES:
        return f"未知的状态“{target}”（可选：{'、'.join(STATES)}）"
    if legacy and role == ADMIN:
        return None
    allowed = settable(current, role)
    if target in allowed:
        return None
    who = Role(role).label if role else "当前用户"
    hint = "；导入历史数据请填写“状态日期”" if role == ADMIN else ""
    if current is None:
        return f"{who}不能把项目直接设为“{target}”（可设：{'、'.join(allowed)}{hint}）"
    return f"{who}不能把项目从“{current}”直接改为“{target}”（可设：{'、'.join(allowed)}{hint}）"


def as_table() -> list[dict]:
    """The table for pages, the README and the API: one row per transition."""
    return [
        {
            "from": t.source,
            "to": t.target,
            "action": t.action,
            "roles": sorted(t.roles),
            "role_labels": [Role(r).label for r in sorted(t.roles)],
            "needs_comment": t.needs_comment,
        }
        for t in TRANSITIONS
    ]
