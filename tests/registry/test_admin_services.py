"""The admin is no second write path: a project's state moves through services.project_transition
(one ProjectTransition), its data through project_update, monthly progress through progress_report
(month locks hold)."""

import datetime as dt

from django.urls import reverse

from renewal.registry.models import MonthlyProgress, Project, ProjectTransition
from renewal.reporting.services import month_approve, month_confirm


def project_form(project: Project, **changes) -> dict:
    data = {
        "name": project.name,
        "year": project.year,
        "types": project.types,
        "total_investment": project.total_investment,
        "equipment_investment": project.equipment_investment,
        "first_set_purchase": project.first_set_purchase,
        "new_robots": project.new_robots,
        "new_cnc": project.new_cnc,
        "energy_saving": project.energy_saving,
        "loan_demand": project.loan_demand,
        "intended_banks": "[]",
        "start_date": "",
        "end_date": "",
        "transition_to": "",
        "transition_comment": "",
        # the read-only progress inline: its management form only
        "progress-TOTAL_FORMS": 0,
        "progress-INITIAL_FORMS": 0,
        "progress-MIN_NUM_FORMS": 0,
        "progress-MAX_NUM_FORMS": 1000,
    }
    return data | changes


def test_a_state_change_in_the_admin_goes_through_the_workflow_and_writes_a_transition(
    client, admin_staff, people
):
    project = people["NH"]  # 在建
    url = reverse("admin:registry_project_change", args=[project.pk])
    response = client.post(url, project_form(project, transition_to="竣工"))
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    (step,) = ProjectTransition.objects.filter(project=project)
    assert (project.status, step.from_status, step.to_status, step.action) == ("竣工", "在建", "竣工", "竣工")
    assert step.user == admin_staff and step.effective_on == dt.date.today()
    assert project.version == 2


def test_the_admin_offers_only_the_steps_of_the_workflow_and_asks_a_reason_where_it_needs_one(
    client, admin_staff, people
):
    project = people["NH"]
    url = reverse("admin:registry_project_change", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'value="竣工"' in page and 'value="已兑现"' not in page
    response = client.post(url, project_form(project, transition_to="撤销"))
    assert response.status_code == 200 and "“撤销”须填写理由" in response.content.decode()
    response = client.post(url, project_form(project, transition_to="已兑现"))
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == "在建" and not ProjectTransition.objects.exists()


def test_a_data_edit_in_the_admin_is_a_versioned_update_with_its_author(client, admin_staff, people):
    project = people["NH"]
    url = reverse("admin:registry_project_change", args=[project.pk])
    assert client.post(url, project_form(project, name="改名后的项目")).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.version, project.status) == ("改名后的项目", 2, "在建")
    assert project.history.first().history_user == admin_staff


def test_monthly_progress_in_the_admin_obeys_the_months_confirmation(client, admin_staff, people):
    project = people["NH"]
    row = MonthlyProgress.objects.create(project=project, month=dt.date(2024, 3, 1), investment=100)
    month_approve(user=people["op_nanhu"], area="330402", month=dt.date(2024, 3, 1))
    month_confirm(user=admin_staff, area="330402", month=dt.date(2024, 3, 1))
    url = reverse("admin:registry_monthlyprogress_change", args=[row.pk])
    form = {"investment": 200, "equipment_investment": 0, "robots": 0, "cnc": 0, "reason": ""}
    assert client.post(url, form).status_code == 403
    row.refresh_from_db()
    assert row.investment == 100
    assert client.post(url, form | {"reason": "统计局更正"}).status_code == 302
    row.refresh_from_db()
    assert (row.investment, row.version) == (200, 2)
    assert row.history.first().history_change_reason == "更正已锁定月份：统计局更正"


def enterprise_form(ent, **changes) -> dict:
    data = {
        "name": ent.name,
        "area": ent.area_id,
        "industry_code": ent.industry_code,
        "land_mu": "",
        "employees": "",
    }
    return data | changes


def test_an_enterprise_edit_in_the_admin_goes_through_its_service(client, admin_staff, people):
    from renewal.registry.models import Enterprise

    ent = Enterprise.objects.get(uscc=people["NH"].enterprise.uscc)
    url = reverse("admin:registry_enterprise_change", args=[ent.pk])
    assert client.post(url, enterprise_form(ent, name="南湖改名机械有限公司")).status_code == 302
    ent.refresh_from_db()
    assert (ent.name, ent.version) == ("南湖改名机械有限公司", 2)
    assert ent.history.first().history_user == admin_staff


def test_an_area_operator_cannot_move_an_enterprise_out_of_its_area_in_the_admin(client, people):
    from renewal.registry.models import Enterprise

    operator = people["op_nanhu"]
    operator.is_staff = True
    operator.save()
    client.force_login(operator)
    ent = Enterprise.objects.get(uscc=people["NH"].enterprise.uscc)
    url = reverse("admin:registry_enterprise_change", args=[ent.pk])
    assert client.post(url, enterprise_form(ent, area="330481")).status_code in (200, 403)
    ent.refresh_from_db()
    assert (ent.area_id, ent.version) == ("330402", 1)
