"""亩均数据 (P14): one row per enterprise and year — land, tax, value added, revenue, energy,
emissions, R&D and employees — the inputs of the 亩均 evaluation. Money in yuan (sheets and pages in
万元), land in 亩, energy in 吨标准煤, emissions in 吨 (当量). Soft delete, versions and history
like every registry record (``TimeStamped``, ``audited``).

The evaluation itself is computed (``rule.py``); a frozen, versioned result (公示, 异议, confirmation)
will be a separate model holding the inputs, the scheme and the answer, like the settlement
decisions (docs/decisions/0018-mujun-evaluation.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

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
