"""Score events of the area assessment (O2): bonus/penalty items of the scheme and manual
adjustments, each with a reason and an author. Never deleted: a withdrawal is recorded, and
django-simple-history keeps every change (the audit record)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from renewal.planning.models import Area


class Adjustment(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="adjustments", verbose_name="区域")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("计入月份", help_text="1–12；计入该月及以后各月得分")
    item = models.CharField(
        "加减分项", max_length=40, blank=True, help_text="评分方案中的加减分项；空为人工调整"
    )
    points = models.DecimalField("调整分值", max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField("理由")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    withdraw_reason = models.TextField("撤销理由", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "考核加减分与调整"
        ordering = ["year", "month", "area", "created_at"]
        indexes = [models.Index(fields=["year", "month"], name="adjustment_year_month")]

    def __str__(self) -> str:
        what = self.item or f"人工调整 {self.points:+}"
        return f"{self.year}年{self.month}月 {self.area_id} {what}"

    def as_event(self) -> dict:
        return {
            "item": self.item or None,
            "points": self.points,
            "reason": self.reason,
            "author": str(self.author),
        }
