"""Files as people send them: written by LibreOffice (BIFF8 .xls, .ods), encrypted by real tools,
cut short, in GBK, with the header in the wrong row or a sheet nobody asked for. Each refusal is
checked to the exact sheet, row, column and message; each acceptance to the stored values."""

import datetime as dt
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from stdnum.cn import uscc as stdnum_uscc

from renewal.registry.models import Enterprise, Project

from . import files as F
from .test_import import counts, lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exchange"
PASSWORD = "文件有密码保护，请取消密码后再上传"
NOTHING = (0, 0, 0, 0, 0, 0)


def fixture(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    return Path(shutil.copy(FIXTURES / name, tmp_path / (as_name or name)))


def uscc(body: str) -> str:
    """A valid credit code (GB 32100-2015 check character) from its first 17 characters."""
    return body + stdnum_uscc.calc_check_digit(body)


def history() -> tuple[int, int]:
    return Enterprise.history.count(), Project.history.count()


# -- files written by LibreOffice --------------------------------------------------------------


@pytest.mark.parametrize("name", ["lo-biff8.xls", "lo.ods"])
def test_a_workbook_saved_by_libreoffice_as_xls_or_ods_imports(run_import, tmp_path, name):
    report = run_import(fixture(tmp_path, name))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("企业", 2), ("项目", 2)]
    assert report.issues == []
    a, b = Enterprise.objects.order_by("uscc")
    assert (a.area_id, a.industry_code, a.above_scale, a.land_mu, a.employees) == (
        "330402",
        "36",
        True,
        120,
        900,
    )
    # 330481 typed as a number cell (a float in BIFF8/ODF) is the area's code; 是否规上 "Y"
    assert (b.area_id, b.above_scale, b.land_mu, b.high_tech) == ("330481", True, Decimal("80.5"), False)
    p1 = Project.objects.get(code="T-001")
    assert (p1.year, p1.total_investment, p1.equipment_investment, p1.new_robots) == (
        2024,
        Decimal(30_000_000),
        Decimal(18_000_000),
        6,
    )
    assert p1.start_date == dt.date(2024, 1, 5)  # a date cell
    assert p1.end_date == dt.date(2024, 2, 28)  # the text 2024/2/28
    assert p1.types == "设备更新、绿色化改造"  # the enumeration's order
    p2 = Project.objects.get(code="T-002")
    assert (p2.start_date, p2.end_date, p2.status) == (dt.date(2024, 3, 1), None, "已入库")


@pytest.mark.parametrize("name", ["lo-biff8.xls", "lo.ods"])
def test_importing_a_libreoffice_file_twice_changes_nothing_the_second_time(run_import, tmp_path, name):
    assert run_import(fixture(tmp_path, name)).committed
    before = counts()
    second = run_import(fixture(tmp_path, name))
    assert second.committed and second.issues == []
    assert [(s.name, s.new, s.changed, s.unchanged) for s in second.sheets] == [
        ("企业", 0, 0, 2),
        ("项目", 0, 0, 2),
    ]
    assert counts() == before  # floats of BIFF8/ODF (2024.0, 900.0) equal what was stored


# -- password-protected files made by real tools -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "as_name"),
    [
        ("lo-biff8-password.xls", None),  # BIFF8 with a FILEPASS record (LibreOffice, RC4 1.1)
        ("agile-password.xlsx", None),  # OOXML agile encryption in an OLE2 container (as Excel writes)
        ("agile-password.xlsx", "renamed.xls"),  # the same, named .xls
        ("lo-password.ods", None),  # ODF with encrypted members (LibreOffice)
    ],
)
def test_a_password_protected_file_is_refused_as_such(run_import, tmp_path, name, as_name):
    report = run_import(fixture(tmp_path, name, as_name))
    assert report.fatal == PASSWORD
    assert not report.committed and report.sheets == [] and report.issues == []
    assert counts() == NOTHING


# -- corrupt files -----------------------------------------------------------------------------


def _truncated(source: Path, target: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def _zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "不是工作簿")
    return path


CORRUPT = [
    # (how the file is made, its name, the exact message)
    (
        lambda tmp: _truncated(FIXTURES / "lo-biff8.xls", tmp / "cut.xls"),
        "文件已损坏或不是有效的 Excel 文件（CalamineError）",
    ),
    (
        lambda tmp: _truncated(F.clean_workbook(tmp / "whole.xlsx"), tmp / "cut.xlsx"),
        "文件已损坏或不是有效的 Excel 文件（ZipError）",
    ),
    (
        lambda tmp: _truncated(FIXTURES / "lo.ods", tmp / "cut.ods"),
        "文件已损坏或不是有效的 Excel 文件（ZipError）",
    ),
    (
        lambda tmp: _zip_without_workbook(tmp / "archive.xlsx"),
        "文件已损坏或不是有效的 Excel 文件（CalamineError）",
    ),
    (  # an .xlsx renamed .xls: calamine reads by the name, and a zip is no BIFF file
        lambda tmp: F.clean_workbook(tmp / "x.xlsx").rename(tmp / "renamed.xls"),
        "文件已损坏或不是有效的 Excel 文件（CalamineError）",
    ),
    (
        lambda tmp: _write(tmp / "binary.csv", b"\x00\x01\x02PK\x03\x04" * 50),
        "文件已损坏或不是文本格式的 CSV 文件",
    ),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("make", "message"), CORRUPT, ids=["xls", "xlsx", "ods", "zip", "renamed", "csv"])
def test_a_corrupt_or_truncated_file_is_refused_as_such(run_import, tmp_path, make, message):
    report = run_import(make(tmp_path))
    assert report.fatal == message
    assert not report.committed and counts() == NOTHING


# -- empty files -------------------------------------------------------------------------------


def test_a_csv_of_blank_lines_is_empty(run_import, tmp_path):
    report = run_import(_write(tmp_path / "企业.csv", b"\r\n , ,\r\n\r\n"))
    assert report.fatal == "文件为空（没有表头）"


def test_a_csv_with_headers_but_no_rows_has_no_data(run_import, tmp_path):
    report = run_import(F.csv_file(tmp_path / "企业.csv", "企业", [], "gbk"))
    assert report.fatal == "文件中没有数据行"


def test_a_known_sheet_without_anything_in_it_is_refused(run_import, tmp_path):
    path = tmp_path / "blank-sheet.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("企业")  # nothing written
    wb.close()
    report = run_import(path)
    assert lines(report) == ["企业, -, -: 工作表为空（没有表头）"]
    assert not report.committed


# -- headers -----------------------------------------------------------------------------------


def _rows_at(path: Path, sheet: str, first_row: int, rows: list[list]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows, start=first_row):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def test_a_header_in_the_wrong_row_is_refused(run_import, tmp_path):
    path = _rows_at(tmp_path / "low.xlsx", "企业", 2, [F.S.BY_KIND["enterprises"].headers, F.ENTERPRISE_A])
    report = run_import(path)
    assert lines(report) == ["企业, 第3行, -: 表头应在第 1 行，实在第 3 行"]
    assert not report.committed and counts() == NOTHING


def test_a_column_given_twice_is_refused(run_import, tmp_path):
    headers = [*F.S.BY_KIND["enterprises"].headers[:10], "所属区域"]  # without the optional contacts
    report = run_import(
        F.xlsx(tmp_path / "twice.xlsx", {"企业": [[*F.ENTERPRISE_A, "海宁市"]]}, {"企业": headers})
    )
    assert lines(report) == ["企业, 第1行, 所属区域: 列重复出现"]
    assert (report.errors[0].col_index, counts()) == (10, NOTHING)


def test_a_missing_and_an_unknown_column_are_named_exactly(run_import, tmp_path):
    headers = [h for h in F.S.BY_KIND["enterprises"].headers[:10] if h != "行业代码"] + ["备注"]
    row = [v for i, v in enumerate(F.ENTERPRISE_A) if i != 3] + ["x"]
    report = run_import(F.xlsx(tmp_path / "h.xlsx", {"企业": [row]}, {"企业": headers}))
    assert lines(report) == [
        "企业, 第1行, 备注: 未知的列“备注”（第 J 列）；表头应为："
        + "、".join(F.S.BY_KIND["enterprises"].headers),
        "企业, 第1行, -: 缺少列：行业代码",
    ]
    assert counts() == NOTHING


def test_a_merged_header_is_refused(run_import, tmp_path):
    # 所属区域 and 行业代码 under one merged cell C1:D1: the second header is lost
    head = [*F.S.BY_KIND["enterprises"].headers]
    head[3] = ""
    path = tmp_path / "merged-head.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 0, head)
    ws.merge_range("C1:D1", "所属区域")
    ws.write_row(1, 0, F.ENTERPRISE_A)
    wb.close()
    report = run_import(path)
    assert lines(report) == [
        "企业, 第1行, -: 缺少列：行业代码",
        "企业, 第1行, 所属区域: 合并单元格 C1:D1：表头不能有合并单元格，请取消合并，每列填写一个表头",
    ]
    assert counts() == NOTHING


def test_merged_cells_in_the_data_are_refused_with_their_range(run_import, tmp_path):
    report = run_import(F.merged_cells(tmp_path / "m.xlsx"))
    assert lines(report) == [
        "企业, 第2行, 所属区域: 合并单元格 C2:C3：数据区不能有合并单元格，请取消合并并逐行填写",
    ]
    assert counts() == NOTHING


# -- formulas ----------------------------------------------------------------------------------


def test_a_formula_with_its_cached_value_imports_that_value(run_import, tmp_path):
    path = tmp_path / "calculated.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 0, F.S.BY_KIND["enterprises"].headers)
    ws.write_row(1, 0, F.ENTERPRISE_A)
    ws.write_formula("F2", "=100+20", None, 120)  # as Excel saves it: formula and value
    wb.close()
    report = run_import(path)
    assert report.committed, lines(report)
    assert Enterprise.objects.get().land_mu == 120


def test_formulas_without_a_cached_value_are_listed_cell_by_cell(run_import, tmp_path):
    import openpyxl

    path = tmp_path / "never-calculated.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(F.S.BY_KIND["enterprises"].headers)
    ws.append(F.ENTERPRISE_A)
    ws.append([*F.ENTERPRISE_B[:6], "=400+50", *F.ENTERPRISE_B[7:]])
    ws["F2"] = "=100+20"
    wb.save(path)
    report = run_import(path)
    assert lines(report) == [
        "企业, 第2行, 用地面积(亩): 单元格 F2 是公式但没有计算结果，请在 Excel 中打开并保存（或粘贴为数值）后再上传",
        "企业, 第3行, 从业人员(人): 单元格 G3 是公式但没有计算结果，请在 Excel 中打开并保存（或粘贴为数值）后再上传",
    ]
    assert counts() == NOTHING


# -- text where a number belongs; implausible magnitudes ---------------------------------------


def test_text_in_a_number_column_is_refused_but_full_width_digits_are_read(run_import, tmp_path):
    a, b = [*F.ENTERPRISE_A], [*F.ENTERPRISE_B]
    a[5], b[5] = "约120", "８０"  # 用地面积(亩)
    report = run_import(F.xlsx(tmp_path / "text.xlsx", {"企业": [a, b]}))
    assert lines(report) == ["企业, 第2行, 用地面积(亩): 应为数字，实为文本“约120”"]
    assert counts() == NOTHING


def test_an_amount_in_yuan_in_a_wan_column_warns_with_its_row_and_still_imports(run_import, tmp_path):
    proj = [*F.PROJECT_A]
    proj[6], proj[7] = 30_000_000, 18_000_000  # yuan typed into 万元 columns
    report = run_import(
        F.xlsx(
            tmp_path / "yuan.xlsx", {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_B], "项目": [proj, F.PROJECT_B]}
        )
    )
    assert report.committed and report.errors == []
    assert [(w.sheet, w.row, w.column, w.level) for w in report.warnings] == [
        ("项目", 2, "总投资(万元)", "warning"),
        ("项目", 2, "设备投资(万元)", "warning"),
    ]
    assert [w.message for w in report.warnings] == [
        "数值 30,000,000 偏大（超过 1,000,000），是否误按元填写？",
        "数值 18,000,000 偏大（超过 1,000,000），是否误按元填写？",
    ]
    assert Project.objects.get(code="T-001").total_investment == Decimal(300_000_000_000)


# -- forgiving cells ---------------------------------------------------------------------------


def test_areas_by_name_short_name_code_text_and_code_number(run_import, tmp_path):
    rows = []
    for i, area in enumerate(["南湖区", "海宁", "330481", 330482, "  秀洲区 "]):
        row = [*F.ENTERPRISE_A]
        row[0], row[1], row[2] = uscc(f"91330400MA2AREA{i}0"), f"企业{i}", area
        rows.append(row)
    report = run_import(F.xlsx(tmp_path / "areas.xlsx", {"企业": rows}))
    assert report.committed, lines(report)
    assert list(Enterprise.objects.order_by("name").values_list("name", "area_id")) == [
        ("企业0", "330402"),
        ("企业1", "330481"),
        ("企业2", "330481"),
        ("企业3", "330482"),
        ("企业4", "330411"),
    ]


def test_dates_as_cells_as_iso_text_and_as_slashed_text(run_import, tmp_path):
    a, b = [*F.PROJECT_A], [*F.PROJECT_B]
    a[13], a[14] = dt.date(2024, 1, 5), "2024/12/3"  # a date cell, text Y/M/D
    b[13], b[14] = " 2024-03-01 ", "２０２４/３/９"  # text with spaces, full-width digits
    report = run_import(
        F.xlsx(tmp_path / "dates.xlsx", {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_B], "项目": [a, b]})
    )
    assert report.committed, lines(report)
    assert dict(Project.objects.values_list("code", "start_date")) == {
        "T-001": dt.date(2024, 1, 5),
        "T-002": dt.date(2024, 3, 1),
    }
    assert dict(Project.objects.values_list("code", "end_date")) == {
        "T-001": dt.date(2024, 12, 3),
        "T-002": dt.date(2024, 3, 9),
    }


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("N", False),
        ("y", True),
        ("n", False),
        ("Ｙ", True),
        (" 否 ", False),
    ],
)
def test_yes_and_no_in_every_accepted_spelling(run_import, tmp_path, value, stored):
    row = [*F.ENTERPRISE_A]
    row[4] = value  # 是否规上
    assert run_import(F.xlsx(tmp_path / "yn.xlsx", {"企业": [row]})).committed
    assert Enterprise.objects.get().above_scale is stored


def test_a_gbk_csv_with_chinese_area_names_and_types_imports(run_import, tmp_path):
    ent = F.csv_file(tmp_path / "企业.csv", "企业", [F.ENTERPRISE_A, F.ENTERPRISE_B], "gbk")
    ent_bytes = ent.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        ent_bytes.decode("utf-8")  # really GBK
    assert run_import(ent).committed
    proj = [*F.PROJECT_A]
    proj[13] = "2024/1/5"
    report = run_import(F.csv_file(tmp_path / "projects.csv", "项目", [proj, F.PROJECT_B], "gbk"))
    assert report.committed, lines(report)
    assert dict(Enterprise.objects.values_list("name", "area_id")) == {
        "南湖测试汽配有限公司": "330402",
        "海宁测试经编有限公司": "330481",
    }
    p = Project.objects.get(code="T-001")
    assert (p.name, p.types, p.start_date) == ("涂装线改造", "设备更新、绿色化改造", dt.date(2024, 1, 5))


def test_a_gbk_csv_with_an_error_names_the_row_and_column(run_import, tmp_path):
    bad = [*F.ENTERPRISE_B]
    bad[2] = "嘉兴湾"
    report = run_import(F.csv_file(tmp_path / "企业.csv", "企业", [F.ENTERPRISE_A, bad], "gbk"))
    assert lines(report) == [
        "企业, 第3行, 所属区域: 未知的区域“嘉兴湾”（可填：南湖区、秀洲区、嘉善县、平湖市、海盐县、海宁市、"
        "桐乡市、嘉兴经济技术开发区、嘉兴港区，或区域代码）"
    ]
    assert counts() == NOTHING


# -- sheets nobody asked for -------------------------------------------------------------------


def test_an_unknown_sheet_is_skipped_with_a_warning_and_a_help_sheet_silently(run_import, tmp_path):
    path = tmp_path / "extra.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 0, F.S.BY_KIND["enterprises"].headers)
    ws.write_row(1, 0, F.ENTERPRISE_A)
    wb.add_worksheet("备忘").write("A1", "下周再报")
    wb.add_worksheet("说明").write("A1", "填写说明")
    wb.close()
    report = run_import(path)
    assert report.committed and report.errors == []
    assert [w.line() for w in report.warnings] == [
        "备忘, -, -: 未识别的工作表，已跳过（可导入：企业、项目、月度进度、试点示范、首台套、设备清单、设备台账、资金下达、统计指标、基金投资、贷款、放款、还款、亩均数据、淘汰目录、园区、园区企业、智慧园区建设、绿色园区、企业环保绩效评级）"
    ]
    assert Enterprise.objects.count() == 1


# -- all or nothing, dry run, idempotency over existing data -----------------------------------


def test_an_error_in_the_last_row_of_the_second_sheet_keeps_earlier_changes_out(run_import, tmp_path):
    assert run_import(F.clean_workbook(tmp_path / "first.xlsx")).committed
    before, kept = counts(), history()
    ent = [*F.ENTERPRISE_A]
    ent[6] = 950  # 从业人员: a change in sheet 1
    new_ent = [uscc("91330402MA2NEW000"), "新企业", "南湖区", "36", "是", 1, 1, "否", "否", "否"]
    proj_a = [*F.PROJECT_A]
    proj_a[6] = 3200  # a change in sheet 2, row 2
    proj_b = [*F.PROJECT_B]
    proj_b[15] = "快完工了"  # the last row of the last sheet is wrong
    path = F.xlsx(
        tmp_path / "second.xlsx", {"企业": [ent, F.ENTERPRISE_B, new_ent], "项目": [proj_a, proj_b]}
    )
    report = run_import(path)
    assert lines(report) == [
        "项目, 第3行, 状态: “快完工了”不是可选值（可选：草稿、已申报、区县审核通过、已入库、在建、竣工、"
        "验收通过、已兑现、退回、撤销）"
    ]
    assert not report.committed
    assert counts() == before and history() == kept
    assert Enterprise.objects.get(uscc=F.USCC_A).employees == 900
    assert Project.objects.get(code="T-001").total_investment == Decimal(30_000_000)
    assert not Enterprise.objects.filter(name="新企业").exists()


def test_a_dry_run_over_existing_data_previews_changes_and_writes_nothing(run_import, tmp_path):
    assert run_import(F.clean_workbook(tmp_path / "first.xlsx")).committed
    before, kept = counts(), history()
    proj = [*F.PROJECT_A]
    proj[6] = 3200
    third = [*F.PROJECT_B]
    third[0], third[1] = "T-003", "新项目"
    report = run_import(F.xlsx(tmp_path / "preview.xlsx", {"项目": [proj, F.PROJECT_B, third]}), dry_run=True)
    assert report.ok and not report.committed
    assert [(s.name, s.new, s.changed, s.unchanged) for s in report.sheets] == [("项目", 1, 1, 1)]
    assert counts() == before and history() == kept
    assert Project.objects.get(code="T-001").total_investment == Decimal(30_000_000)
    assert not Project.objects.filter(code="T-003").exists()


def test_the_same_gbk_csv_twice_changes_nothing(run_import, tmp_path):
    path = F.csv_file(tmp_path / "企业.csv", "企业", [F.ENTERPRISE_A, F.ENTERPRISE_B], "gbk")
    assert run_import(path).committed
    before, kept = counts(), history()
    second = run_import(path)
    assert [(s.new, s.changed, s.unchanged) for s in second.sheets] == [(0, 0, 2)]
    assert counts() == before and history() == kept


def test_an_implausible_count_warns_to_check_the_unit_and_still_imports(run_import, tmp_path):
    row = [*F.ENTERPRISE_A]
    row[6] = 300_000  # 从业人员(人)
    report = run_import(F.xlsx(tmp_path / "staff.xlsx", {"企业": [row]}))
    assert report.committed and report.errors == []
    assert [w.line() for w in report.warnings] == [
        "企业, 第2行, 从业人员(人): 数值 300,000 偏大（超过 200,000），请核实单位与数值。"
    ]


def test_text_in_a_number_column_of_a_csv_names_its_row_and_column(run_import, tmp_path):
    proj = [*F.PROJECT_B]
    proj[9] = "四台"  # 新增工业机器人(台)
    assert run_import(F.xlsx(tmp_path / "e.xlsx", {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_B]})).committed
    report = run_import(F.csv_file(tmp_path / "p.csv", "项目", [F.PROJECT_A, proj], "gbk"))
    assert lines(report) == ["项目, 第3行, 新增工业机器人(台): 应为数字，实为文本“四台”"]
    assert Project.objects.count() == 0


def test_a_table_that_starts_in_column_b_is_read_by_its_headers(run_import, tmp_path):
    path = tmp_path / "shifted.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 1, F.S.BY_KIND["enterprises"].headers)
    ws.write_row(1, 1, F.ENTERPRISE_A)
    bad = [*F.ENTERPRISE_B]
    bad[3] = "99"
    ws.write_row(2, 1, bad)
    wb.close()
    report = run_import(path)
    assert lines(report) == [
        "企业, 第3行, 行业代码: 未知的行业代码“99”（应为 GB/T 4754-2017 制造业代码，13–43 开头）"
    ]
    assert report.errors[0].col_index == 3  # counted from the table's first column
