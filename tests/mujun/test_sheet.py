"""The 亩均数据 sheet (P14): its headers are the contract; a clean file writes rows in yuan with
history; each bad row names sheet, row and column in Chinese and nothing is written; an area
operator imports its own area's rows only; export → import changes nothing; the template has it."""

from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import sheets as S
from renewal.exchange.registry_exports import registry_export
from renewal.exchange.template import write_template
from renewal.mujun.models import AnnualData
from tests.exchange import files as F
from tests.factories import USCC_HAINING, USCC_NANHU

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码", "年度", "用地面积(亩)", "税收实际贡献(万元)", "工业增加值(万元)", "营业收入(万元)",
    "综合能耗(吨标准煤)", "主要污染物排放当量(吨)", "研发经费支出(万元)", "年平均职工人数(人)",
]  # fmt: skip
ROW_NANHU = [USCC_NANHU, 2024, 120.5, 1500, 9000, 36000.12, 4200, 35.1234, 1100, 320]
ROW_HAINING = [USCC_HAINING, 2024, 80, 600, 4000, 15000, 2100.5, 12, 300, 150]
HAINING_OP = Scope(role=Role.AREA_OPERATOR, area="330481")


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


def test_the_headers_are_the_contract():
    assert S.BY_NAME["亩均数据"].headers == HEADERS
    assert S.BY_NAME["亩均数据"].kind == "mujun-data"


def test_a_clean_file_writes_the_rows_in_yuan_with_their_history(people, run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "mujun.xlsx", {"亩均数据": [ROW_NANHU, ROW_HAINING]}))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("亩均数据", 2)]
    a = AnnualData.objects.get(enterprise__uscc=USCC_NANHU, year=2024)
    assert (a.land_mu, a.tax, a.value_added, a.revenue) == (
        Decimal("120.5"), Decimal(15_000_000), Decimal(90_000_000), Decimal("360001200.00")
    )  # fmt: skip
    assert (a.energy_tce, a.emissions_t, a.rd_expense, a.employees) == (
        Decimal(4200), Decimal("35.1234"), Decimal(11_000_000), 320
    )  # fmt: skip
    assert a.history.first().history_change_reason == "Excel 导入：mujun.xlsx"


ERRORS = [
    ([*ROW_NANHU[:2], -1, *ROW_NANHU[3:]], "用地面积(亩)", "不能为负数"),
    ([*ROW_NANHU[:2], "一百", *ROW_NANHU[3:]], "用地面积(亩)", "应为数字"),
    ([*ROW_NANHU[:1], 1999, *ROW_NANHU[2:]], "年度", "年度 1999 不合理"),
    ([*ROW_NANHU[:7], 1.23456, *ROW_NANHU[8:]], "主要污染物排放当量(吨)", "最多 4 位小数"),
    ([*ROW_NANHU[:9], 12.5], "年平均职工人数(人)", "应为整数"),
    ([*ROW_NANHU[:3], None, *ROW_NANHU[4:]], "税收实际贡献(万元)", "不能为空"),
    (["91330402MA2B00001L", *ROW_NANHU[1:]], "统一社会信用代码", "未登记"),
]


@pytest.mark.parametrize(("row", "column", "message"), ERRORS)
def test_a_bad_row_names_sheet_row_and_column_and_nothing_is_written(
    people, run_import, tmp_path, row, column, message
):
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", {"亩均数据": [ROW_HAINING, row]}))
    assert not report.committed
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column) == ("亩均数据", 3, column), issue.line()
    assert message in issue.message, issue.message
    assert not AnnualData.objects.exists()


def test_an_area_operator_imports_its_own_areas_rows_only(people, run_import, tmp_path):
    path = F.xlsx(tmp_path / "a.xlsx", {"亩均数据": [ROW_HAINING, ROW_NANHU]})
    report = run_import(path, user=people["op_haining"], scope=HAINING_OP)
    assert not report.committed
    [issue] = report.errors
    assert (issue.row, issue.column) == (3, "统一社会信用代码")
    assert not AnnualData.objects.exists()
    assert run_import(F.xlsx(tmp_path / "b.xlsx", {"亩均数据": [ROW_HAINING]}), scope=HAINING_OP).committed


def test_export_then_import_changes_nothing(people, run_import, tmp_path):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"亩均数据": [ROW_NANHU, ROW_HAINING]})).committed
    path = tmp_path / "export.xlsx"
    assert registry_export(path, kind="mujun-data", scope=Scope(role=Role.CITY_ADMIN)) == 2
    again = run_import(path)
    assert again.committed, lines(again)
    assert [(s.new, s.changed, s.invalid) for s in again.sheets] == [(0, 0, 0)]
    # an area operator exports its own area's rows only
    assert registry_export(tmp_path / "hn.xlsx", kind="mujun-data", scope=HAINING_OP) == 1


def test_a_changed_figure_is_a_new_version(people, run_import, tmp_path):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"亩均数据": [ROW_NANHU]})).committed
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"亩均数据": [[*ROW_NANHU[:3], 1600, *ROW_NANHU[4:]]]}))
    assert [(s.new, s.changed) for s in report.sheets] == [(0, 1)]
    a = AnnualData.objects.get()
    assert (a.tax, a.version, a.history.count()) == (Decimal(16_000_000), 2, 2)


def test_the_template_has_the_sheet(loaded_plan, tmp_path):
    import openpyxl

    path = tmp_path / "template.xlsx"
    write_template(path, kinds=["mujun-data"])
    ws = openpyxl.load_workbook(path)["亩均数据"]
    assert [c.value for c in ws[1]] == HEADERS
