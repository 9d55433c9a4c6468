"""Monthly reporting: month locks (月度锁定), and responsible units' task reports (任务进展报送)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from renewal.planning.models import ResponsibleUnit


class MonthLock(models.Model):
    """The city confirmed month ``month``: its progress can then be corrected only by a city
    administrator, with a reason."""

    month = models.DateField("月份", unique=True, help_text="当月第一天")
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="锁定人"
    )
    locked_at = models.DateTimeField("锁定时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "月度锁定"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 已锁定"


class TaskStatus(models.TextChoices):
    ON_TRACK = "按计划推进", "按计划推进"
    DONE = "已完成", "已完成"
    BEHIND = "滞后", "滞后"
    NOT_STARTED = "未启动", "未启动"


class TaskReport(models.Model):
    """A responsible unit's progress on a clause it leads, for one month."""

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
