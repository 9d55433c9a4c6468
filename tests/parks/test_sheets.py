"""The five park sheets (T7, T8): the headers of the contract, a clean file written in yuan with its
history, every bad row named by sheet, row and column with nothing written, export → import a no-op."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from renewal.exchange import sheets as S
from renewal.exchange.registry_exports import registry_export
from renewal.exchange.template import write_template
from renewal.parks.models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem
from tests.exchange import files as F
from tests.factories import USCC_HAINING, USCC_NANHU, USCC_NANHU_NEW

from . import data as D
from .conftest import CITY, lines

pytestmark = pytest.mark.django_db

HEADERS = {
    "园区": ["园区代码", "园区名称", "所属区域", "级别", "类型", "面积(亩)"],
    "园区企业": ["园区代码", "统一社会信用代码"],
    "智慧园区建设": ["园区代码", "建设内容", "状态", "投资(万元)", "开始日期", "建成日期"],
    "绿色园区": ["园区代码", "类别", "状态", "年度"],
    "企业环保绩效评级": ["统一社会信用代码", "评级", "年度"],
}
KINDS = ["parks", "park-members", "smart-park-items", "green-park-items", "enterprise-ratings"]


def test_the_sheets_have_the_headers_of_the_contract():
    assert {name: S.BY_NAME[name].headers for name in HEADERS} == HEADERS


def test_the_template_has_a_sheet_for_each_park_kind(people, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(str(path), KINDS)
    book = openpyxl.load_workbook(path)
    for name, headers in HEADERS.items():
        assert [c.value for c in book[name][1]] == headers


# the enumerated columns of the park sheets: their drop-down lists (on the hidden sheet 选项)
DROPDOWNS = {
    "园区": {
        "D": ["国家级", "省级", "市级"],
        "E": ["经济开发区", "高新区", "化工园区", "小微企业园", "其他"],
    },
    "智慧园区建设": {
        "B": ["视频监控", "车辆自动识别门禁", "园区智慧大脑", "人工智能+"],
        "C": ["计划", "在建", "建成"],
    },
    "绿色园区": {"B": ["低碳园区", "零碳园区", "清新园区"], "C": ["申报", "创建中", "已认定"]},
    "企业环保绩效评级": {"B": ["A级", "B级", "引领性"]},
}


def test_the_enumerated_columns_have_their_drop_down_lists(people, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(str(path), KINDS)
    book = openpyxl.load_workbook(path)
    options = book["选项"]
    for name, columns in DROPDOWNS.items():
        lists = {}
        for dv in book[name].data_validations.dataValidation:
            source = dv.formula1.split("!")[1].replace("$", "")  # e.g. C1:C3
            first, last = source.split(":")
            column = first.rstrip("0123456789")
            rows = range(int(first[len(column) :]), int(last[len(column) :]) + 1)
            lists[str(dv.sqref).split(":")[0][0]] = [options[f"{column}{r}"].value for r in rows]
            assert dv.showErrorMessage  # a value outside the list is refused in Excel too
        assert {c: v for c, v in lists.items() if c in columns} == columns, name
        comments = {c.column_letter: c.comment.text for c in book[name][1]}
        assert all("可选：" + "、".join(values) in comments[c] for c, values in columns.items())


def test_a_clean_file_writes_parks_members_items_and_ratings(people, run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", D.ALL))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [
        ("园区", 3),
        ("园区企业", 2),
        ("智慧园区建设", 3),
        ("绿色园区", 3),
        ("企业环保绩效评级", 2),
    ]
    chem = Park.objects.get(code="NH-P2")
    assert (chem.area_id, chem.level, chem.kind, chem.area_mu) == (
        "330402",
        "市级",
        "化工园区",
        Decimal("3500.5"),
    )
    assert Park.objects.get(code="HN-P1").area_mu is None
    assert ParkMember.objects.get(enterprise__uscc=USCC_NANHU).park == chem
    brain = SmartParkItem.objects.get(park__code="NH-P1", content="园区智慧大脑")
    assert (brain.investment, brain.completed_on) == (Decimal(8_000_000), dt.date(2024, 3, 15))
    assert SmartParkItem.objects.get(content="视频监控").investment == Decimal(1_205_000)
    assert GreenParkItem.objects.filter(status="已认定").count() == 2
    assert EnterpriseRating.objects.get(enterprise__uscc=USCC_HAINING).rating == "引领性"
    assert brain.history.first().history_change_reason == "Excel 导入：a.xlsx"


def test_a_park_and_its_records_import_from_one_file_in_a_dry_run(people, run_import, tmp_path):
    dry = run_import(F.xlsx(tmp_path / "a.xlsx", D.ALL), dry_run=True)
    assert dry.ok, lines(dry)
    assert Park.objects.count() == 0


def test_the_same_file_again_changes_nothing_and_a_new_status_is_an_update(people, run_import, tmp_path):
    path = F.xlsx(tmp_path / "a.xlsx", D.ALL)
    assert run_import(path).committed
    again = run_import(path)
    assert all((s.new, s.changed) == (0, 0) for s in again.sheets)
    built = ["NH-P1", "视频监控", "建成", 120.5, dt.date(2024, 2, 1), dt.date(2024, 5, 20)]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"智慧园区建设": [built]}))
    assert [(s.new, s.changed) for s in report.sheets] == [(0, 1)]
    item = SmartParkItem.objects.get(content="视频监控")
    assert (item.status, item.version) == ("建成", 2)


def test_every_bad_row_is_refused_with_sheet_row_and_column_and_nothing_is_written(
    people, run_import, tmp_path
):
    this_year = timezone.localdate().year
    sheets = {
        "园区": [
            D.PARK_NH,
            ["NH-P3", "南湖某园", "南湖区", "县级", "经济开发区", None],  # 3: unknown level
            ["NH-P4", "南湖某园", "南湖区", "省级", "工业园", None],  # 4: unknown kind
            ["NH-P5", "南湖某园", "火星区", "省级", "其他", None],  # 5: unknown area
            ["NH-P6", *D.PARK_NH[1:5], -5],  # 6: negative land
        ],
        "园区企业": [
            ["XX-404", USCC_NANHU],  # unknown park
            ["NH-P1", USCC_NANHU_NEW],  # unknown enterprise
            ["NH-P1", USCC_HAINING],  # 海宁's enterprise in a 南湖 park
            ["NH-P3", USCC_NANHU],  # a park of this file with errors
        ],
        "智慧园区建设": [
            ["NH-P1", "园区智慧大脑", "建成", 800, None, None],  # 建成 without its date
            ["NH-P1", "视频监控", "在建", None, None, dt.date(2024, 3, 1)],  # a date but 在建
            ["NH-P1", "人工智能+", "建成", None, dt.date(2024, 5, 1), dt.date(2024, 3, 1)],  # start after
            ["NH-P1", "无人机", "计划", None, None, None],  # unknown content
        ],
        "绿色园区": [
            ["NH-P1", "低碳园区", "已认定", this_year + 1],  # recognised in a year to come
            ["NH-P1", "无废园区", "申报", 2024],
        ],
        "企业环保绩效评级": [
            [USCC_NANHU, "C级", 2024],
            [USCC_NANHU, "A级", 2024],
            [USCC_NANHU, "B级", 2024],  # the key of row 3 again
        ],
    }
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", sheets))
    assert not report.committed
    assert lines(report) == [
        "园区, 第3行, 级别: “县级”不是可选值（可选：国家级、省级、市级）",
        "园区, 第4行, 类型: “工业园”不是可选值（可选：经济开发区、高新区、化工园区、小微企业园、其他）",
        "园区, 第5行, 所属区域: 未知的区域“火星区”（可填：南湖区、秀洲区、嘉善县、平湖市、海盐县、海宁市、桐乡市、嘉兴经济技术开发区、嘉兴港区，或区域代码）",
        "园区, 第6行, 面积(亩): 不能为负数（-5）",
        f"园区企业, 第3行, 统一社会信用代码: 企业 {USCC_NANHU_NEW} 未登记或无权操作，且不在本文件的“企业”表中",
        "园区企业, 第5行, 园区代码: 园区 NH-P3 在本文件“园区”表中的行有错误，请先更正",
        "园区企业, 第2行, 园区代码: 园区 XX-404 未登记或无权操作，且不在本文件的“园区”表中",
        f"园区企业, 第4行, 园区代码: 园区 NH-P1 属于南湖区，企业 {USCC_HAINING} 属于海宁市（园区企业须与园区在同一区域）",
        "智慧园区建设, 第2行, 建成日期: 状态为“建成”时须填写建成日期",
        "智慧园区建设, 第3行, 建成日期: 只有状态为“建成”的项目填写建成日期（该行状态为“在建”）",
        "智慧园区建设, 第4行, 开始日期: 开始日期不能晚于建成日期",
        "智慧园区建设, 第5行, 建设内容: “无人机”不是可选值（可选：视频监控、车辆自动识别门禁、园区智慧大脑、人工智能+）",
        f"绿色园区, 第2行, 年度: 已认定的年度不能晚于今年（{this_year}）",
        "绿色园区, 第3行, 类别: “无废园区”不是可选值（可选：低碳园区、零碳园区、清新园区）",
        "企业环保绩效评级, 第2行, 评级: “C级”不是可选值（可选：A级、B级、引领性）",
        f"企业环保绩效评级, 第4行, -: 与第 3 行重复（{USCC_NANHU} / 2024）",
    ]
    assert Park.objects.count() == ParkMember.objects.count() == SmartParkItem.objects.count() == 0
    assert EnterpriseRating.objects.count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(people, run_import, tmp_path, kind):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", D.ALL)).committed
    buffer = io.BytesIO()
    count = registry_export(buffer, kind=kind, scope=CITY)
    assert count == len(D.ALL[S.BY_KIND[kind].name])
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(buffer.getvalue())
    report = run_import(exported)
    assert report.committed, lines(report)
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 0, count)]


def test_a_deleted_park_takes_its_records_to_the_recycle_bin_and_its_rows_are_refused(
    parks, run_import, tmp_path
):
    from renewal.registry.services import record_delete, record_restore

    admin = parks["city_admin"]
    record_delete(user=admin, obj=Park.objects.get(code="NH-P1"))
    assert SmartParkItem.objects.filter(park__code="NH-P1").count() == 0
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"园区": [D.PARK_NH], "智慧园区建设": [D.BRAIN_NH]}))
    assert lines(report) == [
        "园区, 第2行, 园区代码: 园区 NH-P1 已被删除（在回收站中），请由市级管理员恢复后再导入",
        "智慧园区建设, 第2行, 园区代码: 园区 NH-P1 在本文件“园区”表中的行有错误，请先更正",
    ]
    record_restore(user=admin, obj=Park.all_objects.get(code="NH-P1"))
    assert SmartParkItem.objects.filter(park__code="NH-P1").count() == 2
    again = run_import(F.xlsx(tmp_path / "b.xlsx", {"园区": [D.PARK_NH], "智慧园区建设": [D.BRAIN_NH]}))
    assert [(s.new, s.changed, s.unchanged) for s in again.sheets] == [(0, 0, 1), (0, 0, 1)]
