"""Audit trail: every change on every path (page, API with a token, admin, a service call without a
request as imports and commands make) names its author; a record's history view; the export
neutralises formulas; soft deletes are hidden and restorable by a city administrator only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.accounts.tokens import token_create
from renewal.audit.export import neutralise
from renewal.lib.errors import Refused
from renewal.registry.models import Enterprise, Project
from renewal.registry.services import project_update, record_delete, record_restore

pytestmark = pytest.mark.django_db


def last_author(obj):
    return type(obj).all_objects.get(pk=obj.pk).history.first().history_user


def test_a_page_change_is_attributed_to_the_logged_in_user(client, people):
    Project.objects.filter(code="NH-1").update(status="已申报")
    client.force_login(people["op_nanhu"])
    client.post(reverse("registry:project_transition", args=["NH-1"]), {"to": "区县审核通过"})
    assert last_author(people["NH"]) == people["op_nanhu"]


def test_an_api_token_change_is_attributed_to_the_tokens_user(client, people):
    _, plain = token_create(user=people["enterprise"])
    Project.objects.filter(code="NH-1").update(status="草稿")
    response = client.patch(
        "/api/v1/projects/NH-1",
        data={"version": 1, "new_cnc": 7},
        content_type="application/json",
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 200
    h = Project.objects.get(code="NH-1").history.first()
    assert (h.history_user, h.new_cnc) == (people["enterprise"], 7)


def test_an_admin_change_is_attributed_and_bumps_the_version(client, people):
    admin = people["city_admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    e = people["HN"].enterprise
    url = reverse("admin:registry_enterprise_change", args=[e.pk])
    form = {
        "uscc": e.uscc,
        "name": "海宁改名有限公司",
        "area": e.area_id,
        "industry_code": "34",
        "employees": "",
        "land_mu": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:500]
    e.refresh_from_db()
    assert (e.name, e.version, last_author(e)) == ("海宁改名有限公司", 2, admin)


def test_a_service_call_without_a_request_names_its_author_too(people):
    """Imports, commands and tasks call the services outside any request."""
    Project.objects.filter(code="NH-1").update(status="草稿")
    project_update(user=people["op_nanhu"], project=people["NH"], data={"name": "导入改名"}, version=1)
    assert last_author(people["NH"]) == people["op_nanhu"]


def test_the_history_page_shows_who_changed_what_from_what_to_what(client, people):
    Project.objects.filter(code="NH-1").update(status="草稿")
    project_update(user=people["op_nanhu"], project=people["NH"], data={"new_robots": 12}, version=1)
    client.force_login(people["op_nanhu"])
    page = client.get(reverse("audit:history", args=["registry.project", people["NH"].pk])).content.decode()
    assert "op-330402" in page and "新增工业机器人(台)：<del>0</del> → <ins>12</ins>" in page


def test_a_deleted_project_is_hidden_everywhere_and_restored_only_by_a_city_admin(client, people):
    Project.objects.filter(code="NH-1").update(status="草稿")
    record_delete(user=people["op_nanhu"], obj=Project.objects.get(code="NH-1"), reason="重复登记")
    assert not Project.objects.filter(code="NH-1").exists()
    assert Project.all_objects.get(code="NH-1").is_deleted
    _, plain = token_create(user=people["city_admin"])
    assert (
        client.get("/api/v1/projects/NH-1", headers={"Authorization": f"Bearer {plain}"}).status_code == 404
    )
    deleted = Project.all_objects.get(code="NH-1")
    with pytest.raises(Refused):
        record_restore(user=people["op_nanhu"], obj=deleted)
    client.force_login(people["city_admin"])
    assert "NH-1" in client.get(reverse("audit:trash")).content.decode()
    client.post(reverse("audit:restore", args=["registry.project", deleted.pk]))
    restored = Project.objects.get(code="NH-1")
    reasons = list(restored.history.values_list("history_change_reason", "history_user__username")[:2])
    assert reasons == [("恢复", "city-admin"), ("删除：重复登记", "op-330402")]


def test_the_admin_deletes_softly(client, people):
    admin = people["city_admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    e = Enterprise.objects.create(
        uscc="91330402MA2B00001L", name="待删", area_id="330402", industry_code="34"
    )
    client.post(reverse("admin:registry_enterprise_delete", args=[e.pk]), {"post": "yes"})
    assert Enterprise.all_objects.get(pk=e.pk).is_deleted and not Enterprise.objects.filter(pk=e.pk).exists()


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("南湖", "南湖"),
        (5, 5),
    ],
)
def test_export_cells_starting_with_a_formula_character_are_neutralised(value, safe):
    assert neutralise(value) == safe


def test_the_audit_export_is_an_xlsx_with_authors_and_no_live_formula(client, people):
    from renewal.registry.services import enterprise_update

    e = people["NH"].enterprise
    enterprise_update(
        user=people["op_nanhu"], enterprise=e, data={"name": '=HYPERLINK("http://x")'}, version=1
    )
    client.force_login(people["city_admin"])
    response = client.get(reverse("audit:export") + "?model=registry.enterprise")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "类型", "对象类型", "记录编号", "记录", "变更理由", "变更内容")
    change = next(r for r in rows if r[1] == "op-330402")
    assert change[2:6] == ("修改", "企业", str(e.pk), '\'=HYPERLINK("http://x")')
    assert change[7] == '企业名称：南湖测试机械有限公司 → =HYPERLINK("http://x")；版本：1 → 2'
    assert all(not (isinstance(c, str) and c.startswith("=")) for r in rows for c in r)


def test_the_audit_export_keeps_a_formula_inert_and_its_times_as_dates(client, people):
    from renewal.registry.services import enterprise_update

    e = people["NH"].enterprise
    enterprise_update(user=people["op_nanhu"], enterprise=e, data={"name": "=SUM(1,2)"}, version=1)
    client.force_login(people["city_admin"])
    response = client.get(reverse("audit:export") + "?model=registry.enterprise")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    record = next(c for c in cells if c.column_letter == "F" and "SUM" in str(c.value))
    assert (record.value, record.data_type) == ("'=SUM(1,2)", "s")
    assert not any(c.data_type == "f" for c in cells)
    times = [c for c in cells if c.column_letter == "A"]
    assert times and all(isinstance(c.value, dt.datetime) for c in times)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:H{sheet.max_row}"
