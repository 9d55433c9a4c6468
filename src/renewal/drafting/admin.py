from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DraftReview


@admin.register(DraftReview)
class DraftReviewAdmin(SimpleHistoryAdmin):
    list_display = ["source_name", "status", "created_by", "created_at", "confirmed_by", "confirmed_at"]
    readonly_fields = [f.name for f in DraftReview._meta.fields]

    def has_add_permission(self, request):
        return False
