"""Monthly roll-up of project progress, kept exact on every write by database triggers.

Summing 2.4 million progress rows for every request is too slow for the cockpit, so the sums per
(area, project year, provincial key, counted stretch, month) are kept here. Triggers on the registry's
progress and project tables (``rollup_sql``, installed by migration 0002) update it inside the same
transaction as the write — bulk inserts, the admin, imports and raw SQL alike — so it is always
exactly the sum of the rows. ``services.rollups_rebuild`` recomputes it from scratch.
"""

from django.db import models


class ProgressRollup(models.Model):
    area_code = models.CharField("区域代码", max_length=20)
    project_year = models.PositiveSmallIntegerField("项目年度")
    provincial_key = models.BooleanField("省级重点技改")
    # the months (periods.month_index) the project entered and left its counted stretch
    # (registry/spells.py; 9999-12 = not yet / still): counted at month M when from ≤ M < until
    counted_from_month = models.IntegerField("计入起始月序号")
    counted_until_month = models.IntegerField("计入截止月序号")
    month = models.DateField("月份")
    investment = models.DecimalField("完成投资(元)", max_digits=20, decimal_places=2, default=0)
    equipment_investment = models.DecimalField("完成设备投资(元)", max_digits=20, decimal_places=2, default=0)
    robots = models.BigIntegerField("机器人到位(台)", default=0)
    cnc = models.BigIntegerField("数控机床到位(台)", default=0)
    row_count = models.IntegerField("进度行数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "月度进度汇总"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "area_code",
                    "project_year",
                    "provincial_key",
                    "counted_from_month",
                    "counted_until_month",
                    "month",
                ],
                name="progress_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["month"], name="progress_rollup_month")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.project_year} {self.month:%Y-%m}"


class ProjectRollup(models.Model):
    """Projects counted and summed per (area, year, provincial key, the two type flags the targets
    read, the months they entered and left their counted stretch), kept exact by triggers on ``registry_project`` (``rollup_sql``,
    migration 0003). Rows whose count falls to 0 are deleted by the triggers."""

    area_code = models.CharField("区域代码", max_length=20)
    year = models.PositiveSmallIntegerField("项目年度")
    provincial_key = models.BooleanField("省级重点技改")
    green = models.BooleanField("含绿色化改造")
    chain = models.BooleanField("含产业链协同创新")
    counted_from_month = models.IntegerField("计入起始月序号")
    counted_until_month = models.IntegerField("计入截止月序号")
    project_count = models.IntegerField("项目数", default=0)
    total_investment = models.DecimalField("总投资(元)", max_digits=22, decimal_places=2, default=0)
    equipment_investment = models.DecimalField("设备投资(元)", max_digits=22, decimal_places=2, default=0)
    energy_saving = models.DecimalField("节能量(吨标准煤)", max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = verbose_name_plural = "项目汇总"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "year",
                    "area_code",
                    "provincial_key",
                    "green",
                    "chain",
                    "counted_from_month",
                    "counted_until_month",
                ],
                name="project_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year} ×{self.project_count}"


class CompletionRollup(models.Model):
    """Projects with a completion date counted and their energy saving summed per (area, completion
    day, the months they entered and left their completed stretch), kept exact by the same triggers
    (P14 reads completions up to the data date)."""

    area_code = models.CharField("区域代码", max_length=20)
    end_date = models.DateField("竣工日期")
    completed_from_month = models.IntegerField("竣工状态起始月序号")
    completed_until_month = models.IntegerField("竣工状态截止月序号")
    project_count = models.IntegerField("项目数", default=0)
    energy_saving = models.DecimalField("节能量(吨标准煤)", max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = verbose_name_plural = "项目竣工汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["end_date", "area_code", "completed_from_month", "completed_until_month"],
                name="completion_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.end_date} ×{self.project_count}"


class DataVersion(models.Model):
    """A counter per year, bumped by database triggers on every write to a table whose rows can
    change a figure (``dataversion_sql``, installed with the roll-up triggers): registry rows,
    progress, statuses, statistics, the plan, finance, 亩均, parks, assessment. Year 0 counts the
    rows that carry no year. Cached answers are keyed by the sum of all rows (``answers``):
    one row per year keeps concurrent writers of different years off each other's row lock
    (docs/decisions/0025-data-version-cache.md)."""

    year = models.IntegerField("年度（0 = 无年度的记录）", primary_key=True)
    version = models.BigIntegerField("数据版本", default=0)
    # PostgreSQL: the transaction that last bumped it (one bump per transaction and year)
    xact = models.BigIntegerField("最近一次写入的事务", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"
