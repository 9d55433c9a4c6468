from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Adjustment


@admin.register(Adjustment)
class AdjustmentAdmin(SimpleHistoryAdmin):
    """Read-only here: events are written by services (reason, author, audit)."""

    list_display = ["year", "month", "area", "item", "points", "reason", "author", "withdrawn_at"]
    list_filter = ["year", "area"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
