"""Writes of monthly reporting: progress reports (月度进度), the approval ladder of each area's
month (审核本月, 确认, 退回, 撤销), task reports and their review (确认, 退回)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused, stale_message
from renewal.lib.races import created_once
from renewal.lib.uploads import upload_check
from renewal.planning.models import Area, ResponsibleUnit
from renewal.quality import selectors as quality_selectors
from renewal.quality import services as quality_services
from renewal.registry.models import MonthlyProgress, Project
from renewal.registry.services import attribute, validated, version_check

from . import approval, rules, selectors
from .models import MonthApproval, MonthApprovalStep, TaskAttachment, TaskReport, TaskReportState, TaskStatus

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
    the caller edited (None to create). A month the area approved is locked until the approval is
    undone; a month the city confirmed is changed only by a city administrator, with a ``reason``
    (kept in the history)."""
    scope = scope_for(user)
    if not scope.can_see(project):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if not scope.can_change(project):
        raise Refused(f"您（{scope.role_label}）无权填报项目 {project.code} 的月度进度")
    if month.day != 1:
        raise Invalid("月份：应为当月第一天（YYYY-MM）", field="month")
    reason = (reason or "").strip()
    state = selectors.approval_state(project.area_id, month)
    refusal = rules.progress_refusal(
        scope, code=project.code, status=project.status, month=month, approval=state, reason=reason
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


# -- the approval ladder of an area's month (approval.py) ------------------------------------


def _area(area) -> Area:
    code = area.code if isinstance(area, Area) else str(area or "")
    found = Area.objects.filter(code=code).first()
    if found is None:
        raise NotFound(f"未知的区域 {code}")
    return found


def _approval_step(*, user, area, month: dt.date, action: str, reason: str, version: int | None):
    """Move ``area``'s ``month`` one step along the ladder: rights, area, version, state, reason,
    blockers; then the state, a history row (author, reason) and a ``MonthApprovalStep``."""
    scope = scope_for(user)
    area = _area(area)
    if not isinstance(month, dt.date) or month.day != 1:
        raise Invalid("月份：应为当月第一天（YYYY-MM）", field="month")
    what = f"{area.name} {month:%Y年%m月}"
    row = MonthApproval.objects.select_for_update().filter(area=area, month=month).first()
    state = row.state if row is not None else approval.OPEN
    step = approval.step_for(action, state)
    # rights first: a role without the right is refused whatever the month's state
    permissions = {s.permission for s in approval.STEPS if s.action == action}
    if step is None and not any(scope.can(p) for p in permissions):
        raise Refused(scope.refusal(sorted(permissions)[0]) or "无权进行此操作")
    if step is not None and not scope.can(step.permission):
        raise Refused(scope.refusal(step.permission) or "无权进行此操作")
    if (step is None or step.level == "area") and not scope.covers(area=area.code):
        raise Refused(f"只能审核本区域的月度进度，不能操作{what}")
    current = row.version if row is not None else 0
    if version is not None and int(version) != current:
        raise Conflict(stale_message(f"{what} 的审核状态", current, int(version)))
    if step is None:
        raise Invalid(f"{what} 当前为“{state}”，不能{approval.ACTION_LABELS[action]}", field="action")
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise Invalid(f"理由：{step.label}须填写理由", field="reason")
    if step.action == approval.APPROVE:
        blocking = approval.blockers(area.code, month)
        if blocking:
            raise Invalid(f"{what} 尚有数据错误，不能审核：" + "；".join(blocking), field="month")
    if row is None:
        row = MonthApproval(area=area, month=month)
    else:
        row.version += 1
    row.state = step.target
    row.updated_by = user if getattr(user, "is_authenticated", False) else None
    attribute(row, user, reason=f"{step.label}：{reason}" if reason else step.label)
    row.save()
    MonthApprovalStep.objects.create(
        approval=row,
        action=step.action,
        label=step.label,
        from_state=step.source,
        to_state=step.target,
        reason=reason,
        user=row.updated_by,
    )
    return row


@transaction.atomic
def month_approve(*, user, area, month: dt.date, version: int | None = None) -> MonthApproval:
    """The area operator (or a city administrator) approves the area's month: 填报中 → 区县已审核;
    refused while a blocker (approval.BLOCKERS: the data checks' open errors) answers."""
    return _approval_step(
        user=user, area=area, month=month, action=approval.APPROVE, reason="", version=version
    )


@transaction.atomic
def month_confirm(*, user, area, month: dt.date, version: int | None = None) -> MonthApproval:
    """A city reviewer or administrator accepts an approved month: 区县已审核 → 市级已确认 (the
    month is then locked; only a city administrator corrects it, with a reason)."""
    return _approval_step(
        user=user, area=area, month=month, action=approval.CONFIRM, reason="", version=version
    )


@transaction.atomic
def month_return(*, user, area, month: dt.date, reason: str, version: int | None = None) -> MonthApproval:
    """The city sends the month back to the area (→ 填报中), with a reason: an approved month by a
    city reviewer or administrator, a confirmed one (撤销确认并退回) by a city administrator."""
    return _approval_step(
        user=user, area=area, month=month, action=approval.RETURN, reason=reason, version=version
    )


@transaction.atomic
def month_unapprove(*, user, area, month: dt.date, reason: str, version: int | None = None) -> MonthApproval:
    """The level that took the last step undoes it, with a reason: the area its 区县已审核 (→ 填报中)
    while not confirmed, a city administrator its 市级已确认 (→ 区县已审核)."""
    return _approval_step(
        user=user, area=area, month=month, action=approval.UNAPPROVE, reason=reason, version=version
    )


MONTH_STEPS = {
    approval.APPROVE: month_approve,
    approval.CONFIRM: month_confirm,
    approval.RETURN: month_return,
    approval.UNAPPROVE: month_unapprove,
}


def month_step(*, user, area, month: dt.date, action: str, reason: str = "", version: int | None = None):
    """One of the four services by its action name (the page's and the API's single entry)."""
    service = MONTH_STEPS.get(action)
    if service is None:
        raise Invalid(f"操作：应为 {'、'.join(MONTH_STEPS)} 之一", field="action")
    kwargs = {"reason": reason} if action in (approval.RETURN, approval.UNAPPROVE) else {}
    return service(user=user, area=area, month=month, version=version, **kwargs)


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
        if report.state == TaskReportState.ACCEPTED:
            raise Refused(f"{clause} {month:%Y-%m} 的报送已由市里确认，不能再修改")
        report.version += 1
    report.state = TaskReportState.SUBMITTED  # a returned report, edited, is submitted again
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


def _task_review(*, user, report: TaskReport, version: int | None) -> TaskReport:
    scope = scope_for(user)
    if not scope.can("tasks.accept"):
        raise Refused(scope.refusal("tasks.accept") or "无权进行此操作")
    report = TaskReport.objects.select_for_update().filter(pk=report.pk).first()
    if report is None:
        raise NotFound("该报送不存在")
    version_check(report, version, f"{report.clause} {report.month:%Y-%m} 的报送")
    return report


@transaction.atomic
def task_report_accept(*, user, report: TaskReport, version: int | None = None) -> TaskReport:
    """The city accepts a unit's report (已确认): it is then locked for the unit."""
    report = _task_review(user=user, report=report, version=version)
    if report.state != TaskReportState.SUBMITTED:
        raise Invalid(f"该报送当前为“{report.state}”，只有已报送的报送可以确认", field="state")
    report.state = TaskReportState.ACCEPTED
    report.review_reason = ""
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.version += 1
    attribute(report, user, reason="确认")
    report.save()
    return report


@transaction.atomic
def task_report_return(*, user, report: TaskReport, reason: str, version: int | None = None) -> TaskReport:
    """The city returns a unit's report (已退回) with a reason; the unit edits and submits again.
    An accepted report may be returned too (the city's way to reopen it)."""
    report = _task_review(user=user, report=report, version=version)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("理由：退回须填写理由", field="reason")
    if report.state == TaskReportState.RETURNED:
        raise Invalid("该报送已退回，等待责任单位重新报送", field="state")
    report.state = TaskReportState.RETURNED
    report.review_reason = reason
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.version += 1
    attribute(report, user, reason=f"退回：{reason}")
    report.save()
    return report
