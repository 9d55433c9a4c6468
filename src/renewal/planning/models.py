"""The loaded plan, tabled: areas, responsible units, clauses, targets, dated parameters.

The plan file is the single place these are written; ``services.plan_load`` is the only writer.
"""

from django.db import models


class Plan(models.Model):
    id = models.CharField("方案标识", max_length=64, primary_key=True)
    title = models.CharField("方案名称", max_length=200)
    city_code = models.CharField("城市代码", max_length=6)
    city_name = models.CharField("城市", max_length=40)
    document_number = models.CharField("文号", max_length=60)
    issuer = models.CharField("发文机关", max_length=200)
    issued_on = models.DateField("印发日期")
    start_year = models.PositiveSmallIntegerField("起始年份")
    end_year = models.PositiveSmallIntegerField("结束年份")
    yellow_band = models.DecimalField("黄灯区间（低于序时进度）", max_digits=6, decimal_places=4)
    content = models.JSONField("方案全文（已校验）")
    source_file = models.CharField("来源文件", max_length=300, blank=True)
    is_active = models.BooleanField("当前方案", default=False)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "行动方案"

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"


class Area(models.Model):
    code = models.CharField("区域代码", max_length=20, primary_key=True)
    name = models.CharField("区域名称", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=20)
    kind = models.CharField("类型", max_length=10)
    aliases = models.JSONField("别名", default=list, blank=True)
    focus = models.JSONField("行业重点（T5）", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "区域"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ResponsibleUnit(models.Model):
    id = models.CharField("单位标识", max_length=32, primary_key=True)
    name = models.CharField("单位", max_length=60)
    full_name = models.CharField("全称", max_length=120, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "责任单位"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Clause(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clauses", verbose_name="方案")
    code = models.CharField("条款", max_length=8)
    section = models.CharField("章节", max_length=60)
    number = models.CharField("序号", max_length=8)
    title = models.CharField("标题", max_length=100)
    text = models.TextField("内容摘要")
    lead_units = models.ManyToManyField(ResponsibleUnit, blank=True, verbose_name="责任单位")
    areas = models.JSONField("落实区域", default=list)  # "all", "none" or a list of area codes
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "条款"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="clause_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name="方案")
    code = models.CharField("指标标识", max_length=32)
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="targets", verbose_name="条款")
    name = models.CharField("指标名称", max_length=100)
    kind = models.CharField("类型", max_length=20)
    comparator = models.CharField("比较", max_length=2)
    value = models.DecimalField("目标值（基本单位）", max_digits=24, decimal_places=6, null=True, blank=True)
    relative_to = models.CharField("比较对象指标", max_length=32, blank=True)
    unit = models.CharField("单位", max_length=20)
    display = models.CharField("方案表述", max_length=60)
    period = models.JSONField("期间")
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    source_kind = models.CharField("数据来源", max_length=12)  # registry | statistics
    source_code = models.CharField("来源代码", max_length=60)
    denominator = models.CharField("分母统计指标", max_length=60, blank=True)
    baseline = models.JSONField("基期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "目标指标"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Parameter(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="parameters", verbose_name="方案")
    code = models.CharField("参数标识", max_length=64)
    clause = models.ForeignKey(
        Clause, on_delete=models.CASCADE, related_name="parameters", verbose_name="条款"
    )
    description = models.CharField("说明", max_length=200)
    unit = models.CharField("单位", max_length=12)
    reference = models.CharField("依据", max_length=200)
    example = models.BooleanField("示例值", default=False)
    values = models.JSONField("分段取值")  # [{"effective_from", "until", "value"}]
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "政策参数"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="parameter_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"
