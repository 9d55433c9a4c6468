"""Publication records: catalogue batches published or withdrawn by the city (T4, O3), and the
monthly bulletins (月度通报) generated. A Publication row is the audit record of one city action."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renewal.lib.jobs import LeasedJob


class Publication(models.Model):
    class Catalogue(models.TextChoices):
        PRODUCTS = "products", "优质产品目录（T4）"
        PROVIDERS = "providers", "优秀服务商目录（O3）"
        CASES = "cases", "典型案例（O3）"

    class Action(models.TextChoices):
        PUBLISH = "publish", "发布"
        WITHDRAW = "withdraw", "撤回"

    catalogue = models.CharField("目录", max_length=12, choices=Catalogue.choices)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    batch = models.CharField("批次", max_length=60)
    entry_ids = models.JSONField("条目", default=list)
    count = models.PositiveIntegerField("条目数")
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "目录发布记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_catalogue_display()} {self.batch}（{self.count} 条）"


class Bulletin(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "失败"

    month = models.CharField("月份", max_length=7, help_text="YYYY-MM")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField("进度", max_length=100, blank=True)
    directory = models.CharField("输出目录", max_length=300, blank=True)
    files = models.JSONField("文件", default=list)
    error = models.TextField("错误", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请人",
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "月度通报"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.month} 月度通报（{self.get_status_display()}）"

    def failed_fields(self, reason: str) -> dict:
        return {"error": reason}
