"""Admin pages of the registry, in Chinese, with history (django-simple-history), scoped like every
other path (accounts.admin_scope): an area operator sees and changes only its area's records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin as _HistoryAdmin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedInlineMixin

from . import models


class SimpleHistoryAdmin(ScopedAdminMixin, _HistoryAdmin):
    pass


@admin.register(models.Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["uscc", "name", "area", "industry_code", "above_scale", "high_tech"]
    list_filter = ["area", "above_scale", "high_tech", "ic_enterprise", "machine_tool_enterprise"]
    search_fields = ["uscc", "name"]


class ProgressInline(ScopedInlineMixin, admin.TabularInline):
    model = models.MonthlyProgress
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "enterprise",
        "area",
        "year",
        "status",
        "provincial_key",
        "total_investment",
    ]
    list_filter = ["year", "status", "area", "provincial_key"]
    search_fields = ["code", "name", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]
    inlines = [ProgressInline]


@admin.register(models.MonthlyProgress)
class MonthlyProgressAdmin(SimpleHistoryAdmin):
    list_display = ["project", "month", "investment", "equipment_investment", "robots", "cnc"]
    list_filter = ["month"]
    search_fields = ["project__code"]
    raw_id_fields = ["project"]


@admin.register(models.Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "kind", "level", "year"]
    list_filter = ["kind", "level", "year"]
    raw_id_fields = ["enterprise"]


@admin.register(models.FirstSetProduct)
class FirstSetProductAdmin(SimpleHistoryAdmin):
    list_display = ["product_name", "enterprise", "category", "level", "year"]
    list_filter = ["category", "level", "year"]
    raw_id_fields = ["enterprise"]


@admin.register(models.CatalogueEntry)
class CatalogueEntryAdmin(SimpleHistoryAdmin):
    list_display = ["brand", "model", "category", "enterprise", "batch", "published"]
    list_filter = ["category", "published", "batch"]
    raw_id_fields = ["enterprise"]


@admin.register(models.ServiceProvider)
class ServiceProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "published"]
    list_filter = ["kind", "published"]


@admin.register(models.TypicalCase)
class TypicalCaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "enterprise", "provider", "published"]
    list_filter = ["year", "published"]
    raw_id_fields = ["enterprise", "provider"]


@admin.register(models.Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "level", "purpose", "amount", "area"]
    list_filter = ["year", "level"]


@admin.register(models.Statistic)
class StatisticAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area_code", "period", "value"]
    list_filter = ["indicator", "year"]


@admin.register(models.IndustrialChain)
class IndustrialChainAdmin(SimpleHistoryAdmin):
    list_display = ["name", "leader", "leader_unit"]
    filter_horizontal = ["masters"]


@admin.register(models.ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Written only by services.project_transition; deletes are scoped."""

    allow_delete = True
    list_display = ["project", "from_status", "to_status", "action", "user", "at", "comment"]
    list_filter = ["to_status"]
    search_fields = ["project__code"]
