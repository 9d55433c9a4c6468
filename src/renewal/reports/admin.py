from django.contrib import admin

from .models import Bulletin, Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """The audit record of catalogue publishing: read-only."""

    list_display = ["at", "actor", "action", "catalogue", "batch", "count", "note"]
    list_filter = ["catalogue", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["month", "status", "progress", "requested_by", "created_at", "finished_at"]
