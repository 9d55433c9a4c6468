from django.contrib import admin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin

from .models import Area, Clause, Parameter, Plan, ResponsibleUnit, Target


class FromPlanFile(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the plan file is the single place targets and parameters are written
    (change the file, then `renewal plan load FILE`)."""


@admin.register(Plan)
class PlanAdmin(FromPlanFile):
    list_display = ["id", "title", "document_number", "city_name", "is_active", "loaded_at"]
    readonly_fields = ["content"]


@admin.register(Area)
class AreaAdmin(FromPlanFile):
    list_display = ["code", "name", "short_name", "kind", "is_active"]


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(FromPlanFile):
    list_display = ["id", "name", "full_name", "is_active"]


@admin.register(Clause)
class ClauseAdmin(FromPlanFile):
    list_display = ["code", "title", "section", "plan"]
    list_filter = ["plan"]


@admin.register(Target)
class TargetAdmin(FromPlanFile):
    list_display = ["code", "name", "comparator", "value", "unit", "display", "source_kind", "plan"]
    list_filter = ["plan", "source_kind"]


@admin.register(Parameter)
class ParameterAdmin(FromPlanFile):
    list_display = ["code", "description", "unit", "reference", "plan"]
    list_filter = ["plan"]
