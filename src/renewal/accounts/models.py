from django.conf import settings
from django.db import models

from renewal.planning.models import Area, ResponsibleUnit


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市级管理员"
    CITY_REVIEWER = "city_reviewer", "市级审核员"
    AREA_OPERATOR = "area_operator", "区域操作员"
    UNIT_REPORTER = "unit_reporter", "责任单位填报员"
    ENTERPRISE = "enterprise", "企业用户"
    VIEWER = "viewer", "只读用户"
    BANK = "bank", "银行用户"


class Profile(models.Model):
    """A user's role and the one area, unit or enterprise it is scoped to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name="所属区域")
    unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, null=True, blank=True, verbose_name="责任单位"
    )
    enterprise_uscc = models.CharField("企业信用代码", max_length=18, blank=True)
    # bank users (P12): the code of their bank in the plan file's reference list (finance.banks)
    bank = models.CharField("所属银行", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role != Role.BANK:
            if self.bank:
                raise ValidationError({"bank": "只有银行用户需要填写所属银行"})
            return
        from renewal.planning.selectors import active_plan_document

        banks = active_plan_document().finance.banks
        if not any(b.code == self.bank for b in banks):
            choices = "、".join(f"{b.code}={b.name}" for b in banks) or "方案文件未列出银行"
            raise ValidationError({"bank": f"银行用户须填写方案文件所列银行的代码（可选：{choices}）"})


class ApiToken(models.Model):
    """An API token. Only its SHA-256 hash is stored; the plain token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, default="")
    prefix = models.CharField("前缀", max_length=12, help_text="令牌前 8 位，便于辨认")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
