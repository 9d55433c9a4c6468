"""Registry models. Money in yuan (Decimal), energy in tce; pages show 万元/亿元.

Every model keeps its history (django-simple-history): who, when, old and new values.
Validation messages are in Chinese and name the field (``clean``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from renewal.planning.models import Area, ResponsibleUnit

from . import reference, rules
from .uscc import check as uscc_check

ZERO = Decimal(0)
NEVER = dt.date(9999, 12, 31)  # a stretch of status not begun, or not ended (spells.py)
STRETCH_FIELDS = (
    "counted_from",
    "counted_until",
    "completed_from",
    "completed_until",
    "declared_from",
    "declared_until",
)
non_negative = [MinValueValidator(ZERO, message="不能为负数")]


def money(verbose_name: str, **kw) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=2, default=ZERO, validators=non_negative, **kw
    )


# History tables are read by record (``id``), date and author only (audit pages and export):
# the indexes a history model would copy from its record (keys, foreign keys, is_deleted) only
# slow every write. Names a model does not have are ignored.
HISTORY_UNINDEXED = [
    "is_deleted",
    "uscc",
    "code",
    "name",
    "area",
    "enterprise",
    "project",
    "provider",
    "leader_unit",
]


def audited(**kwargs) -> HistoricalRecords:
    """The history of a registry model (django-simple-history), without the copied indexes."""
    return HistoricalRecords(no_db_index=HISTORY_UNINDEXED, **kwargs)


class LiveQuerySet(models.QuerySet):
    def deleted(self):
        return self.filter(is_deleted=True)


class LiveManager(models.Manager.from_queryset(LiveQuerySet)):
    """The default manager: rows not soft-deleted. ``all_objects`` sees every row (restore, audit)."""

    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Soft delete (restorable by a city administrator) and optimistic locking: every write through
    # the services bumps ``version``; an edit based on an older version is refused (409).
    # not indexed: nearly every row is live, so an index only slows writes (and SQLite would
    # choose it over a key's); the recycle bin scans for the few deleted rows
    is_deleted = models.BooleanField("已删除", default=False)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = LiveManager()
    all_objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True


class Enterprise(TimeStamped):
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_confirmed = models.BooleanField(
        "信用代码已人工核实", default=False, help_text="早期试点地区代码校验位不符时，经人工核实后勾选"
    )
    name = models.CharField("企业名称", max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="enterprises", verbose_name="所属区域"
    )
    industry_code = models.CharField(
        "行业代码", max_length=4, help_text="GB/T 4754-2017 制造业代码（13–43 开头）"
    )
    above_scale = models.BooleanField("是否规上", default=False)
    land_mu = models.DecimalField(
        "用地面积(亩)", max_digits=12, decimal_places=2, null=True, blank=True, validators=non_negative
    )
    employees = models.PositiveIntegerField("从业人员(人)", null=True, blank=True)
    high_tech = models.BooleanField("高新技术企业", default=False)
    ic_enterprise = models.BooleanField("集成电路企业", default=False)
    machine_tool_enterprise = models.BooleanField("工业母机企业", default=False)
    # who the city, the area and the banks of its pushed projects call (issues 15, 17)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["area", "uscc"]
        indexes = [models.Index(fields=["area", "industry_code"], name="enterprise_area_industry")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        result = uscc_check(self.uscc)
        self.uscc = result.code
        if result.error:
            errors["uscc"] = result.error
        elif result.warning and not self.uscc_confirmed:
            errors["uscc"] = result.warning
        if self.industry_code and reference.industry_name(self.industry_code) is None:
            errors["industry_code"] = (
                f"未知的行业代码 {self.industry_code}（应为 GB/T 4754-2017 制造业代码 13–43）"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def industry_name(self) -> str:
        return reference.industry_name(self.industry_code) or ""


class ProjectQuerySet(models.QuerySet):
    def counted(self) -> ProjectQuerySet:
        """Projects in a status that counts in the indicators (已入库 … 已兑现)."""
        return self.filter(status__in=reference.counted_statuses())

    def with_type(self, project_type: str) -> ProjectQuerySet:
        # Type names are never substrings of one another (a test checks), so a contains-filter
        # on the joined string is exact.
        return self.filter(types__contains=project_type)


class LiveProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


TYPES_SEPARATOR = "、"


class Project(TimeStamped):
    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="projects", verbose_name="企业"
    )
    # The enterprise's area, kept on the project so indicators group without a join.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="projects", verbose_name="所属区域")
    year = models.PositiveSmallIntegerField("年度")
    types = models.CharField("项目类型", max_length=120, help_text="一个或多个，以“、”分隔")
    provincial_key = models.BooleanField("省级重点技改", default=False)
    total_investment = money("总投资(元)")
    equipment_investment = money("设备投资(元)")
    first_set_purchase = money("首台套购置额(元)")
    new_robots = models.PositiveIntegerField("新增工业机器人(台)", default=0)
    new_cnc = models.PositiveIntegerField("新增数控机床(台)", default=0)
    energy_saving = models.DecimalField(
        "节能量(吨标准煤)", max_digits=14, decimal_places=2, default=ZERO, validators=non_negative
    )
    new_land = models.BooleanField("是否新增用地", default=False)
    # P12: the loan the project asks for and up to three banks it would borrow from (bank codes of
    # the plan file's finance.banks), read by the list pushed to banks (备选项目清单)
    loan_demand = money("贷款需求(元)")
    intended_banks = models.JSONField("意向银行", default=list, blank=True)
    start_date = models.DateField("开工日期", null=True, blank=True)
    end_date = models.DateField("竣工日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=reference.choices("project_statuses"), default="草稿"
    )
    # When the project was in a counted / completed status, derived from its transitions by
    # ``spells.refresh`` (9999-12-31: not yet, or still): the indicators read statuses as of a date.
    counted_from = models.DateField("计入起始日", default=NEVER, editable=False)
    counted_until = models.DateField("计入截止日（不含）", default=NEVER, editable=False)
    completed_from = models.DateField("竣工状态起始日", default=NEVER, editable=False)
    completed_until = models.DateField("竣工状态截止日（不含）", default=NEVER, editable=False)
    # … and in the declared pipeline (已申报, 区县审核通过), for the forecast of counts
    declared_from = models.DateField("申报状态起始日", default=NEVER, editable=False)
    declared_until = models.DateField("申报状态截止日（不含）", default=NEVER, editable=False)
    history = audited(excluded_fields=list(STRETCH_FIELDS))

    objects = LiveProjectManager()
    all_objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["-year", "code"]
        indexes = [
            models.Index(fields=["year", "area", "status"], name="project_year_area_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def type_list(self) -> list[str]:
        return [t for t in self.types.split(TYPES_SEPARATOR) if t]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        known = reference.values("project_types")
        types = self.type_list
        if not types:
            errors["types"] = "项目类型不能为空"
        unknown = [t for t in types if t not in known]
        if unknown:
            errors["types"] = f"未知的项目类型 {'、'.join(unknown)}（可选：{'、'.join(known)}）"
        else:
            self.types = TYPES_SEPARATOR.join(t for t in known if t in types)
        errors |= rules.project_problems(self.__dict__)
        if self.year and not 2000 <= self.year <= 2100:
            errors["year"] = f"年度 {self.year} 不合理"
        if self.enterprise_id and self.area_id and self.enterprise.area_id != self.area_id:
            errors["area"] = "项目所属区域应与企业所属区域一致"
        if errors:
            raise ValidationError(errors)


class MonthlyProgress(TimeStamped):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress", verbose_name="项目"
    )
    month = models.DateField("月份", help_text="当月第一天")
    investment = money("完成投资(元)")
    equipment_investment = money("完成设备投资(元)")
    robots = models.PositiveIntegerField("机器人到位(台)", default=0)
    cnc = models.PositiveIntegerField("数控机床到位(台)", default=0)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "月度进度"
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_month")]
        indexes = [models.Index(fields=["month"], name="progress_month")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.month and self.month.day != 1:
            errors["month"] = "月份应为当月第一天（YYYY-MM）"
        errors |= rules.progress_problems(self.__dict__)
        if errors:
            raise ValidationError(errors)


class Honour(TimeStamped):
    """试点示范: 未来工厂, 国家智能制造示范工厂, 灯塔工厂, 绿色工厂 … (T2, T3)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="honours", verbose_name="企业"
    )
    kind = models.CharField("类型", max_length=20, choices=reference.choices("honour_kinds"))
    level = models.CharField("级别", max_length=6, choices=reference.choices("levels"))
    year = models.PositiveSmallIntegerField("年度")
    # the day it was announced; a record without one counts from its year's 1 January
    awarded_on = models.DateField("认定日期", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "试点示范"
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "level", "year"], name="honour_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.level}{self.kind}"


class FirstSetProduct(TimeStamped):
    """首台（套）、首批次、首版次、浙江制造精品 (T3, P11)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="first_sets", verbose_name="企业"
    )
    product_name = models.CharField("产品名称", max_length=200)
    category = models.CharField("类别", max_length=10, choices=reference.choices("first_set_categories"))
    level = models.CharField("级别", max_length=6, choices=reference.choices("levels"))
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("认定日期", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "首台套产品"
        ordering = ["-year", "product_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "product_name", "category", "year"], name="first_set_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name}（{self.year}年{self.level}{self.category}）"


class CatalogueEntry(TimeStamped):
    """消费品以旧换新优质产品目录 (T4): enterprise, brand, main product model, category, batch."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="catalogue_entries", verbose_name="企业"
    )
    brand = models.CharField("品牌", max_length=100)
    model = models.CharField("产品型号", max_length=100)
    category = models.CharField("品类", max_length=10, choices=reference.choices("catalogue_categories"))
    batch = models.CharField("发布批次", max_length=40, blank=True)
    published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "优质产品目录"
        ordering = ["category", "brand", "model"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "brand", "model"], name="catalogue_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.model}"


class ServiceProvider(TimeStamped):
    """优秀工程服务商 (O3)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("服务商名称", max_length=200)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name="所在区域",
    )
    kind = models.CharField("类型", max_length=20, choices=reference.choices("provider_kinds"))
    description = models.TextField("服务领域", blank=True)
    published = models.BooleanField("已发布", default=False)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "服务商"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        result = uscc_check(self.uscc)
        self.uscc = result.code
        if result.error or result.warning:
            raise ValidationError({"uscc": result.error or result.warning})


class TypicalCase(TimeStamped):
    """典型案例 (O3)."""

    title = models.CharField("案例标题", max_length=200)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="企业",
    )
    provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="服务商",
    )
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("案例简介")
    published = models.BooleanField("已发布", default=False)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "典型案例"
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Fund(TimeStamped):
    """Subsidy funds (P11): provincial-or-higher funds won, city funds used for renewal."""

    year = models.PositiveSmallIntegerField("年度")
    level = models.CharField("资金级别", max_length=4, choices=reference.choices("fund_levels"))
    purpose = models.CharField("用途", max_length=200)
    amount = money("金额(元)")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name="区域",
        help_text="空表示市本级",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    # an allocation to one project (sheet 资金下达, T8's provincial-subsidised projects)
    project = models.ForeignKey(
        "Project", on_delete=models.PROTECT, null=True, blank=True, related_name="funds", verbose_name="项目"
    )
    document_no = models.CharField("文号", max_length=100, blank=True)
    granted_on = models.DateField("下达日期", null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "补助资金"
        ordering = ["-year", "level"]
        constraints = [
            # an allocation (sheet 资金下达) is one per project, level, year and 文号
            models.UniqueConstraint(
                fields=["project", "level", "year", "document_no"],
                condition=models.Q(project__isnull=False, is_deleted=False),
                name="fund_allocation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.level}{self.purpose}"


class Statistic(TimeStamped):
    """An imported statistic: indicator code, area (the city's own code for the city), period.

    Period ``YYYY-MM`` is the cumulative value of months 1–M (1–M月累计); ``YYYY`` a whole year.
    """

    indicator = models.CharField("指标代码", max_length=60)
    area_code = models.CharField("区域代码", max_length=20, help_text="区域代码，或城市代码表示全市")
    period = models.CharField("期间", max_length=7, help_text="YYYY-MM（1–M月累计）或 YYYY（全年）")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月", help_text="全年数据为 12")
    value = models.DecimalField("数值（基本单位）", max_digits=24, decimal_places=6)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "统计指标"
        ordering = ["indicator", "area_code", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area_code", "period"], name="statistic_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "month"], name="statistic_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period}"

    def clean(self) -> None:
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", self.period or "")
        if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
            raise ValidationError({"period": f"期间应为 YYYY 或 YYYY-MM，实为 {self.period!r}"})
        self.year = int(match.group(1))
        self.month = int(match.group(2) or 12)


class IndustrialChain(TimeStamped):
    """产业链 (T6): the chain, its 链长 (a unit or an official) and its 链主 enterprises."""

    name = models.CharField("产业链", max_length=100, unique=True)
    leader = models.CharField("链长", max_length=100, help_text="链长（领导姓名职务）")
    leader_unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="链长单位"
    )
    masters = models.ManyToManyField(
        Enterprise, blank=True, related_name="chains_led", verbose_name="链主企业"
    )
    history = audited(m2m_fields=[masters])

    class Meta:
        verbose_name = verbose_name_plural = "产业链"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectTransition(models.Model):
    """One step of the project workflow (registry/workflow.py): who, when, from, to, comment."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name="项目"
    )
    from_status = models.CharField("原状态", max_length=10)
    to_status = models.CharField("新状态", max_length=10)
    action = models.CharField("操作", max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    # the day the step takes effect: the day it was recorded, or for a city administrator's import
    # of legacy data the 状态日期 of the sheet (the day the project really reached the state)
    effective_on = models.DateField("生效日期", default=timezone.localdate)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目流转记录"
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_status}→{self.to_status}"


class DemoDataset(models.Model):
    """Marks that `renewal demo` filled this database, and with which seed (re-runs are no-ops)."""

    seed = models.IntegerField("随机种子")
    through = models.DateField("进度截至月份")
    plan_id = models.CharField("方案", max_length=64)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "演示数据"

    def __str__(self) -> str:
        return f"演示数据 seed {self.seed}"
