from django.contrib import admin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin

from .models import DecisionRecord, SettlementRun


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Frozen: a recompute creates a new version."""

    list_display = ("project", "version", "subsidy_total", "decided_on", "created_by_name", "created_at")
    list_filter = ("project__year",)
    search_fields = ("project__code", "project__name")


@admin.register(SettlementRun)
class SettlementRunAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "done", "total", "created", "unchanged", "subsidy_total", "created_at")
    readonly_fields = [f.name for f in SettlementRun._meta.fields]
