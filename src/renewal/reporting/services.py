"""Writes of monthly reporting: progress reports (月度进度), month locks, task reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused
from renewal.lib.races import created_once
from renewal.lib.uploads import upload_check
from renewal.planning.models import ResponsibleUnit
from renewal.quality import selectors as quality_selectors
from renewal.quality import services as quality_services
from renewal.registry.models import MonthlyProgress, Project
from renewal.registry.services import attribute, validated, version_check

from . import rules, selectors
from .models import MonthLock, TaskAttachment, TaskReport, TaskStatus

PROGRESS_FIELDS = ["investment", "equipment_investment", "robots", "cnc"]


@transaction.atomic
def progress_report(
    *,
    user,
    project: Project,
    month: dt.date,
    data: dict,
    version: int | None = None,
    reason: str = "",
) -> MonthlyProgress:
    """Create or update a project's progress for ``month``. ``version`` is the version of the row
    the caller edited (None to create). A locked month is changed only by a city administrator,
    with a ``reason`` (kept in the history)."""
    scope = scope_for(user)
    if not scope.can_see(project):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if not scope.can_change(project):
        raise Refused(f"您（{scope.role_label}）无权填报项目 {project.code} 的月度进度")
    if month.day != 1:
        raise Invalid("月份：应为当月第一天（YYYY-MM）", field="month")
    reason = (reason or "").strip()
    locked = selectors.month_is_locked(month)
    refusal = rules.progress_refusal(
        scope, code=project.code, status=project.status, month=month, locked=locked, reason=reason
    )
    if refusal is not None:
        raise refusal
    row = MonthlyProgress.all_objects.select_for_update().filter(project=project, month=month).first()
    if row is None:
        if version is not None:
            raise Conflict(f"保存冲突：项目 {project.code} {month:%Y-%m} 的进度已被删除，请刷新后重新填报")
        row = MonthlyProgress(project=project, month=month)
    else:
        if version is None:
            raise Conflict(
                f"保存冲突：项目 {project.code} {month:%Y-%m} 的进度已由他人填报（版本 {row.version}），"
                "请刷新后在最新内容上修改"
            )
        version_check(row, version, f"项目 {project.code} {month:%Y-%m} 的进度")
        row.version += 1
        row.is_deleted = False
        row.deleted_at = None
    for name in PROGRESS_FIELDS:
        if name in data and data[name] is not None:
            setattr(row, name, data[name])
    validated(row)
    # the data checks of the plan file (issue 17): an error refuses the save, a warning flags it
    checks = quality_selectors.check_rules()
    if checks:
        figures = quality_selectors.project_figures(project)
        before = quality_selectors.series_of([project.pk]).get(project.pk, {})
        series = {**before, month: {f: Decimal(getattr(row, f)) for f in PROGRESS_FIELDS}}
        finding = quality_services.save_refusal(checks, figures, series, month)
        if finding is not None:
            quality_services.refuse(finding)
    attribute(row, user, reason=f"更正已锁定月份：{reason}" if reason else "")
    with created_once(
        f"保存冲突：项目 {project.code} {month:%Y-%m} 的进度刚由他人同时填报，请刷新后在最新内容上修改，"
        "未保存任何内容。"
    ):
        row.save()
    if checks:
        quality_services.flags_refresh(
            user=user, project=project, figures=figures, series=series, before=before, rules=checks
        )
    return row


@transaction.atomic
def month_lock(*, user, month: dt.date, note: str = "") -> MonthLock:
    scope = scope_for(user)
    if not scope.can("months.lock"):
        raise Refused("只有市级管理员或市级审核员可以锁定月份")
    month = selectors.month_start(month)
    existing = MonthLock.objects.filter(month=month).first()
    if existing is not None:
        raise Invalid(f"{month:%Y年%m月} 已于 {existing.locked_at:%Y-%m-%d} 锁定", field="month")
    lock = MonthLock(month=month, locked_by=user, note=note)
    attribute(lock, user)
    lock.save()
    return lock


@transaction.atomic
def month_unlock(*, user, month: dt.date, reason: str) -> None:
    scope = scope_for(user)
    if not scope.can("months.unlock"):
        raise Refused("只有市级管理员可以解除月份锁定")
    if not (reason or "").strip():
        raise Invalid("理由：解除锁定须填写理由", field="reason")
    lock = MonthLock.objects.filter(month=selectors.month_start(month)).first()
    if lock is None:
        raise NotFound(f"{month:%Y年%m月} 未锁定")
    attribute(lock, user, reason=f"解除锁定：{reason.strip()}")
    lock.delete()


@transaction.atomic
def task_report_submit(
    *,
    user,
    clause: str,
    unit: str,
    month: dt.date,
    status: str,
    text: str,
    files: list | None = None,
    version: int | None = None,
) -> TaskReport:
    """A responsible unit reports (or updates) its progress on a clause it leads, for a month."""
    scope = scope_for(user)
    if not scope.can("tasks.report") or not scope.covers_unit(unit):
        raise Refused("只能报送本单位牵头的任务")
    leads = {(c.code, u.id) for c, units in selectors.task_clauses(scope=scope) for u in units}
    if (clause, unit) not in leads:
        raise Refused(f"条款 {clause} 不由该单位牵头，不能报送")
    if not ResponsibleUnit.objects.filter(id=unit).exists():
        raise NotFound(f"未知的责任单位 {unit}")
    if status not in TaskStatus.values:
        raise Invalid(f"进展状态：应为 {'、'.join(TaskStatus.values)} 之一", field="status")
    if not (text or "").strip():
        raise Invalid("进展情况：不能为空", field="text")
    checked = [(f, upload_check(f)) for f in files or []]
    report = TaskReport.objects.select_for_update().filter(clause=clause, unit_id=unit, month=month).first()
    if report is None:
        report = TaskReport(clause=clause, unit_id=unit, month=month, submitted_by=user)
    else:
        if version is None:
            raise Conflict(f"保存冲突：{clause} {month:%Y-%m} 已由他人报送，请刷新后在最新内容上修改")
        version_check(report, version, f"{clause} {month:%Y-%m} 的报送")
        report.version += 1
    report.status = status
    report.text = text.strip()
    validated(report, exclude=["submitted_by"])
    attribute(report, user)
    with created_once(
        f"保存冲突：{clause} {month:%Y-%m} 刚由他人同时报送，请刷新后在最新内容上修改，未保存任何内容。"
    ):
        report.save()
    for f, content_type in checked:
        a = TaskAttachment(
            report=report, file=f, name=f.name[:200], size=f.size, content_type=content_type, uploaded_by=user
        )
        attribute(a, user)
        a.save()
    return report
