from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "area", "unit", "enterprise_uscc"]
    list_filter = ["role", "area"]
