"""Equipment lines through the API and on the project page (issue 14, item 1): the same rules as
the import (Chinese 422 naming the field), scope (404 outside it), edit rights of the project,
optimistic locking (409), history; the page shows the lines, their total beside 设备投资 and what
P11/P13 give for each line."""

import pytest

from renewal.accounts.tokens import token_create
from renewal.equipment.models import EquipmentLine
from renewal.registry.models import Project

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/NH-1/equipment"
LATHES = {
    "name": "数控车床",
    "spec": "CK6150",
    "category": "数控机床",
    "unit_price": 800000,
    "quantity": 5,
    "origin": "国产",
    "acquired_on": "2024-06-10",
}


def call(client, user, method, url, body=None):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, data=body, content_type="application/json", headers=headers)


def test_an_operator_adds_lines_and_reads_them_back_with_total_and_warnings(client, people):
    op = people["op_nanhu"]
    created = call(client, op, "post", URL, LATHES)
    assert created.status_code == 201, created.json()
    assert created.json()["number"] == 1
    assert (created.json()["amount"], created.json()["unit_price"]) == (4_000_000, 800_000)
    lease = {"name": "检测线", "category": "检测检验设备", "acquisition": "租赁", "lease_fee": 2_500_000}
    assert call(client, op, "post", URL, lease).json()["number"] == 2
    listed = call(client, op, "get", URL).json()
    assert [i["number"] for i in listed["items"]] == [1, 2]
    # 4,000,000 + 2,500,000 = 6,500,000 > 6,000,000 × 1.05 (the project's 设备投资, the tolerance)
    assert (listed["total"], listed["equipment_investment"], listed["count"]) == (6_500_000, 6_000_000, 2)
    assert listed["warnings"] == [
        "设备清单合计 650.00 万元，超过项目登记的设备投资 600.00 万元（允许超出 5%）"
    ]
    line = EquipmentLine.objects.get(number=1)
    assert line.history.first().history_user == op


def test_a_purchase_without_price_is_a_chinese_422_naming_the_field(client, people):
    body = {k: v for k, v in LATHES.items() if k != "unit_price"}
    answer = call(client, people["op_nanhu"], "post", URL, body)
    assert answer.status_code == 422
    assert "单价" in str(answer.json()) and "购置设备须填写单价" in str(answer.json())
    assert not EquipmentLine.objects.exists()


def test_another_areas_operator_gets_404_and_a_stale_edit_409(client, people):
    op, other = people["op_nanhu"], people["op_haining"]
    assert call(client, other, "get", URL).status_code == 404
    assert call(client, other, "post", URL, LATHES).status_code == 404
    call(client, op, "post", URL, LATHES)
    first = call(client, op, "patch", f"{URL}/1", {"version": 1, "quantity": 6})
    assert first.status_code == 200 and first.json()["version"] == 2 and first.json()["amount"] == 4_800_000
    stale = call(client, people["city_admin"], "patch", f"{URL}/1", {"version": 1, "quantity": 9})
    assert stale.status_code == 409
    assert EquipmentLine.objects.get().quantity == 6


def test_the_enterprise_changes_its_lines_only_while_the_project_is_a_draft(client, people):
    ent = people["enterprise"]
    assert call(client, ent, "post", URL, LATHES).status_code == 403  # NH-1 is 在建
    Project.objects.filter(code="NH-1").update(status="草稿")
    assert call(client, ent, "post", URL, LATHES).status_code == 201
    deleted = call(client, ent, "delete", f"{URL}/1")
    assert deleted.status_code == 204
    assert EquipmentLine.all_objects.get().is_deleted and not EquipmentLine.objects.exists()


def test_the_project_page_shows_the_lines_their_total_and_what_p11_p13_give(client, people):
    op = people["op_nanhu"]
    call(client, op, "post", URL, LATHES)
    client.force_login(op)
    page = client.get("/registry/projects/NH-1/").content.decode()
    assert "设备清单（金额单位：万元）" in page
    assert (
        "共 1 项，合计 <strong>400.00</strong> 万元；项目登记的设备投资 <strong>600.00</strong> 万元" in page
    )
    # P13: 800,000 per unit ≤ 5,000,000: the whole 4,000,000 may be expensed at once
    assert (
        "P13：设备第1行“1. 数控车床”：单位价值80万元不超过500万元，2024-06-10购置，可一次性计入当期成本费用400万元"
        in page
    )
    assert "P11：设备第1行“1. 数控车床”购置，单价80万元×5台（套）=400万元，计入设备投资额400万元。" in page


def test_the_viewer_reads_no_lines(client, people):
    assert call(client, people["viewer"], "get", URL).status_code == 403
