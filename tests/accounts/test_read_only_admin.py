"""Records written only by services or by the plan file (accounts.admin_scope.ReadOnlyAdminMixin):
the admin shows them to a city administrator but refuses adding and changing them; deleting stays
only where the class allows it."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from renewal.accounts.admin_scope import ReadOnlyAdminMixin
from renewal.planning.models import Target
from renewal.reporting.models import MonthApproval
from renewal.reporting.services import month_approve

pytestmark = pytest.mark.django_db

READ_ONLY = sorted(
    (m._meta.app_label, m._meta.model_name)
    for m, ma in admin.site._registry.items()
    if isinstance(ma, ReadOnlyAdminMixin)
)


def test_the_read_only_classes_are_the_service_and_plan_records():
    assert READ_ONLY == [
        ("assessment", "adjustment"),
        ("finance", "drawdown"),
        ("finance", "fundinvestment"),
        ("finance", "interestsubsidyrecord"),
        ("finance", "loanbatch"),
        ("finance", "loancontract"),
        ("finance", "repayment"),
        # park records: written by the import of their sheets (decision 0019)
        ("parks", "enterpriserating"),
        ("parks", "greenparkitem"),
        ("parks", "park"),
        ("parks", "parkmember"),
        ("parks", "smartparkitem"),
        ("planning", "area"),
        ("planning", "clause"),
        ("planning", "parameter"),
        ("planning", "plan"),
        ("planning", "responsibleunit"),
        ("planning", "target"),
        ("registry", "projecttransition"),
        ("reporting", "monthapproval"),
        ("reporting", "monthapprovalstep"),
        ("reporting", "taskattachment"),
        ("reporting", "taskreport"),
        ("reports", "publication"),
        ("settlement", "decisionrecord"),
    ]


@pytest.mark.parametrize(("app", "model"), READ_ONLY)
def test_a_city_admin_may_list_but_not_add(client, admin_staff, app, model):
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403


def test_a_city_admin_may_not_change_a_target_nor_delete_it(client, admin_staff):
    target = Target.objects.first()
    url = reverse("admin:planning_target_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "改过的指标"}).status_code == 403
    delete = reverse("admin:planning_target_delete", args=[target.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    target.refresh_from_db()
    assert target.name != "改过的指标"


def test_a_months_approval_is_neither_changed_nor_deleted_in_the_admin(client, admin_staff):
    # a deleted row would reopen an approved or confirmed month without a step in its log
    row = month_approve(user=admin_staff, area="330402", month=dt.date(2024, 3, 1))
    url = reverse("admin:reporting_monthapproval_change", args=[row.pk])
    assert client.post(url, {"state": "填报中"}).status_code == 403
    delete = reverse("admin:reporting_monthapproval_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert MonthApproval.objects.get(pk=row.pk).state == "区县已审核"
