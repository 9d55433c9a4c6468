"""Equipment records. Money in yuan (Decimal), pages show 万元; every model keeps its history.

- ``EquipmentLine`` (设备清单): a machine a project buys or leases — the unit of settlement (P11, P13)
  and of the domestic-equipment figures (T3, T6);
- ``LedgerItem`` (设备台账): a machine an enterprise has, matched against
- ``EliminationEntry`` (淘汰目录): reference data of backward equipment to eliminate (T9).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from renewal.registry import reference
from renewal.registry.models import Enterprise, Project, TimeStamped, audited, non_negative

from . import rules


def _money(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=2, null=True, blank=True, validators=non_negative
    )


class EquipmentLine(TimeStamped):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="equipment_lines", verbose_name="项目"
    )
    number = models.PositiveIntegerField("序号")
    name = models.CharField("设备名称", max_length=200)
    spec = models.CharField("规格型号", max_length=200, blank=True)
    category = models.CharField("设备类别", max_length=12, choices=reference.choices("equipment_categories"))
    acquisition = models.CharField(
        "购置方式", max_length=4, choices=reference.choices("acquisition_modes"), default=rules.PURCHASE
    )
    unit_price = _money("单价(元)")
    quantity = models.PositiveIntegerField("数量", null=True, blank=True)
    lease_fee = _money("租赁费(元)")
    origin = models.CharField(
        "国产/进口", max_length=4, choices=reference.choices("equipment_origins"), blank=True
    )
    first_set_level = models.CharField(
        "首台套级别", max_length=4, choices=reference.choices("first_set_levels"), default="无"
    )
    first_set_product = models.CharField("首台套产品", max_length=200, blank=True)
    supplier = models.CharField("供应商", max_length=200, blank=True)
    invoice_no = models.CharField("发票号", max_length=60, blank=True)
    acquired_on = models.DateField("购置日期", null=True, blank=True)
    depreciation_class = models.CharField(
        "折旧类别", max_length=8, choices=reference.choices("depreciation_classes"), default="机器设备"
    )
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "设备清单"
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="equipment_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 第{self.number}项 {self.name}"

    @property
    def amount(self) -> Decimal:
        return rules.line_amount(self.__dict__)

    def clean(self) -> None:
        errors = rules.line_problems(self.__dict__)
        if errors:
            raise ValidationError(errors)


class LedgerItem(TimeStamped):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="ledger_items", verbose_name="企业"
    )
    number = models.CharField("设备编号", max_length=60)
    name = models.CharField("设备名称", max_length=200)
    spec = models.CharField("规格型号", max_length=200, blank=True)
    category = models.CharField("设备类别", max_length=12, choices=reference.choices("equipment_categories"))
    purchase_year = models.PositiveSmallIntegerField("购置年份", null=True, blank=True)
    original_value = _money("原值(元)")
    rated_power_kw = models.DecimalField(
        "额定功率(kW)", max_digits=12, decimal_places=2, null=True, blank=True, validators=non_negative
    )
    efficiency_grade = models.CharField("能效等级", max_length=20, blank=True)
    status = models.CharField(
        "状态", max_length=4, choices=reference.choices("ledger_statuses"), default="在用"
    )
    eliminated_on = models.DateField("淘汰日期", null=True, blank=True)
    replacement_project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_items",
        verbose_name="替换项目",
    )
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "设备台账"
        ordering = ["enterprise", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"], name="ledger_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class EliminationEntry(TimeStamped):
    catalogue = models.CharField("目录", max_length=200)
    batch = models.CharField("批次", max_length=60, blank=True)
    number = models.CharField("序号", max_length=20)
    name = models.CharField("设备名称", max_length=200)
    category = models.CharField("设备类别", max_length=12, choices=reference.choices("equipment_categories"))
    prefixes = models.CharField("型号前缀", max_length=500, help_text="一个或多个，以“、”分隔")
    reason = models.CharField("淘汰原因", max_length=500, blank=True)
    document_no = models.CharField("文号", max_length=100, blank=True)
    effective_on = models.DateField("生效日期")
    example = models.BooleanField("示例", default=False, help_text="示例数据，非真实目录条目")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "淘汰目录"
        ordering = ["catalogue", "batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "batch", "number"], name="elimination_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue}{self.batch} 第{self.number}项 {self.name}"

    def clean(self) -> None:
        if not rules.prefixes(self.prefixes):
            raise ValidationError({"prefixes": "型号前缀不能为空（多个以“、”分隔）"})
