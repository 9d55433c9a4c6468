from django.contrib import admin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin

from .models import Bulletin, Publication


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit record of catalogue publishing: read-only."""

    list_display = ["at", "actor", "action", "catalogue", "batch", "count", "note"]
    list_filter = ["catalogue", "action"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["month", "status", "progress", "requested_by", "created_at", "finished_at"]
