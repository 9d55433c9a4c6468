"""Reminders of reporting deadlines (issue 17), written by the daily run (``tasks.remind_daily``,
``renewal remind``).

For each month M whose report is due next or was due last, on day T:

* before the deadline — T within ``reporting.reminders.days_before`` days of it (plan file, 示例):
  a 即将截止 reminder for every report of M not made yet;
* after the deadline, until M+1's deadline: a 逾期未报 reminder for every report still missing.

Recipients: the area operators of an area (one notice per area and month listing its unreported
projects), the enterprise users of a project's enterprise (one per project and month), the unit
reporters of a responsible unit (one per unit and month listing its clauses). Who must report is
``reporting.completeness.expected`` (在建 during M); a report made is never reminded. Each notice
is keyed by (user, kind, month and subject): a second run the same day, or the next day, writes
nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse

from renewal.accounts.models import Role
from renewal.lib.months import next_month
from renewal.registry.models import MonthlyProgress
from renewal.reporting import completeness, selectors

from .models import Kind
from .services import notice_send

MAX_LISTED = 20  # codes named in one notice's body


def phase(today: dt.date, deadline: dt.datetime, following: dt.datetime, days_before: int) -> str | None:
    """ "due" (within ``days_before`` days before the deadline, the deadline's day included),
    "overdue" (after it, up to the next month's deadline), or None."""
    day = deadline.date()
    if day - dt.timedelta(days=days_before) <= today <= day:
        return "due"
    if day < today <= following.date():
        return "overdue"
    return None


def months_to_check(today: dt.date) -> list[dt.date]:
    """Last month (due this month) and the one before (due last month, overdue up to this month's
    deadline)."""
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    before = (last - dt.timedelta(days=1)).replace(day=1)
    return [before, last]


def _users(role: str, **profile):
    return get_user_model().objects.filter(
        is_active=True, profile__role=role, **{f"profile__{k}": v for k, v in profile.items()}
    )


def _listed(codes: list[str]) -> str:
    shown = "、".join(codes[:MAX_LISTED])
    return shown + (f" 等 {len(codes)} 个" if len(codes) > MAX_LISTED else "")


def unreported(month: dt.date):
    """The projects that must report for ``month`` and have not (no row for the month)."""
    report = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=month)
    return completeness.expected(month).filter(~Exists(report)).select_related("enterprise", "area")


def progress(month: dt.date, when: str) -> Counter:
    written: Counter = Counter()
    deadline = selectors.progress_deadline(month)
    kind = Kind.PROGRESS_DUE if when == "due" else Kind.PROGRESS_OVERDUE
    due_text = f"{deadline:%Y-%m-%d}"
    by_area: dict[str, list] = defaultdict(list)
    for p in unreported(month).order_by("area__order", "code"):
        by_area[p.area_id].append(p)
    overdue_url = f"{reverse('reporting:overdue')}?month={month:%Y-%m}"
    for area, projects in by_area.items():
        name = projects[0].area.name
        if when == "due":
            title = f"{month:%Y年%m月}月度进度：{name}尚有 {len(projects)} 个项目未报送，{due_text} 截止"
        else:
            title = f"{month:%Y年%m月}月度进度：{name}有 {len(projects)} 个项目逾期未报送（截止 {due_text}）"
        body = f"未报送项目：{_listed([p.code for p in projects])}。请督促企业报送。"
        for user in _users(Role.AREA_OPERATOR, area_id=area):
            if notice_send(
                user=user, kind=kind, key=f"{month:%Y-%m}:{area}", title=title, body=body, link=overdue_url
            ):
                written[kind] += 1
        for p in projects:
            link = reverse("registry:project_detail", args=[p.code])
            if when == "due":
                title = f"项目 {p.code} {month:%Y年%m月}月度进度请于 {due_text} 前报送"
            else:
                title = f"项目 {p.code} {month:%Y年%m月}月度进度已逾期未报送（截止 {due_text}）"
            body = f"{p.name}：请在项目页面填报{month:%Y年%m月}的完成投资、设备投资和设备到位情况。"
            for user in _users(Role.ENTERPRISE, enterprise_uscc=p.enterprise.uscc):
                if notice_send(
                    user=user, kind=kind, key=f"{month:%Y-%m}:{p.code}", title=title, body=body, link=link
                ):
                    written[kind] += 1
    return written


def tasks(month: dt.date, when: str) -> Counter:
    written: Counter = Counter()
    deadline = selectors.task_deadline(month)
    kind = Kind.TASK_DUE if when == "due" else Kind.TASK_OVERDUE
    due_text = f"{deadline:%Y-%m-%d}"
    board = completeness.task_board(
        scope=completeness.all_units_scope(), months=[month], now=deadline + dt.timedelta(seconds=1)
    )
    link = f"{reverse('reporting:tasks')}?month={month:%Y-%m}"
    for row in board["rows"]:
        cell = row.cells[0]
        clauses = cell.missing_ids  # not reported (counted as of the deadline: missing)
        if not clauses:
            continue
        if when == "due":
            title = f"{month:%Y年%m月}任务进展：{row.name}尚有 {len(clauses)} 项未报送，{due_text} 截止"
        else:
            title = f"{month:%Y年%m月}任务进展：{row.name}有 {len(clauses)} 项逾期未报送（截止 {due_text}）"
        body = f"未报送条款：{_listed(clauses)}。"
        for user in _users(Role.UNIT_REPORTER, unit_id=row.key):
            if notice_send(
                user=user, kind=kind, key=f"{month:%Y-%m}:{row.key}", title=title, body=body, link=link
            ):
                written[kind] += 1
    return written


def remind(*, today: dt.date) -> dict[str, int]:
    """Write the reminders of ``today``; returns how many notices of each kind were written."""
    days = selectors.reporting_rules().reminders.days_before
    written: Counter = Counter()
    for month in months_to_check(today):
        when = phase(
            today, selectors.progress_deadline(month), selectors.progress_deadline(next_month(month)), days
        )
        if when:
            written += progress(month, when)
        when = phase(today, selectors.task_deadline(month), selectors.task_deadline(next_month(month)), days)
        if when:
            written += tasks(month, when)
    return dict(written)
