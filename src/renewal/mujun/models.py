"""亩均数据 (P14): one row per enterprise and year — land, tax, value added, revenue, energy,
emissions, R&D and employees — the inputs of the 亩均 evaluation. Money in yuan (sheets and pages in
万元), land in 亩, energy in 吨标准煤, emissions in 吨 (当量). Soft delete, versions and history
like every registry record (``TimeStamped``, ``audited``).

The evaluation itself is computed (``rule.py``). ``Evaluation`` keeps one version of an area's
result for a year as it was computed — the inputs read, the scheme applied and the whole answer —
and moves through 审核中 → 公示中 → 已确认 (frozen); ``Objection`` is an enterprise's 异议 during the
公示 window and its answer. Recomputing (an objection accepted with a corrected row) writes a new
version and keeps the old one, like the settlement decisions (docs/decisions/0018-mujun-evaluation.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from renewal.planning.models import Area
from renewal.registry.models import Enterprise, TimeStamped, audited, money, non_negative

from . import rules


def _quantity(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=rules.QUANTITY_PLACES,
        default=0,
        validators=non_negative,
    )


class AnnualData(TimeStamped):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="mujun_data", verbose_name="企业"
    )
    year = models.PositiveSmallIntegerField("年度")
    land_mu = _quantity("用地面积(亩)")
    tax = money("税收实际贡献(元)")
    value_added = money("工业增加值(元)")
    revenue = money("营业收入(元)")
    energy_tce = _quantity("综合能耗(吨标准煤)")
    emissions_t = _quantity("主要污染物排放当量(吨)")
    rd_expense = money("研发经费支出(元)")
    employees = models.PositiveIntegerField("年平均职工人数(人)", default=0)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "亩均数据"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="mujun_data_enterprise_year"),
        ]
        indexes = [models.Index(fields=["year", "enterprise"], name="mujun_data_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"

    def clean(self) -> None:
        errors = rules.data_problems(self.__dict__)
        if errors:
            raise ValidationError(errors)


class FrozenEvaluationError(Exception):
    def __str__(self) -> str:
        return "亩均评价结果一经生成，其数据、方案和得分不可修改；已确认的结果已冻结。如需更正，请生成新版本"


class Evaluation(models.Model):
    """One version of an area's 亩均 evaluation for a year. ``inputs``, ``scheme`` and ``answer``
    are written once; only the state of the publication ladder (and who moved it) changes, and a
    confirmed or replaced version changes no more."""

    class Status(models.TextChoices):
        DRAFT = "draft", "审核中"
        PUBLIC = "public", "公示中"
        CONFIRMED = "confirmed", "已确认"
        SUPERSEDED = "superseded", "已被新版本替代"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    year = models.PositiveSmallIntegerField("评价年度")
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField("生成原因", max_length=300, blank=True)
    # what the answer was computed from and the answer itself (selectors.evaluation_record)
    inputs = models.JSONField("评价所依据的亩均数据")
    scheme = models.JSONField("评价方案")
    answer = models.JSONField("评价结果")
    evaluated = models.PositiveIntegerField("参评企业数")
    class_sizes = models.JSONField("各类企业数")
    public_classes = models.JSONField("向社会公示的类别", default=list, blank=True)
    window_start = models.DateField("公示开始日期", null=True, blank=True)
    window_end = models.DateField("公示截止日期", null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name="上一版本",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评价人",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    history = audited()

    # the fields the ladder moves (every other field is written once)
    LADDER = frozenset(
        {
            "status",
            "public_classes",
            "window_start",
            "window_end",
            "published_by",
            "published_at",
            "confirmed_by",
            "confirmed_at",
        }
    )

    class Meta:
        verbose_name = verbose_name_plural = "亩均评价结果"
        ordering = ["area", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "version"], name="mujun_evaluation_version")
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.year}年亩均评价 第{self.version}版"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.LADDER:
                raise FrozenEvaluationError()
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in (self.Status.CONFIRMED, self.Status.SUPERSEDED):
                raise FrozenEvaluationError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenEvaluationError()

    def item(self, uscc: str) -> dict | None:
        return next((i for i in self.answer["items"] if i["uscc"] == uscc), None)


class Objection(models.Model):
    """An enterprise's objection (异议) to its result during the 公示 window, and the area's answer:
    accepted with a corrected 亩均数据 row (a new version of the evaluation) or rejected with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", "待答复"
        ACCEPTED = "accepted", "已采纳"
        REJECTED = "rejected", "已驳回"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="objections", verbose_name="所异议的评价版本"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="mujun_objections", verbose_name="企业"
    )
    reason = models.TextField("异议理由", max_length=2000)
    attachment = models.FileField("证明材料", upload_to="mujun/objections/%Y/", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField("答复", max_length=2000, blank=True)
    result = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_objections",
        verbose_name="更正后的评价版本",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出人",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "亩均评价异议"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 对{self.evaluation}的异议"
