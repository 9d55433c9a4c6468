"""Park records (T7, T8). Money in yuan (Decimal), pages and sheets show 万元; every model keeps its
history, is soft-deleted and versioned like the registry's (``TimeStamped``).

- ``Park`` (园区): keyed by 园区代码, in one area;
- ``ParkMember`` (园区企业): an enterprise's park — one park per enterprise, kept here so the
  registry's enterprise has no column of this app;
- ``SmartParkItem`` (智慧园区建设, T7): one construction content of a park with its status, money, dates;
- ``GreenParkItem`` (绿色园区, T8): a park's low-carbon / zero-carbon / 清新园区 status in a year;
- ``EnterpriseRating`` (企业环保绩效评级, T7): an enterprise's 大气污染防治绩效 rating of a year.
"""

from __future__ import annotations

from django.db import models

from renewal.planning.models import Area
from renewal.registry.models import Enterprise, TimeStamped, audited, non_negative

from . import rules


class Park(TimeStamped):
    code = models.CharField("园区代码", max_length=30, unique=True)
    name = models.CharField("园区名称", max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="parks", verbose_name="所属区域")
    level = models.CharField("级别", max_length=4, choices=rules.choices(rules.LEVELS))
    kind = models.CharField("类型", max_length=8, choices=rules.choices(rules.KINDS))
    area_mu = models.DecimalField(
        "面积(亩)", max_digits=12, decimal_places=2, null=True, blank=True, validators=non_negative
    )
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "园区"
        ordering = ["area__order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ParkMember(TimeStamped):
    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="members", verbose_name="园区")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="park_memberships", verbose_name="企业"
    )
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "园区企业"
        ordering = ["park", "enterprise__uscc"]
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="park_member_one_park")]

    def __str__(self) -> str:
        return f"{self.enterprise.uscc} → {self.park.code}"


class SmartParkItem(TimeStamped):
    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="smart_items", verbose_name="园区")
    content = models.CharField("建设内容", max_length=10, choices=rules.choices(rules.SMART_CONTENTS))
    status = models.CharField("状态", max_length=4, choices=rules.choices(rules.SMART_STATUSES))
    investment = models.DecimalField(
        "投资(元)", max_digits=18, decimal_places=2, null=True, blank=True, validators=non_negative
    )
    started_on = models.DateField("开始日期", null=True, blank=True)
    completed_on = models.DateField("建成日期", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "智慧园区建设"
        ordering = ["park", "content"]
        constraints = [models.UniqueConstraint(fields=["park", "content"], name="smart_park_item_unique")]

    def __str__(self) -> str:
        return f"{self.park.code} {self.content}（{self.status}）"


class GreenParkItem(TimeStamped):
    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="green_items", verbose_name="园区")
    category = models.CharField("类别", max_length=6, choices=rules.choices(rules.GREEN_CATEGORIES))
    status = models.CharField("状态", max_length=4, choices=rules.choices(rules.GREEN_STATUSES))
    year = models.PositiveSmallIntegerField("年度")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "绿色园区"
        ordering = ["park", "-year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["park", "category", "year"], name="green_park_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.park.code} {self.year}年{self.category}（{self.status}）"


class EnterpriseRating(TimeStamped):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="ratings", verbose_name="企业"
    )
    rating = models.CharField("评级", max_length=4, choices=rules.choices(rules.RATINGS))
    year = models.PositiveSmallIntegerField("年度")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "企业环保绩效评级"
        ordering = ["-year", "enterprise__uscc"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="enterprise_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年大气污染防治绩效{self.rating}"
