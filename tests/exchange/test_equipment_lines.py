"""设备清单: the lines of a project (issue 14, item 1): a clean sheet writes them in yuan, every bad
row says why with sheet, row and column, warnings for lines over 设备投资, robots and first-set
products, the scope and edit rights of the project, export → import is a no-op."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment.models import EquipmentLine
from renewal.exchange.registry_exports import registry_export
from renewal.registry.models import FirstSetProduct, Project
from tests.factories import named_users

from . import files as F

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 3, 1)
# 项目编号, 序号, 设备名称, 规格型号, 设备类别, 购置方式, 单价(万元), 数量, 租赁费(万元), 国产/进口,
# 首台套级别, 首台套产品, 供应商, 发票号, 购置日期, 折旧类别
ROBOTS = ["T-001", 1, "六轴机器人", "IRB-6700", "工业机器人", "购置", 60, 4, None, "国产", None, None, "示例机器人公司", "FP-1", DAY, None]  # fmt: skip
LATHES = ["T-001", 2, "数控车床", "CK6150", "数控机床", "购置", 80, 5, None, "进口", "无", None, None, None, DAY, "机器设备"]  # fmt: skip
LEASED = ["T-001", 3, "检测线", None, "检测检验设备", "租赁", None, None, 30, "国产", None, None, None, None, None, None]  # fmt: skip
HAINING = ["T-002", 1, "经编机", "HKS-3", "通用设备", "购置", 100, 2, None, "进口", None, None, None, None, DAY, None]  # fmt: skip
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


def warnings(report) -> list[str]:
    return [i.line() for i in report.warnings]


@pytest.fixture
def projects(run_import, tmp_path):
    """T-001 (南湖, 在建, 设备投资 1,800万, 3 robots reported) and T-002 (海宁)."""
    report = run_import(F.clean_workbook(tmp_path / "clean.xlsx"))
    assert report.committed, lines(report)


def test_a_clean_sheet_writes_the_lines_in_yuan(run_import, tmp_path, projects):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS, LATHES, LEASED, HAINING]}))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("设备清单", 4)]
    assert warnings(report) == []
    robots, lathes, leased = EquipmentLine.objects.filter(project__code="T-001").order_by("number")
    assert (robots.unit_price, robots.quantity, robots.amount) == (Decimal(600_000), 4, Decimal(2_400_000))
    assert (robots.first_set_level, robots.depreciation_class) == ("无", "机器设备")  # the defaults
    assert (lathes.origin, lathes.amount, lathes.acquired_on) == ("进口", Decimal(4_000_000), DAY)
    assert (leased.acquisition, leased.unit_price, leased.lease_fee, leased.amount) == (
        "租赁",
        None,
        Decimal(300_000),
        Decimal(300_000),
    )
    assert robots.history.first().history_change_reason == "Excel 导入：a.xlsx"


def test_every_bad_row_is_refused_with_sheet_row_column_and_a_chinese_message(run_import, tmp_path, projects):
    no_price = [*ROBOTS[:6], None, *ROBOTS[7:]]
    no_date = [*LATHES[:14], None, LATHES[15]]
    no_fee = [*LEASED[:8], None, *LEASED[9:]]
    zero = [*ROBOTS[:1], 4, *ROBOTS[2:7], 0, *ROBOTS[8:]]
    unknown = ["X-999", *ROBOTS[1:]]
    category = [*ROBOTS[:1], 5, *ROBOTS[2:4], "机器人", *ROBOTS[5:]]
    report = run_import(
        F.xlsx(tmp_path / "bad.xlsx", {"设备清单": [no_price, no_date, no_fee, zero, unknown, category]})
    )
    assert not report.committed
    assert lines(report) == [
        "设备清单, 第2行, 单价(万元): 购置设备须填写单价",
        "设备清单, 第3行, 购置日期: 购置设备须填写购置日期（一次性税前扣除按购置日期判断）",
        "设备清单, 第4行, 租赁费(万元): 租赁设备须填写租赁费",
        "设备清单, 第5行, 数量: 数量应为不小于1的整数，实为 0",
        lines(report)[4],
        "设备清单, 第6行, 项目编号: 项目 X-999 未登记或无权操作，且不在本文件的“项目”表中",
    ]  # a cell's error is found as the row is read, the unknown project with the batch
    assert lines(report)[4] == (
        "设备清单, 第7行, 设备类别: “机器人”不是可选值（可选：通用设备、工业机器人、数控机床、检测检验设备、"
        "信息化设备、节能节水专用设备、环境保护专用设备、安全生产专用设备、其他）"
    )
    assert EquipmentLine.objects.count() == 0


def test_warnings_for_lines_over_the_equipment_investment_robots_and_first_set_products(
    run_import, tmp_path, projects
):
    FirstSetProduct.objects.create(
        enterprise=Project.objects.get(code="T-001").enterprise,
        product_name="示例高速加工中心",
        category="首台套",
        level="省级",
        year=2024,
    )
    big = [*LATHES[:6], 300, 5, *LATHES[8:]]  # 1,500万: with the robots 1,740万 ≤ 1,800万 × 1.05
    few_robots = [*ROBOTS[:7], 2, *ROBOTS[8:]]  # 2 robots in the lines, 3 reported in 2024-02
    unnamed = [*LEASED[:10], "省级", None, *LEASED[12:]]
    named = ["T-001", 4, "加工中心", "HMC-80", "数控机床", "购置", 90, 1, None, "国产", "省级", "示例高速加工中心", None, None, DAY, None]  # fmt: skip
    report = run_import(F.xlsx(tmp_path / "w.xlsx", {"设备清单": [few_robots, big, unnamed, named]}))
    assert report.committed, lines(report)
    # 120 + 1,500 + 30 + 90 = 1,740万 is within 1,800万 × 1.05: no warning of the total
    assert warnings(report) == [
        "设备清单, 第4行, 首台套产品: 首台套级别为省级，但未填写首台套产品（应为首台套登记库中的产品）",
        "设备清单, 第5行, 项目编号: 月度进度累计报送机器人到位 3 台，超过设备清单中的工业机器人 2 台",
    ]


def test_the_lines_of_a_project_may_exceed_its_equipment_investment_by_the_tolerance_only(
    run_import, tmp_path, projects
):
    over = [*LATHES[:6], 360, 5, *LATHES[8:]]  # 1,800万 + 240万 robots = 2,040万 > 1,890万
    report = run_import(F.xlsx(tmp_path / "t.xlsx", {"设备清单": [ROBOTS, over]}))
    assert report.committed, lines(report)
    assert warnings(report) == [
        "设备清单, 第3行, 项目编号: 设备清单合计 2,040.00 万元，超过项目登记的设备投资 1,800.00 万元（允许超出 5%）"
    ]
    edge = [*LATHES[:6], 330, 5, *LATHES[8:]]  # 1,650万 + 240万 = 1,890万 = 1,800万 × 1.05
    report = run_import(F.xlsx(tmp_path / "e.xlsx", {"设备清单": [ROBOTS, edge]}))
    assert report.committed and warnings(report) == []


def test_an_area_operator_writes_only_its_own_areas_lines(run_import, tmp_path, projects):
    op = named_users()["op_nanhu"]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS, HAINING]}), user=op, scope=NANHU)
    assert lines(report) == [
        "设备清单, 第3行, 项目编号: 项目 T-002 未登记或无权操作，且不在本文件的“项目”表中"
    ]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"设备清单": [ROBOTS]}), user=op, scope=NANHU)
    assert report.committed
    line = EquipmentLine.objects.get()
    assert line.history.first().history_user == op


def test_a_settled_projects_lines_are_not_changed_by_an_area_operator(run_import, tmp_path, projects):
    Project.objects.filter(code="T-001").update(status="已兑现")
    op = named_users()["op_nanhu"]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS]}), user=op, scope=NANHU)
    assert lines(report) == [
        "设备清单, 第2行, 项目编号: 项目 T-001 当前状态为“已兑现”，您（区域操作员）无权修改其设备清单"
    ]


def test_projects_and_their_lines_import_from_one_file(run_import, tmp_path):
    sheets = {"企业": [F.ENTERPRISE_A], "项目": [F.PROJECT_A], "设备清单": [ROBOTS, LATHES]}
    dry = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), dry_run=True)
    assert dry.ok and [s.new for s in dry.sheets] == [1, 1, 2]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets))
    assert report.committed, lines(report)
    assert EquipmentLine.objects.filter(project__code="T-001").count() == 2


def test_export_then_import_is_a_no_op(run_import, tmp_path, projects):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS, LATHES, LEASED, HAINING]})).committed
    path = tmp_path / "lines.xlsx"
    registry_export(str(path), kind="equipment-lines", scope=Scope(role=Role.CITY_ADMIN))
    report = run_import(path)
    assert report.committed, lines(report)
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 0, 4)]


def test_a_deleted_line_is_refused_until_it_is_restored(run_import, tmp_path, projects):
    from renewal.registry.services import record_delete

    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS]})).committed
    record_delete(user=named_users()["city_admin"], obj=EquipmentLine.objects.get())
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"设备清单": [ROBOTS]}))
    assert lines(report) == [
        "设备清单, 第2行, 序号: 项目 T-001 的设备清单第 1 项 已被删除（在回收站中），请由市级管理员恢复后再导入"
    ]


def test_the_total_counts_the_lines_the_project_already_had(run_import, tmp_path, projects):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"设备清单": [ROBOTS]})).committed  # 240万
    over = [*LATHES[:6], 360, 5, *LATHES[8:]]  # 1,800万 in this file, 2,040万 with the robots
    for dry_run in (True, False):
        report = run_import(F.xlsx(tmp_path / "b.xlsx", {"设备清单": [over]}), dry_run=dry_run)
        assert report.ok, lines(report)
        assert warnings(report) == [
            "设备清单, 第2行, 项目编号: 设备清单合计 2,040.00 万元，超过项目登记的设备投资 1,800.00 万元（允许超出 5%）"
        ]
