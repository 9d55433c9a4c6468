"""设备台账: an enterprise's ledger of machines (issue 14, item 3): a clean sheet writes it in yuan with
its replacement projects, every bad row says why with sheet, row and column, an area operator imports
only its area's enterprises and names only their projects, export → import is a no-op."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment.models import LedgerItem
from renewal.exchange.registry_exports import registry_export
from renewal.registry.models import Project
from tests.factories import named_users

from . import files as F

pytestmark = pytest.mark.django_db

# 统一社会信用代码, 设备编号, 设备名称, 规格型号, 设备类别, 购置年份, 原值(万元), 额定功率(kW), 能效等级, 状态,
# 淘汰日期, 替换项目编号
BOILER = [F.USCC_A, "SB-001", "燃煤锅炉", "EXB-4", "通用设备", 2008, 35, 2800, "3级", "在用", None, None]
MOTOR = [F.USCC_A, "SB-002", "电动机", "ｅｘｍ-132", "通用设备", 1998, 1.2345, 5.5, None, "已淘汰", dt.date(2024, 5, 1), "T-001"]  # fmt: skip
FAN = [F.USCC_B, "HN-01", "风机", "EXF-9", "通用设备", None, None, None, None, "停用", None, None]
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")
CITY = Scope(role=Role.CITY_ADMIN)


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


@pytest.fixture
def projects(run_import, tmp_path):
    """T-001 (南湖, USCC_A) and T-002 (海宁, USCC_B)."""
    report = run_import(F.clean_workbook(tmp_path / "clean.xlsx"))
    assert report.committed, lines(report)


def test_a_clean_sheet_writes_the_ledger_in_yuan_with_its_replacement_project(run_import, tmp_path, projects):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"设备台账": [BOILER, MOTOR, FAN]}))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("设备台账", 3)]
    boiler = LedgerItem.objects.get(number="SB-001")
    assert (boiler.enterprise.uscc, boiler.original_value, boiler.rated_power_kw) == (
        F.USCC_A,
        Decimal(350_000),
        Decimal(2800),
    )
    assert (boiler.purchase_year, boiler.efficiency_grade, boiler.status, boiler.eliminated_on) == (
        2008,
        "3级",
        "在用",
        None,
    )
    motor = LedgerItem.objects.get(number="SB-002")
    assert motor.replacement_project == Project.objects.get(code="T-001")
    assert (motor.original_value, motor.spec, motor.efficiency_grade) == (
        Decimal("12345.00"),
        "ｅｘｍ-132",
        "",
    )
    fan = LedgerItem.objects.get(number="HN-01")
    assert (fan.enterprise.area_id, fan.original_value, fan.purchase_year) == ("330481", None, None)
    assert motor.history.first().history_change_reason == "Excel 导入：a.xlsx"


def test_the_same_file_again_changes_nothing_and_a_new_status_is_an_update(run_import, tmp_path, projects):
    path = F.xlsx(tmp_path / "a.xlsx", {"设备台账": [BOILER, FAN]})
    run_import(path)
    again = run_import(path)
    assert [(s.new, s.changed, s.unchanged) for s in again.sheets] == [(0, 0, 2)]
    stopped = [*BOILER[:9], "停用", None, None]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"设备台账": [stopped]}))
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 1, 0)]
    boiler = LedgerItem.objects.get(number="SB-001")
    assert boiler.status == "停用" and boiler.version == 2


def test_enterprises_projects_and_their_ledger_import_from_one_file(run_import, tmp_path):
    sheets = {"企业": [F.ENTERPRISE_A], "项目": [F.PROJECT_A], "设备台账": [MOTOR]}
    dry = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), dry_run=True)
    assert dry.ok and [s.new for s in dry.sheets] == [1, 1, 1], lines(dry)
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets))
    assert report.committed, lines(report)
    assert LedgerItem.objects.get().replacement_project.code == "T-001"


def test_every_bad_row_is_refused_with_sheet_row_column_and_a_chinese_message(run_import, tmp_path, projects):
    this_year = timezone.localdate().year
    rows = [
        [*MOTOR[:10], None, "T-001"],  # 已淘汰 without its date
        [*BOILER[:10], dt.date(2024, 5, 1), None],  # a date but 在用
        [*BOILER[:1], "SB-003", *BOILER[2:5], 1900, *BOILER[6:]],
        [*BOILER[:1], "SB-004", *BOILER[2:9], "报废", None, None],
        ["91330402MA2B00001L", *BOILER[1:]],  # not registered
        [*BOILER[:1], "SB-005", *BOILER[2:4], None, *BOILER[5:]],
        [*BOILER[:1], "SB-006", *BOILER[2:6], -3, *BOILER[7:]],
        [*BOILER[:1], "SB-007", *BOILER[2:11], "T-002"],  # 海宁's project for a 南湖 enterprise
        [*BOILER[:1], "SB-008", *BOILER[2:11], "X-404"],
        [*BOILER[:1], "SB-009", *BOILER[2:]],
        [*BOILER[:1], "SB-009", *BOILER[2:]],  # the key of row 11 again
    ]
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", {"设备台账": rows}))
    assert not report.committed
    assert lines(report) == [
        "设备台账, 第2行, 淘汰日期: 状态为“已淘汰”时须填写淘汰日期",
        "设备台账, 第3行, 淘汰日期: 只有状态为“已淘汰”的设备填写淘汰日期（该行状态为“在用”）",
        f"设备台账, 第4行, 购置年份: 购置年份 1900 不合理（应为 1950–{this_year} 的四位年份）",
        "设备台账, 第5行, 状态: “报废”不是可选值（可选：在用、停用、已淘汰）",
        "设备台账, 第6行, 统一社会信用代码: 企业 91330402MA2B00001L 未登记或无权操作，且不在本文件的“企业”表中",
        "设备台账, 第7行, 设备类别: 不能为空",
        "设备台账, 第8行, 原值(万元): 不能为负数（-3）",
        f"设备台账, 第12行, -: 与第 11 行重复（{F.USCC_A} / SB-009）",
        # found with the batch's look-up of the projects, after the checks of each row
        f"设备台账, 第9行, 替换项目编号: 项目 T-002 不是企业 {F.USCC_A} 的项目（替换项目须为本企业的项目）",
        "设备台账, 第10行, 替换项目编号: 项目 X-404 未登记或无权操作，且不在本文件的“项目”表中",
    ]
    assert LedgerItem.objects.count() == 0


def test_an_area_operator_imports_only_its_areas_enterprises_and_their_projects(
    run_import, tmp_path, projects
):
    op = named_users()["op_nanhu"]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"设备台账": [BOILER, FAN]}), user=op, scope=NANHU)
    assert lines(report) == [
        # 海宁's registered enterprise reads exactly like an unknown one (issue 20: no oracle)
        "设备台账, 第3行, 统一社会信用代码: 企业 91330481MA28K7L3XB 未登记或无权操作，且不在本文件的“企业”表中"
    ]
    # 海宁's project reads as unknown to 南湖's operator: no oracle of which codes exist elsewhere
    other = [*BOILER[:11], "T-002"]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"设备台账": [other]}), user=op, scope=NANHU)
    assert lines(report) == [
        "设备台账, 第2行, 替换项目编号: 项目 T-002 未登记或无权操作，且不在本文件的“项目”表中"
    ]
    assert LedgerItem.objects.count() == 0
    report = run_import(F.xlsx(tmp_path / "c.xlsx", {"设备台账": [BOILER, MOTOR]}), user=op, scope=NANHU)
    assert report.committed, lines(report)
    assert LedgerItem.objects.get(number="SB-002").history.first().history_user == op


def test_an_item_in_the_recycle_bin_is_refused_until_restored(run_import, tmp_path, projects):
    from renewal.registry.services import record_delete, record_restore

    admin = named_users()["city_admin"]
    path = F.xlsx(tmp_path / "a.xlsx", {"设备台账": [BOILER]})
    assert run_import(path).committed
    record_delete(user=admin, obj=LedgerItem.objects.get())
    assert lines(run_import(path)) == [
        "设备台账, 第2行, 设备编号: 设备台账“SB-001 燃煤锅炉” 已被删除（在回收站中），请由市级管理员恢复后再导入"
    ]
    record_restore(user=admin, obj=LedgerItem.all_objects.get())
    assert [(s.new, s.unchanged) for s in run_import(path).sheets] == [(0, 1)]


def test_export_then_import_changes_nothing(run_import, tmp_path, projects):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"设备台账": [BOILER, MOTOR, FAN]})).committed
    exported = tmp_path / "export.xlsx"
    buffer = io.BytesIO()
    assert registry_export(buffer, kind="ledger", scope=CITY) == 3
    exported.write_bytes(buffer.getvalue())
    report = run_import(exported)
    assert report.committed, lines(report)
    assert [(s.name, s.new, s.changed, s.unchanged) for s in report.sheets] == [("设备台账", 0, 0, 3)]
    nanhu = io.BytesIO()
    assert registry_export(nanhu, kind="ledger", scope=NANHU) == 2  # the operator's own area only


def test_a_project_of_the_file_must_be_the_enterprises_own_in_a_dry_run_and_at_the_import(
    run_import, tmp_path
):
    wrong = [*MOTOR[:11], "T-002"]  # 海宁's project of this file for a 南湖 enterprise
    sheets = {
        "企业": [F.ENTERPRISE_A, F.ENTERPRISE_B],
        "项目": [F.PROJECT_A, F.PROJECT_B],
        "设备台账": [wrong],
    }
    expected = [
        f"设备台账, 第2行, 替换项目编号: 项目 T-002 不是企业 {F.USCC_A} 的项目（替换项目须为本企业的项目）"
    ]
    assert lines(run_import(F.xlsx(tmp_path / "a.xlsx", sheets), dry_run=True)) == expected
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets))
    assert lines(report) == expected and not report.committed
