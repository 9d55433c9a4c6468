"""A draft under review: the extracted draft, the person's edits, and the audited confirmation."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class DraftReview(models.Model):
    class Status(models.TextChoices):
        REVIEWING = "reviewing", "审核中"
        LOADED = "loaded", "已确认载入"

    source_name = models.CharField("来源文件", max_length=200)
    source_text = models.TextField("原文")
    original = models.JSONField("自动草稿（未经修改）")
    draft = models.JSONField("审核中的草稿")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REVIEWING)
    problems = models.JSONField("最近一次校验的问题", default=list, blank=True)
    validated = models.BooleanField("最近一次校验通过", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    loaded_plan_id = models.CharField("载入的方案", max_length=64, blank=True)
    history = HistoricalRecords(excluded_fields=["source_text", "original"])

    class Meta:
        verbose_name = verbose_name_plural = "方案草稿审核"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name}（{self.get_status_display()}）"
