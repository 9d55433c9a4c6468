"""Frozen decision records (补助核定记录) and batch settlement runs.

A decision record keeps everything needed to defend an amount in an audit: the inputs as they were
(the request and the equipment lines it was made of),
the parameter versions read (value, effective date, reference), the programmes applied, the full
answer with its trace, who and when. It is never updated: recomputing writes a new version with a
diff against the previous one, so later parameter changes never alter a stored record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renewal.lib.jobs import LeasedJob
from renewal.registry.models import Project


class FrozenRecordError(Exception):
    def __str__(self) -> str:
        return "补助核定记录一经生成不可修改或删除；如需重新核定，请生成新版本"


class DecisionRecord(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="decisions", verbose_name="项目"
    )
    version = models.PositiveIntegerField("版本")
    decided_on = models.DateField("核定所依据的日期")
    inputs = models.JSONField("输入（计算请求）")
    # The equipment lines (设备清单) the request was made of, as they were: 序号, name, spec and every
    # value settlement read (settlement.selectors.line_record). Empty for records made before lines.
    lines = models.JSONField("设备清单（核定所依据）", default=list, blank=True)
    parameters = models.JSONField("参数版本")
    programmes = models.JSONField("适用补助政策")
    result = models.JSONField("计算结果")
    trace = models.JSONField("计算过程")
    subsidy_total = models.DecimalField("核定补助(元)", max_digits=18, decimal_places=2)
    diff = models.JSONField("与上一版本的差异", default=list, blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name="上一版本",
    )
    reason = models.CharField("核定原因", max_length=200, blank=True)
    run = models.ForeignKey(
        "SettlementRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name="批次",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="核定人"
    )
    created_by_name = models.CharField("核定人（存档）", max_length=150, blank=True)
    created_at = models.DateTimeField("核定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "补助核定记录"
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="decision_one_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 第{self.version}版"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise FrozenRecordError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecordError()


class SettlementRun(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    year = models.PositiveSmallIntegerField("项目年度")
    decided_on = models.DateField("核定所依据的日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("项目数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增版本", default=0)
    unchanged = models.PositiveIntegerField("结果未变", default=0)
    subsidy_total = models.DecimalField("核定补助合计(元)", max_digits=20, decimal_places=2, default=0)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批量兑现核定"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year}年度批量核定（{self.get_status_display()}）"

    def failed_fields(self, reason: str) -> dict:
        return {"message": f"批量核定中断：{reason}（已核定的项目重试时跳过，不重复核定）"}

    @property
    def progress(self) -> float:
        return self.done / self.total if self.total else (1.0 if self.status == self.Status.DONE else 0.0)
