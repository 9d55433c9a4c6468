"""Flags on monthly progress values (数据核查, issue 17): a warning of a data check raised when a
value was saved, with its follow-up state (待核实 → 已核实 / 已更正), a comment and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renewal.registry.models import Project, audited


class ValueFlag(models.Model):
    class State(models.TextChoices):
        OPEN = "待核实", "待核实"
        CONFIRMED = "已核实", "已核实"  # the value is right (the reviewer says why)
        CORRECTED = "已更正", "已更正"  # a later save cleared the warning

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="value_flags", verbose_name="项目"
    )
    month = models.DateField("月份", help_text="当月第一天")
    rule = models.CharField("核查规则", max_length=40)
    field = models.CharField("字段", max_length=30)
    message = models.CharField("核查提示", max_length=300)
    value = models.DecimalField("核查值", max_digits=20, decimal_places=2)
    reference = models.DecimalField("比较值", max_digits=20, decimal_places=2, null=True, blank=True)
    state = models.CharField("状态", max_length=4, choices=State.choices, default=State.OPEN)
    comment = models.TextField("核实说明", max_length=1000, blank=True)
    raised_at = models.DateTimeField("提示时间")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保存人",
    )
    closed_at = models.DateTimeField("处理时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "数据核查标记"
        ordering = ["project", "month", "rule", "field"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month", "rule", "field"], name="value_flag_unique"),
        ]
        indexes = [models.Index(fields=["month", "state"], name="value_flag_month_state")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m} {self.message}"
