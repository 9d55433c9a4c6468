from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin

from .models import MonthLock, TaskAttachment, TaskReport


@admin.register(MonthLock)
class MonthLockAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Added through the 督办 page (services.month_lock)."""

    allow_delete = True
    list_display = ["month", "locked_by", "locked_at", "note"]


@admin.register(TaskReport)
class TaskReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    allow_delete = True
    list_display = ["clause", "unit", "month", "status", "submitted_by", "submitted_at", "version"]
    list_filter = ["clause", "unit", "status", "month"]


@admin.register(TaskAttachment)
class TaskAttachmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    allow_delete = True
    list_display = ["name", "report", "size", "content_type", "uploaded_by", "uploaded_at"]
