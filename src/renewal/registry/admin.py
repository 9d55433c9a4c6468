"""Admin pages of the registry, in Chinese, with history (django-simple-history), scoped like every
other path (accounts.admin_scope): an area operator sees and changes only its area's records."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin as _HistoryAdmin

from renewal.accounts.admin_scope import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedInlineMixin
from renewal.accounts.scope import scope_for
from renewal.lib.errors import ServiceError

from . import models, services, workflow


class SimpleHistoryAdmin(ScopedAdminMixin, _HistoryAdmin):
    pass


@admin.register(models.Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["uscc", "name", "area", "industry_code", "above_scale", "high_tech"]
    list_filter = ["area", "above_scale", "high_tech", "ic_enterprise", "machine_tool_enterprise"]
    search_fields = ["uscc", "name"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + (["uscc"] if obj else [])

    def save_model(self, request, obj, form, change):
        """Through the services: enterprise_create / enterprise_update (scope, validation, version,
        history)."""
        fields = [f for f in services.ENTERPRISE_FIELDS if f in form.cleaned_data]
        if change:
            data = {f: form.cleaned_data[f] for f in fields if f in form.changed_data}
            current = models.Enterprise.objects.get(pk=obj.pk)
            if data:
                service_call(
                    lambda: services.enterprise_update(
                        user=request.user, enterprise=current, data=data, version=None
                    )
                )
            return
        created = service_call(
            lambda: services.enterprise_create(
                user=request.user, data={f: form.cleaned_data[f] for f in fields}
            )
        )
        obj.pk, obj.version = created.pk, created.version


class ProgressInline(ScopedInlineMixin, admin.TabularInline):
    """Shown with its project; entered on the progress form or in 月度进度 (month locks apply)."""

    model = models.MonthlyProgress
    extra = 0
    can_delete = False
    fields = readonly_fields = ["month", "investment", "equipment_investment", "robots", "cnc", "version"]

    def has_add_permission(self, request, obj=None):
        return False


class ProjectAdminForm(forms.ModelForm):
    """The project's data, and a workflow step taken through ``services.project_transition``: the
    admin never writes the state itself."""

    transition_to = forms.ChoiceField(label="流转到", required=False)
    transition_comment = forms.CharField(
        label="流转意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回、撤销须填写理由",
    )

    class Meta:
        model = models.Project
        fields = "__all__"  # noqa: DJ007 — the ModelAdmin chooses the fields

    def clean(self):
        data = super().clean()
        to = data.get("transition_to")
        step = workflow.find(self.instance.status, to) if to else None
        if to and step is None:
            self.add_error("transition_to", f"当前状态“{self.instance.status}”不能转为“{to}”")
        elif step and step.needs_comment and not (data.get("transition_comment") or "").strip():
            self.add_error("transition_comment", f"“{step.action}”须填写理由")
        return data


def service_call(call):
    """Run a service for the admin; its refusal is the admin's (403, the Chinese message)."""
    try:
        return call()
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from None


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "enterprise",
        "area",
        "year",
        "status",
        "provincial_key",
        "total_investment",
    ]
    list_filter = ["year", "status", "area", "provincial_key"]
    search_fields = ["code", "name", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]
    inlines = [ProgressInline]
    form = ProjectAdminForm

    def get_readonly_fields(self, request, obj=None):
        # a project stays with its enterprise and in its enterprise's area (services.project_create)
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["area"] + (["enterprise", "code"] if obj else [])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actions = services.project_actions(project=obj, user=request.user) if obj else []
        form.base_fields["transition_to"].choices = [("", "（不流转）")] + [
            (t.target, f"{t.action}（→ {t.target}）") for t in actions
        ]
        return form

    def save_model(self, request, obj, form, change):
        """Through the services: data by project_create / project_update (scope, edit rights,
        validation, version, history), the state by project_transition (one ProjectTransition)."""
        if not scope_for(request.user).can_see(obj):
            raise PermissionDenied("无权把记录保存到您的范围之外")
        data = {f: form.cleaned_data[f] for f in services.PROJECT_FIELDS if f in form.changed_data}
        if not change:
            data = {f: form.cleaned_data[f] for f in services.PROJECT_FIELDS if f in form.cleaned_data}
            created = service_call(
                lambda: services.project_create(user=request.user, data={**data, "uscc": obj.enterprise.uscc})
            )
            obj.pk, obj.status, obj.version = created.pk, created.status, created.version
            return
        current = models.Project.objects.get(pk=obj.pk)
        if data:
            current = service_call(
                lambda: services.project_update(user=request.user, project=current, data=data, version=None)
            )
        to = form.cleaned_data.get("transition_to")
        if to:
            comment = form.cleaned_data.get("transition_comment", "")
            service_call(
                lambda: services.project_transition(
                    project=current, to=to, user=request.user, comment=comment
                )
            )


@admin.register(models.Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "kind", "level", "year"]
    list_filter = ["kind", "level", "year"]
    raw_id_fields = ["enterprise"]


@admin.register(models.FirstSetProduct)
class FirstSetProductAdmin(SimpleHistoryAdmin):
    list_display = ["product_name", "enterprise", "category", "level", "year"]
    list_filter = ["category", "level", "year"]
    raw_id_fields = ["enterprise"]


@admin.register(models.CatalogueEntry)
class CatalogueEntryAdmin(SimpleHistoryAdmin):
    list_display = ["brand", "model", "category", "enterprise", "batch", "published"]
    list_filter = ["category", "published", "batch"]
    raw_id_fields = ["enterprise"]


@admin.register(models.ServiceProvider)
class ServiceProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "published"]
    list_filter = ["kind", "published"]


@admin.register(models.TypicalCase)
class TypicalCaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "enterprise", "provider", "published"]
    list_filter = ["year", "published"]
    raw_id_fields = ["enterprise", "provider"]


@admin.register(models.Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "level", "purpose", "amount", "area", "project", "document_no"]
    list_filter = ["year", "level"]
    search_fields = ["document_no", "project__code"]
    raw_id_fields = ["project"]  # a drop-down of every project would not load


@admin.register(models.Statistic)
class StatisticAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area_code", "period", "value"]
    list_filter = ["indicator", "year"]


@admin.register(models.IndustrialChain)
class IndustrialChainAdmin(SimpleHistoryAdmin):
    list_display = ["name", "leader", "leader_unit"]
    # a search of the (scoped) enterprise admin, not a list of every enterprise (200,000 nationally)
    autocomplete_fields = ["masters"]


@admin.register(models.ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Written only by services.project_transition; deletes are scoped."""

    allow_delete = True
    list_display = ["project", "from_status", "to_status", "action", "user", "at", "comment"]
    list_filter = ["to_status"]
    search_fields = ["project__code"]
