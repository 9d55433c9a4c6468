"""Notices (站内消息, issue 17): the messages the platform writes to a user — reminders of reporting
deadlines first. One per (user, kind, key): a daily run that finds the same missing report again
writes nothing new (docs/decisions/0029-completeness-and-reminders.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    PROGRESS_DUE = "progress_due", "月度进度即将截止"
    PROGRESS_OVERDUE = "progress_overdue", "月度进度逾期未报"
    TASK_DUE = "task_due", "任务进展即将截止"
    TASK_OVERDUE = "task_overdue", "任务进展逾期未报"
    OTHER = "other", "其他"


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name="接收人"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    # what the notice is about, unique per user and kind: e.g. "2024-08:330402" (month and area)
    key = models.CharField("事由", max_length=120)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="notice_one_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
