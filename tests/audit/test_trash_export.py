"""The recycle bin exports its rows for the city administrator."""

import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.registry.services import record_delete

pytestmark = pytest.mark.django_db


def test_the_recycle_bin_exports_the_deleted_records_with_their_time(client, people):
    record_delete(user=people["city_admin"], obj=people["HN"], reason="重复登记")
    client.force_login(people["city_admin"])
    assert f'href="{reverse("audit:trash_export")}"' in client.get(reverse("audit:trash")).content.decode()
    response = client.get(reverse("audit:trash_export"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["回收站"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["对象类型", "类型标识", "记录编号", "记录", "删除时间"]
    assert [r[:4] for r in rows[1:]] == [["项目", "registry.project", people["HN"].pk, "HN-1 HN-1 技改项目"]]
    assert ws["E2"].is_date and ws["C2"].data_type == "n"


def test_only_a_city_admin_exports_the_recycle_bin(client, people):
    client.force_login(people["city_reviewer"])
    assert client.get(reverse("audit:trash_export")).status_code == 403
