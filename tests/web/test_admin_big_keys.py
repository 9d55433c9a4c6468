"""No admin form lists every enterprise, project or loan in a selection list: at national scale
(200,000 enterprises) such a form takes longer than the server's timeout to render. A key to one
of those tables is an autocomplete (scoped search) or a raw id (issue 19, item 5)."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.forms import Select, SelectMultiple
from django.test import RequestFactory

BIG = {"registry.enterprise", "registry.project", "finance.loancontract", "equipment.ledgeritem"}

pytestmark = pytest.mark.django_db


def _widgets(form_class):
    for name, field in form_class.base_fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
        yield name, widget


def test_no_admin_form_renders_a_selection_list_of_a_big_table(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("admin-keys", password="x")
    offenders = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue  # a read-only admin shows a key as text
        readonly = set(model_admin.get_readonly_fields(request))
        form = model_admin.get_form(request)
        for name, widget in _widgets(form):
            if name in readonly:
                continue
            try:
                target = model._meta.get_field(name).related_model
            except Exception:
                continue
            if target is None or target._meta.label_lower not in BIG:
                continue
            checked += 1
            if isinstance(widget, (AutocompleteMixin, ForeignKeyRawIdWidget, ManyToManyRawIdWidget)):
                continue
            if isinstance(widget, (Select, SelectMultiple)):
                offenders.append(f"{model._meta.label_lower}.{name}")
    assert checked >= 5  # the registry's own keys are looked at
    assert not offenders, offenders
