"""Monthly reporting: the approval ladder of each area's month (月度审核确认), and responsible units' task reports (任务进展报送)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from renewal.planning.models import Area, ResponsibleUnit

from . import approval


class MonthApproval(models.Model):
    """Where an area's month of monthly progress stands on the approval ladder (approval.py):
    填报中 → 区县已审核 → 市级已确认. No row is 填报中. An approved or confirmed month is locked
    for the area; a confirmed month is corrected only by a city administrator, with a reason."""

    class State(models.TextChoices):
        OPEN = approval.OPEN, approval.OPEN
        APPROVED = approval.APPROVED, approval.APPROVED
        CONFIRMED = approval.CONFIRMED, approval.CONFIRMED

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    month = models.DateField("月份", help_text="当月第一天")
    state = models.CharField("审核状态", max_length=8, choices=State.choices, default=State.OPEN)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后操作人",
    )
    updated_at = models.DateTimeField("最后操作时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "月度审核确认"
        ordering = ["-month", "area__order"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="month_approval_one_per_area")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.state}"


class MonthApprovalStep(models.Model):
    """One step of the ladder (who, when, from, to, reason): the audit trail the approval page shows.
    Written once by reporting.services; never changed."""

    approval = models.ForeignKey(
        MonthApproval, on_delete=models.PROTECT, related_name="steps", verbose_name="审核确认"
    )
    action = models.CharField("操作", max_length=10)
    label = models.CharField("操作名称", max_length=20)
    from_state = models.CharField("原状态", max_length=8)
    to_state = models.CharField("新状态", max_length=8)
    reason = models.TextField("理由", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核确认记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.approval} {self.label}"


class TaskStatus(models.TextChoices):
    ON_TRACK = "按计划推进", "按计划推进"
    DONE = "已完成", "已完成"
    BEHIND = "滞后", "滞后"
    NOT_STARTED = "未启动", "未启动"


class TaskReportState(models.TextChoices):
    SUBMITTED = "已报送", "已报送"
    ACCEPTED = "已确认", "已确认"
    RETURNED = "已退回", "已退回"


class TaskReport(models.Model):
    """A responsible unit's progress on a clause it leads, for one month: the unit submits, the
    city accepts (已确认: locked for the unit) or returns it with a reason (已退回: the unit edits
    and submits again)."""

    clause = models.CharField("条款", max_length=8)
    unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, related_name="task_reports", verbose_name="责任单位"
    )
    month = models.DateField("月份", help_text="当月第一天")
    status = models.CharField("进展状态", max_length=10, choices=TaskStatus.choices)
    text = models.TextField("进展情况")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="报送人"
    )
    submitted_at = models.DateTimeField("首次报送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    state = models.CharField(
        "审核状态", max_length=4, choices=TaskReportState.choices, default=TaskReportState.SUBMITTED
    )
    review_reason = models.TextField("退回理由", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "任务进展报送"
        ordering = ["clause", "unit", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "unit", "month"], name="task_report_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.unit} {self.month:%Y-%m}"


class TaskAttachment(models.Model):
    report = models.ForeignKey(
        TaskReport, on_delete=models.CASCADE, related_name="attachments", verbose_name="报送"
    )
    file = models.FileField("文件", upload_to="task-reports/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "报送附件"
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
