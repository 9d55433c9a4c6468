"""Monthly roll-up of project progress, kept exact on every write by database triggers.

Summing 2.4 million progress rows for every request is too slow for the cockpit, so the sums per
(area, project year, provincial key, status, month) are kept here. Triggers on the registry's
progress and project tables (``rollup_sql``, installed by migration 0002) update it inside the same
transaction as the write — bulk inserts, the admin, imports and raw SQL alike — so it is always
exactly the sum of the rows. ``services.progress_rollup_rebuild`` recomputes it from scratch.
"""

from django.db import models


class ProgressRollup(models.Model):
    area_code = models.CharField("区域代码", max_length=20)
    project_year = models.PositiveSmallIntegerField("项目年度")
    provincial_key = models.BooleanField("省级重点技改")
    status = models.CharField("项目状态", max_length=10)
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
                fields=["area_code", "project_year", "provincial_key", "status", "month"],
                name="progress_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["month"], name="progress_rollup_month")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.project_year} {self.status} {self.month:%Y-%m}"
