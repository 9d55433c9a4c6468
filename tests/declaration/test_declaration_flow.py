"""The declaration from the enterprise's form to 已入库: declare, returned with a reason, edited and
declared again, approved by the area, then by the city — each step recorded with its author."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from renewal.equipment.models import EquipmentLine
from renewal.registry.models import Project

from .conftest import pdf
from .helpers import form

pytestmark = pytest.mark.django_db


def declare(client, people, **kw) -> Project:
    client.force_login(people["enterprise"])
    response = client.post("/declaration/new/", form(action="submit", **kw) | {"file-0": pdf()})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/declaration/"
    return Project.objects.get(name="南湖数控化改造项目")


def inbox_count(client, user) -> str:
    client.force_login(user)
    page = client.get("/declaration/inbox/")
    assert page.status_code == 200
    return page.content.decode()


def test_it_takes_a_declaration_from_the_enterprise_through_the_area_and_the_city(client, people):
    p = declare(client, people)
    today = timezone.localdate()
    # the draft was saved with its line (万元 typed, yuan kept) and attachment, then declared
    assert p.status == "已申报"
    assert p.code.startswith("2024-330402-S")
    assert p.enterprise.uscc == people["enterprise"].profile.enterprise_uscc
    assert p.equipment_investment == Decimal(6_000_000)
    line = EquipmentLine.objects.get(project=p)
    assert (line.unit_price, line.quantity, line.amount) == (Decimal(1_500_000), 2, Decimal(3_000_000))
    assert p.attachments.get().original_name == "备案证明.pdf"
    step = p.transitions.get()
    assert (step.from_status, step.to_status, step.user, step.effective_on) == (
        "草稿",
        "已申报",
        people["enterprise"],
        today,
    )
    # the enterprise's list shows where it stands
    assert "已申报" in client.get("/declaration/").content.decode()

    # the area operator of 南湖 has it in its inbox, and the count in the header
    assert "待我审核 1 项" in inbox_count(client, people["op_nanhu"])
    home = client.get("/").content.decode()
    assert '待我审核 <b class="count">1</b> 项' in home
    assert "待我审核 0 项" in inbox_count(client, people["op_haining"])
    assert "待我审核 0 项" in inbox_count(client, people["city_reviewer"])

    # a return needs a reason
    client.force_login(people["op_nanhu"])
    page = client.get(f"/declaration/{p.code}/").content.decode()
    assert "五轴数控机床" in page and "备案证明.pdf" in page and "退回理由（必填）" in page
    refused = client.post(f"/declaration/{p.code}/review", {"to": "退回", "comment": " "})
    assert refused.status_code == 422
    assert "“退回”须填写理由" in refused.content.decode()
    p.refresh_from_db()
    assert p.status == "已申报"
    returned = client.post(f"/declaration/{p.code}/review", {"to": "退回", "comment": "请补充设备发票号"})
    assert returned.status_code == 302
    p.refresh_from_db()
    assert p.status == "退回"

    # the enterprise reads the reason, edits and declares again
    client.force_login(people["enterprise"])
    mine = client.get("/declaration/").content.decode()
    assert "请补充设备发票号" in mine and f"/declaration/{p.code}/edit/" in mine
    edit = client.get(f"/declaration/{p.code}/edit/")
    assert edit.status_code == 200 and "五轴数控机床" in edit.content.decode()
    again = client.post(
        f"/declaration/{p.code}/edit/",
        form(action="submit", lines=[{"invoice_no": "33002400001"}], version=str(p.version)),
    )
    assert again.status_code == 302, again.content.decode()[:2000]
    p.refresh_from_db()
    assert p.status == "已申报"
    assert EquipmentLine.objects.get(project=p).invoice_no == "33002400001"
    assert [(t.from_status, t.to_status) for t in p.transitions.all()] == [
        ("草稿", "已申报"),
        ("已申报", "退回"),
        ("退回", "草稿"),
        ("草稿", "已申报"),
    ]

    # the area approves: the city reviewer has it now
    client.force_login(people["op_nanhu"])
    assert client.post(f"/declaration/{p.code}/review", {"to": "区县审核通过"}).status_code == 302
    assert "待我审核 0 项" in inbox_count(client, people["op_nanhu"])
    assert "待我审核 1 项" in inbox_count(client, people["city_reviewer"])
    client.force_login(people["city_reviewer"])
    page = client.get(f"/declaration/{p.code}/").content.decode()
    assert "请补充设备发票号" in page  # the history, with its comment
    assert client.post(f"/declaration/{p.code}/review", {"to": "已入库"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "已入库"
    last = p.transitions.last()
    assert (last.user, last.action, last.effective_on) == (people["city_reviewer"], "市级审核入库", today)
    assert "待我审核 0 项" in inbox_count(client, people["city_reviewer"])
    # once declared, the enterprise can no longer edit
    client.force_login(people["enterprise"])
    assert client.get(f"/declaration/{p.code}/edit/").status_code == 302


def test_it_refuses_the_review_page_and_the_files_of_another_area_or_enterprise(
    client, people, haining_enterprise
):
    p = declare(client, people)
    a = p.attachments.get()
    for outsider in (people["op_haining"], haining_enterprise):
        client.force_login(outsider)
        assert client.get(f"/declaration/{p.code}/").status_code == 404
        assert client.get(f"/declaration/{p.code}/attachments/{a.pk}/").status_code == 404
        assert client.post(f"/declaration/{p.code}/review", {"to": "区县审核通过"}).status_code == 404
    # a file that does not exist answers the same as one the caller may not see
    client.force_login(people["op_haining"])
    hidden = client.get(f"/declaration/{p.code}/attachments/{a.pk}/")
    missing = client.get(f"/declaration/HN-1/attachments/{a.pk + 100}/")
    assert hidden.status_code == missing.status_code == 404
    assert "未找到该附件（或无权查看）" in hidden.content.decode()
    assert "未找到该附件（或无权查看）" in missing.content.decode()
    p.refresh_from_db()
    assert p.status == "已申报"


def test_it_serves_a_file_to_who_sees_the_project_under_its_own_name(client, people):
    p = declare(client, people)
    a = p.attachments.get()
    for reader in (people["enterprise"], people["op_nanhu"], people["city_reviewer"]):
        client.force_login(reader)
        response = client.get(f"/declaration/{p.code}/attachments/{a.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
        assert "%E5%A4%87%E6%A1%88%E8%AF%81%E6%98%8E.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # the project's page lists it too
    client.force_login(people["op_nanhu"])
    assert "备案证明.pdf" in client.get(f"/registry/projects/{p.code}/").content.decode()


def test_it_shows_the_warnings_and_asks_before_declaring(client, people):
    client.force_login(people["enterprise"])
    # lines of 3,000万元 against 设备投资 600万元; a 省级 首台套 without a product of the registry
    lines = [
        {"unit_price": "1500"},
        {"name": "首台套检测线", "first_set_level": "省级", "unit_price": "10", "quantity": "1"},
    ]
    response = client.post("/declaration/new/", form(action="submit", lines=lines))
    assert response.status_code == 200
    page = response.content.decode()
    assert "提交前检查" in page and "确认无误，提交申报" in page
    assert "设备清单合计 3,010.00 万元，超过项目登记的设备投资 600.00 万元（允许超出 5" in page
    assert "第2行（首台套检测线）：首台套级别为省级，但未填写首台套产品" in page
    assert "尚未上传附件" in page
    p = Project.objects.get(name="南湖数控化改造项目")
    assert p.status == "草稿"  # saved, not declared
    confirmed = client.post(f"/declaration/{p.code}/submit", {"version": p.version, "confirm": "1"})
    assert confirmed.status_code == 302
    p.refresh_from_db()
    assert p.status == "已申报"


def test_it_shows_line_errors_in_chinese_beside_the_line_and_saves_nothing(client, people):
    client.force_login(people["enterprise"])
    response = client.post(
        "/declaration/new/",
        form(
            lines=[
                {},
                {"name": "空压机", "unit_price": "", "acquired_on": ""},
                {"acquisition": "租赁", "name": "AGV"},
            ]
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "第2行·单价：购置设备须填写单价" in page
    assert "第2行·购置日期：购置设备须填写购置日期" in page
    assert "第3行·租赁费：租赁设备须填写租赁费" in page
    assert '<span class="err">第2行·单价：购置设备须填写单价</span>' in page  # beside the cell
    assert not Project.objects.filter(name="南湖数控化改造项目").exists()


def test_it_shows_field_errors_with_the_line_errors(client, people):
    client.force_login(people["enterprise"])
    response = client.post(
        "/declaration/new/",
        form(equipment_investment="2000", types=[], unit_price="x", lines=[{"unit_price": "十万"}]),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "第1行·单价：应为数字（万元），实为“十万”" in page
    response = client.post("/declaration/new/", form(equipment_investment="2000", types=[]))
    page = response.content.decode()
    assert response.status_code == 422
    assert "设备投资不能大于总投资" in page and "项目类型不能为空" in page


def test_the_enterprise_is_its_own_and_never_chosen(client, people, haining_enterprise):
    client.force_login(people["enterprise"])
    page = client.get("/declaration/new/").content.decode()
    assert "南湖测试机械有限公司" in page and 'name="uscc"' not in page
    # a credit code slipped into the POST is ignored: the project is the login's enterprise's
    client.post("/declaration/new/", form(uscc="91110000600037341L"))
    assert Project.objects.get(name="南湖数控化改造项目").enterprise.name == "南湖测试机械有限公司"
    # another enterprise cannot open this one's form
    code = Project.objects.get(name="南湖数控化改造项目").code
    client.force_login(haining_enterprise)
    assert client.get(f"/declaration/{code}/edit/").status_code == 404
    assert client.post(f"/declaration/{code}/edit/", form()).status_code == 404


@pytest.mark.parametrize("who", ["op_nanhu", "city_reviewer", "viewer"])
def test_only_an_enterprise_opens_the_form(client, people, who):
    client.force_login(people[who])
    response = client.get("/declaration/new/")
    assert response.status_code == 403
    assert "在线申报由企业用户填写" in response.content.decode()


@pytest.mark.parametrize("who", ["enterprise", "viewer", "unit"])
def test_only_a_reviewer_opens_the_inbox(client, people, who):
    client.force_login(people[who])
    assert client.get("/declaration/inbox/").status_code == 403
    assert "待我审核" not in client.get("/").content.decode()


def test_the_header_links_to_the_declaration_for_an_enterprise(client, people):
    client.force_login(people["enterprise"])
    assert '<a href="/declaration/">项目申报</a>' in client.get("/").content.decode()


def test_a_returned_projects_line_dates_stay_as_typed(client, people):
    """Round trip: what the form shows of a saved draft is what was typed (万元, dates)."""
    client.force_login(people["enterprise"])
    client.post("/declaration/new/", form(lines=[{"unit_price": "12.345", "acquired_on": "2024-06-01"}]))
    p = Project.objects.get(name="南湖数控化改造项目")
    page = client.get(f"/declaration/{p.code}/edit/").content.decode()
    assert 'value="12.345"' in page and 'value="2024-06-01"' in page and 'value="600"' in page
    assert EquipmentLine.objects.get(project=p).acquired_on == dt.date(2024, 6, 1)
