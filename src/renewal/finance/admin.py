"""Finance records in the admin: read only. Loans, drawdowns and repayments are written by the
pages, the API and the import through ``finance.services`` (scope, checks, version, history);
batches and subsidy records are frozen records of their services."""

from django.contrib import admin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    BatchItem,
    Drawdown,
    FundInvestment,
    InterestSubsidyRecord,
    LoanBatch,
    LoanContract,
    Repayment,
)


@admin.register(LoanContract)
class LoanContractAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "project", "bank", "signed_on", "amount", "relending")
    list_filter = ("bank", "relending")
    search_fields = ("number", "project__code", "project__name")


@admin.register(Drawdown)
class DrawdownAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("contract", "drawn_on", "amount")
    search_fields = ("contract__number",)


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("contract", "repaid_on", "amount")
    search_fields = ("contract__number",)


@admin.register(FundInvestment)
class FundInvestmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("enterprise", "fund_name", "invested_on", "amount")
    search_fields = ("enterprise__name", "enterprise__uscc", "fund_name")


class BatchItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BatchItem
    fields = ("project", "bank", "loan_demand")
    readonly_fields = fields
    extra = 0


@admin.register(LoanBatch)
class LoanBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "status", "created_by_name", "created_at", "pushed_on")
    inlines = [BatchItemInline]


@admin.register(InterestSubsidyRecord)
class InterestSubsidyRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("contract", "period_from", "period_to", "version", "amount", "created_by_name")
    search_fields = ("contract__number",)
