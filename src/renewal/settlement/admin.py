from django.contrib import admin

from .models import DecisionRecord, SettlementRun


@admin.register(DecisionRecord)
class DecisionRecordAdmin(admin.ModelAdmin):
    list_display = ("project", "version", "subsidy_total", "decided_on", "created_by_name", "created_at")
    list_filter = ("project__year",)
    search_fields = ("project__code", "project__name")

    def has_change_permission(self, request, obj=None):
        return False  # frozen: recompute creates a new version

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SettlementRun)
class SettlementRunAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "done", "total", "created", "unchanged", "subsidy_total", "created_at")
    readonly_fields = [f.name for f in SettlementRun._meta.fields]
