from django.contrib import admin

from .models import Area, Clause, Parameter, Plan, ResponsibleUnit, Target


class FromPlanFile(admin.ModelAdmin):
    """Read-only: the plan file is the single place targets and parameters are written
    (change the file, then `renewal plan load FILE`)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
