"""Make the Django admin obey the same scoping as pages and API (``scope.py``): lists show only
records in the user's scope, a record outside it is neither viewable nor changeable, foreign-key
choices are narrowed, deletes are soft (``registry.services.record_delete``), every save names its
author and bumps the record's version, and the workflow state is read-only (it moves only through
``registry.services.project_transition``). ``ReadOnlyAdminMixin``: records the admin shows but never
adds or edits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from renewal.planning.models import Area

from .scope import SCOPED_MODELS, scope_for

LOCKED_FIELDS = ("version", "is_deleted", "deleted_at", "status")


class ScopedAdminMixin:
    def get_queryset(self, request):
        return scope_for(request.user).filter_records(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {f.name for f in self.model._meta.fields}
        return fields + [f for f in LOCKED_FIELDS if f in model_fields and f not in fields]

    def has_view_permission(self, request, obj=None):
        ok = super().has_view_permission(request, obj)
        return ok and (obj is None or scope_for(request.user).can_see(obj))

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or scope_for(request.user).can_change(obj))

    def has_delete_permission(self, request, obj=None):
        ok = super().has_delete_permission(request, obj)
        return ok and (obj is None or scope_for(request.user).can_delete(obj))

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and scope_for(request.user).can("records.write")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        related = db_field.related_model
        if related is Area:
            kwargs["queryset"] = scope.filter_by_area(Area.objects.all(), "code")
        elif related._meta.label_lower in SCOPED_MODELS:
            kwargs["queryset"] = scope.filter_records(related._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        from renewal.registry.services import attribute

        if not scope_for(request.user).can_see(obj):
            raise PermissionDenied("无权把记录保存到您的范围之外")
        if change and hasattr(obj, "version"):
            obj.version += 1
        attribute(obj, request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        from renewal.registry.services import attribute

        instances = formset.save(commit=False)
        for obj in instances:
            if getattr(obj, "pk", None) and hasattr(obj, "version"):
                obj.version += 1
            attribute(obj, request.user)
            obj.save()
        for obj in formset.deleted_objects:
            self._soft_delete(request, obj)
        formset.save_m2m()

    def _soft_delete(self, request, obj):
        from renewal.lib.errors import ServiceError
        from renewal.registry.services import record_delete

        if not hasattr(obj, "is_deleted"):
            return super().delete_model(request, obj)
        try:
            record_delete(user=request.user, obj=obj, reason="管理后台删除")
        except ServiceError as exc:
            raise PermissionDenied(exc.message) from None

    def get_deleted_objects(self, objs, request):
        """The confirmation page of a soft delete lists what ``record_delete`` takes with it
        (``registry.services.CASCADE``), not what a hard delete would: Django's collector would
        stop an enterprise with projects at their PROTECT key. Rights are the service's to decide."""
        if not any(f.name == "is_deleted" for f in self.model._meta.fields):
            return super().get_deleted_objects(objs, request)
        from renewal.registry.services import record_cascade

        shown: list = []
        counts: dict[str, int] = {}
        for obj in objs:
            taken = record_cascade(obj)
            plural = str(self.model._meta.verbose_name_plural)
            counts[plural] = counts.get(plural, 0) + 1
            shown.append(f"{self.model._meta.verbose_name}：{obj}")
            children = []
            for model, rows in taken:
                plural = str(model._meta.verbose_name_plural)
                counts[plural] = counts.get(plural, 0) + len(rows)
                children += [f"{model._meta.verbose_name}：{row}" for row in rows]
            if children:
                shown.append(children)
        return shown, counts, set(), []

    def delete_model(self, request, obj):
        self._soft_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._soft_delete(request, obj)


class ReadOnlyAdminMixin:
    """Put first in a ModelAdmin's bases for records written only by services (with reason, author
    and audit) or by the plan file: no add, no change, for anyone. ``allow_delete``: deleting stays
    as the rest of the bases decide (model permission, and the scope with ``ScopedAdminMixin``)."""

    allow_delete = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and super().has_delete_permission(request, obj)


class ScopedInlineMixin:
    def get_queryset(self, request):
        return scope_for(request.user).filter_records(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {f.name for f in self.model._meta.fields}
        return fields + [f for f in LOCKED_FIELDS if f in model_fields and f not in fields]
