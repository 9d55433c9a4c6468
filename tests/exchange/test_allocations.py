"""资金下达: fund allocations to projects (issue 13, item 8, the data side): a clean sheet links the
funds to their projects, each bad row says why with sheet, row and column, and an area operator
allocates only to its own area's projects."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.registry.models import Fund, Project
from tests.factories import named_users

from . import files as F

pytestmark = pytest.mark.django_db

HEADERS = ["项目编号", "资金级别", "年度", "金额(万元)", "文号"]  # without the optional columns
DOC_A, DOC_B = "浙财企〔2024〕12号", "工信部规〔2024〕3号"
ALLOCATION_A = ["T-001", "省级", 2024, 50, DOC_A, dt.date(2024, 6, 30), "技改项目补助"]
ALLOCATION_B = ["T-002", "国家级", 2024, 12.3456, DOC_B]
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


@pytest.fixture
def projects(run_import, tmp_path):
    """T-001 (南湖) and T-002 (海宁), imported by the city."""
    report = run_import(F.clean_workbook(tmp_path / "clean.xlsx"))
    assert report.committed, lines(report)


def test_a_clean_sheet_writes_funds_that_name_their_projects(run_import, tmp_path, projects):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"资金下达": [ALLOCATION_A, ALLOCATION_B]}))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("资金下达", 2)]
    a = Fund.objects.get(document_no=DOC_A)
    assert (a.project, a.area_id, a.level, a.year) == (
        Project.objects.get(code="T-001"),
        "330402",
        "省级",
        2024,
    )
    assert a.amount == Decimal("500000.00") and a.granted_on == dt.date(2024, 6, 30)
    assert a.purpose == "技改项目补助"
    b = Fund.objects.get(document_no=DOC_B)
    assert (b.project.code, b.area_id, b.amount) == ("T-002", "330481", Decimal("123456.00"))
    assert b.purpose == "设备更新项目补助" and b.granted_on is None  # the default purpose
    assert list(Project.objects.get(code="T-001").funds.all()) == [a]
    assert a.history.first().history_change_reason == "Excel 导入：a.xlsx"


def test_the_same_file_again_changes_nothing_and_a_new_amount_is_an_update(run_import, tmp_path, projects):
    path = F.xlsx(tmp_path / "a.xlsx", {"资金下达": [ALLOCATION_A, ALLOCATION_B]})
    run_import(path)
    again = run_import(path)
    assert [(s.new, s.changed, s.unchanged) for s in again.sheets] == [(0, 0, 2)]
    changed = [*ALLOCATION_A[:3], 80, DOC_A]  # a file without 下达日期 and 用途
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"资金下达": [changed]}, {"资金下达": HEADERS}))
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 1, 0)]
    a = Fund.objects.get(document_no=DOC_A)
    assert a.amount == Decimal(800_000) and a.version == 2
    assert a.purpose == "技改项目补助" and a.granted_on == dt.date(2024, 6, 30)  # kept: columns absent


def test_projects_and_their_allocations_import_from_one_file(run_import, tmp_path):
    sheets = {
        "企业": [F.ENTERPRISE_A],
        "项目": [F.PROJECT_A],
        "资金下达": [[*ALLOCATION_A[:5], None, None]],
    }
    dry = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), dry_run=True)
    assert dry.ok and [s.new for s in dry.sheets] == [1, 1, 1]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets))
    assert report.committed, lines(report)
    assert Fund.objects.get().project == Project.objects.get(code="T-001")


def test_every_bad_row_is_refused_with_sheet_row_column_and_a_chinese_message(run_import, tmp_path, projects):
    rows = [
        ["X-404", "省级", 2024, 10, "文1"],
        ["T-001", "省部级", 2024, 10, "文2"],
        ["T-001", "省级", 2024, 0, "文3"],
        ["T-001", "省级", 2024, -5, "文4"],
        ["T-001", "省级", 2023, 10, "文5"],
        ["T-001", "省级", 2028, 10, "文6"],
        ["T-001", "省级", 2024, 10, None],
        ["T-001", "省级", 2024, 10, "文8"],
        ["T-001", "省级", 2024, 20, "文8"],
    ]
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", {"资金下达": rows}, {"资金下达": HEADERS}))
    assert not report.committed
    assert lines(report) == [
        "资金下达, 第3行, 资金级别: “省部级”不是可选值（可选：国家级、省级、市级、县级）",
        "资金下达, 第4行, 金额(万元): 金额应大于 0",
        "资金下达, 第5行, 金额(万元): 不能为负数（-5）",
        "资金下达, 第6行, 年度: 年度 2023 不在行动方案的年度范围内（2024–2027）",
        "资金下达, 第7行, 年度: 年度 2028 不在行动方案的年度范围内（2024–2027）",
        "资金下达, 第8行, 文号: 不能为空",
        "资金下达, 第10行, -: 与第 9 行重复（T-001 / 省级 / 2024 / 文8）",
        # found with the batch's look-up of the projects, after the checks of each row
        "资金下达, 第2行, 项目编号: 项目 X-404 未登记或无权操作，且不在本文件的“项目”表中",
    ]
    assert Fund.objects.count() == 0


def test_an_area_operator_cannot_allocate_to_another_areas_project(run_import, tmp_path, projects):
    op = named_users()["op_nanhu"]
    report = run_import(
        F.xlsx(tmp_path / "a.xlsx", {"资金下达": [ALLOCATION_A, ALLOCATION_B]}), user=op, scope=NANHU
    )
    assert not report.committed
    # the same words as for a code that does not exist: the operator learns nothing about 海宁
    assert lines(report) == [
        "资金下达, 第3行, 项目编号: 项目 T-002 未登记或无权操作，且不在本文件的“项目”表中"
    ]
    assert Fund.objects.count() == 0
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"资金下达": [ALLOCATION_A]}), user=op, scope=NANHU)
    assert report.committed, lines(report)
    fund = Fund.objects.get()
    assert fund.area_id == "330402" and fund.history.first().history_user == op


def test_an_allocation_to_a_deleted_project_is_refused_until_it_is_restored(run_import, tmp_path, projects):
    from renewal.registry.services import record_delete, record_restore

    admin = named_users()["city_admin"]
    path = F.xlsx(tmp_path / "a.xlsx", {"资金下达": [ALLOCATION_A]})
    assert run_import(path).committed
    record_delete(user=admin, obj=Project.objects.get(code="T-001"))
    assert not Fund.objects.exists()  # the project's fund went with it
    report = run_import(path)
    assert lines(report) == [
        "资金下达, 第2行, 项目编号: 项目 T-001 已被删除（在回收站中），请由市级管理员恢复后再导入"
    ]
    report = run_import(path, scope=NANHU)  # the operator of 南湖 sees its own project in the bin
    assert "已被删除" in lines(report)[0]
    record_restore(user=admin, obj=Project.all_objects.get(code="T-001"))
    again = run_import(path)
    assert [(s.new, s.unchanged) for s in again.sheets] == [(0, 1)]


def test_the_admin_shows_an_allocation_with_its_project(client, admin_staff, run_import, tmp_path, projects):
    from django.urls import reverse

    run_import(F.xlsx(tmp_path / "a.xlsx", {"资金下达": [ALLOCATION_A]}))
    fund = Fund.objects.get()
    listing = client.get(reverse("admin:registry_fund_changelist"), {"q": "T-001"}).content.decode()
    assert DOC_A in listing
    assert client.get(reverse("admin:registry_fund_change", args=[fund.pk])).status_code == 200
