from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin
from renewal.registry.admin import SimpleHistoryAdmin as ScopedHistoryAdmin
from renewal.registry.admin import service_call
from renewal.registry.models import MonthlyProgress

from .models import MonthApproval, MonthApprovalStep, TaskAttachment, TaskReport
from .services import progress_report


class ProgressAdminForm(forms.ModelForm):
    reason = forms.CharField(
        label="更正理由", required=False, help_text="更正市级已确认的月份时必填，记入修改历史"
    )

    class Meta:
        model = MonthlyProgress
        fields = "__all__"  # noqa: DJ007 — the ModelAdmin chooses the fields


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(ScopedHistoryAdmin):
    list_display = ["project", "month", "investment", "equipment_investment", "robots", "cnc"]
    list_filter = ["month"]
    search_fields = ["project__code"]
    raw_id_fields = ["project"]
    form = ProgressAdminForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + (["project", "month"] if obj else [])

    def save_model(self, request, obj, form, change):
        """Through reporting.services.progress_report: scope, the project's state, the approval
        ladder (an approved month is locked; a confirmed one only by a city administrator with a
        reason), version and history."""
        data = {f: form.cleaned_data[f] for f in ("investment", "equipment_investment", "robots", "cnc")}
        current = MonthlyProgress.objects.filter(pk=obj.pk).first() if change else None
        row = service_call(
            lambda: progress_report(
                user=request.user,
                project=obj.project,
                month=obj.month,
                data=data,
                version=current.version if current else None,
                reason=form.cleaned_data.get("reason", ""),
            )
        )
        obj.pk, obj.version = row.pk, row.version


@admin.register(MonthApproval)
class MonthApprovalAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Moved only along the ladder, on the approval page or the API (services.month_*): no add,
    change or delete here (a deleted row would reopen a confirmed month without a trace)."""

    list_display = ["area", "month", "state", "updated_by", "updated_at", "version"]
    list_filter = ["state", "month", "area"]


@admin.register(MonthApprovalStep)
class MonthApprovalStepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["approval", "label", "from_state", "to_state", "reason", "user", "at"]
    list_filter = ["action", "approval__month"]


@admin.register(TaskReport)
class TaskReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    allow_delete = True
    list_display = ["clause", "unit", "month", "status", "state", "submitted_by", "submitted_at", "version"]
    list_filter = ["clause", "unit", "status", "state", "month"]


@admin.register(TaskAttachment)
class TaskAttachmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    allow_delete = True
    list_display = ["name", "report", "size", "content_type", "uploaded_by", "uploaded_at"]
