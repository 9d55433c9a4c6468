"""Park records in the admin: read only and scoped (``accounts.admin_scope``). Parks, members,
smart and green items and ratings are written by the import of their sheets (exchange/kinds/, the
one write path with the value rules of ``parks.rules``, decision 0019) and deleted or restored
through the registry's services (recycle bin, history)."""

from django.contrib import admin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem


@admin.register(Park)
class ParkAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "area", "level", "kind", "area_mu")
    list_filter = ("area", "level", "kind")
    search_fields = ("code", "name")


@admin.register(ParkMember)
class ParkMemberAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("park", "enterprise")
    list_filter = ("park__area",)
    search_fields = ("park__code", "park__name", "enterprise__uscc", "enterprise__name")


@admin.register(SmartParkItem)
class SmartParkItemAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("park", "content", "status", "investment", "started_on", "completed_on")
    list_filter = ("content", "status", "park__area")
    search_fields = ("park__code", "park__name")


@admin.register(GreenParkItem)
class GreenParkItemAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("park", "year", "category", "status")
    list_filter = ("category", "status", "year", "park__area")
    search_fields = ("park__code", "park__name")


@admin.register(EnterpriseRating)
class EnterpriseRatingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("enterprise", "year", "rating")
    list_filter = ("rating", "year", "enterprise__area")
    search_fields = ("enterprise__uscc", "enterprise__name")
