"""An upload on the import page: the stored file, who uploaded it, and what the import found."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from renewal.lib.jobs import LeasedJob


class ImportJob(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Stage(models.TextChoices):
        PREVIEW = "preview", "校验预览"
        COMMIT = "commit", "正式导入"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_jobs",
        verbose_name="导入人",
    )
    filename = models.CharField("文件名", max_length=255)
    stored_path = models.CharField("存储路径", max_length=500)
    size = models.PositiveBigIntegerField("文件大小(字节)", default=0)
    # a city administrator's reason for changing months the city has locked (kept in the history)
    reason = models.CharField("更正理由", max_length=200, blank=True)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.PREVIEW)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    background = models.BooleanField("后台任务", default=False)
    report = models.JSONField("结果", null=True, blank=True)
    committed = models.BooleanField("已写入", default=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    # -- the lease (renewal.lib.jobs): the import runs inside one transaction, so its heartbeat is
    # kept in a file next to the upload (exchange.services.beat_write), where the sweep reads it

    def failed_fields(self, reason: str) -> dict:
        from .report import ImportReport

        return {
            "report": ImportReport(
                filename=self.filename, dry_run=self.stage == self.Stage.PREVIEW, fatal=reason
            ).as_dict()
        }

    @classmethod
    def touch(cls, pk, owner, now, **fields) -> bool:
        from .services import beat_write

        return beat_write(pk, owner, now)

    def last_beat(self):
        from .services import beat_read

        return max(filter(None, [self.heartbeat_at, beat_read(self.pk, self.lease_owner)]), default=None)
