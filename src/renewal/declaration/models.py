"""The attachments of a declared project (备案证明, 可研报告或项目说明, 设备合同, 发票).

The file lives outside every web root (``settings.ATTACHMENTS_DIR``/<project>/<random name>); the
name a person gave it is kept apart, for the download. Soft-deleted and versioned like every
registry record, with its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renewal.registry import reference
from renewal.registry.models import Project, TimeStamped, audited

from .files import attachment_storage


class Attachment(TimeStamped):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="attachments", verbose_name="项目"
    )
    kind = models.CharField("附件类型", max_length=20, choices=reference.choices("attachment_kinds"))
    # written by files.store (chunked, hashed, size-limited), never through a form's FileField
    file = models.FileField("文件", storage=attachment_storage, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "申报附件"
        ordering = ["project", "kind", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}：{self.original_name}"
