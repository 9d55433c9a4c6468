from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin

from .models import Adjustment


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: events are written by services (reason, author, audit)."""

    list_display = ["year", "month", "area", "item", "points", "reason", "author", "withdrawn_at"]
    list_filter = ["year", "area"]
