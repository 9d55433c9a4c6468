from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):  # notices are written by the platform's services
        return False

    def has_change_permission(self, request, obj=None):
        return False
