"""Finance records (P12, issue 15). Money in yuan (Decimal), sheets and pages in 万元; every record
that people write keeps its history; batches and subsidy settlements are frozen once made.

- ``LoanBatch`` / ``BatchItem``: the list of projects pushed to banks (备选项目清单), one item per
  (batch, project, bank); a batch is compiled, reviewed and pushed, and never changed after the push;
- ``LoanContract`` (贷款): a bank's loan contract for a project, with or without re-lending support;
- ``Drawdown`` (放款) and ``Repayment`` (还款) of a contract;
- ``FundInvestment`` (基金投资): the provincial high-end equipment fund's investment in an enterprise;
- ``InterestSubsidyRecord``: a period's interest subsidy (贴息) of one contract, settled and frozen.

Bank codes are those of the plan file's ``finance.banks``; a bank user sees the records whose bank
is its own (``accounts.scope``: the ``bank`` path of each model, registered in ``apps.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renewal.registry.models import Enterprise, Project, TimeStamped, audited, non_negative


def _money(verbose_name: str, **kw) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, validators=non_negative, **kw)


class FrozenError(Exception):
    def __str__(self) -> str:
        return "已推送的批次和已核定的贴息记录不可修改或删除"


class LoanBatch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        REVIEWED = "reviewed", "已审核"
        PUSHED = "pushed", "已推送"

    name = models.CharField("批次名称", max_length=100, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="编制人",
    )
    created_by_name = models.CharField("编制人（存档）", max_length=150, blank=True)
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_by_name = models.CharField("审核人（存档）", max_length=150, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="推送人",
    )
    pushed_by_name = models.CharField("推送人（存档）", max_length=150, blank=True)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)
    # the day the push took effect (the eligibility of a loan compares its signing date with it);
    # today, or an earlier day for a city administrator's load of earlier batches (--pushed-on)
    pushed_on = models.DateField("推送生效日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "推送批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    # frozen once pushed: the services refuse first, in Chinese; this guards every other path
    def save(self, *args, **kwargs) -> None:
        if self._pushed_before():
            raise FrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._pushed_before():
            raise FrozenError()
        return super().delete(*args, **kwargs)

    def _pushed_before(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        return LoanBatch.objects.filter(pk=self.pk, status=self.Status.PUSHED).exists()


class BatchItem(models.Model):
    batch = models.ForeignKey(LoanBatch, on_delete=models.CASCADE, related_name="items", verbose_name="批次")
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="batch_items", verbose_name="项目"
    )
    bank = models.CharField("推送银行", max_length=32)
    # the project as it was listed (code, name, enterprise, contact, investment, loan demand …)
    snapshot = models.JSONField("项目信息（编制时）")
    loan_demand = _money("贷款需求(元)")

    class Meta:
        verbose_name = verbose_name_plural = "推送项目"
        ordering = ["batch", "bank", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "project", "bank"], name="batch_item_unique"),
        ]
        indexes = [models.Index(fields=["bank", "project"], name="batch_item_bank_project")]

    def __str__(self) -> str:
        return f"{self.batch} {self.project.code} → {self.bank}"

    def save(self, *args, **kwargs) -> None:
        # an item of a pushed batch never changes (adding one is refused by the services)
        pushed = LoanBatch.objects.filter(pk=self.batch_id, status=LoanBatch.Status.PUSHED)
        if not self._state.adding and pushed.exists():
            raise FrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if LoanBatch.objects.filter(pk=self.batch_id, status=LoanBatch.Status.PUSHED).exists():
            raise FrozenError()
        return super().delete(*args, **kwargs)


class LoanContract(TimeStamped):
    number = models.CharField("合同编号", max_length=60, unique=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="loans", verbose_name="项目")
    bank = models.CharField("贷款银行", max_length=32)
    signed_on = models.DateField("签约日期")
    amount = _money("签约金额(元)")
    annual_rate = models.DecimalField(
        "年利率（小数）", max_digits=8, decimal_places=6, validators=non_negative
    )
    term_months = models.PositiveSmallIntegerField("期限(月)")
    relending = models.BooleanField("再贷款支持", default=False)
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "贷款合同"
        ordering = ["project", "number"]
        indexes = [models.Index(fields=["bank", "signed_on"], name="loan_bank_signed")]

    def __str__(self) -> str:
        return self.number


class Drawdown(TimeStamped):
    contract = models.ForeignKey(
        LoanContract, on_delete=models.CASCADE, related_name="drawdowns", verbose_name="贷款合同"
    )
    drawn_on = models.DateField("放款日期")
    amount = _money("放款金额(元)")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "放款"
        ordering = ["contract", "drawn_on"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "drawn_on"], name="drawdown_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.drawn_on}"


class Repayment(TimeStamped):
    contract = models.ForeignKey(
        LoanContract, on_delete=models.CASCADE, related_name="repayments", verbose_name="贷款合同"
    )
    repaid_on = models.DateField("还款日期")
    amount = _money("还款金额(元)")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "还款"
        ordering = ["contract", "repaid_on"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "repaid_on"], name="repayment_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.repaid_on}"


class FundInvestment(TimeStamped):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="fund_investments", verbose_name="企业"
    )
    fund_name = models.CharField("基金名称", max_length=200)
    invested_on = models.DateField("投资日期")
    amount = _money("投资金额(元)")
    history = audited()

    class Meta:
        verbose_name = verbose_name_plural = "基金投资"
        ordering = ["enterprise", "invested_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "fund_name", "invested_on"], name="fund_investment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_name} → {self.enterprise}"


class InterestSubsidyRecord(models.Model):
    """One contract's interest subsidy for a period, as settled: the inputs (drawdowns, repayments,
    the batch that made it eligible), the parameter versions, the amount and its trace. Never
    updated; settling the same contract and period again writes a new version."""

    contract = models.ForeignKey(
        LoanContract, on_delete=models.PROTECT, related_name="subsidy_records", verbose_name="贷款合同"
    )
    period_from = models.DateField("期间起")
    period_to = models.DateField("期间止")
    version = models.PositiveIntegerField("版本", default=1)
    inputs = models.JSONField("输入")
    parameters = models.JSONField("参数版本")
    result = models.JSONField("计算结果")
    amount = models.DecimalField("贴息(元)", max_digits=18, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="核定人"
    )
    created_by_name = models.CharField("核定人（存档）", max_length=150, blank=True)
    created_at = models.DateTimeField("核定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "贴息核定记录"
        ordering = ["contract", "period_from", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_from", "period_to", "version"], name="subsidy_record_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.period_from}—{self.period_to} 第{self.version}版"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise FrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError()
