from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MonthLock, TaskAttachment, TaskReport


@admin.register(MonthLock)
class MonthLockAdmin(SimpleHistoryAdmin):
    list_display = ["month", "locked_by", "locked_at", "note"]

    def has_add_permission(self, request):
        return False  # through the 督办 page (services.month_lock)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskReport)
class TaskReportAdmin(SimpleHistoryAdmin):
    list_display = ["clause", "unit", "month", "status", "submitted_by", "submitted_at", "version"]
    list_filter = ["clause", "unit", "status", "month"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskAttachment)
class TaskAttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "report", "size", "content_type", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
